package dev.godiag.analysis.trace;

import java.util.List;

/**
 * Everything godiag reports of one execution trace, computed in one pass over it
 * ({@link TraceAnalyzer}).
 */
public record TraceAnalysis(String source, TraceOverview overview,
                            SchedulerLatency schedulerLatency, GcTrace gc, Heatmap heatmap, UserTasks userTasks,
                            List<BlockedThroughout.BlockedGroup> blockedThroughout) {
}
