package dev.godiag.engine;

import dev.godiag.analysis.goroutine.GoroutineBuckets;
import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.format.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What to report of goroutine snapshots (given in time order): how to group them and which
 * buckets to show. Null options take their defaults, so a surface sets only what it was given.
 *
 * @param sources    the snapshots, at least one
 * @param similarity how arguments count when grouping (default: ignored)
 * @param thresholds when blocked goroutines are a likely leak (default: 10 alike, 5 minutes)
 * @param minCount   only buckets with at least this many goroutines in some snapshot (0: all)
 * @param filter     only buckets with a frame or creator matching (null: all)
 * @param state      only buckets whose state matches (null: all)
 * @param verdicts   only these verdicts (null: all)
 */
public record GoroutinesRequest(List<Source> sources, GoroutineBuckets.Similarity similarity,
                                GoroutineVerdicts.Thresholds thresholds, int minCount, Pattern filter, Pattern state,
                                List<GoroutineVerdicts.Verdict> verdicts) {
    public GoroutinesRequest {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new InvalidRequestException("no goroutine snapshot");
        }
        similarity = similarity == null ? GoroutineBuckets.Similarity.ANY_VALUE : similarity;
        thresholds = thresholds == null ? GoroutineVerdicts.Thresholds.DEFAULT : thresholds;
        if (thresholds.manyIdentical() < 1 || thresholds.longWaitMinutes() < 0 || minCount < 0) {
            throw new InvalidRequestException("many must be at least 1, long wait and min count not negative");
        }
        verdicts = verdicts == null ? null : List.copyOf(verdicts);
    }

    /** Every bucket of the snapshots, grouped the default way. */
    public static GoroutinesRequest of(List<Source> sources) {
        return new GoroutinesRequest(sources, null, null, 0, null, null, null);
    }

    /**
     * Verdicts by their ids, comma-separated (definite-leak, likely-leak, unknown, benign; "leaks"
     * for the first two). An InvalidRequestException names an unknown one.
     */
    public static List<GoroutineVerdicts.Verdict> verdicts(String list) {
        List<GoroutineVerdicts.Verdict> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.equals("leaks") || p.equals("leak")) {
                out.add(GoroutineVerdicts.Verdict.DEFINITE_LEAK);
                out.add(GoroutineVerdicts.Verdict.LIKELY_LEAK);
                continue;
            }
            GoroutineVerdicts.Verdict found = null;
            for (GoroutineVerdicts.Verdict v : GoroutineVerdicts.Verdict.values()) {
                if (v.id().equals(p)) {
                    found = v;
                }
            }
            if (found == null) {
                throw new InvalidRequestException("unknown verdict '" + part.trim()
                        + "' (definite-leak, likely-leak, unknown, benign, leaks)");
            }
            out.add(found);
        }
        return out;
    }
}
