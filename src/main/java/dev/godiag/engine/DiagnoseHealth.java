package dev.godiag.engine;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.analysis.runtime.MemoryGrowth;
import dev.godiag.analysis.trace.BlockingKind;
import dev.godiag.analysis.trace.BlockingProfile;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Severity;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcCycle;
import dev.godiag.model.Profile;
import dev.godiag.report.DiagnosisRenderers.Health;
import dev.godiag.util.Units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The health of each area a diagnosis looks at, whatever it found: the measured numbers
 * (goroutines over the snapshots, the live heap, GC CPU, lock contention, CPU use) and the worst
 * severity of the findings about that area, so that a healthy service gets a report of what was
 * checked and an area without input says so instead of passing as healthy.
 */
final class DiagnoseHealth {
    private DiagnoseHealth() {
    }

    static List<Health> of(DiagnosisInput in, List<Finding> findings) {
        return List.of(goroutines(in, findings), heap(in, findings), gc(in, findings), contention(in, findings),
                cpu(in, findings));
    }

    /** The worst severity among the findings of these topics, "ok" when none. */
    private static String status(List<Finding> findings, Set<String> topics) {
        return worst(findings, topics).id();
    }

    private static Severity worst(List<Finding> findings, Set<String> topics) {
        Severity worst = Severity.OK;
        for (Finding f : findings) {
            if (topics.contains(f.topic()) && f.severity().compareTo(worst) > 0) {
                worst = f.severity();
            }
        }
        return worst;
    }

    private static Health unknown(String area, String text) {
        return new Health(area, "unknown", text, List.of(), "");
    }

    static Health goroutines(DiagnosisInput in, List<Finding> findings) {
        GoroutineAnalysis.Result g = in.goroutineAnalysis();
        if (g == null) {
            return unknown("goroutines", "no goroutine dump or profile");
        }
        long[] totals = g.totals();
        String status = status(findings, Set.of("goroutines"));
        List<Double> series = Arrays.stream(totals).mapToDouble(v -> v).boxed().toList();
        if (totals.length == 1) {
            return new Health("goroutines", status, totals[0] + " goroutines (one snapshot: take two to see a trend)",
                    series, "goroutines");
        }
        long first = totals[0];
        long last = totals[totals.length - 1];
        String trend = last > first ? "grew" : last < first ? "fell" : "steady";
        if (!status.equals("warning") && !status.equals("critical") && trend.equals("grew")) {
            trend = "steady"; // growth no rule calls a leak (warm-up, a pool filling)
        }
        return new Health("goroutines", status, String.format(Locale.ROOT, "%s %d → %d over %d snapshots (max %d)",
                trend, first, last, totals.length, Arrays.stream(totals).max().orElse(last)), series, "goroutines");
    }

    static Health heap(DiagnosisInput in, List<Finding> findings) {
        String status = status(findings, Set.of("memory"));
        MemoryGrowth.Result m = in.heapGrowth();
        if (m != null && !m.points().isEmpty()) {
            List<Double> series = m.points().stream().map(MemoryGrowth.Point::liveBytes).toList();
            double first = series.get(0);
            double last = series.get(series.size() - 1);
            if (series.size() == 1) {
                return new Health("heap", status, Units.bytes(last) + " in use (one heap profile: take two to see "
                        + "a trend)", series, "bytes");
            }
            // "leaking" only when memory.heap-growth calls it a leak too (a rise too small to act on is
            // an info there, and "growing" here)
            boolean leakFinding = worst(findings, Set.of("memory")).compareTo(Severity.WARNING) >= 0;
            String verdict = m.verdict() == MemoryGrowth.Verdict.UNKNOWN ? ""
                    : m.verdict() == MemoryGrowth.Verdict.LEAKING && !leakFinding ? "growing "
                    : m.verdict().id() + " ";
            return new Health("heap", status, verdict + Units.bytes(first) + " → " + Units.bytes(last) + " in use over "
                    + series.size() + " heap profiles", series, "bytes");
        }
        GcAnalysis.Result gc = in.gcAnalysis();
        if (gc != null && !gc.cycles().isEmpty()) {
            // gctrace's "MB" are 2^20 bytes
            List<Double> series = gc.cycles().stream().map(c -> c.liveHeapMB() * (1 << 20)).toList();
            GcCycle lastCycle = gc.cycles().get(gc.cycles().size() - 1);
            return new Health("heap", status, String.format(Locale.ROOT, "live heap %s after the last of %d GC cycles "
                    + "(peak %s)", Units.bytes(lastCycle.liveHeapMB() * (1 << 20)), gc.cycles().size(),
                    Units.bytes(series.stream().mapToDouble(Double::doubleValue).max().orElse(0))), series, "bytes");
        }
        List<ExpvarSnapshot> vars = in.memstatsSeries();
        if (!vars.isEmpty() && vars.get(vars.size() - 1).memstats() != null) {
            List<Double> series = vars.stream().filter(v -> v.memstats() != null)
                    .map(v -> (double) v.memstats().heapAlloc()).toList();
            return new Health("heap", status, Units.bytes(series.get(series.size() - 1)) + " allocated heap "
                    + "(/debug/vars, " + series.size() + (series.size() == 1 ? " snapshot)" : " snapshots)"),
                    series.size() > 1 ? series : List.of(), "bytes");
        }
        List<RetentionReport> dumps = in.all(DiagnosisInput.Kind.RETENTION, RetentionReport.class);
        if (!dumps.isEmpty()) {
            RetentionReport d = dumps.get(dumps.size() - 1);
            String top = d.roots().isEmpty() || d.reachableBytes() <= 0 ? "" : String.format(Locale.ROOT,
                    "; %s retains %.0f%%", d.roots().get(0).name(), 100.0 * d.roots().get(0).bytes() / d.reachableBytes());
            return new Health("heap", status, Units.bytes(d.reachableBytes()) + " reachable in the heap dump" + top,
                    List.of(), "bytes");
        }
        return unknown("heap", "no heap profile, gctrace log, /debug/vars or heap dump");
    }

    static Health gc(DiagnosisInput in, List<Finding> findings) {
        String status = status(findings, Set.of("gc"));
        GcAnalysis.Result gc = in.gcAnalysis();
        if (gc != null && !gc.cycles().isEmpty() && Double.isFinite(gc.gcCpuPercent())) {
            List<Double> series = gc.cycles().stream().map(GcCycle::pauseMs).toList();
            String pauses = gc.pauseMs() != null && Double.isFinite(gc.pauseMs().p99())
                    ? String.format(Locale.ROOT, ", pauses p99 %.2f ms", gc.pauseMs().p99()) : "";
            return new Health("gc", status, String.format(Locale.ROOT, "GC CPU %s over %d cycles%s",
                    percent(gc.gcCpuPercent()), gc.cycles().size(), pauses), series, "ms");
        }
        List<ExpvarSnapshot> vars = in.memstatsSeries();
        if (!vars.isEmpty() && vars.get(vars.size() - 1).memstats() != null
                && Double.isFinite(vars.get(vars.size() - 1).memstats().gcCpuFraction())) {
            var ms = vars.get(vars.size() - 1).memstats();
            if (ms.numGC() == 0) {
                return new Health("gc", status, "no GC cycle yet (/debug/vars)", List.of(), "");
            }
            return new Health("gc", status, "GC CPU " + percent(100 * ms.gcCpuFraction()) + " since start, "
                    + ms.numGC() + " cycles (/debug/vars)", List.of(), "");
        }
        return unknown("gc", "no gctrace log or /debug/vars");
    }

    static Health contention(DiagnosisInput in, List<Finding> findings) {
        String status = status(findings, Set.of("locks"));
        List<String> parts = new ArrayList<>();
        for (Kind kind : List.of(Kind.MUTEX_PROFILE, Kind.BLOCK_PROFILE)) {
            Profile p = in.merged(kind);
            if (p == null) {
                continue;
            }
            String name = kind == Kind.MUTEX_PROFILE ? "mutex" : "block";
            FunctionCosts delay = in.costs(kind, "delay");
            FunctionCosts count = in.costs(kind, "contentions");
            int samples = p.samples().size();
            if (samples == 0) {
                // an empty profile: nothing waited, or the profile rate was never set
                parts.add(name + ": no samples (is runtime.Set" + (name.equals("mutex") ? "MutexProfileFraction"
                        : "BlockProfileRate") + " on?)");
                continue;
            }
            StringBuilder sb = new StringBuilder(name).append(": ");
            sb.append(delay != null ? Units.duration(delay.total()) + " waited" : samples + " samples");
            if (count != null) {
                sb.append(" in ").append(count.total()).append(" contentions");
            }
            parts.add(sb.toString());
        }
        for (TraceAnalysis t : in.traces()) {
            BlockingProfile sync = t.blocking().get(BlockingKind.SYNC);
            if (sync != null) {
                parts.add("trace: " + Units.duration(sync.totalDelayNanos()) + " blocked on sync in "
                        + sync.totalCount() + " waits over " + Units.duration(t.overview().durationNanos()));
            }
        }
        if (parts.isEmpty()) {
            return unknown("contention", "no mutex or block profile, or execution trace");
        }
        return new Health("contention", status, String.join("; ", parts), List.of(), "");
    }

    static Health cpu(DiagnosisInput in, List<Finding> findings) {
        String status = status(findings, Set.of("cpu", "code"));
        Profile p = in.merged(Kind.CPU_PROFILE);
        FunctionCosts costs = in.costs(Kind.CPU_PROFILE, null);
        if (p == null || costs == null) {
            return unknown("cpu", "no CPU profile");
        }
        long cpu = costs.total();
        StringBuilder sb = new StringBuilder(Units.duration(cpu)).append(" of CPU samples");
        if (p.durationNanos() > 0) {
            sb.append(" in ").append(Units.duration(p.durationNanos())).append(String.format(Locale.ROOT,
                    " (%.2f cores busy on average)", (double) cpu / p.durationNanos()));
        }
        return new Health("cpu", status, sb.toString(), List.of(), "");
    }

    private static String percent(double p) {
        if (p > 0 && p < 0.05) {
            return "<0.1%";
        }
        return String.format(Locale.ROOT, p < 10 ? "%.1f%%" : "%.0f%%", p);
    }
}
