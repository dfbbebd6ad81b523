package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.GcCycle;

import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.fmt;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.round;

/**
 * gc.assists: mutator assists (the "e" of gctrace's "d+e/f/g+h ms cpu") are a large share of the
 * GC's CPU: goroutines allocate faster than the background workers mark and are made to help,
 * which shows up as latency. Needs gctrace (memstats does not record assists).
 */
public final class GcAssistsRule implements Rule {
    static final Threshold SHARE = new Threshold("assistShare", "percent", 10, 25, 50,
            "assist CPU over all GC CPU");
    /**
     * Assists matter only when the GC costs something: below gc.cpu's info limit (as for
     * gc.frequency) the score is capped at info. A healthy service on a busy host showed 25% of a
     * small GC cost in assists.
     */
    static final double MIN_GC_CPU_PERCENT = GcCpuRule.CPU.info();
    static final int MIN_CYCLES = 3;

    static final RuleInfo INFO = RuleInfo.of("gc.assists", "gc",
            "goroutines made to help the GC mark (mutator assists) add latency",
            Set.of(DiagnosisInput.Kind.GCTRACE), SHARE);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        GcAnalysis.Result gc = input.gcAnalysis();
        if (gc == null || gc.cycles().size() < MIN_CYCLES || !Double.isFinite(gc.assistPercent())) {
            return List.of();
        }
        double assistMs = 0;
        double gcMs = 0;
        int withAssists = 0;
        for (GcCycle c : gc.cycles()) {
            if (Double.isFinite(c.assistCpuMs())) {
                assistMs += c.assistCpuMs();
                withAssists += c.assistCpuMs() > 0 ? 1 : 0;
            }
            if (Double.isFinite(c.cpuMs())) {
                gcMs += c.cpuMs();
            }
        }
        double share = gc.assistPercent();
        int score = config.resolve(this, SHARE).score(share);
        double maxWindowCpu = gc.windows().stream().mapToDouble(GcAnalysis.Window::gcCpuPercent).max().orElse(0);
        boolean gcCheap = !(gc.gcCpuPercent() >= MIN_GC_CPU_PERCENT) && maxWindowCpu < MIN_GC_CPU_PERCENT;
        if (gcCheap) {
            score = Math.min(score, 49);
        }
        if (score < 25) {
            return List.of();
        }
        return List.of(Finding.builder(this)
                .title(fmt("GC assists: %.0f%% of GC CPU is taken from allocating goroutines", share))
                .score(score)
                .summary(fmt("Mutator assists %.1f ms of %.1f ms GC CPU (%.1f%%), in %d of %d cycles", assistMs,
                        gcMs, share, withAssists, gc.cycles().size())
                        + (gcCheap ? fmt("; the GC itself is cheap here (%.1f%% CPU at most)",
                        Math.max(maxWindowCpu, Double.isFinite(gc.gcCpuPercent()) ? gc.gcCpuPercent() : 0)) : ""))
                .evidence("assistPercent", round(share))
                .evidence("assistCpuMs", round(assistMs))
                .evidence("gcCpuMs", round(gcMs))
                .evidence("cyclesWithAssists", withAssists)
                .evidence("cycles", gc.cycles().size())
                .evidence("gcCpuPercent", Double.isFinite(gc.gcCpuPercent()) ? round(gc.gcCpuPercent()) : null)
                .build());
    }
}
