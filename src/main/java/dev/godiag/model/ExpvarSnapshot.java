package dev.godiag.model;

import java.util.List;
import java.util.Map;

/**
 * One expvar {@code /debug/vars} document: {@code cmdline}, {@code memstats} (null if absent) and
 * every other variable as its raw JSON text, in document order.
 */
public record ExpvarSnapshot(String source, List<String> cmdline, MemStats memstats, Map<String, String> others)
        implements RuntimeInput {
    public ExpvarSnapshot {
        cmdline = List.copyOf(cmdline);
        others = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(others));
    }
}
