package dev.godiag.analysis.compiler;

import dev.godiag.model.compiler.CompilerDiagnostics;

import java.util.List;

/**
 * What godiag escape found: the logs' diagnostics, every escape ranked by the allocation profiles,
 * the heaviest allocation sites with their escapes, the hot functions with their inlining and the
 * bounds checks at hot lines (empty without the profile kind each needs).
 *
 * @param logs     the logs' names, as given
 * @param profiles the profiles' names with what each was used for ("allocs.pprof (allocated bytes)")
 */
public record EscapeReport(List<String> logs, List<String> profiles, CompilerDiagnostics diagnostics,
                           List<CompilerJoin.RankedEscape> escapes, List<CompilerJoin.AllocationSite> sites,
                           List<CompilerJoin.HotFunction> hotFunctions, List<CompilerJoin.HotBoundsCheck> hotChecks,
                           List<String> warnings) {
    public EscapeReport {
        logs = List.copyOf(logs);
        profiles = List.copyOf(profiles);
        escapes = List.copyOf(escapes);
        sites = List.copyOf(sites);
        hotFunctions = List.copyOf(hotFunctions);
        hotChecks = List.copyOf(hotChecks);
        warnings = List.copyOf(warnings);
    }
}
