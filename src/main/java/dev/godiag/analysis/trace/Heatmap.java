package dev.godiag.analysis.trace;

import java.util.List;

/**
 * The trace cut into equal time buckets (100 to 200 of them when the trace is at least 100 µs long;
 * the width is a power of two times 1 µs), each with the time-weighted mean number of goroutines in
 * each state over the bucket and the share of the bucket with the GC mark phase on and with the
 * world stopped. A goroutine's state holds from one of its transitions to the next; goroutines are
 * counted from their first event in the trace.
 *
 * @param gomaxprocs the largest GOMAXPROCS the trace reports (0 if none)
 */
public record Heatmap(long startNanos, long bucketNanos, long gomaxprocs, List<Bucket> buckets) {
    /**
     * One bucket: its start and width (the last one may be cut by the trace's end); the mean number
     * of goroutines running, runnable, waiting on the network, on sync (mutexes, channels, select,
     * conditions), in a system call and waiting for anything else; the share with GC marking, and
     * with the world stopped.
     */
    public record Bucket(long startNanos, long widthNanos, double running, double runnable, double network,
                         double sync, double syscall, double otherWaiting, double gcMark, double stw) {
    }
}
