package dev.godiag.model;

import java.util.List;
import java.util.Map;

/**
 * A file in the Go benchmark format, read.
 *
 * @param name     the file name
 * @param results  the result lines, in order
 * @param units    unit metadata from {@code Unit} lines: tidied unit to key to value (e.g. "assume" to "exact")
 * @param warnings malformed lines, each naming its line ("new.txt:12: missing units")
 */
public record BenchFile(String name, List<BenchResult> results, Map<String, Map<String, String>> units,
                        List<String> warnings) {
    public BenchFile {
        results = List.copyOf(results);
        units = Map.copyOf(units);
        warnings = List.copyOf(warnings);
    }
}
