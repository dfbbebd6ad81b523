package dev.godiag.engine;

import dev.godiag.analysis.profile.PgoProfile;
import dev.godiag.model.Profile;

import java.util.ArrayList;
import java.util.List;

/** merge: the profile assembled and filtered as pprof -proto writes it, or prepared for Go's PGO. */
final class MergePipeline {
    private final EngineContext context;

    MergePipeline(EngineContext context) {
        this.context = context;
    }

    MergeResult run(MergeRequest r) {
        ProfileQuery q = r.query();
        List<String> warnings = new ArrayList<>();
        // Go's compiler matches functions by the names the runtime wrote: no pprof simplification for PGO
        Profile all = q.filters().apply(ProfileInputs.assemble(q, context.limits(), !r.pgo()), warnings);
        Profile merged = r.pgo() ? ProfileInputs.about(q, () -> PgoProfile.prepare(all, r.pgoKeep(), warnings)) : all;
        return new MergeResult(merged, warnings);
    }
}
