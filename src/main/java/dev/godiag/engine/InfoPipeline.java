package dev.godiag.engine;

import dev.godiag.analysis.profile.ProfileSummary;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.Source;

import java.util.ArrayList;
import java.util.List;

/** info: each profile read and summarized (format, sample types and totals, sizes, time, labels). */
final class InfoPipeline {
    private final EngineContext context;

    InfoPipeline(EngineContext context) {
        this.context = context;
    }

    InfoResult run(InfoRequest r) {
        List<InfoResult.Entry> out = new ArrayList<>();
        for (Source s : r.sources()) {
            out.add(new InfoResult.Entry(s.name(), ProfileSummary.of(ProfileLoader.load(s, context.limits()))));
        }
        return new InfoResult(out, List.of());
    }
}
