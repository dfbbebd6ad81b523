package dev.godiag.engine;

import dev.godiag.format.runtime.RuntimeSources;

import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.format.Source;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcCycle;
import dev.godiag.model.GcTrace;
import dev.godiag.model.MemStats;
import dev.godiag.model.RuntimeInput;
import dev.godiag.report.GcRenderers;
import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.List;

/** godiag gc: what gctrace logs (or /debug/vars snapshots) say about the garbage collector. */
public final class GcPipeline {
    private final EngineContext ctx;

    public GcPipeline(EngineContext ctx) {
        this.ctx = ctx;
    }

    public GcResult run(GcRequest r) {
        List<GcRenderers.Report> reports = new ArrayList<>();
        for (Source s : r.sources()) {
            RuntimeInput in = RuntimeSources.load(s, ctx.limits());
            if (in instanceof GcTrace trace) {
                reports.add(GcRenderers.Report.ofLog(in.source(), trace, GcAnalysis.of(trace.cycles(),
                        r.windowSeconds())));
            } else if (in instanceof ExpvarSnapshot vars && vars.memstats() != null) {
                reports.add(fromMemStats(in.source(), vars.memstats(), r.windowSeconds()));
            } else {
                throw new BadInputException(in.source() + ": Prometheus metrics hold no per-cycle GC data:"
                        + " 'godiag memory' reads them; 'godiag gc' wants the stderr of a program run with"
                        + " GODEBUG=gctrace=1, or /debug/vars JSON");
            }
        }
        List<String> warnings = new ArrayList<>();
        for (GcRenderers.Report report : reports) {
            for (String w : report.trace().warnings()) {
                warnings.add(report.name() + ": " + w);
            }
        }
        return new GcResult(reports, warnings);
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
