package dev.godiag.analysis.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * A histogram of durations in nanoseconds with log-scale buckets, eight per power of two (each
 * bucket's upper bound is 2^(1/8), about 9%, above its lower bound), plus the exact count, total,
 * minimum and maximum. Memory is fixed (at most 8 x 64 counters) whatever the number of values, so a
 * trace of any size is summed up; a percentile is the upper bound of the bucket holding it, clamped
 * to the exact maximum, so it is at most 9% above the true value and never below it.
 */
public final class LogHistogram {
    static final int PER_OCTAVE = 8;
    private final long[] counts = new long[PER_OCTAVE * 64 + 1];
    private long count;
    private long total;
    private long min = Long.MAX_VALUE;
    private long max;

    /** Counts one duration (negative ones as 0). */
    public void add(long ns) {
        long v = Math.max(0, ns);
        counts[bucket(v)]++;
        count++;
        total += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    /** The bucket of a value: 0 holds 0; bucket b > 0 holds [lower(b), lower(b+1)). */
    static int bucket(long v) {
        if (v <= 0) {
            return 0;
        }
        int octave = 63 - Long.numberOfLeadingZeros(v);
        // the fraction above the octave's power of two, on a log scale, in eighths
        double frac = Math.log((double) v / (1L << octave)) / Math.log(2);
        int sub = Math.min(PER_OCTAVE - 1, (int) Math.floor(frac * PER_OCTAVE));
        int b = 1 + octave * PER_OCTAVE + sub;
        // floating point may put a value one bucket off at an edge: move it to the bucket that holds it
        while (b > 1 && v < lower(b)) {
            b--;
        }
        while (b + 1 < PER_OCTAVE * 64 + 1 && v >= lower(b + 1)) {
            b++;
        }
        return b;
    }

    /** The smallest value of bucket b (b >= 1). */
    static long lower(int b) {
        int i = b - 1;
        int octave = i / PER_OCTAVE;
        int sub = i % PER_OCTAVE;
        return (long) Math.ceil(Math.pow(2, octave + (double) sub / PER_OCTAVE));
    }

    /** The summary of what was counted. */
    public Summary summary() {
        List<Bucket> buckets = new ArrayList<>();
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                long lo = b == 0 ? 0 : lower(b);
                long hi = b == 0 ? 1 : (b + 1 < counts.length ? lower(b + 1) : Long.MAX_VALUE);
                buckets.add(new Bucket(lo, hi, counts[b]));
            }
        }
        return new Summary(count, total, count == 0 ? 0 : min, max, percentile(0.50), percentile(0.95),
                percentile(0.99), List.copyOf(buckets));
    }

    /** The upper bound of the bucket holding the q-th value (q in 0..1), at most the maximum. */
    long percentile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                long hi = b == 0 ? 0 : (b + 1 < counts.length ? lower(b + 1) - 1 : max);
                return Math.min(hi, max);
            }
        }
        return max;
    }

    /**
     * A distribution of durations: count, total, exact min and max; percentiles at the histogram's
     * resolution (the largest value the bucket holding the percentile can have, at most max).
     */
    public record Summary(long count, long totalNanos, long minNanos, long maxNanos, long p50Nanos, long p95Nanos,
                          long p99Nanos, List<Bucket> buckets) {
        /** The mean, 0 when empty. */
        public double meanNanos() {
            return count == 0 ? 0 : (double) totalNanos / count;
        }
    }

    /** The values in [lowNanos, highNanos). */
    public record Bucket(long lowNanos, long highNanos, long count) {
    }
}
