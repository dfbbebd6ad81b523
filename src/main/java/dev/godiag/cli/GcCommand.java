package dev.godiag.cli;

import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.util.BadInputException;
import dev.godiag.format.InputSource;
import dev.godiag.format.runtime.RuntimeSources;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcCycle;
import dev.godiag.model.GcTrace;
import dev.godiag.model.MemStats;
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
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
                OutputFormat.HTML);
        List<String> sources = InputOptions.sources(a, name(), "gctrace log");
        double window = a.decimal("window", 0);
        if (!(window >= 0)) {
            throw a.usage("--window must be a positive number of seconds");
        }
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        long limit = InputOptions.inflateLimit(a);
        List<GcRenderers.Report> reports = new ArrayList<>();
        for (String s : sources) {
            RuntimeInput in = RuntimeSources.load(s, fetch, limit);
            if (in instanceof GcTrace trace) {
                reports.add(GcRenderers.Report.ofLog(in.source(), trace, GcAnalysis.of(trace.cycles(), window)));
            } else if (in instanceof ExpvarSnapshot vars && vars.memstats() != null) {
                reports.add(fromMemStats(in.source(), vars.memstats(), window));
            } else {
                throw new BadInputException(in.source() + ": Prometheus metrics hold no per-cycle GC data:"
                        + " 'godiag memory' reads them; 'godiag gc' wants the stderr of a program run with"
                        + " GODEBUG=gctrace=1, or /debug/vars JSON");
            }
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
                    term.warn(r.name() + ": " + w);
                }
            }
        }
        if (format == OutputFormat.HTML) {
            Output.write(term, output, os -> RuntimeHtmlRenderer.gc(reports, Main.version(), os));
            return Main.OK;
        }
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }

    /**
     * The cycles a /debug/vars snapshot remembers: its PauseNs/PauseEnd ring buffer holds the pause
     * and end time of the last min(NumGC, 256) cycles; GCCPUFraction is the GC's share of CPU
     * since start, NextGC the current heap goal. Phases, heap sizes per cycle and forced marks are
     * not in memstats.
     */
    private static GcRenderers.Report fromMemStats(String name, MemStats m, double window) {
        long[] pauses = m.recentPausesNs();
        int n = pauses.length;
        List<GcCycle> cycles = new ArrayList<>(n);
        long firstEnd = 0;
        for (int i = 0; i < n; i++) {
            long cycle = m.numGC() - n + i; // 0-based
            long end = m.pauseEnd()[(int) (cycle % m.pauseEnd().length)];
            if (i == 0) {
                firstEnd = end;
            }
            boolean last = i == n - 1;
            double nan = Double.NaN;
            cycles.add(new GcCycle(cycle + 1, (end - firstEnd) / 1e9, last ? 100 * m.gcCpuFraction() : nan,
                    pauses[i] / 1e6, nan, 0, nan, nan, nan, nan, nan, nan, nan,
                    nan, last ? m.nextGC() / (double) (1 << 20) : nan,
                    last ? m.stackInuse() / (double) (1 << 20) : nan, nan, 0, false, false, 0));
        }
        GcTrace trace = new GcTrace(name, cycles, List.of(), new long[0], List.of(), 0, 0, List.of(), 0);
        return new GcRenderers.Report(name, "memstats", trace, GcAnalysis.of(cycles, window), m.numGC(),
                m.numForcedGC());
    }
}
