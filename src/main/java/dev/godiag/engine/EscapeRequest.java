package dev.godiag.engine;

import dev.godiag.format.Source;

import java.util.List;

/**
 * godiag escape: compiler logs (go build -gcflags=-m or -m=2 output, -json=0 files, check_bce
 * output) and optionally profiles of the same build (allocs or heap to rank the escapes, CPU for
 * the inlining of hot functions and the bounds checks at hot lines).
 *
 * @param top how many allocation sites and hot functions the joins list
 */
public record EscapeRequest(List<Source> logs, List<Source> profiles, int top) {
    public static final int DEFAULT_TOP = 10;

    public EscapeRequest {
        logs = List.copyOf(logs);
        profiles = List.copyOf(profiles);
        if (logs.isEmpty()) {
            throw new InvalidRequestException("no compiler log given");
        }
        if (top < 1) {
            throw new InvalidRequestException("top must be at least 1");
        }
    }
}
