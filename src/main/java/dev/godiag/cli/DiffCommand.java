package dev.godiag.cli;

import dev.godiag.engine.DiffRequest;
import dev.godiag.engine.DiffResult;
import dev.godiag.engine.FlameRequest;
import dev.godiag.engine.ProfileQuery;
import dev.godiag.report.DiffRenderers;
import dev.godiag.report.DiffView;
import dev.godiag.report.FlameHtmlRenderer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** godiag diff: what changed between two profiles of one kind, function by function. */
final class DiffCommand implements Command {
    /** ProfileOptions' options that make sense for two single profiles compared. */
    private static final Set<String> NOT_HERE = Set.of("base", "diff-base", "normalize", "mean", "mean-delay",
            "tagroot", "tagleaf", "add-comment");
    private static final List<OptionSpec> OPTIONS;

    static {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.value("nodecount", "N", "show at most N rows in each list (default 20; 0: all)"),
                OptionSpec.flag("normalize", "scale NEW to BASE's total first (as pprof's -normalize; default:"
                        + " absolute values)"),
                OptionSpec.value("unit", "UNIT", "show values in UNIT (ms, MB...); default: chosen as top does"),
                OptionSpec.value("format", "FMT", "text (default), json, markdown or html (a diff flame graph "
                        + "page); default by -o's extension (.json, .md, .html)"),
                OptionSpec.value("output", "FILE", "where to write ('-' or none: standard output)", "o"),
                OptionSpec.value("max-nodes", "N", "html: draw at most N frames (default "
                        + FlameRequest.DEFAULT_MAX_NODES + "); smaller ones are folded into 'other' boxes"),
                OptionSpec.value("title", "TEXT", "html: the page's title")));
        for (OptionSpec s : ProfileOptions.SPECS) {
            String target = s.presetOf() != null ? s.presetOf() : s.name();
            if (!NOT_HERE.contains(target)) {
                o.add(s);
            }
        }
        OPTIONS = List.copyOf(o);
    }

    @Override
    public String name() {
        return "diff";
    }

    @Override
    public String summary() {
        return "what grew and what shrank between two profiles, function by function";
    }

    @Override
    public String usage() {
        return "godiag diff [OPTIONS] BASE NEW";
    }

    @Override
    public String description() {
        return """
                Compares two profiles of the same kind (e.g. a heap before and after, a CPU profile of \
                two releases) node by node: flat and cum of each side, their change and the change in \
                percent of BASE, listed as the top gainers and losers by flat and by cum. Values are \
                absolute, as pprof's (a heap that grew tenfold shows +900%); --normalize first scales \
                NEW to BASE's total, for CPU profiles of different lengths. The deltas are the rows \
                of 'go tool pprof -top -diff_base=BASE [-normalize] NEW'.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        OutputFormat format = OutputFormat.parse(a.string("format", OutputFormat.byExtension(output)), OutputFormat.TEXT,
                OutputFormat.JSON, OutputFormat.MARKDOWN, OutputFormat.HTML);
        int maxNodes = a.integer("max-nodes", FlameRequest.DEFAULT_MAX_NODES);
        if (maxNodes < 1) {
            throw a.usage("--max-nodes must be at least 1");
        }
        int nodeCount = a.integer("nodecount", 20);
        if (nodeCount < 0) {
            throw a.usage("--nodecount must not be negative");
        }
        boolean normalize = a.has("normalize") && a.flag("normalize");
        List<String> operands = Globs.expand(a.operands());
        if (operands.size() != 2) {
            throw a.usage("wants two profiles, BASE and NEW, not " + operands.size());
        }
        ProfileQuery query = ProfileOptions.query(a, name(), term).withNormalize(normalize);
        DiffRequest request = new DiffRequest(query, nodeCount, a.string("unit", "minimum"),
                format == OutputFormat.HTML, maxNodes, a.string("title", null));
        DiffResult result = InputOptions.engine(a, term).diff(request);
        result.warnings().forEach(term::warn);
        DiffView view = result.view();
        Output.Body body = switch (format) {
            case JSON -> text(DiffRenderers.json(view));
            case MARKDOWN -> text(DiffRenderers.markdown(view));
            case HTML -> {
                DiffResult.FlameGraph g = result.flameGraph();
                yield os -> FlameHtmlRenderer.write(g.tree(), g.page(), g.diff(), os);
            }
            default -> text(DiffRenderers.text(view));
        };
        Output.write(term, output, body);
        return Main.OK;
    }

    private static Output.Body text(String s) {
        return os -> os.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
