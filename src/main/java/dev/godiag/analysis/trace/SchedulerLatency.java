package dev.godiag.analysis.trace;

import dev.godiag.model.trace.TraceFrame;

import java.util.List;

/**
 * How long goroutines waited for a P: every Runnable to Running wait of every goroutine, from the
 * moment it became runnable (created, unblocked, preempted, yielded, back from a blocked system
 * call) to the moment it started running. A goroutine already runnable when the trace starts waits
 * from the trace's start. Waits cut by the trace's end are not counted (their end is unknown).
 *
 * @param waits          the distribution of waits (log buckets, see {@link LogHistogram})
 * @param worst          the longest waits, longest first
 * @param stacks         where goroutines were made runnable, by total wait, largest first
 * @param maxRunnable    the most goroutines runnable at once
 * @param meanRunnable   the time-weighted mean number of runnable goroutines over the trace
 * @param gomaxprocs     the largest GOMAXPROCS the trace reports (ProcsChange events), 0 if none
 * @param overProcsShare the share of the trace's time with more goroutines runnable than GOMAXPROCS
 */
public record SchedulerLatency(LogHistogram.Summary waits, List<Wait> worst, List<WaitStack> stacks,
                               long maxRunnable, double meanRunnable, long gomaxprocs, double overProcsShare) {
    /**
     * One wait: the goroutine, when it became runnable, how long it waited, what made it runnable
     * (Go's event name, with the stop reason for GoStop) and the stack of that event (may be empty).
     */
    public record Wait(long goroutine, long startNanos, long durationNanos, String madeRunnableBy,
                       List<TraceFrame> stack) {
    }

    /** The waits of goroutines made runnable at one stack: their count, total and longest. */
    public record WaitStack(List<TraceFrame> stack, long count, long totalNanos, long maxNanos) {
    }
}
