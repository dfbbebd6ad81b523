package dev.godiag.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.JavaProcess;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Baselines survive a restart and concurrent gate runs against the same database: a stored baseline,
 * then gates in 3 JVMs and in threads while saves (JVMs and threads) add runs; every gate gives the
 * verdict of a sequential run, nothing fails, and a new JVM afterwards sees every run.
 */
class ConcurrentGateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path write(String name, double... nsPerOp) throws Exception {
        StringBuilder sb = new StringBuilder("goos: linux\npkg: example.com/x\n");
        for (double v : nsPerOp) {
            sb.append("BenchmarkEncode-8   \t  100000\t ").append(v).append(" ns/op\t  2048 B/op\t  12 allocs/op\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.append("PASS\n").toString());
        return f;
    }

    /** What must not depend on concurrency: exit code, verdict, and per metric its medians and delta. */
    private static String verdict(Peers.Result r) throws Exception {
        assertThat(r.stderr()).as(r.stdout()).isEmpty();
        JsonNode j = JSON.readTree(r.stdout());
        StringBuilder sb = new StringBuilder("exit " + r.exitCode() + " " + j.get("verdict").asText());
        for (JsonNode m : j.get("metrics")) {
            sb.append('\n').append(m.get("benchmark").asText()).append(' ').append(m.get("unit").asText()).append(' ')
                    .append(m.get("baseline").get("median").asText()).append(' ')
                    .append(m.get("candidate").get("median").asText()).append(' ')
                    .append(m.path("deltaPercent").asText()).append(' ').append(m.path("verdict").asText());
        }
        return sb.toString();
    }

    private void gatesAndSavesAtOnce(String db) throws Exception {
        Path base = write("base.txt", 1000, 1010, 1020, 1030, 1040);
        Path same = write("same.txt", 1005, 1015, 1025, 1035, 1000);
        Path slow = write("slow.txt", 1300, 1310, 1320, 1330, 1340);
        Peers.Result seed = Godiag.run("baseline", "save", "main", base.toString(), "--label", "seed", "--db", db);
        assertThat(seed.exitCode()).as(seed.stderr()).isZero();

        List<Path> candidates = List.of(same, slow);
        List<String> expected = new ArrayList<>();
        for (Path c : candidates) {
            expected.add(verdict(gate(db, c)));
        }
        assertThat(expected.get(0)).startsWith("exit 0 pass");
        assertThat(expected.get(1)).startsWith("exit 1 fail");

        Set<String> labels = new HashSet<>(List.of("seed"));
        List<JavaProcess.Running> gates = new ArrayList<>();
        List<JavaProcess.Running> saves = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int p = 0; p < 3; p++) {
                gates.add(JavaProcess.start("dev.godiag.cli.Main", List.of("gate", "--baseline", "main", "--db", db,
                        "--candidate", candidates.get(p % 2).toString(), "--format", "json")));
            }
            for (int p = 0; p < 2; p++) {
                String label = "jvm-r" + round + "p" + p;
                labels.add(label);
                saves.add(JavaProcess.start("dev.godiag.cli.Main", List.of("baseline", "save", "main",
                        base.toString(), "--label", label, "--db", db)));
            }
        }
        // threads: in-process gates (Main is one at a time per JVM) and direct saves through the store
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> threadGates = new ArrayList<>();
        List<Future<?>> threadSaves = new ArrayList<>();
        byte[] content = Files.readAllBytes(base);
        List<BaselineRepository.Metric> metrics; // a thread saves what 'baseline save' derived from the same file
        try (Database d = Database.open(StoreLocation.parse(db, null))) {
            BaselineRepository s = new BaselineRepository(d);
            metrics = s.latest("main").orElseThrow().metrics();
        }
        assertThat(metrics).isNotEmpty();
        for (int t = 0; t < 4; t++) {
            Path c = candidates.get(t % 2);
            threadGates.add(pool.submit(() -> verdict(gate(db, c))));
            String label = "thread-" + t;
            labels.add(label);
            threadSaves.add(pool.submit(() -> {
                try (Database d = Database.open(StoreLocation.parse(db, null))) {
                    BaselineRepository s = new BaselineRepository(d);
                    s.save("main", label, "test", List.of(new BaselineRepository.Input("base.txt", "bench", content)),
                            metrics);
                }
                return null;
            }));
        }
        for (int i = 0; i < gates.size(); i++) {
            assertThat(verdict(gates.get(i).await())).as("JVM gate " + i).isEqualTo(expected.get(i % 3 % 2));
        }
        for (JavaProcess.Running s : saves) {
            Peers.Result r = s.await();
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stderr()).isEmpty();
        }
        for (int t = 0; t < threadGates.size(); t++) {
            assertThat(threadGates.get(t).get(120, TimeUnit.SECONDS)).as("thread gate " + t)
                    .isEqualTo(expected.get(t % 2));
            threadSaves.get(t).get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // a new JVM (a restart) sees every run, each once
        Peers.Result show = JavaProcess.godiag(List.of("baseline", "show", "main", "--history", "1000", "--format",
                "json", "--db", db));
        assertThat(show.exitCode()).as(show.stderr()).isZero();
        List<String> stored = new ArrayList<>();
        JSON.readTree(show.stdout()).get("runs").forEach(r -> stored.add(r.get("label").asText()));
        assertThat(stored).containsExactlyInAnyOrderElementsOf(labels);
        // and gates after the restart still agree
        for (int i = 0; i < candidates.size(); i++) {
            assertThat(verdict(JavaProcess.godiag(List.of("gate", "--baseline", "main", "--db", db, "--candidate",
                    candidates.get(i).toString(), "--format", "json")))).isEqualTo(expected.get(i));
        }
    }

    private static Peers.Result gate(String db, Path candidate) {
        return Godiag.run("gate", "--baseline", "main", "--db", db, "--candidate", candidate.toString(), "--format",
                "json");
    }

    @Test
    void sqliteFile() throws Exception {
        gatesAndSavesAtOnce("sqlite:" + dir.resolve("godiag.db"));
    }

    @Test
    void postgresql() throws Exception {
        try (PostgresServer pg = PostgresServer.start("godiag_concurrent_gate")) {
            gatesAndSavesAtOnce(pg.url());
        }
    }
}
