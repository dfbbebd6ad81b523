package dev.godiag.engine;

import dev.godiag.analysis.bench.BenchStats;
import dev.godiag.analysis.bench.GateThresholds;
import dev.godiag.format.Source;

import java.util.List;

/**
 * A CI gate: the candidate's metrics against the baseline's, each regressing when the change is
 * significant (p &lt; alpha) and beyond its threshold in the worse direction.
 *
 * @param baseline   a stored baseline (its newest run; the memory trend reads its history) or inputs
 * @param candidates the candidate's inputs (benchmark output, metrics JSON, gctrace logs, profiles,
 *                   goroutine snapshots, load-test summaries), at least one
 * @param thresholds the smallest change that counts, per metric (null: 5% for all)
 * @param alpha      the significance level, in (0, 1]
 * @param confidence the confidence level of the intervals, in (0, 1)
 */
public record GateRequest(Baseline baseline, List<Source> candidates, GateThresholds thresholds, double alpha,
                          double confidence) {
    /** What the candidate is compared with. */
    public sealed interface Baseline {
        /** A baseline in the store, by name. */
        record Stored(String name) implements Baseline {
        }

        /** Inputs read as 'baseline save' reads them. */
        record Inputs(List<Source> sources) implements Baseline {
            public Inputs {
                sources = List.copyOf(sources);
                if (sources.isEmpty()) {
                    throw new InvalidRequestException("no baseline input");
                }
            }
        }
    }

    public GateRequest {
        if (baseline == null) {
            throw new InvalidRequestException("no baseline");
        }
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new InvalidRequestException("no candidate input");
        }
        thresholds = thresholds == null ? GateThresholds.of(GateThresholds.DEFAULT_PERCENT) : thresholds;
        if (!(alpha > 0 && alpha <= 1)) {
            throw new InvalidRequestException("alpha must be in range (0, 1]");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new InvalidRequestException("confidence must be in range (0, 1)");
        }
    }

    /** A gate with the default thresholds, alpha and confidence. */
    public static GateRequest of(Baseline baseline, List<Source> candidates) {
        return new GateRequest(baseline, candidates, null, BenchStats.DEFAULT_ALPHA, BenchStats.DEFAULT_CONFIDENCE);
    }
}
