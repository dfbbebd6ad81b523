package dev.godiag.cli;

import dev.godiag.engine.ProfileQuery;
import dev.godiag.engine.TopRequest;
import dev.godiag.engine.TopResult;
import dev.godiag.report.TopJsonRenderer;
import dev.godiag.report.TopTextRenderer;

import java.util.ArrayList;
import java.util.List;

/** godiag top: pprof's -top report. */
final class TopCommand implements Command {
    private static final List<OptionSpec> OPTIONS;

    static {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.value("nodecount", "N", "show at most N rows (default: all)"),
                OptionSpec.flag("cum", "sort by cumulative value"),
                OptionSpec.flag("flat", "sort by flat value (the default)"),
                OptionSpec.value("nodefraction", "F", "drop nodes below this share of the total (default 0.005)"),
                OptionSpec.value("edgefraction", "F", "drop edges below this share (default 0.001)"),
                OptionSpec.flag("drop-negative", "leave out nodes with negative values (diffs)", "drop_negative"),
                OptionSpec.value("unit", "UNIT", "show values in UNIT (ms, MB...); default: chosen per report"),
                OptionSpec.value("divide-by", "F", "show values divided by F (e.g. the number of requests)",
                        "divide_by"),
                OptionSpec.flag("relative-percentages", "percentages of what the filters kept, not of the whole",
                        "relative_percentages"),
                OptionSpec.flag("compact-labels", "leave the profile's header lines out", "compact_labels"),
                OptionSpec.value("format", "FMT", "text (default, pprof's layout) or json"),
                // -top selects pprof's text report, which is what this command prints anyway
                OptionSpec.preset("top", "format", "text"),
                OptionSpec.preset("text", "format", "text")));
        o.addAll(ProfileOptions.SPECS);
        OPTIONS = List.copyOf(o);
    }

    @Override
    public String name() {
        return "top";
    }

    @Override
    public String summary() {
        return "the hottest functions (or lines, files...) of a profile, as pprof -top prints them";
    }

    @Override
    public String usage() {
        return "godiag top [OPTIONS] PROFILE...";
    }

    @Override
    public String description() {
        return """
                The hottest functions (or lines, files...) of one or more profiles, exactly as \
                'go tool pprof -top' prints them. PROFILE is a file (profile.proto, gzipped or not, \
                or Go's debug=1 text), '-' for stdin, or an http(s) URL of a /debug/pprof endpoint; \
                several are merged. pprof's flag spellings work too: -focus=RX, \
                -sample_index=alloc_space, -nodecount=40, -cum, -lines.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        OutputFormat fmt = OutputFormat.parse(a.string("format", "text"), OutputFormat.TEXT, OutputFormat.JSON);
        int nodeCount = a.integer("nodecount", 0);
        double nodeFraction = a.decimal("nodefraction", 0.005);
        double edgeFraction = a.decimal("edgefraction", 0.001);
        ProfileQuery query = ProfileOptions.query(a, name(), term);
        double divideBy = a.decimal("divide-by", 1);
        if (divideBy == 0) {
            throw a.usage("--divide-by must not be zero");
        }
        TopRequest request = new TopRequest(query, nodeCount, nodeFraction, edgeFraction, a.flag("cum"),
                a.flag("drop-negative"), a.string("unit", "minimum"), divideBy, a.flag("relative-percentages"),
                a.flag("compact-labels"));
        TopResult result = InputOptions.engine(a, term).top(request);
        result.warnings().forEach(term::warn);
        term.print(fmt == OutputFormat.JSON ? TopJsonRenderer.render(result.view())
                : TopTextRenderer.render(result.view()));
        return Main.OK;
    }
}
