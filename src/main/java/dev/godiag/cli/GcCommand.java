package dev.godiag.cli;

import dev.godiag.analysis.GcAnalysis;
import dev.godiag.format.BadInputException;
import dev.godiag.format.InputSource;
import dev.godiag.format.runtime.RuntimeSources;
import dev.godiag.model.GcTrace;
import dev.godiag.model.RuntimeInput;
import dev.godiag.report.GcRenderers;
import dev.godiag.report.RuntimeHtmlRenderer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    public int run(ParsedArgs a) {
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
                OutputFormat.HTML);
        List<String> sources = Globs.expand(a.operands());
        if (sources.isEmpty()) {
            throw ArgParser.noOperands(name(), "gctrace log");
        }
        double window = a.decimal("window", 0);
        if (!(window >= 0)) {
            throw a.usage("--window must be a positive number of seconds");
        }
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        long limit = InputOptions.inflateLimit(a);
        List<GcRenderers.Report> reports = new ArrayList<>();
        for (String s : sources) {
            RuntimeInput in = RuntimeSources.load(s, fetch, limit);
            if (!(in instanceof GcTrace trace)) {
                throw new BadInputException(in.source() + ": not a gctrace log but "
                        + (in instanceof dev.godiag.model.ExpvarSnapshot ? "/debug/vars JSON" : "Prometheus metrics")
                        + ": 'godiag memory' reads those; 'godiag gc' wants the stderr of a program run with"
                        + " GODEBUG=gctrace=1");
            }
            reports.add(new GcRenderers.Report(in.source(), trace, GcAnalysis.of(trace.cycles(), window)));
        }
        String text = switch (format) {
            case HTML -> null;
            case JSON -> GcRenderers.json(reports);
            case MARKDOWN -> GcRenderers.markdown(reports);
            default -> GcRenderers.text(reports, a.flag("cycles"));
        };
        if (format != OutputFormat.TEXT) {
            for (GcRenderers.Report r : reports) {
                for (String w : r.trace().warnings()) {
                    Main.warn(r.name() + ": " + w);
                }
            }
        }
        if (format == OutputFormat.HTML) {
            Output.write(output, os -> RuntimeHtmlRenderer.gc(reports, Main.version(), os));
            return Main.OK;
        }
        Output.write(output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }
}
