package dev.godiag.engine;

import dev.godiag.format.Source;
import dev.godiag.report.GateRenderers;
import dev.godiag.report.GoroutineRenderers;
import dev.godiag.store.BaselineRepository;
import dev.godiag.store.Database;
import dev.godiag.store.StoreLocation;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One engine context shared by 8 threads running the goroutines and gate pipelines at once (gates
 * on files and on a stored baseline, through one database kept open, as a daemon would): every
 * result is the one a sequential run gives.
 */
class ConcurrentPipelinesTest {
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    private Path bench(String name, double... nsPerOp) throws Exception {
        StringBuilder sb = new StringBuilder("goos: linux\npkg: example.com/x\n");
        for (double v : nsPerOp) {
            sb.append("BenchmarkEncode-8   \t  100000\t ").append(v).append(" ns/op\t  2048 B/op\t  12 allocs/op\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.append("PASS\n").toString());
        return f;
    }

    private static List<Source> files(List<Path> paths) {
        return paths.stream().<Source>map(Source.File::new).toList();
    }

    @Test
    void eightThreadsGiveWhatOneGives() throws Exception {
        EngineContext ctx = EngineContext.of("godiag test");
        Path base = bench("base.txt", 1000, 1010, 1020, 1030, 1040);
        Path same = bench("same.txt", 1005, 1015, 1025, 1035, 1000);
        Path slow = bench("slow.txt", 1300, 1310, 1320, 1330, 1340);
        try (Database db = Database.open(StoreLocation.parse("sqlite:" + dir.resolve("godiag.db"), null))) {
            BaselineRepository repo = new BaselineRepository(db);
            Supplier<BaselineRepository> store = () -> repo;
            new BaselinePipeline(ctx, store).save(new BaselineRequest.Save("main", null,
                    List.of(new Source.File(base), new Source.File(Corpus.file("go1.27/leakysvc/gctrace.log"))),
                    "test"));

            List<Callable<String>> jobs = new ArrayList<>();
            for (String series : List.of("go1.27/leakysvc/goroutine.t*.debug2.txt", "go1.27/leakysvc/goroutine.t*.pprof",
                    "go1.19/leakysvc/goroutine.t*.debug2.txt", "go1.27/leakysvc/goroutineleak.t*.pprof")) {
                List<Path> dumps = Corpus.glob(series);
                assertThat(dumps).isNotEmpty();
                jobs.add(() -> {
                    GoroutinesResult r = new GoroutinesPipeline(ctx).run(GoroutinesRequest.of(files(dumps)));
                    return GoroutineRenderers.json(r.analysis(), r.names(), r.rows()) + r.warnings();
                });
            }
            for (Path candidate : List.of(same, slow)) {
                jobs.add(() -> GateRenderers.json(new GatePipeline(ctx, null).run(GateRequest.of(
                        new GateRequest.Baseline.Inputs(List.of(new Source.File(base))),
                        List.of(new Source.File(candidate)))).evaluation()));
                jobs.add(() -> GateRenderers.json(new GatePipeline(ctx, store).run(GateRequest.of(
                        new GateRequest.Baseline.Stored("main"), List.of(new Source.File(candidate))))
                        .evaluation()));
            }

            List<String> sequential = new ArrayList<>();
            for (Callable<String> job : jobs) {
                sequential.add(job.call());
            }
            assertThat(sequential.get(4)).contains("\"verdict\" : \"pass\"");
            assertThat(sequential.get(6)).contains("\"verdict\" : \"fail\"");

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<String>> futures = new ArrayList<>();
                List<Integer> which = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (int t = 0; t < THREADS; t++) {
                        int job = (t + round * 3) % jobs.size();
                        which.add(job);
                        futures.add(pool.submit(() -> {
                            start.await();
                            return jobs.get(job).call();
                        }));
                    }
                }
                start.countDown();
                for (int i = 0; i < futures.size(); i++) {
                    assertThat(futures.get(i).get(300, TimeUnit.SECONDS)).as("job " + which.get(i))
                            .isEqualTo(sequential.get(which.get(i)));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
