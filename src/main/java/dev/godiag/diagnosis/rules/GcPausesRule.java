package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.Score;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.GcCycle;
import dev.godiag.model.MemStats;

import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.fmt;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.percentile;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.round;

/**
 * gc.pauses: long stop-the-world pauses: the p99 of sweep termination plus mark termination per
 * cycle from gctrace, else the PauseNs ring buffer of the last memstats snapshot.
 */
public final class GcPausesRule implements Rule {
    static final Threshold P99 = new Threshold("pauseP99", "ms", 10, 50, 200,
            "the 99th percentile of the stop-the-world pause per GC cycle");

    static final RuleInfo INFO = RuleInfo.of("gc.pauses", "gc",
            "long stop-the-world GC pauses",
            Set.of(DiagnosisInput.Kind.GCTRACE, DiagnosisInput.Kind.MEMSTATS), P99);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        double p50;
        double p95;
        double p99;
        double max;
        int n;
        String source;
        String worst = null;
        double[] pauses;
        GcAnalysis.Result gc = input.gcAnalysis();
        if (gc != null && gc.pauseMs().n() > 0) {
            pauses = gc.cycles().stream().mapToDouble(GcCycle::pauseMs).toArray();
            p50 = gc.pauseMs().p50();
            p95 = gc.pauseMs().p95();
            p99 = gc.pauseMs().p99();
            max = gc.pauseMs().max();
            n = gc.pauseMs().n();
            source = "gctrace";
            GcCycle w = gc.cycles().stream().max((a, b) -> Double.compare(a.pauseMs(), b.pauseMs())).orElseThrow();
            worst = fmt("gc %d @%.3fs: %.3f+%.3f ms stop-the-world%s (line %d)", w.number(), w.atSeconds(),
                    w.sweepTermClockMs(), w.markTermClockMs(), w.forced() ? ", forced" : "", w.sourceLine());
        } else {
            MemStats m = lastMemStats(input);
            if (m == null || m.recentPausesNs().length == 0) {
                return List.of();
            }
            long[] ns = m.recentPausesNs();
            double[] ms = new double[ns.length];
            for (int i = 0; i < ns.length; i++) {
                ms[i] = ns[i] / 1e6;
            }
            p50 = percentile(ms, 50);
            p95 = percentile(ms, 95);
            p99 = percentile(ms, 99);
            max = percentile(ms, 100);
            n = ms.length;
            source = "memstats PauseNs (last " + n + " cycles)";
            pauses = ms;
        }
        Threshold t = config.resolve(this, P99);
        int score = t.score(p99);
        if (score < 25) {
            return List.of();
        }
        // One long stop among sub-millisecond ones is not the collector's work (the phases do the same
        // little work every cycle): it is the process not being scheduled, a CPU-starved or throttled host
        long longOnes = java.util.Arrays.stream(pauses).filter(p -> p >= t.info()).count();
        boolean lone = longOnes == 1 && p50 < t.info() / 10;
        if (lone) {
            score = Score.atMost(score, Severity.INFO);
        }
        return List.of(Finding.builder(this)
                .title(fmt("Long GC pauses: p99 %.1f ms", p99))
                .score(score)
                .summary(fmt("Stop-the-world GC pauses: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms over %d"
                        + " cycles (%s)", p50, p95, p99, max, n, source)
                        + (lone ? "; only one pause was long, the others short: a stop that long with no more work"
                        + " is usually the process not being scheduled (a CPU-starved or throttled host), not the"
                        + " collector" : ""))
                .evidence("source", source)
                .evidence("pauseP50Ms", round(p50))
                .evidence("pauseP95Ms", round(p95))
                .evidence("pauseP99Ms", round(p99))
                .evidence("pauseMaxMs", round(max))
                .evidence("cycles", n)
                .evidence("worstCycle", worst)
                .evidence("longPauses", longOnes)
                .build());
    }

    static MemStats lastMemStats(DiagnosisInput input) {
        var s = input.memstatsSeries();
        for (int i = s.size() - 1; i >= 0; i--) {
            if (s.get(i).memstats() != null) {
                return s.get(i).memstats();
            }
        }
        return null;
    }
}
