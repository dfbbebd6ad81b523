package dev.godiag.engine;

import dev.godiag.format.Source;

import java.util.Objects;

/**
 * What to report of an execution trace.
 *
 * @param source the trace (a file is streamed; a URL is fetched as /debug/pprof/trace)
 */
public record TraceRequest(Source source) {
    public TraceRequest {
        Objects.requireNonNull(source, "source");
    }
}
