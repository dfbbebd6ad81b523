package dev.godiag.analysis.trace;

import java.util.List;
import java.util.Map;

/**
 * Everything godiag reports of one execution trace, computed in one pass over it
 * ({@link TraceAnalyzer}).
 *
 * @param blocking        the four blocking profiles of {@code go tool trace -pprof}, by kind
 * @param goroutineGroups goroutines by start function with the split of their time
 */
public record TraceAnalysis(String source, TraceOverview overview, Map<BlockingKind, BlockingProfile> blocking,
                            List<GoroutineGroup> goroutineGroups, SchedulerLatency schedulerLatency, GcTrace gc,
                            Heatmap heatmap, UserTasks userTasks, List<BlockedThroughout.BlockedGroup> blockedThroughout) {
}
