package dev.godiag.engine;

import dev.godiag.format.Source;

import java.util.List;

/**
 * What to report of the garbage collector: gctrace logs or /debug/vars snapshots, and the length
 * of the time windows.
 *
 * @param sources       the logs or snapshots, at least one, each reported on its own
 * @param windowSeconds the length of the time windows; 0 for about 20 over the log
 */
public record GcRequest(List<Source> sources, double windowSeconds) {
    public GcRequest {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new InvalidRequestException("no gctrace log");
        }
        if (!(windowSeconds >= 0)) {
            throw new InvalidRequestException("the window must be a positive number of seconds");
        }
    }

    public static GcRequest of(List<Source> sources) {
        return new GcRequest(sources, 0);
    }
}
