package dev.godiag.engine;

import dev.godiag.analysis.bench.BenchStats;
import dev.godiag.format.Source;
import dev.godiag.util.BadInputException;

import java.util.List;

/**
 * What a Go toolchain upgrade changed: benchmark files and CPU profiles (told apart by content) of
 * the old and the new toolchain.
 *
 * @param old        the old toolchain's inputs; when {@code neu} is empty, all inputs, which must then
 *                   be benchmark files whose go: or goversion: configuration splits them (the older
 *                   version is OLD)
 * @param neu        the new toolchain's inputs, or empty (see {@code old})
 * @param nodeCount  profiles: at most this many functions in each list (0: all)
 * @param filter     only benchmarks matching this query (benchstat's filter syntax; "*": all)
 * @param alpha      a difference is significant when p &lt; alpha
 * @param confidence confidence level of the ranges
 */
public record ImpactRequest(List<Source> old, List<Source> neu, int nodeCount, String filter, double alpha,
                            double confidence) {
    public ImpactRequest {
        old = List.copyOf(old);
        neu = List.copyOf(neu);
        if (old.isEmpty()) {
            throw new BadInputException("no input given");
        }
        if (nodeCount < 0) {
            throw new BadInputException("the node count must not be negative");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new BadInputException("alpha must be in range [0, 1]");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new BadInputException("confidence must be in range [0, 1]");
        }
        filter = filter == null ? "*" : filter;
    }

    /** OLD against NEW with the defaults. */
    public static ImpactRequest of(List<Source> old, List<Source> neu) {
        return new ImpactRequest(old, neu, 20, "*", BenchStats.DEFAULT_ALPHA, BenchStats.DEFAULT_CONFIDENCE);
    }

    /** Benchmark files whose go: configuration lines tell the sides apart, with the defaults. */
    public static ImpactRequest byGoVersion(List<Source> inputs) {
        return of(inputs, List.of());
    }
}
