package dev.godiag.cli;

import dev.godiag.analysis.GcAnalysis;
import dev.godiag.format.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.runtime.RuntimeSources;
import dev.godiag.model.GcTrace;
import dev.godiag.model.RuntimeInput;
import dev.godiag.report.GcRenderers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** godiag gc: what gctrace says about the garbage collector. */
final class GcCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("format", "FMT", "text (default), json or markdown; default by -o's extension"),
            OptionSpec.value("output", "FILE", "where to write ('-' or none: standard output)", "o"),
            OptionSpec.value("window", "SECONDS", "length of the time windows (default: about 20 over the log)"),
            OptionSpec.flag("cycles", "text: also list every cycle"),
            OptionSpec.value("timeout", "N", "fetch timeout in seconds for URLs"),
            OptionSpec.value("max-inflate", "SIZE", "refuse gzip input inflating beyond SIZE (default 1g)"));

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
        OutputFormat format = OutputFormat.parse(a.string("format", OutputFormat.byExtension(output)),
                OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN);
        List<String> sources = Globs.expand(a.operands());
        if (sources.isEmpty()) {
            throw ArgParser.noOperands(name(), "gctrace log");
        }
        double window = a.decimal("window", 0);
        if (!(window >= 0)) {
            throw a.usage("--window must be a positive number of seconds");
        }
        InputSource.FetchOptions fetch = new InputSource.FetchOptions(0, a.integer("timeout", 0));
        String max = a.string("max-inflate", null);
        long limit = max != null ? Gzip.parseSize(max) : Gzip.configuredLimit();
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
        Output.write(output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }
}
