package dev.godiag.engine;

import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.format.Source;

import java.util.List;

/**
 * benchstat's comparison of Go benchmark files: the first is the base of the comparison (with
 * the default columns). Options: rows, columns, ignored keys, filter, confidence and alpha, as
 * benchstat's flags (null: {@link BenchTables.Options#defaults()}).
 */
public record BenchRequest(List<Source> sources, BenchTables.Options options) {
    public BenchRequest {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new InvalidRequestException("no benchmark file");
        }
        options = options == null ? BenchTables.Options.defaults() : options;
        if (!(options.alpha() >= 0 && options.alpha() <= 1)) {
            throw new InvalidRequestException("alpha must be in range [0, 1]");
        }
        if (!(options.confidence() >= 0 && options.confidence() <= 1)) {
            throw new InvalidRequestException("confidence must be in range [0, 1]");
        }
    }

    public static BenchRequest of(List<Source> sources) {
        return new BenchRequest(sources, null);
    }
}
