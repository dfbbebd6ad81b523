package dev.godiag.engine;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;

import java.util.List;

/**
 * Goroutine snapshots analysed: the whole analysis (totals, every bucket), the snapshots' names,
 * the buckets the request selects, and the readers' warnings ("NAME: warning", in snapshot order),
 * which the text report shows itself and the other formats leave to the surface.
 */
public record GoroutinesResult(GoroutineAnalysis.Result analysis, List<String> names, List<GoroutineAnalysis.Row> rows,
                               List<String> warnings) {
    public GoroutinesResult {
        names = List.copyOf(names);
        rows = List.copyOf(rows);
        warnings = List.copyOf(warnings);
    }
}
