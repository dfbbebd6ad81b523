package dev.godiag.engine;

import dev.godiag.analysis.profile.Filters;
import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.format.Source;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One engine shared by many requests at once, as a server keeps it: top and flame run from 8
 * threads together give exactly what they give one after another.
 */
class EngineConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 3;

    private static Source src(String relative) {
        return new Source.File(Corpus.file(relative));
    }

    private record Job(String name, Supplier<byte[]> run) {
    }

    private static List<Job> jobs(Engine engine) {
        List<Job> jobs = new ArrayList<>();
        for (String f : List.of("go1.27/cpuwork/cpu.pprof", "go1.19/cpuwork/cpu.pprof", "go1.27/leakysvc/cpu.pprof",
                "go1.27/cpuwork/heap.pprof", "go1.27/leakysvc/goroutine.t4.pprof", "go1.27/cpuwork/mutex.pprof")) {
            ProfileQuery q = ProfileQuery.of(src(f));
            jobs.add(new Job("top " + f, () -> Rendered.top(engine.top(TopRequest.of(q))).getBytes()));
            jobs.add(new Job("top --lines --cum " + f, () -> Rendered.top(engine.top(new TopRequest(
                    q.withNodeOptions(new NodeOptions(Granularity.LINES, false, false, "")), 30, 0.005, 0.001, true,
                    false, "minimum", 1, false, false))).getBytes()));
            jobs.add(new Job("flame html " + f, () -> Rendered.flame(engine.flame(FlameRequest.page(q)))));
            jobs.add(new Job("flame folded " + f, () -> Rendered.flame(engine.flame(
                    FlameRequest.export(q, FlameRequest.Format.FOLDED)))));
        }
        // several sources, a base, filters with warnings
        ProfileQuery merged = ProfileQuery.of(src("go1.27/leakysvc/heap.t4.pprof"),
                        src("go1.27/leakysvc/heap.t3.pprof"))
                .withBases(List.of(src("go1.27/leakysvc/heap.t0.pprof")), false)
                .withFilters(new Filters("main|nothing_matches_this", "", "", "", "", "", "", "", "", ""))
                .withSampleIndex("alloc_space", false);
        jobs.add(new Job("top merged", () -> {
            TopResult r = engine.top(TopRequest.of(merged));
            return (Rendered.top(r) + r.warnings()).getBytes();
        }));
        jobs.add(new Job("flame speedscope merged", () -> Rendered.flame(engine.flame(
                FlameRequest.export(merged, FlameRequest.Format.SPEEDSCOPE)))));
        return jobs;
    }

    @Test
    void oneEngineServesEightThreadsAsItServesOne() throws Exception {
        Engine engine = new Engine(EngineContext.of("godiag test"));
        List<Job> jobs = jobs(engine);
        List<byte[]> expected = new ArrayList<>();
        for (Job j : jobs) {
            expected.add(j.run().get());
        }

        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<byte[]>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                int offset = t * 3; // each thread starts elsewhere, so different pipelines overlap
                futures.add(pool.submit(() -> {
                    start.await();
                    List<byte[]> got = new ArrayList<>(java.util.Collections.nCopies(jobs.size(), (byte[]) null));
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int i = 0; i < jobs.size(); i++) {
                            int k = (i + offset) % jobs.size();
                            byte[] b = jobs.get(k).run().get();
                            if (got.get(k) != null && !Arrays.equals(got.get(k), b)) {
                                throw new AssertionError(jobs.get(k).name() + " differs between rounds");
                            }
                            got.set(k, b);
                        }
                    }
                    return got;
                }));
            }
            start.countDown();
            for (Future<List<byte[]>> f : futures) {
                List<byte[]> got = f.get();
                for (int i = 0; i < jobs.size(); i++) {
                    assertThat(got.get(i)).as(jobs.get(i).name()).isEqualTo(expected.get(i));
                }
            }
        }
    }
}
