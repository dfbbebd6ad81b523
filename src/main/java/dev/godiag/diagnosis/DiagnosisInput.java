package dev.godiag.diagnosis;

import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.goroutine.GoroutineBuckets;
import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.runtime.MemoryGrowth;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.ProfileMerger;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.analysis.profile.Stacks;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.Profile;
import dev.godiag.model.PromMetrics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything given to one diagnosis, by kind, each series in time order, and the analyses rules
 * share, each computed once on first use.
 */
public final class DiagnosisInput {
    /** What an input is. */
    public enum Kind {
        CPU_PROFILE, HEAP_PROFILE, ALLOCS_PROFILE, GOROUTINES, BLOCK_PROFILE, MUTEX_PROFILE, THREADCREATE_PROFILE,
        GCTRACE, MEMSTATS, METRICS
    }

    /** One input as read: its name, and as what. */
    public record Source(String name, Kind kind, String detail) {
    }

    /** A profile with the name it was read from. */
    public record NamedProfile(String name, Profile profile) {
    }

    private final List<Source> sources = new ArrayList<>();
    private final Map<Kind, List<NamedProfile>> profiles = new EnumMap<>(Kind.class);
    private final List<GoroutineDump> goroutines = new ArrayList<>();
    private final List<GcTrace> gctraces = new ArrayList<>();
    private final List<ExpvarSnapshot> memstats = new ArrayList<>();
    private final List<PromMetrics> metrics = new ArrayList<>();
    private final Map<String, Object> cache = new java.util.HashMap<>();

    public void addProfile(String name, Kind kind, Profile p) {
        profiles.computeIfAbsent(kind, k -> new ArrayList<>()).add(new NamedProfile(name, p));
        sources.add(new Source(name, kind, String.join(", ", p.sampleTypes().stream().map(t -> t.type()).toList())));
    }

    public void addGoroutines(GoroutineDump d) {
        goroutines.add(d);
        sources.add(new Source(d.source(), Kind.GOROUTINES, d.format()));
    }

    public void addGcTrace(GcTrace t) {
        gctraces.add(t);
        sources.add(new Source(t.source(), Kind.GCTRACE, t.cycles().size() + " gc cycles"));
    }

    public void addMemStats(ExpvarSnapshot s) {
        memstats.add(s);
        sources.add(new Source(s.source(), Kind.MEMSTATS, "/debug/vars"));
    }

    public void addMetrics(PromMetrics m) {
        metrics.add(m);
        sources.add(new Source(m.source(), Kind.METRICS, "Prometheus text"));
    }

    public List<Source> sources() {
        return List.copyOf(sources);
    }

    public boolean has(Kind kind) {
        return switch (kind) {
            case GOROUTINES -> !goroutines.isEmpty();
            case GCTRACE -> !gctraces.isEmpty();
            case MEMSTATS -> !memstats.isEmpty();
            case METRICS -> !metrics.isEmpty();
            default -> profiles.containsKey(kind);
        };
    }

    /** The profiles of a kind in time order; empty when none. */
    public List<NamedProfile> profiles(Kind kind) {
        return profiles.getOrDefault(kind, List.of());
    }

    public List<GoroutineDump> goroutineSnapshots() {
        return goroutines;
    }

    public List<GcTrace> gcTraces() {
        return gctraces;
    }

    public List<ExpvarSnapshot> memstatsSeries() {
        return memstats;
    }

    public List<PromMetrics> metricsSeries() {
        return metrics;
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(String key, Supplier<T> compute) {
        if (!cache.containsKey(key)) {
            cache.put(key, compute.get());
        }
        return (T) cache.get(key);
    }

    /** All profiles of a kind merged into one (as pprof merges), or null when there are none. */
    public Profile merged(Kind kind) {
        return cached("merged." + kind, () -> {
            List<NamedProfile> ps = profiles(kind);
            return ps.isEmpty() ? null : ProfileMerger.combine(ps.stream().map(NamedProfile::profile).toList());
        });
    }

    /** The distinct stacks of the merged profiles of a kind (what rules walk), or null when there are none. */
    public Stacks stacks(Kind kind) {
        return cached("stacks." + kind, () -> {
            Profile p = merged(kind);
            return p == null ? null : Stacks.of(p, NodeOptions.DEFAULT);
        });
    }

    /**
     * Per-function costs of the merged profiles of a kind in a sample type ("cpu", "alloc_space",
     * "inuse_space", "delay", "contentions"; null: the profile's default), or null when absent.
     */
    public FunctionCosts costs(Kind kind, String sampleType) {
        return cached("costs." + kind + "." + sampleType, () -> {
            Profile p = merged(kind);
            if (p == null) {
                return null;
            }
            try {
                return FunctionCosts.of(p, SampleIndex.resolve(p, sampleType));
            } catch (RuntimeException e) {
                return null; // the profile has no such sample type
            }
        });
    }

    /** The goroutine snapshots bucketed, matched across snapshots and judged, or null. */
    public GoroutineAnalysis.Result goroutineAnalysis() {
        return cached("goroutines", () -> goroutines.isEmpty() ? null : GoroutineAnalysis.of(goroutines,
                GoroutineBuckets.Similarity.ANY_VALUE, GoroutineVerdicts.Thresholds.DEFAULT));
    }

    /** The first gctrace log analysed, or null. */
    public GcAnalysis.Result gcAnalysis() {
        return cached("gc", () -> gctraces.isEmpty() ? null : GcAnalysis.of(gctraces.get(0).cycles(), 0));
    }

    /** The heap profiles' growth (needs at least one), or null. */
    public MemoryGrowth.Result heapGrowth() {
        return cached("heapGrowth", () -> {
            List<NamedProfile> ps = profiles(Kind.HEAP_PROFILE);
            if (ps.isEmpty()) {
                return null;
            }
            return MemoryGrowth.ofHeapProfiles(ps.stream().map(NamedProfile::name).toList(),
                    ps.stream().map(NamedProfile::profile).toList(),
                    new NodeOptions(Granularity.LINES, false, false, ""));
        });
    }
}
