package dev.godiag.engine;

import dev.godiag.format.goroutine.GoroutineSources;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.goroutine.GoroutineBuckets;
import dev.godiag.format.Source;
import dev.godiag.model.GoroutineDump;

import java.util.ArrayList;
import java.util.List;

/** godiag goroutines: snapshots read, grouped into buckets with verdicts, growth across snapshots, filtered. */
public final class GoroutinesPipeline {
    private final EngineContext ctx;

    public GoroutinesPipeline(EngineContext ctx) {
        this.ctx = ctx;
    }

    public GoroutinesResult run(GoroutinesRequest r) {
        List<GoroutineDump> dumps = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Source s : r.sources()) {
            dumps.add(GoroutineSources.load(s, ctx.limits()));
            names.add(s.name());
        }
        GoroutineAnalysis.Result result = GoroutineAnalysis.of(dumps, r.similarity(), r.thresholds());
        List<GoroutineAnalysis.Row> rows = new ArrayList<>();
        for (GoroutineAnalysis.Row row : result.rows()) {
            long most = 0;
            for (long c : row.counts()) {
                most = Math.max(most, c);
            }
            if (most < r.minCount()
                    || r.filter() != null && !GoroutineBuckets.mentions(row.bucket(), r.filter())
                    || r.state() != null && !r.state().matcher(row.bucket().state()).find()
                    || r.verdicts() != null && !r.verdicts().contains(row.assessment().verdict())) {
                continue;
            }
            rows.add(row);
        }
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < dumps.size(); i++) {
            for (String w : dumps.get(i).warnings()) {
                warnings.add(names.get(i) + ": " + w);
            }
        }
        return new GoroutinesResult(result, names, rows, warnings);
    }
}
