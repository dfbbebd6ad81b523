package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.Profile;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A rule that is only data (a row of {@link ShareRules}' table): the share of the CPU samples
 * (and/or of the allocated bytes) whose stacks pass through a family of functions, scored by one
 * share threshold (the larger of the two shares counts), attributed to the service's own functions.
 * A CPU profile with fewer than {@link #MIN_CPU_SAMPLES} samples is too small to judge shares.
 */
final class ShareRule implements Rule {
    /** Below this many CPU samples (0.2 s at 100 Hz) shares are noise: the CPU side is skipped. */
    static final long MIN_CPU_SAMPLES = 20;
    /** An allocation share needs more sampled allocations than this behind it (one sample is chance). */
    static final double MIN_HEAP_SAMPLES = 2;
    /** An own function is named in the title and location only when it is behind this part of the match. */
    static final double OWNER_SHARE = 0.25;

    /** Which profiles the share is measured in. */
    enum Source { CPU, ALLOCS }

    private final RuleInfo info;
    private final Threshold share;
    private final Set<Source> sources;
    private final Predicate<String> match;
    private final Predicate<String> exclude;
    private final String what;
    private final boolean allocSites;

    /**
     * @param what       what was found, e.g. "regexp compiled on a hot path"
     * @param exclude    samples to leave out (a stack through these is some other rule's business); null: none
     * @param allocSites whether a finding also lists the own functions allocating the most bytes
     */
    ShareRule(String id, String topic, String description, Threshold share, Set<Source> sources,
              Predicate<String> match, Predicate<String> exclude, String what, boolean allocSites) {
        Set<Kind> needs = EnumSet.noneOf(Kind.class);
        if (sources.contains(Source.CPU)) {
            needs.add(Kind.CPU_PROFILE);
        }
        if (sources.contains(Source.ALLOCS)) {
            needs.add(Kind.ALLOCS_PROFILE);
        }
        this.info = RuleInfo.of(id, topic, description, needs, share);
        this.share = share;
        this.sources = EnumSet.copyOf(sources);
        this.match = match;
        this.exclude = exclude;
        this.what = what;
        this.allocSites = allocSites;
    }

    @Override
    public RuleInfo info() {
        return info;
    }

    /** The functions of the family. */
    Predicate<String> match() {
        return match;
    }

    /** Samples to leave out, or null. */
    Predicate<String> exclude() {
        return exclude;
    }

    /** The own functions that allocate most bytes, from an allocs profile when there is one. */
    private static void allocSites(DiagnosisInput input, Finding.Builder b) {
        Profile allocs = input.merged(Kind.ALLOCS_PROFILE);
        if (allocs == null) {
            return;
        }
        try {
            StackMatch.Result r = StackMatch.of(allocs, input.stacks(Kind.ALLOCS_PROFILE), "alloc_space", n -> true,
                    StackMatch.INIT, true);
            b.evidence("allocSitesBytes", StackMatch.top(r.ownCallers(), 5), "bytes");
        } catch (RuntimeException e) {
            // no alloc_space in this profile
        }
    }

    /** The rule's exclusions and package initialisation (a one-time cost, never a hot path). */
    private Predicate<String> excludeWithInit() {
        return exclude == null ? StackMatch.INIT : exclude.or(StackMatch.INIT);
    }

    /** The CPU match, or null when there is no usable CPU profile. */
    StackMatch.Result cpuMatch(DiagnosisInput input) {
        Profile cpu = input.merged(Kind.CPU_PROFILE);
        CpuProfileStats stats = CpuProfileStats.of(input);
        if (cpu == null || stats == null || stats.samples() < MIN_CPU_SAMPLES) {
            return null;
        }
        StackMatch.Result r = StackMatch.of(cpu, input.lineStacks(Kind.CPU_PROFILE), null, match, excludeWithInit(),
                false, true);
        return r.total() <= 0 ? null : r;
    }

    /**
     * The allocation match, or null when there is no allocs profile or what matched is not the
     * service's doing: no own function calls it, or it rests on a single sampled allocation.
     */
    StackMatch.Result allocMatch(DiagnosisInput input) {
        Profile a = input.merged(Kind.ALLOCS_PROFILE);
        if (a == null) {
            return null;
        }
        try {
            StackMatch.Result r = StackMatch.of(a, input.lineStacks(Kind.ALLOCS_PROFILE), "alloc_space", match,
                    excludeWithInit(), false);
            if (r.total() == 0 || r.ownCallers().isEmpty()) {
                return null;
            }
            double samples = StackMatch.heapSamples(a, input.lineStacks(Kind.ALLOCS_PROFILE), match,
                    excludeWithInit());
            return !Double.isNaN(samples) && Math.round(samples) < MIN_HEAP_SAMPLES ? null : r;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        StackMatch.Result cpu = sources.contains(Source.CPU) ? cpuMatch(input) : null;
        StackMatch.Result alloc = sources.contains(Source.ALLOCS) ? allocMatch(input) : null;
        double cpuShare = cpu == null ? 0 : cpu.share();
        double allocShare = alloc == null ? 0 : alloc.share();
        if (cpuShare == 0 && allocShare == 0) {
            return List.of();
        }
        Threshold t = config.resolve(this, share);
        CpuProfileStats stats = cpu == null ? null : CpuProfileStats.of(input);
        CpuProfileStats.Judged cpuJudged = cpu == null || cpuShare == 0 ? new CpuProfileStats.Judged(0, null)
                : stats.judge(t.score(cpuShare), stats.samplesOf(cpu.matched()));
        int allocScore = allocShare == 0 ? 0 : t.score(allocShare);
        int score = Math.max(cpuJudged.score(), allocScore);
        if (score < 25) {
            return List.of();
        }
        boolean byCpu = cpuJudged.score() >= allocScore && cpuShare > 0;
        StackMatch.Result lead = byCpu ? cpu : alloc;
        String owner = lead.topOwnCaller();
        // name an own function only when it is responsible for a real part of what matched
        if (owner != null && lead.ownCallers().get(owner) < OWNER_SHARE * lead.matched()) {
            owner = null;
        }
        FunctionCosts costs = byCpu ? input.costs(Kind.CPU_PROFILE, null) : input.costs(Kind.ALLOCS_PROFILE, "alloc_space");
        StackMatch.Line line = owner == null ? null : lead.lineOf(owner);
        String file = owner == null ? "" : line != null && !line.file().isEmpty() ? line.file()
                : costs == null || costs.row(owner) == null ? "" : costs.row(owner).file();
        long lineNo = line == null ? 0 : line.line();
        FunctionCosts cpuCosts = cpu == null ? null : input.costs(Kind.CPU_PROFILE, null);
        String cpuUnit = cpuCosts == null ? "" : cpuCosts.unit();
        List<String> parts = new ArrayList<>();
        if (cpu != null && cpu.matched() > 0) {
            parts.add(pct(cpuShare) + " of the CPU samples");
        }
        if (alloc != null && alloc.matched() > 0) {
            parts.add(pct(allocShare) + " of the allocated bytes");
        }
        // the CPU side's caveat matters only when the CPU side is what the score rests on
        String caveat = byCpu ? cpuJudged.caveat() : null;
        Finding.Builder b = Finding.builder(this)
                .title(owner == null ? capitalize(what) : capitalize(what) + " in " + owner)
                .score(score)
                .summary(capitalize(what) + ": " + String.join(" and ", parts) + " pass through "
                        + String.join(", ", lead.entries().keySet().stream().limit(3).toList())
                        + (owner == null ? "" : ", called from " + owner
                        + String.format(Locale.ROOT, " (%s of the profile)", pct((double) lead.ownCallers().get(owner) / lead.total()))
                        + (lineNo > 0 ? String.format(Locale.ROOT, " at %s:%d", file, lineNo) : ""))
                        + (caveat == null ? "" : "; " + caveat));
        if (owner != null) {
            b.location(owner, file, lineNo);
        }
        b.evidence("ownCaller", owner).evidence("ownCallerFile", owner == null || file.isEmpty() ? null : file)
                .evidence("ownCallerLine", lineNo > 0 ? lineNo : null)
                .evidence("ownCallerValue", owner == null ? null : lead.ownCallers().get(owner),
                        byCpu ? cpuUnit : "bytes");
        if (cpu != null && cpu.matched() > 0) {
            b.evidence("cpuShare", CpuHotspotRule.round(cpuShare)).evidence("cpuMatched", cpu.matched(), cpuUnit)
                    .evidence("cpuTotal", cpu.total(), cpuUnit)
                    .evidence("cpuMatchedSamples", stats.samplesOf(cpu.matched()))
                    .evidence("cpuOwnCallers", StackMatch.top(cpu.ownCallers(), 3), cpuUnit)
                    .evidence("cpuFunctions", StackMatch.top(cpu.entries(), 5), cpuUnit);
            stats.evidence(b);
        }
        if (alloc != null && alloc.matched() > 0) {
            b.evidence("allocShare", CpuHotspotRule.round(allocShare)).evidence("allocMatched", alloc.matched(), "bytes")
                    .evidence("allocTotal", alloc.total(), "bytes")
                    .evidence("allocOwnCallers", StackMatch.top(alloc.ownCallers(), 3), "bytes")
                    .evidence("allocFunctions", StackMatch.top(alloc.entries(), 5), "bytes");
        }
        if (allocSites) {
            allocSites(input, b);
        }
        b.evidence("caveat", caveat)
                .evidence("cpuProfile", StackMatch.inputPaths(input, Kind.CPU_PROFILE, "cpu.pprof"))
                .evidence("allocsProfile", StackMatch.inputPaths(input, Kind.ALLOCS_PROFILE, "allocs.pprof"));
        return List.of(b.build());
    }
    static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
