package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.compiler.CompilerJoin;
import dev.godiag.analysis.compiler.LineWeights;
import dev.godiag.diagnosis.CompilerCards;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.Profile;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.model.compiler.Escape;
import dev.godiag.model.compiler.EscapeKind;
import dev.godiag.model.compiler.FlowStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * memory.escapes: an allocation site heavy in the allocs profile (else the latest heap profile's
 * alloc_space), with the compiler's reason it is
 * on the heap (from a -m/-m=2 log or -json=0 file given with the profile). Only a site whose file
 * and line the compiler reports an escape at is a finding; its fix is the reason's card.
 */
public final class EscapeSitesRule implements Rule {
    static final Threshold SITE_SHARE = new Threshold("allocSiteShare", "fraction", 0.10, 0.40, 0.90,
            "the share of the allocated bytes at the one line (the allocation site) the compiler says escapes");
    /** Findings for at most this many sites. */
    static final int MAX_FINDINGS = 3;

    static final RuleInfo INFO = RuleInfo.of("memory.escapes", "memory",
            "an allocation site heavy in the allocs profile, with the compiler's reason it is on the heap",
            Set.of(Kind.ALLOCS_PROFILE, Kind.HEAP_PROFILE, Kind.COMPILER), SITE_SHARE).withCards(CompilerCards.all().stream()
            .filter(c -> c.startsWith("escape.")).toArray(String[]::new));

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        CompilerDiagnostics d = input.compilerDiagnostics();
        // a heap profile holds the same alloc_space (since the start): its latest snapshot stands in
        List<DiagnosisInput.NamedProfile> heaps = input.profiles(Kind.HEAP_PROFILE);
        Kind kind = input.has(Kind.ALLOCS_PROFILE) ? Kind.ALLOCS_PROFILE : Kind.HEAP_PROFILE;
        Profile allocs = kind == Kind.ALLOCS_PROFILE ? input.merged(kind)
                : heaps.isEmpty() ? null : heaps.getLast().profile();
        if (d == null || allocs == null) {
            return List.of();
        }
        int index = allocs.sampleTypeIndex("alloc_space");
        if (index < 0) {
            return List.of();
        }
        LineWeights w = LineWeights.of(allocs, index, "allocs", "allocated bytes", true);
        Threshold t = config.resolve(this, SITE_SHARE);
        List<Finding> out = new ArrayList<>();
        for (CompilerJoin.AllocationSite s : CompilerJoin.allocationSites(d, w, MAX_FINDINGS)) {
            Escape e = s.escapes().stream().filter(x -> x.kind() != EscapeKind.LEAKING_PARAM).findFirst().orElse(null);
            int score = t.score(s.site().share());
            if (e == null || score < 25) {
                continue;
            }
            String where = s.site().file() + ":" + s.site().line();
            List<String> flow = new ArrayList<>();
            for (FlowStep f : e.flow()) {
                flow.add(f.text() + (f.at() == null ? "" : " at " + f.at()));
            }
            out.add(Finding.builder(this)
                    .title("Heap allocation at " + where + ": " + e.reason().words())
                    .score(score)
                    .summary(String.format(Locale.ROOT, "%.1f%% of the allocated bytes are allocated at %s (%s): %s %s"
                                    + " (the compiler, at column %d); it is on the heap because it is %s", 100 * s.site().share(),
                            where, s.site().function(), e.what(), e.kind().words(), e.pos().column(), e.reason().words()))
                    .location(s.site().function(), s.site().file(), s.site().line())
                    .evidence("allocSiteShare", CpuHotspotRule.round(s.site().share()))
                    .evidence("allocated", s.site().value(), "bytes")
                    .evidence("escapes", e.what() + " " + e.kind().words())
                    .evidence("reason", e.reason().id())
                    .evidence("flow", flow.isEmpty() ? null : flow)
                    .evidence("allocsProfile", StackMatch.inputPaths(input, kind, "allocs.pprof"))
                    .cards(CompilerCards.escape(e.reason()), INFO.id())
                    .build());
        }
        return out;
    }
}
