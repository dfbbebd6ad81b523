package dev.godiag.analysis.trace;

import dev.godiag.model.trace.TraceFrame;

import java.util.List;

/**
 * One stack of a blocking profile: where the waits began (the frames of the event that started
 * each, innermost first, at most 128 as Go keeps), how many waits and their summed delay.
 */
public record BlockingStack(List<TraceFrame> frames, long count, long delayNanos, long maxDelayNanos) {
    public BlockingStack {
        frames = List.copyOf(frames);
    }

    /** The innermost frame, or empty for a wait whose event had no stack. */
    public java.util.Optional<TraceFrame> leaf() {
        return frames.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(frames.get(0));
    }
}
