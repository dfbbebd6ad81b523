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
import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.Profile;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.model.PromMetrics;
import dev.godiag.util.Units;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything given to one diagnosis, by kind, each series in time order, and the analyses rules
 * share, each computed once on first use. Filled first (the add methods, one thread), then read:
 * any number of threads may then run rules on it at once, and each shared analysis is still
 * computed exactly once.
 */
public final class DiagnosisInput {
    /**
     * What an input is: its id in reports (and the recognizer's name for it), the model type that
     * holds it, and how its details are described. A new kind of input is one constant here (and its
     * reader and recognition in {@code format}); storage, {@link #has} and {@link #sources} follow.
     */
    public enum Kind {
        CPU_PROFILE("cpu"), HEAP_PROFILE("heap"), ALLOCS_PROFILE("allocs"), GOROUTINES("goroutines",
                GoroutineDump.class, GoroutineDump::format), BLOCK_PROFILE("block"), MUTEX_PROFILE("mutex"),
        THREADCREATE_PROFILE("threadcreate"),
        GCTRACE("gctrace", GcTrace.class, t -> t.cycles().size() + " gc cycles"),
        MEMSTATS("memstats", ExpvarSnapshot.class, s -> "/debug/vars"),
        METRICS("metrics", PromMetrics.class, m -> "Prometheus text"),
        TRACE("trace", TraceAnalysis.class, a -> "execution trace, " + Units.time(a.overview().durationNanos())),
        COMPILER("compiler", CompilerDiagnostics.class, d -> d.escapes().size() + " escapes, " + d.inlining().size()
                + " inlining decisions, " + d.boundsChecks().size() + " bounds checks"),
        RETENTION("retention", RetentionReport.class, r -> "heap dump, " + r.objects() + " objects");

        private final String id;
        private final Class<?> type;
        private final Function<Object, String> detail;

        /** A kind of profile: its detail is its sample types. */
        Kind(String id) {
            this(id, Profile.class, p -> String.join(", ", p.sampleTypes().stream().map(t -> t.type()).toList()));
        }

        @SuppressWarnings("unchecked")
        <T> Kind(String id, Class<T> type, Function<T, String> detail) {
            this.id = id;
            this.type = type;
            this.detail = o -> detail.apply((T) o);
        }

        /**
         * The JSON and text name: cpu, heap, allocs, goroutines, block, mutex, threadcreate, gctrace,
         * memstats, metrics, trace, compiler, retention.
         */
        public String id() {
            return id;
        }

        /** The model type of this kind's inputs ({@link Profile} for every profile). */
        public Class<?> type() {
            return type;
        }

        public boolean isProfile() {
            return type == Profile.class;
        }

        /** The kind of an id, or null. */
        public static Kind ofId(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One input as read: its name, and as what. */
    public record Source(String name, Kind kind, String detail) {
    }

    /** A profile with the name it was read from. */
    public record NamedProfile(String name, Profile profile) {
    }

    private record Entry(String name, Object data) {
    }

    private final List<Source> sources = new ArrayList<>();
    private final Map<Kind, List<Entry>> byKind = new EnumMap<>(Kind.class);
    /** The shared analyses by key; a task runs once, other threads asking for its key wait for it. */
    private final ConcurrentHashMap<String, FutureTask<Object>> cache = new ConcurrentHashMap<>();

    /**
     * Adds one input of a kind (a {@link Profile} for profile kinds, else the kind's model type) at
     * the end of its kind's series.
     *
     * @throws IllegalArgumentException when data is not of the kind's type
     */
    public void add(Kind kind, String name, Object data) {
        if (!kind.type().isInstance(data)) {
            throw new IllegalArgumentException(name + ": a " + kind.id() + " input must be a "
                    + kind.type().getSimpleName() + ", not " + (data == null ? "null" : data.getClass().getSimpleName()));
        }
        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Entry(name, data));
        sources.add(new Source(name, kind, kind.detail.apply(data)));
    }

    public void addProfile(String name, Kind kind, Profile p) {
        if (!kind.isProfile()) {
            throw new IllegalArgumentException(name + ": " + kind.id() + " is not a kind of profile");
        }
        add(kind, name, p);
    }

    public void addGoroutines(GoroutineDump d) {
        add(Kind.GOROUTINES, d.source(), d);
    }

    public void addGcTrace(GcTrace t) {
        add(Kind.GCTRACE, t.source(), t);
    }

    public void addMemStats(ExpvarSnapshot s) {
        add(Kind.MEMSTATS, s.source(), s);
    }

    public void addMetrics(PromMetrics m) {
        add(Kind.METRICS, m.source(), m);
    }

    public List<Source> sources() {
        return List.copyOf(sources);
    }

    public boolean has(Kind kind) {
        return byKind.containsKey(kind);
    }

    /** The inputs of a kind in time order, as their model type; empty when none. */
    public <T> List<T> all(Kind kind, Class<T> type) {
        if (!type.isAssignableFrom(kind.type())) {
            throw new IllegalArgumentException(kind.id() + " inputs are " + kind.type().getSimpleName() + "s");
        }
        List<Entry> l = byKind.getOrDefault(kind, List.of());
        List<T> out = new ArrayList<>(l.size());
        for (Entry e : l) {
            out.add(type.cast(e.data()));
        }
        return Collections.unmodifiableList(out);
    }

    /** The profiles of a kind in time order; empty when none. */
    public List<NamedProfile> profiles(Kind kind) {
        List<Entry> l = byKind.getOrDefault(kind, List.of());
        if (!kind.isProfile()) {
            return List.of();
        }
        return l.stream().map(e -> new NamedProfile(e.name(), (Profile) e.data())).toList();
    }

    public List<GoroutineDump> goroutineSnapshots() {
        return all(Kind.GOROUTINES, GoroutineDump.class);
    }

    public List<GcTrace> gcTraces() {
        return all(Kind.GCTRACE, GcTrace.class);
    }

    public List<ExpvarSnapshot> memstatsSeries() {
        return all(Kind.MEMSTATS, ExpvarSnapshot.class);
    }

    public List<PromMetrics> metricsSeries() {
        return all(Kind.METRICS, PromMetrics.class);
    }

    /** The execution traces, each analysed once when read. */
    public List<TraceAnalysis> traces() {
        return all(Kind.TRACE, TraceAnalysis.class);
    }

    /** The compiler logs' diagnostics as one, or null when none was given. */
    public CompilerDiagnostics compilerDiagnostics() {
        List<CompilerDiagnostics> all = all(Kind.COMPILER, CompilerDiagnostics.class);
        return all.isEmpty() ? null : CompilerDiagnostics.merge(all);
    }

    /**
     * The value of key, computed by the first thread that asks for it while the others wait (no
     * lock is held while computing, so an analysis may use another). A failure is the failure of
     * every call for that key.
     */
    @SuppressWarnings("unchecked")
    private <T> T cached(String key, Supplier<T> compute) {
        FutureTask<Object> task = cache.get(key);
        if (task == null) {
            FutureTask<Object> mine = new FutureTask<>(compute::get);
            task = cache.putIfAbsent(key, mine);
            if (task == null) {
                task = mine;
                mine.run();
            }
        }
        try {
            return (T) task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the analysis " + key, e);
        }
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
     * The distinct stacks at line granularity (each frame its function, file and line, as
     * {@code top -lines}), for rules that point at the line to fix; null when there are none.
     */
    public Stacks lineStacks(Kind kind) {
        return cached("lineStacks." + kind, () -> {
            Profile p = merged(kind);
            return p == null ? null : Stacks.of(p, new NodeOptions(Granularity.LINES, false, false, ""));
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
        return cached("goroutines", () -> {
            List<GoroutineDump> dumps = goroutineSnapshots();
            return dumps.isEmpty() ? null : GoroutineAnalysis.of(dumps, GoroutineBuckets.Similarity.ANY_VALUE,
                    GoroutineVerdicts.Thresholds.DEFAULT);
        });
    }

    /** The first gctrace log analysed, or null. */
    public GcAnalysis.Result gcAnalysis() {
        return cached("gc", () -> {
            List<GcTrace> traces = gcTraces();
            return traces.isEmpty() ? null : GcAnalysis.of(traces.get(0).cycles(), 0);
        });
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
