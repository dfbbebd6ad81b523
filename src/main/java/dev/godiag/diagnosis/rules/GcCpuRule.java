package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.MemStats;

import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.fmt;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.round;

/**
 * gc.cpu: the garbage collector's share of the CPU: the percentage gctrace prints (since program
 * start) and the worst time window of the log, else memstats GCCPUFraction.
 */
public final class GcCpuRule implements Rule {
    static final Threshold CPU = new Threshold("gcCpuPercent", "percent", 5, 15, 30,
            "GC CPU over the available CPU (since start, or in the worst window)");
    /** A single window is a burst: on its own it scores at most a warning, never critical. */
    static final int WINDOW_MAX_SCORE = 74;
    static final int MIN_WINDOW_CYCLES = 3;

    static final RuleInfo INFO = RuleInfo.of("gc.cpu", "gc",
            "the garbage collector takes a large share of the CPU",
            Set.of(DiagnosisInput.Kind.GCTRACE, DiagnosisInput.Kind.MEMSTATS), CPU);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        Threshold t = config.resolve(this, CPU);
        GcAnalysis.Result gc = input.gcAnalysis();
        double overall;
        String source;
        GcAnalysis.Window worst = null;
        if (gc != null && !gc.cycles().isEmpty() && Double.isFinite(gc.gcCpuPercent())) {
            overall = gc.gcCpuPercent();
            source = "gctrace";
            for (GcAnalysis.Window w : gc.windows()) {
                if (w.cycles() >= MIN_WINDOW_CYCLES && (worst == null || w.gcCpuPercent() > worst.gcCpuPercent())) {
                    worst = w;
                }
            }
        } else {
            MemStats m = GcPausesRule.lastMemStats(input);
            if (m == null || !Double.isFinite(m.gcCpuFraction())) {
                return List.of();
            }
            overall = 100 * m.gcCpuFraction();
            source = "memstats GCCPUFraction";
        }
        int score = t.score(overall);
        if (worst != null && gc.windows().size() > 1) {
            score = Math.max(score, Math.min(WINDOW_MAX_SCORE, t.score(worst.gcCpuPercent())));
        }
        if (score < 25) {
            return List.of();
        }
        Finding.Builder b = Finding.builder(this)
                .title(fmt("GC uses %.0f%% of the CPU", Math.max(overall, worst == null ? 0 : worst.gcCpuPercent())))
                .score(score)
                .summary(fmt("GC CPU %.1f%% since start (%s)", overall, source)
                        + (worst != null ? fmt("; worst window %.0f-%.0f s: %.1f%% with %d cycles",
                        worst.fromSeconds(), worst.toSeconds(), worst.gcCpuPercent(), worst.cycles()) : ""))
                .evidence("source", source)
                .evidence("gcCpuPercent", round(overall));
        if (worst != null) {
            b.evidence("worstWindowFromSeconds", round(worst.fromSeconds()))
                    .evidence("worstWindowToSeconds", round(worst.toSeconds()))
                    .evidence("worstWindowGcCpuPercent", round(worst.gcCpuPercent()))
                    .evidence("worstWindowCycles", worst.cycles());
        }
        return List.of(b.build());
    }
}
