package dev.godiag.engine;

import dev.godiag.format.Source;
import dev.godiag.util.BadInputException;

import java.util.List;

/**
 * A flame graph of a query's profiles (merged): the interactive page, or an export for other tools.
 *
 * @param format      what to make
 * @param maxNodes    page: draw at most this many frames, the largest; the rest fold into "other" boxes
 * @param minFraction page: fold frames below this share of the total too (0: only maxNodes folds)
 * @param title       page: its title; null: the input names
 */
public record FlameRequest(ProfileQuery query, Format format, int maxNodes, double minFraction, String title) {
    /** How many frames a page draws unless told otherwise. */
    public static final int DEFAULT_MAX_NODES = 200_000;

    /** The page, or an export: folded stacks, speedscope JSON, profile.proto. */
    public enum Format {
        HTML, FOLDED, SPEEDSCOPE, PPROF
    }

    public FlameRequest {
        if (query == null || format == null) {
            throw new IllegalArgumentException("a query and a format are required");
        }
        if (format == Format.HTML && maxNodes < 1) {
            throw new BadInputException("a flame graph page needs at least 1 node, not " + maxNodes);
        }
        if (format == Format.HTML && !(minFraction >= 0 && minFraction < 1)) {
            throw new BadInputException("the minimum fraction must be in [0, 1), not " + minFraction);
        }
    }

    /** The page with its defaults. */
    public static FlameRequest page(ProfileQuery query) {
        return new FlameRequest(query, Format.HTML, DEFAULT_MAX_NODES, 0, null);
    }

    public static FlameRequest page(Source... sources) {
        return page(ProfileQuery.of(List.of(sources)));
    }

    /** An export in one of the other formats. */
    public static FlameRequest export(ProfileQuery query, Format format) {
        return new FlameRequest(query, format, DEFAULT_MAX_NODES, 0, null);
    }
}
