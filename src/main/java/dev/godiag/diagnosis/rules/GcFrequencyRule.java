package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Score;
import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.GcCycle;
import dev.godiag.model.MemStats;

import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.fmt;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.round;

/**
 * gc.frequency: collections too often: cycles per second over the gctrace log, else over the
 * PauseEnd ring buffer of the last memstats snapshot.
 */
public final class GcFrequencyRule implements Rule {
    static final Threshold RATE = new Threshold("cyclesPerSecond", "per second", 10, 50, 200,
            "GC cycles per second of wall-clock time");
    /** A rate needs this many cycles to mean anything. */
    static final int MIN_CYCLES = 5;

    static final RuleInfo INFO = RuleInfo.of("gc.frequency", "gc",
            "garbage collections too often (small heap goal for the allocation rate)",
            Set.of(DiagnosisInput.Kind.GCTRACE, DiagnosisInput.Kind.MEMSTATS), RATE);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        double rate;
        int n;
        double span;
        String source;
        double goalMB = Double.NaN;
        double liveMB = Double.NaN;
        double gcCpuPercent = Double.NaN;
        GcAnalysis.Result gc = input.gcAnalysis();
        if (gc != null && gc.cycles().size() >= MIN_CYCLES) {
            rate = gc.cyclesPerSecond();
            n = gc.cycles().size();
            span = gc.spanSeconds();
            source = "gctrace";
            GcCycle last = gc.cycles().get(n - 1);
            goalMB = last.goalMB();
            liveMB = last.liveHeapMB();
            gcCpuPercent = gc.gcCpuPercent();
        } else {
            MemStats m = GcPausesRule.lastMemStats(input);
            if (m == null) {
                return List.of();
            }
            int k = (int) Math.min(m.numGC(), m.pauseEnd().length);
            if (k < MIN_CYCLES) {
                return List.of();
            }
            long first = m.pauseEnd()[(int) ((m.numGC() - k) % m.pauseEnd().length)];
            long last = m.pauseEnd()[(int) ((m.numGC() - 1) % m.pauseEnd().length)];
            span = (last - first) / 1e9;
            if (span <= 0) {
                return List.of();
            }
            n = k;
            rate = (k - 1) / span;
            source = "memstats PauseEnd (last " + k + " cycles)";
            goalMB = m.nextGC() / 1048576.0;
            gcCpuPercent = 100 * m.gcCpuFraction();
        }
        if (!Double.isFinite(rate)) {
            return List.of();
        }
        int score = config.resolve(this, RATE).score(rate);
        if (score < 25) {
            return List.of();
        }
        // many cheap cycles (a small heap goal) cost nothing worth acting on: the CPU they take decides
        boolean cheap = Double.isFinite(gcCpuPercent) && gcCpuPercent < GcCpuRule.CPU.info();
        if (cheap) {
            score = Score.atMost(score, Severity.INFO);
        }
        return List.of(Finding.builder(this)
                .title(fmt("Frequent garbage collection: %.1f cycles per second", rate))
                .score(score)
                .summary(fmt("%d GC cycles in %.1f s (%.1f per second, %s)", n, span, rate, source)
                        + (Double.isFinite(goalMB) ? fmt("; heap goal %.0f MiB", goalMB) : "")
                        + (cheap ? fmt("; they take only %.1f%% of the CPU", gcCpuPercent) : ""))
                .evidence("source", source)
                .evidence("cyclesPerSecond", round(rate))
                .evidence("cycles", n)
                .evidence("spanSeconds", round(span))
                .evidence("heapGoalMB", Double.isFinite(goalMB) ? round(goalMB) : null)
                .evidence("liveHeapMB", Double.isFinite(liveMB) ? round(liveMB) : null)
                .evidence("gcCpuPercent", Double.isFinite(gcCpuPercent) ? round(gcCpuPercent) : null)
                .build());
    }
}
