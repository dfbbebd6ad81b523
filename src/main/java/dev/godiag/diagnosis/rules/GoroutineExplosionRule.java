package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.goroutine.GoroutineLeaks;
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
 * across snapshots (goroutine dumps, else go_goroutines of a /metrics series). When the leaks of
 * goroutines.leak hold nearly all of them, it is an info-level summary of those leaks.
 */
public final class GoroutineExplosionRule implements Rule {
    static final Threshold COUNT = new Threshold("goroutines", "count", 2_000, 10_000, 100_000,
            "goroutines in the last snapshot");
    static final Threshold GROWTH = new Threshold("growthFactor", "ratio", 2, 5, 20,
            "goroutines in the last snapshot over the first");
    /** Growth alone is not an explosion below this many goroutines (a service warming up from 3 to 30). */
    static final long MIN_FOR_GROWTH = 1_000;
    /** The score of a count the reported leaks explain: info, a summary under the leaks themselves. */
    static final int EXPLAINED_MAX_SCORE = 45;

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
        // when the leaks goroutines.leak reports hold nearly all the goroutines, the count is their
        // consequence: this finding is then a summary of them at info, not a competing finding
        List<GoroutineLeaks.Leak> leaks = a == null ? List.of()
                : GoroutineLeaks.of(a, r -> false, Timers.tickerHolders(input));
        long leaked = 0;
        for (GoroutineLeaks.Leak l : leaks) {
            leaked += l.last();
        }
        boolean explainedByLeaks = last > 0 && leaked >= 0.9 * last;
        if (explainedByLeaks) {
            score = Math.min(score, EXPLAINED_MAX_SCORE);
        }
        String size = growthScore > countScore ? "Goroutine count multiplies: " + arrows(totals)
                : fmt("%,d goroutines", last);
        Finding.Builder b = Finding.builder(this)
                .title(explainedByLeaks ? size + fmt(", %,d of them in %d leak%s", leaked, leaks.size(),
                        leaks.size() == 1 ? "" : "s") : size)
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
            List<String> explained = new ArrayList<>();
            for (GoroutineLeaks.Leak l : leaks) {
                var at = l.blockedAt();
                explained.add(l.last() + (l.primitive().label().isEmpty() ? "" : " on " + l.primitive().label())
                        + " at " + at.function() + " (" + at.location() + ")");
            }
            b.summary(fmt("%,d goroutines in the last of %d snapshot%s (%s); %,d of them are in the %d leak%s"
                    + " reported as goroutines.leak, so fixing those fixes the count: %s", last, totals.length,
                    totals.length == 1 ? "" : "s", source, leaked, leaks.size(), leaks.size() == 1 ? "" : "s",
                    String.join("; ", explained)))
                    .evidence("explainedBy", explained);
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
