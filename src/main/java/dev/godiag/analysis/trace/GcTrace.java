package dev.godiag.analysis.trace;

import java.util.List;
import java.util.Map;

/**
 * The garbage collector as the trace shows it: the GC cycles (the "GC concurrent mark phase"
 * ranges), the stop-the-world pauses with their kind, the share of wall time with the mark phase
 * on and with the world stopped, and the minimum mutator utilization (MMU) of Go's default MMU page.
 * A range already active when the trace starts counts from the trace's start; one still open at
 * its end counts to its end and is marked unfinished.
 *
 * @param cycles          mark phases begun or found active (including unfinished ones)
 * @param markNanos       total time with the mark phase on
 * @param markShare       markNanos over the trace's span
 * @param pauses          the distribution of stop-the-world pauses (every kind)
 * @param pauseShare      the share of the trace's span with the world stopped
 * @param pausesByKind    per kind (Go's reason in "stop-the-world (KIND)"): count and total nanoseconds
 * @param longestPauses   the longest pauses, longest first
 * @param longestCycles   the longest mark phases, longest first
 * @param mmu             minimum mutator utilization at 1 ms, 10 ms and 100 ms windows
 * @param mmuCurve        the curve for windows from 1 µs to the trace's span, log-spaced
 */
public record GcTrace(long cycles, long markNanos, double markShare, LogHistogram.Summary pauses, double pauseShare,
                      Map<String, KindTotal> pausesByKind, List<Span> longestPauses, List<Span> longestCycles,
                      List<MmuPoint> mmu, List<MmuPoint> mmuCurve, long spanNanos) {
    /** One range: when it began, how long, its kind ("GC" for a mark phase), whether the trace ended first. */
    public record Span(long startNanos, long durationNanos, String kind, boolean unfinished) {
    }

    /** Count and total duration of one kind of pause. */
    public record KindTotal(long count, long totalNanos) {
    }

    /** The minimum mutator utilization (0..1) for windows of windowNanos. */
    public record MmuPoint(long windowNanos, double utilization) {
    }
}
