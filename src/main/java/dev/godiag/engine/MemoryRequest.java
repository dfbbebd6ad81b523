package dev.godiag.engine;

import dev.godiag.format.Source;

import java.util.List;

/**
 * Heap growth over time, from one series of inputs in time order: heap profiles, /debug/vars JSON
 * or Prometheus snapshots, or a single gctrace log (its cycles are the series). Inputs are told
 * apart by content.
 */
public record MemoryRequest(List<Source> sources) {
    public MemoryRequest {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new InvalidRequestException("no snapshot");
        }
    }
}
