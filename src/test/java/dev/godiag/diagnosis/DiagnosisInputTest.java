package dev.godiag.diagnosis;

import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.goroutine.GoroutineSources;
import dev.godiag.format.runtime.RuntimeSources;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.Profile;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a diagnosis is given: kinds as data, and the shared analyses computed once however many threads ask. */
class DiagnosisInputTest {
    static final long LIMIT = 1L << 30;
    static final InputSource.FetchOptions FETCH = InputSource.FetchOptions.DEFAULT;

    static Profile profile(String f) {
        return ProfileLoader.load(Corpus.file(f).toString(), FETCH, LIMIT);
    }

    @Test
    void kindsAreData() {
        for (Kind k : Kind.values()) {
            assertThat(Kind.ofId(k.id())).isSameAs(k);
        }
        assertThat(Kind.values()).extracting(Kind::id).containsExactly("cpu", "heap", "allocs", "goroutines", "block",
                "mutex", "threadcreate", "gctrace", "memstats", "metrics", "trace", "compiler", "retention");
        assertThat(Kind.ofId("trace")).isSameAs(Kind.TRACE);
        assertThat(Kind.ofId("profile")).isNull();
        assertThat(Kind.CPU_PROFILE.isProfile()).isTrue();
        assertThat(Kind.GOROUTINES.isProfile()).isFalse();
        assertThat(Kind.GCTRACE.type()).isEqualTo(GcTrace.class);
    }

    /** One generic add: what the typed adds do, and a wrong type refused with the input's name. */
    @Test
    void addByKind() {
        Profile cpu = profile("go1.27/cpuwork/cpu.pprof");
        GoroutineDump dump = GoroutineSources.load(Corpus.file("go1.27/cpuwork/goroutine.pprof").toString(), FETCH,
                LIMIT);
        GcTrace trace = (GcTrace) RuntimeSources.load(Corpus.file("go1.27/cpuwork/gctrace.log").toString(), FETCH,
                LIMIT);
        DiagnosisInput generic = new DiagnosisInput();
        generic.add(Kind.CPU_PROFILE, "cpu.pprof", cpu);
        generic.add(Kind.GOROUTINES, dump.source(), dump);
        generic.add(Kind.GCTRACE, trace.source(), trace);
        DiagnosisInput typed = new DiagnosisInput();
        typed.addProfile("cpu.pprof", Kind.CPU_PROFILE, cpu);
        typed.addGoroutines(dump);
        typed.addGcTrace(trace);
        assertThat(generic.sources()).isEqualTo(typed.sources());
        assertThat(generic.sources().get(0).detail()).isEqualTo("samples, cpu");
        assertThat(generic.sources().get(2).detail()).isEqualTo(trace.cycles().size() + " gc cycles");
        assertThat(generic.has(Kind.CPU_PROFILE) && generic.has(Kind.GOROUTINES) && generic.has(Kind.GCTRACE)).isTrue();
        assertThat(generic.has(Kind.HEAP_PROFILE) || generic.has(Kind.MEMSTATS)).isFalse();
        assertThat(generic.all(Kind.GOROUTINES, GoroutineDump.class)).containsExactly(dump);
        assertThat(generic.goroutineSnapshots()).containsExactly(dump);
        assertThat(generic.profiles(Kind.CPU_PROFILE)).singleElement()
                .satisfies(p -> assertThat(p.profile()).isSameAs(cpu));
        assertThat(generic.profiles(Kind.GOROUTINES)).isEmpty();
        assertThatThrownBy(() -> generic.add(Kind.GCTRACE, "x.log", cpu)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.log: a gctrace input must be a GcTrace, not Profile");
        assertThatThrownBy(() -> generic.addProfile("x", Kind.METRICS, cpu))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generic.goroutineSnapshots().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    static DiagnosisInput input() {
        DiagnosisInput in = new DiagnosisInput();
        for (int t = 0; t <= 4; t++) {
            in.addProfile("heap.t" + t, Kind.HEAP_PROFILE, profile("go1.27/leakysvc/heap.t" + t + ".pprof"));
            in.addGoroutines(GoroutineSources.load(Corpus.file("go1.27/leakysvc/goroutine.t" + t + ".debug2.txt")
                    .toString(), FETCH, LIMIT));
        }
        in.addProfile("cpu.pprof", Kind.CPU_PROFILE, profile("go1.27/cpuwork/cpu.pprof"));
        in.addProfile("allocs.pprof", Kind.ALLOCS_PROFILE, profile("go1.27/cpuwork/allocs.pprof"));
        in.addGcTrace((GcTrace) RuntimeSources.load(Corpus.file("go1.27/cpuwork/gctrace.log").toString(), FETCH,
                LIMIT));
        return in;
    }

    /**
     * Eight threads ask for every shared analysis at the same moment: each is computed once (every
     * thread gets the same object) and equals what one thread alone computes.
     */
    @Test
    void sharedAnalysesAreComputedOnceUnderConcurrency() throws Exception {
        for (int round = 0; round < 3; round++) {
            DiagnosisInput in = input();
            List<Callable<Object>> analyses = List.of(() -> in.merged(Kind.HEAP_PROFILE),
                    () -> in.stacks(Kind.HEAP_PROFILE), () -> in.stacks(Kind.CPU_PROFILE),
                    () -> in.costs(Kind.CPU_PROFILE, null), () -> in.costs(Kind.ALLOCS_PROFILE, "alloc_space"),
                    in::goroutineAnalysis, in::gcAnalysis, in::heapGrowth);
            int threads = 8;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<Object>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        List<Object> out = new ArrayList<>();
                        for (int i = 0; i < analyses.size(); i++) {
                            out.add(null);
                        }
                        // each thread in its own order, so different analyses race
                        for (int i = 0; i < analyses.size(); i++) {
                            int k = (i + offset) % analyses.size();
                            out.set(k, analyses.get(k).call());
                        }
                        return out;
                    }));
                }
                List<List<Object>> all = new ArrayList<>();
                for (Future<List<Object>> f : results) {
                    all.add(f.get());
                }
                for (int k = 0; k < analyses.size(); k++) {
                    Map<Object, Boolean> distinct = new IdentityHashMap<>();
                    for (List<Object> r : all) {
                        assertThat(r.get(k)).as("analysis %d", k).isNotNull();
                        distinct.put(r.get(k), true);
                    }
                    assertThat(distinct).as("analysis %d computed once", k).hasSize(1);
                }
                // asked again later: the same objects
                assertThat(in.heapGrowth()).isSameAs(all.get(0).get(analyses.size() - 1));
                assertThat(in.goroutineAnalysis()).isSameAs(all.get(3).get(5));
                // and what one thread alone computes
                DiagnosisInput alone = input();
                assertThat(in.heapGrowth().fit()).isEqualTo(alone.heapGrowth().fit());
                assertThat(in.goroutineAnalysis().totals()).isEqualTo(alone.goroutineAnalysis().totals());
                assertThat(in.costs(Kind.CPU_PROFILE, null).ownRows())
                        .isEqualTo(alone.costs(Kind.CPU_PROFILE, null).ownRows());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
