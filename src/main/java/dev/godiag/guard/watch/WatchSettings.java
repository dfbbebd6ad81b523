package dev.godiag.guard.watch;

import java.time.Duration;

/**
 * How a target's baselines are learned, in readings of that target: the first
 * {@code warmupReadings} of a process (after guard first sees it or after a deploy) are ignored;
 * then readings fill buckets of {@code bucketReadings}, and the baseline is the median of the
 * medians of the last {@code buckets} closed buckets (a window of {@code bucketReadings * buckets}
 * readings, kept as two numbers per bucket). No alert before the first bucket closes.
 */
public record WatchSettings(int warmupReadings, int bucketReadings, int buckets) {
    /** Ten readings of warm-up, buckets of ten, a window of twelve buckets: at a 30 s interval 5 min, 5 min and 1 h. */
    public static final WatchSettings DEFAULT = new WatchSettings(10, 10, 12);

    private static final Duration WARMUP = Duration.ofMinutes(5);
    private static final Duration WINDOW = Duration.ofHours(1);
    private static final int BUCKETS = 12;
    /** Bounds a restored state and a window: 10,000 buckets of 10,000 readings is far beyond any use. */
    static final int MAX_COUNT = 10_000;

    public WatchSettings {
        check("warmup readings", warmupReadings, 0);
        check("bucket readings", bucketReadings, 1);
        check("buckets", buckets, 1);
    }

    /**
     * The default durations (5 min of warm-up, a one-hour window of twelve buckets) in readings of
     * a job scraped every {@code interval}, with at least three readings of warm-up and per bucket.
     */
    public static WatchSettings forInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("scrape interval must be positive, got " + interval);
        }
        int warmup = readings(WARMUP, interval);
        int perBucket = readings(WINDOW.dividedBy(BUCKETS), interval);
        return new WatchSettings(warmup, perBucket, BUCKETS);
    }

    private static int readings(Duration span, Duration interval) {
        long n = span.toMillis() / Math.max(1, interval.toMillis());
        return (int) Math.clamp(n, 3, MAX_COUNT);
    }

    private static void check(String name, int value, int min) {
        if (value < min || value > MAX_COUNT) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + MAX_COUNT + ", got " + value);
        }
    }
}
