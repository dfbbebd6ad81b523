package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.GoCollectorMetrics;
import dev.godiag.model.PromMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.arrows;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.fmt;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.list;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.round;

/**
 * io.fd-growth: process_open_fds rising across a series of /metrics snapshots (files or
 * connections opened and not closed), or close to process_max_fds.
 */
public final class FdGrowthRule implements Rule {
    static final Threshold GROWTH = new Threshold("fdGrowth", "fraction", 0.25, 0.5, 1.0,
            "growth of open file descriptors from the first snapshot to the last, over the first");
    static final Threshold USE = new Threshold("fdUse", "fraction", 0.5, 0.8, 0.95,
            "open file descriptors over the limit (process_max_fds) in the last snapshot");
    /** Growth by fewer descriptors than this is noise. */
    static final long MIN_GROWTH = 10;

    static final RuleInfo INFO = RuleInfo.of("io.fd-growth", "io",
            "open file descriptors rising across /metrics snapshots (unclosed files or connections)",
            Set.of(DiagnosisInput.Kind.METRICS), GROWTH, USE);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        List<Long> fds = new ArrayList<>();
        double max = Double.NaN;
        for (PromMetrics m : input.metricsSeries()) {
            GoCollectorMetrics g = GoCollectorMetrics.of(m);
            if (Double.isFinite(g.openFds())) {
                fds.add(Math.round(g.openFds()));
                max = g.maxFds();
            }
        }
        if (fds.isEmpty()) {
            return List.of();
        }
        long[] v = fds.stream().mapToLong(Long::longValue).toArray();
        long first = v[0];
        long last = v[v.length - 1];
        boolean grows = GoroutineVerdicts.onlyGrows(v);
        double growth = (double) (last - first) / Math.max(1, first);
        int growthScore = v.length >= 3 && grows && last - first >= MIN_GROWTH
                ? config.resolve(this, GROWTH).score(growth) : 0;
        double use = Double.isFinite(max) && max > 0 ? last / max : Double.NaN;
        int useScore = Double.isFinite(use) ? config.resolve(this, USE).score(use) : 0;
        int score = Math.max(growthScore, useScore);
        if (score < 25) {
            return List.of();
        }
        return List.of(Finding.builder(this)
                .title(growthScore >= useScore ? "Open file descriptors keep rising: " + arrows(v)
                        : fmt("%d of %.0f file descriptors open", last, max))
                .score(score)
                .summary(fmt("process_open_fds %s across %d snapshots", arrows(v), v.length)
                        + (Double.isFinite(use) ? fmt("; %.0f%% of process_max_fds (%.0f)", 100 * use, max) : ""))
                .evidence("openFdsPerSnapshot", list(v))
                .evidence("growth", round(growth))
                .evidence("onlyGrows", grows)
                .evidence("maxFds", Double.isFinite(max) ? Math.round(max) : null)
                .evidence("fdUse", Double.isFinite(use) ? round(use) : null)
                .build());
    }
}
