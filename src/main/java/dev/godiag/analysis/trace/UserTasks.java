package dev.godiag.analysis.trace;

import java.util.List;

/**
 * The runtime/trace tasks and regions of a trace, per type. As {@code go tool trace}'s user task
 * page counts them: a type's count is every task (or region) seen, complete or not; the
 * distribution and the slowest are of complete ones only (begun and ended within the trace). An
 * incomplete one began before the trace started (only its end is seen) or was still running at its
 * end.
 */
public record UserTasks(List<TypeStats> tasks, List<TypeStats> regions) {
    /**
     * One task or region type.
     *
     * @param count      every one seen
     * @param incomplete of those, begun before the trace or unfinished at its end
     * @param durations  the complete ones' durations
     * @param slowest    the slowest complete ones, slowest first
     */
    public record TypeStats(String type, long count, long incomplete, LogHistogram.Summary durations,
                            List<Instance> slowest) {
    }

    /**
     * One complete task or region: its id (a task's id; for a region, the task it belongs to, 0 for
     * none), the goroutine that began it, when, how long, and its first logs ("category: message").
     */
    public record Instance(long id, long goroutine, long startNanos, long durationNanos, List<String> logs) {
    }
}
