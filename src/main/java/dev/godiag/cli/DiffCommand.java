package dev.godiag.cli;

import dev.godiag.analysis.profile.CallTree;
import dev.godiag.analysis.profile.Filters;
import dev.godiag.analysis.profile.NodeGraph;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.ProfileDiff;
import dev.godiag.analysis.profile.ProfileMerger;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.util.Units;
import dev.godiag.util.BadInputException;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import dev.godiag.report.DiffRenderers;
import dev.godiag.report.DiffView;
import dev.godiag.report.FlameHtmlRenderer;
import dev.godiag.report.ProfileLegend;

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
                OptionSpec.flag("normalize", "scale NEW to BASE's total first (default; --normalize=false for "
                        + "absolute values)"),
                OptionSpec.value("unit", "UNIT", "show values in UNIT (ms, MB...); default: chosen as top does"),
                OptionSpec.value("format", "FMT", "text (default), json, markdown or html (a diff flame graph "
                        + "page); default by -o's extension (.json, .md, .html)"),
                OptionSpec.value("output", "FILE", "where to write ('-' or none: standard output)", "o"),
                OptionSpec.value("max-nodes", "N", "html: draw at most N frames (default "
                        + FlameCommand.DEFAULT_MAX_NODES + "); smaller ones are folded into 'other' boxes"),
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
                percent of BASE, listed as the top gainers and losers by flat and by cum. NEW is first \
                scaled to BASE's total (as pprof's -normalize), so a longer CPU profile does not look \
                like a regression; --normalize=false compares absolute values. The deltas are the rows \
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
        int maxNodes = a.integer("max-nodes", FlameCommand.DEFAULT_MAX_NODES);
        if (maxNodes < 1) {
            throw a.usage("--max-nodes must be at least 1");
        }
        int nodeCount = a.integer("nodecount", 20);
        if (nodeCount < 0) {
            throw a.usage("--nodecount must not be negative");
        }
        boolean normalize = !a.has("normalize") || a.flag("normalize");
        List<String> operands = Globs.expand(a.operands());
        if (operands.size() != 2) {
            throw a.usage("wants two profiles, BASE and NEW, not " + operands.size());
        }
        ProfileOptions opts = new ProfileOptions(a, name());
        long limit = opts.inflateLimit();
        InputSource.FetchOptions fetch = opts.fetchOptions();
        String baseName = operands.get(0);
        String newName = operands.get(1);
        Profile base = named(baseName, () -> ProfileMerger.combine(List.of(ProfileLoader.load(baseName, fetch,
                limit))));
        Profile neu = named(newName, () -> ProfileMerger.combine(List.of(ProfileLoader.load(newName, fetch, limit))));
        ProfileDiff.Prepared p;
        try {
            p = ProfileDiff.prepare(base, neu, normalize, a.flag("all-frames"));
        } catch (BadInputException e) {
            throw new BadInputException(ProfileLoader.displayName(baseName) + " and "
                    + ProfileLoader.displayName(newName) + ": " + e.getMessage(), e);
        }
        int si = named(newName, () -> SampleIndex.resolve(p.neu(), opts.sampleIndex));

        List<String> warnings = new ArrayList<>();
        Filters filters = opts.filters();
        NodeOptions nodeOptions = opts.nodeOptions();
        Profile fb = filters.apply(p.base(), warnings);
        Profile fn = filters.apply(p.neu(), new ArrayList<>()); // one warning per filter is enough
        NodeGraph gb = NodeGraph.build(fb, si, nodeOptions);
        NodeGraph gn = NodeGraph.build(fn, si, nodeOptions);
        var type = p.neu().sampleTypes().get(si);
        ProfileDiff.Result result = ProfileDiff.compare(gb, gn, type.type(), type.unit(), p.normalized(),
                p.scales()[si], SampleIndex.total(p.base(), si), SampleIndex.total(p.neu(), si),
                SampleIndex.total(p.newRaw(), si));
        DiffView view = DiffView.of(result, ProfileLoader.displayName(baseName), ProfileLoader.displayName(newName),
                nodeCount, a.string("unit", "minimum"));
        warnings.forEach(term::warn);
        Output.Body body = switch (format) {
            case JSON -> text(DiffRenderers.json(view));
            case MARKDOWN -> text(DiffRenderers.markdown(view));
            case TEXT -> text(DiffRenderers.text(view));
            case HTML -> {
                // width is NEW as read, so the base side is scaled to NEW's total (not NEW to BASE's)
                Profile rawNew = filters.apply(p.newRaw(), new ArrayList<>());
                CallTree tree = CallTree.of(List.of(rawNew, fb), si, nodeOptions, 0).truncate(maxNodes, 0, si);
                int k = p.neu().sampleTypes().size();
                double[] scale = new double[k];
                for (int t = 0; t < k; t++) {
                    scale[t] = p.scales()[t] == 0 ? 1 : 1 / p.scales()[t];
                }
                String title = a.string("title", ProfileLoader.displayName(baseName) + " → "
                        + ProfileLoader.displayName(newName));
                // the page says itself which base and how it was scaled
                List<String> legend = ProfileLegend.lines(rawNew, type.type(), type.unit(), tree.total(0, si),
                        v -> Units.label(v, type.unit()));
                var page = new FlameHtmlRenderer.Page(title, legend, Main.version(), rawNew.sampleTypes(), si, false,
                        0, maxNodes, 0);
                var diff = new FlameHtmlRenderer.Diff(ProfileLoader.displayName(baseName), p.normalized(), scale,
                        DiffRenderers.json(view));
                yield os -> FlameHtmlRenderer.write(tree, page, diff, os);
            }
        };
        Output.write(term, output, body);
        return Main.OK;
    }

    private static Output.Body text(String s) {
        return os -> os.write(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Names the input in an error that is about it alone. */
    private static <T> T named(String source, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (BadInputException e) {
            String prefix = ProfileLoader.displayName(source) + ": ";
            if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
                throw e;
            }
            throw new BadInputException(prefix + e.getMessage(), e);
        }
    }
}
