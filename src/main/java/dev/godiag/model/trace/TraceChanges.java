package dev.godiag.model.trace;

import java.util.List;

/**
 * What one generation's events mean: the state transitions of goroutines and Ps, the runtime's
 * ranges (GC, stop-the-world, sweep, mark assist) and the user annotations, each in event order,
 * with the generation whose string and stack tables their ids refer to. The analyses of a trace
 * take these one generation at a time.
 */
public record TraceChanges(TraceGeneration generation, List<StateTransition> transitions, List<TraceRange> ranges,
                           List<UserAnnotation> annotations) {
}
