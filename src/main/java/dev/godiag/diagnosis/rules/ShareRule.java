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
                    null, true);
            b.evidence("allocSitesBytes", StackMatch.top(r.ownCallers(), 5), "bytes");
        } catch (RuntimeException e) {
            // no alloc_space in this profile
        }
    }

    static long cpuSampleCount(Profile p) {
        if (!p.sampleTypes().isEmpty() && p.sampleTypes().get(0).type().equals("samples")) {
            long n = 0;
            for (int i = 0; i < p.samples().size(); i++) {
                n += p.samples().values[i * p.samples().valueCount];
            }
            return n;
        }
        return Long.MAX_VALUE;
    }

    /** The CPU match, or null when there is no usable CPU profile. */
    StackMatch.Result cpuMatch(DiagnosisInput input) {
        Profile cpu = input.merged(Kind.CPU_PROFILE);
        if (cpu == null || cpuSampleCount(cpu) < MIN_CPU_SAMPLES) {
            return null;
        }
        StackMatch.Result r = StackMatch.of(cpu, input.stacks(Kind.CPU_PROFILE), null, match, exclude, false);
        return r.total() == 0 ? null : r;
    }

    StackMatch.Result allocMatch(DiagnosisInput input) {
        Profile a = input.merged(Kind.ALLOCS_PROFILE);
        if (a == null) {
            return null;
        }
        try {
            StackMatch.Result r = StackMatch.of(a, input.stacks(Kind.ALLOCS_PROFILE), "alloc_space", match,
                    exclude, false);
            return r.total() == 0 ? null : r;
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
        int score = t.score(Math.max(cpuShare, allocShare));
        if (score < 25) {
            return List.of();
        }
        boolean byCpu = cpuShare >= allocShare;
        StackMatch.Result lead = byCpu ? cpu : alloc;
        String owner = lead.topOwnCaller();
        // name an own function only when it is responsible for a real part of what matched
        if (owner != null && lead.ownCallers().get(owner) < OWNER_SHARE * lead.matched()) {
            owner = null;
        }
        FunctionCosts costs = byCpu ? input.costs(Kind.CPU_PROFILE, null) : input.costs(Kind.ALLOCS_PROFILE, "alloc_space");
        String file = owner == null || costs == null || costs.row(owner) == null ? "" : costs.row(owner).file();
        FunctionCosts cpuCosts = cpu == null ? null : input.costs(Kind.CPU_PROFILE, null);
        String cpuUnit = cpuCosts == null ? "" : cpuCosts.unit();
        List<String> parts = new ArrayList<>();
        if (cpu != null && cpu.matched() > 0) {
            parts.add(pct(cpuShare) + " of the CPU samples");
        }
        if (alloc != null && alloc.matched() > 0) {
            parts.add(pct(allocShare) + " of the allocated bytes");
        }
        Finding.Builder b = Finding.builder(this)
                .title(owner == null ? capitalize(what) : capitalize(what) + " in " + owner)
                .score(score)
                .summary(capitalize(what) + ": " + String.join(" and ", parts) + " pass through "
                        + String.join(", ", lead.entries().keySet().stream().limit(3).toList())
                        + (owner == null ? "" : ", called from " + owner
                        + String.format(Locale.ROOT, " (%s of the profile)", pct((double) lead.ownCallers().get(owner) / lead.total()))));
        if (owner != null) {
            b.location(owner, file, 0);
        }
        b.evidence("ownCaller", owner).evidence("ownCallerFile", owner == null ? null : file)
                .evidence("ownCallerValue", owner == null ? null : lead.ownCallers().get(owner),
                        byCpu ? cpuUnit : "bytes");
        if (cpu != null && cpu.matched() > 0) {
            b.evidence("cpuShare", CpuHotspotRule.round(cpuShare)).evidence("cpuMatched", cpu.matched(), cpuUnit)
                    .evidence("cpuTotal", cpu.total(), cpuUnit)
                    .evidence("cpuOwnCallers", StackMatch.top(cpu.ownCallers(), 3), cpuUnit)
                    .evidence("cpuFunctions", StackMatch.top(cpu.entries(), 5), cpuUnit);
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
        return List.of(b.build());
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
