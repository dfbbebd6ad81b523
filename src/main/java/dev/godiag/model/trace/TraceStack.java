package dev.godiag.model.trace;

import java.util.List;

/** One entry of a generation's stack table: its id and frames, innermost first. */
public record TraceStack(long id, List<TraceFrame> frames) {
    public TraceStack {
        frames = List.copyOf(frames);
    }
}
