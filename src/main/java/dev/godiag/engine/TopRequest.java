package dev.godiag.engine;

import dev.godiag.format.Source;
import dev.godiag.util.BadInputException;

import java.util.List;

/**
 * A top report: pprof's -top of a query's profiles.
 *
 * @param nodeCount           at most this many rows (0: all)
 * @param nodeFraction        drop nodes below this share of the total (pprof: 0.005)
 * @param edgeFraction        drop edges below this share (pprof: 0.001)
 * @param cum                 sort by cumulative value instead of flat
 * @param dropNegative        leave out nodes with negative values (diffs)
 * @param unit                the unit values are shown in ("ms", "MB"), or "minimum": chosen per report
 * @param divideBy            values are shown divided by this (not zero)
 * @param relativePercentages percentages of what the filters kept, not of the whole
 * @param compactLabels       leave the profile's header lines out
 */
public record TopRequest(ProfileQuery query, int nodeCount, double nodeFraction, double edgeFraction, boolean cum,
                         boolean dropNegative, String unit, double divideBy, boolean relativePercentages,
                         boolean compactLabels) {
    public TopRequest {
        if (query == null) {
            throw new IllegalArgumentException("a query is required");
        }
        unit = unit == null ? "minimum" : unit;
        if (divideBy == 0) {
            throw new BadInputException("the divisor must not be zero");
        }
    }

    /** pprof's -top with its defaults. */
    public static TopRequest of(ProfileQuery query) {
        return new TopRequest(query, 0, 0.005, 0.001, false, false, "minimum", 1, false, false);
    }

    public static TopRequest of(Source... sources) {
        return of(ProfileQuery.of(List.of(sources)));
    }
}
