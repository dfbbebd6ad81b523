package dev.godiag.model;

import java.util.List;
import java.util.Map;

/**
 * One result line of the Go benchmark format: {@code BenchmarkName/key=value-8  1000  123 ns/op ...}.
 *
 * @param fullName   the name without the "Benchmark" prefix, with sub-benchmark parts and the -procs suffix
 * @param name       the base name (before the first '/' or the -procs suffix)
 * @param parts      the sub-benchmark parts after the base name, each with its leading '/', in order
 * @param procs      the -procs suffix (GOMAXPROCS), 0 when absent
 * @param config     the configuration in effect (file "key: value" lines), in first-set order
 * @param iterations the iteration count
 * @param values     the measurements, tidied as benchfmt does (ns/op to sec/op, MB/s to B/s), by unit in order
 * @param file       the file name
 * @param line       the 1-based line number
 */
public record BenchResult(String fullName, String name, List<String> parts, int procs, Map<String, String> config,
                          long iterations, BenchValues values, String file, int line) {
    public BenchResult {
        parts = List.copyOf(parts);
        // compact and shared: a file's results mostly have the same configuration
        config = CompactMap.copyOf(config);
        values = values == null ? BenchValues.copyOf(Map.of()) : values;
    }
}
