package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
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
 * goroutines.explosion: the number of goroutines is in the tens of thousands, or it multiplies
 * across snapshots (goroutine dumps, else go_goroutines of a /metrics series).
 */
public final class GoroutineExplosionRule implements Rule {
    static final Threshold COUNT = new Threshold("goroutines", "count", 2_000, 10_000, 100_000,
            "goroutines in the last snapshot");
    static final Threshold GROWTH = new Threshold("growthFactor", "ratio", 2, 5, 20,
            "goroutines in the last snapshot over the first");
    /** Growth alone is not an explosion below this many goroutines (a service warming up from 3 to 30). */
    static final long MIN_FOR_GROWTH = 1_000;

    static final RuleInfo INFO = RuleInfo.of("goroutines.explosion", "goroutines",
            "goroutines in the tens of thousands, or multiplying across snapshots",
            Set.of(DiagnosisInput.Kind.GOROUTINES, DiagnosisInput.Kind.METRICS), COUNT, GROWTH);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        long[] totals;
        String source;
        GoroutineAnalysis.Result a = input.goroutineAnalysis();
        if (a != null) {
            totals = a.totals();
            source = "goroutine dumps";
        } else {
            List<Long> v = new ArrayList<>();
            for (PromMetrics m : input.metricsSeries()) {
                double g = GoCollectorMetrics.of(m).goroutines();
                if (Double.isFinite(g)) {
                    v.add(Math.round(g));
                }
            }
            if (v.isEmpty()) {
                return List.of();
            }
            totals = v.stream().mapToLong(Long::longValue).toArray();
            source = "go_goroutines";
        }
        long first = totals[0];
        long last = totals[totals.length - 1];
        Threshold count = config.resolve(this, COUNT);
        Threshold growth = config.resolve(this, GROWTH);
        double factor = totals.length > 1 ? (double) last / Math.max(1, first) : Double.NaN;
        int countScore = count.score(last);
        int growthScore = totals.length > 1 && last >= MIN_FOR_GROWTH ? growth.score(factor) : 0;
        int score = Math.max(countScore, growthScore);
        if (score < 25) {
            return List.of();
        }
        // when leak buckets (reported one by one by goroutines.leak) hold nearly all the goroutines,
        // the count is their consequence: say so, and rank it below them
        long leaked = 0;
        if (a != null) {
            for (GoroutineAnalysis.Row r : a.rows()) {
                var v = r.assessment().verdict();
                if (v == GoroutineVerdicts.Verdict.DEFINITE_LEAK || v == GoroutineVerdicts.Verdict.LIKELY_LEAK) {
                    leaked += r.last();
                }
            }
        }
        boolean explainedByLeaks = last > 0 && leaked >= 0.9 * last;
        if (explainedByLeaks) {
            score = Math.min(score, 74);
        }
        Finding.Builder b = Finding.builder(this)
                .title(growthScore > countScore ? "Goroutine count multiplies: " + arrows(totals)
                        : fmt("%,d goroutines", last))
                .score(score)
                .summary(fmt("%,d goroutines in the last of %d snapshot%s (%s)", last, totals.length,
                        totals.length == 1 ? "" : "s", source)
                        + (totals.length > 1 ? fmt(", %.1fx the first", factor) : ""))
                .evidence("source", source)
                .evidence("goroutines", last)
                .evidence("totalsPerSnapshot", list(totals))
                .evidence("growthFactor", totals.length > 1 ? round(factor) : null)
                .evidence("inLeakBuckets", a == null ? null : leaked);
        if (explainedByLeaks) {
            b.summary(fmt("%,d goroutines in the last of %d snapshot%s (%s), %,d of them in the leaks reported as"
                    + " goroutines.leak: fix those first", last, totals.length, totals.length == 1 ? "" : "s",
                    source, leaked));
        }
        if (a != null) {
            List<String> top = new ArrayList<>();
            a.rows().stream().sorted((x, y) -> Long.compare(y.last(), x.last())).limit(3).forEach(r -> {
                var f = r.bucket().focusFrame();
                top.add(r.last() + " at " + (f == null ? "?" : f.function() + " (" + f.location() + ")"));
            });
            b.evidence("largestBuckets", top);
            var biggest = a.rows().stream().max((x, y) -> Long.compare(x.last(), y.last())).orElse(null);
            if (biggest != null && biggest.bucket().focusFrame() != null) {
                var f = biggest.bucket().focusFrame();
                b.location(f.function(), f.file(), f.line());
            }
        }
        return List.of(b.build());
    }
}
