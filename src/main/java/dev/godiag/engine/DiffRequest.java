package dev.godiag.engine;

import dev.godiag.format.Source;
import dev.godiag.util.BadInputException;

import java.util.List;

/**
 * A diff of two profiles of one kind. The query's sources are BASE and NEW; its normalize scales
 * NEW to BASE's total; its sample index, filters, node options and all-frames apply; bases,
 * mean, label frames and the comment do not.
 *
 * @param nodeCount  at most this many rows in each list (0: all)
 * @param unit       the unit values are shown in, or "minimum": chosen as top does
 * @param flameGraph also make the diff flame graph page
 * @param maxNodes   page: draw at most this many frames
 * @param title      page: its title; null: "BASE → NEW"
 */
public record DiffRequest(ProfileQuery query, int nodeCount, String unit, boolean flameGraph, int maxNodes,
                          String title) {
    public DiffRequest {
        if (query == null) {
            throw new IllegalArgumentException("a query is required");
        }
        if (query.sources().size() != 2) {
            throw new BadInputException("a diff wants two profiles, BASE and NEW, not " + query.sources().size());
        }
        if (!query.bases().isEmpty()) {
            throw new BadInputException("a diff compares BASE and NEW; bases do not apply");
        }
        if (nodeCount < 0) {
            throw new BadInputException("the node count must not be negative");
        }
        if (maxNodes < 1) {
            throw new BadInputException("a flame graph page needs at least 1 node, not " + maxNodes);
        }
        unit = unit == null ? "minimum" : unit;
    }

    /** godiag diff's defaults: absolute values (as pprof without -normalize), 20 rows per list, no page. */
    public static DiffRequest of(Source base, Source neu) {
        return new DiffRequest(ProfileQuery.of(List.of(base, neu)).withNormalize(false), 20, "minimum", false,
                FlameRequest.DEFAULT_MAX_NODES, null);
    }
}
