package dev.godiag.cli;

import dev.godiag.engine.Engine;
import dev.godiag.engine.GcRequest;
import dev.godiag.engine.GcResult;
import dev.godiag.format.InputSource;
import dev.godiag.report.GcRenderers;
import dev.godiag.report.RuntimeHtmlRenderer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** godiag gc: what gctrace says about the garbage collector. */
final class GcCommand implements Command {
    private static final List<OptionSpec> OPTIONS = InputOptions.with(
            OptionSpec.value("format", "FMT", "text (default), json, markdown or html (a self-contained page with"
                    + " charts); default by -o's extension"),
            OptionSpec.value("window", "SECONDS", "length of the time windows (default: about 20 over the log)"),
            OptionSpec.flag("cycles", "text: also list every cycle"));

    @Override
    public String name() {
        return "gc";
    }

    @Override
    public String summary() {
        return "GC pauses, CPU, frequency, assists and heap goal from GODEBUG=gctrace=1 logs";
    }

    @Override
    public String usage() {
        return "godiag gc [OPTIONS] LOG...";
    }

    @Override
    public String description() {
        return """
                Reads logs of programs run with GODEBUG=gctrace=1 (the gc lines are found wherever they \
                are among the program's own output; scavenger and schedtrace lines too) and reports: \
                cycles, forced ones, stop-the-world pauses (sweep termination + mark termination, wall \
                clock) as p50/p95/p99/max, the GC's share of CPU, mutator assists, cycles per second, \
                live heap and heap goal, in time windows so a long log shows when things changed. \
                Malformed lines are reported with their line number and skipped.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
                OutputFormat.HTML);
        List<String> operands = InputOptions.sources(a, name(), "gctrace log");
        double window = a.decimal("window", 0);
        if (!(window >= 0)) {
            throw a.usage("--window must be a positive number of seconds");
        }
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        Engine engine = InputOptions.engine(a, term);
        GcRequest request = new GcRequest(InputOptions.toSources(operands, fetch, term), window);
        GcResult r = EngineCalls.run(term, () -> engine.gc(request));
        String text = switch (format) {
            case HTML -> null;
            case JSON -> GcRenderers.json(r.reports());
            case MARKDOWN -> GcRenderers.markdown(r.reports());
            default -> GcRenderers.text(r.reports(), a.flag("cycles"));
        };
        if (format != OutputFormat.TEXT) {
            // the text report lists them itself
            r.warnings().forEach(term::warn);
        }
        if (format == OutputFormat.HTML) {
            Output.write(term, output, os -> RuntimeHtmlRenderer.gc(r.reports(), Main.version(), os));
            return Main.OK;
        }
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }
}
