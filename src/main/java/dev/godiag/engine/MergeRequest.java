package dev.godiag.engine;

import dev.godiag.format.Source;
import dev.godiag.util.BadInputException;

import java.util.List;

/**
 * A merge of a query's profiles into one (its bases and filters apply, as in pprof -proto).
 *
 * @param pgo     make it a profile for Go's PGO: CPU samples only, no labels
 * @param pgoKeep with pgo: keep only the hottest call edges holding this percentage of the edge weight (100: all)
 */
public record MergeRequest(ProfileQuery query, boolean pgo, double pgoKeep) {
    public MergeRequest {
        if (query == null) {
            throw new IllegalArgumentException("a query is required");
        }
        if (!(pgoKeep > 0 && pgoKeep <= 100)) {
            throw new BadInputException("the share of PGO edges to keep must be a percentage above 0 and at most 100,"
                    + " not " + pgoKeep);
        }
    }

    /** The profiles merged as they are. */
    public static MergeRequest of(ProfileQuery query) {
        return new MergeRequest(query, false, 100);
    }

    public static MergeRequest of(Source... sources) {
        return of(ProfileQuery.of(List.of(sources)));
    }
}
