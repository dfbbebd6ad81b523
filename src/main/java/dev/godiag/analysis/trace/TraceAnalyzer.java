package dev.godiag.analysis.trace;

import dev.godiag.model.trace.TraceChanges;

import java.util.Optional;

/**
 * Runs every trace analysis in one pass: each generation's changes go to each analysis in turn,
 * then {@link #finish} gathers their results. One analyzer per trace; not thread-safe.
 */
public final class TraceAnalyzer implements TraceConsumer {
    private final String source;
    private final TraceOverview.Builder overview = new TraceOverview.Builder();
    private final BlockingProfiles blocking = new BlockingProfiles();
    private final GoroutineGroups groups = new GoroutineGroups();
    private final SchedulerLatencyAnalysis schedulerLatency = new SchedulerLatencyAnalysis();
    private final GcTraceAnalysis gc = new GcTraceAnalysis();
    private final HeatmapAnalysis heatmap = new HeatmapAnalysis();
    private final UserTasksAnalysis userTasks = new UserTasksAnalysis();
    private final BlockedThroughout blockedThroughout = new BlockedThroughout();

    public TraceAnalyzer(String source) {
        this.source = source;
    }

    @Override
    public void accept(TraceChanges changes) {
        overview.accept(changes);
        blocking.accept(changes);
        groups.accept(changes);
        schedulerLatency.accept(changes);
        gc.accept(changes);
        heatmap.accept(changes);
        userTasks.accept(changes);
        blockedThroughout.accept(changes);
    }

    /** The analysis of everything fed, with the reader's Go version and warning. */
    public TraceAnalysis finish(int goMinor, Optional<String> warning) {
        return new TraceAnalysis(source, overview.build(goMinor, warning), blocking.build(), groups.build(),
                schedulerLatency.build(), gc.build(), heatmap.build(), userTasks.build(), blockedThroughout.result());
    }
}
