package dev.godiag.engine;

import dev.godiag.analysis.runtime.MemoryGrowth;

import java.util.List;

/**
 * The heap's growth with its verdict, what the series was made of ("heap profiles", "GC cycles
 * (live heap after each)", "memstats snapshots", "Prometheus snapshots"), the inputs' names, and
 * warnings for the surface (none today).
 */
public record MemoryResult(MemoryGrowth.Result growth, String kind, List<String> names, List<String> warnings) {
    public MemoryResult {
        names = List.copyOf(names);
        warnings = List.copyOf(warnings);
    }
}
