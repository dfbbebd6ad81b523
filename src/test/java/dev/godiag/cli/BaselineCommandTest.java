package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.JavaProcess;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** godiag baseline save/list/show/rm, in-process and in separate JVMs, on SQLite and PostgreSQL. */
class BaselineCommandTest {
    @TempDir
    Path dir;

    private static final String BENCH = """
            goos: linux
            goarch: amd64
            pkg: example.com/x
            BenchmarkEncode-8   	  100000	     10234 ns/op	    2048 B/op	      12 allocs/op
            BenchmarkEncode-8   	  100000	     10311 ns/op	    2048 B/op	      12 allocs/op
            PASS
            ok  	example.com/x	2.1s
            """;

    private String db() {
        return "sqlite:" + dir.resolve("godiag.db");
    }

    private Path bench() throws Exception {
        Path f = dir.resolve("bench.txt");
        Files.writeString(f, BENCH);
        return f;
    }

    private static String corpus(String rel) {
        return Corpus.file("go1.27/" + rel).toString();
    }

    @Test
    void saveListShowRm() throws Exception {
        Path metrics = dir.resolve("load.json");
        Files.writeString(metrics, "{\"metrics\":[{\"name\":\"latency.p95\",\"unit\":\"ms\",\"values\":[12.5,13]}]}");
        Peers.Result save = Godiag.run("baseline", "save", "main", bench().toString(), corpus("cpuwork/gctrace.log"),
                corpus("cpuwork/heap.pprof"), corpus("cpuwork/goroutine.pprof"), corpus("cpuwork/cpu.pprof"),
                metrics.toString(), "--label", "main@abc123", "--db", db());
        assertThat(save.stderr()).isEmpty();
        assertThat(save.exitCode()).isZero();
        // 3 benchmark metrics, gctrace's gc.pause.p95, gc.cpu and alloc.rate, heap.live, goroutines.count,
        // cpu.hot_stack_depth, and the JSON's latency.p95: 10
        assertThat(save.stdout()).startsWith("saved run 1 of baseline main: 6 inputs, 10 metrics");
        assertThat(Godiag.run("baseline", "save", "main", corpus("leakysvc/gctrace.log"), "--db", db()).exitCode())
                .isZero();
        assertThat(Godiag.run("baseline", "save", "release-1.2", bench().toString(), "--db", db()).exitCode())
                .isZero();

        Peers.Result list = Godiag.run("baseline", "list", "--db", db());
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).startsWith("NAME").contains("main").contains("release-1.2");
        assertThat(list.stdout().lines().filter(l -> l.startsWith("main ")).findFirst().orElseThrow())
                .matches("main\\s+2\\s+.*");

        Peers.Result show = Godiag.run("baseline", "show", "main", "--history", "2", "--db", db());
        assertThat(show.exitCode()).isZero();
        assertThat(show.stdout()).contains("run 2").contains("run 1").contains("label main@abc123")
                .contains("gc.pause.p95").contains("heap.live").contains("goroutines.count")
                .contains("cpu.hot_stack_depth").contains("latency.p95").contains("bench ");

        JsonNode json = new ObjectMapper().readTree(Godiag.run("baseline", "show", "main", "--history", "5",
                "--format", "json", "--db", db()).stdout());
        assertThat(json.get("runs")).hasSize(2);
        JsonNode first = json.get("runs").get(1);
        assertThat(first.get("label").asText()).isEqualTo("main@abc123");
        List<String> kinds = new ArrayList<>();
        first.get("inputs").forEach(n -> kinds.add(n.get("kind").asText()));
        assertThat(kinds).containsExactly("bench", "gctrace", "heap", "goroutines", "cpu", "metrics");
        JsonNode latency = find(first.get("metrics"), "latency.p95");
        assertThat(latency.get("values").get(1).asDouble()).isEqualTo(13.0);
        assertThat(find(first.get("metrics"), "heap.live").get("values").get(0).asDouble()).isPositive();
        assertThat(find(first.get("metrics"), "cpu.hot_stack_depth").get("values").get(0).asDouble()).isBetween(1.0, 200.0);
        assertThat(find(first.get("metrics"), "goroutines.count").get("unit").asText()).isEqualTo("goroutines");
        assertThat(find(first.get("metrics"), "gc.cpu").get("unit").asText()).isEqualTo("%");
        assertThat(find(first.get("metrics"), "alloc.rate").get("unit").asText()).isEqualTo("MB/s");
        // Go benchmark output: per benchmark and unit, one value per result line (units as benchfmt tidies them)
        JsonNode secs = find(first.get("metrics"), "BenchmarkEncode-8");
        assertThat(secs.get("unit").asText()).isEqualTo("sec/op");
        assertThat(secs.get("values").get(0).asDouble()).isCloseTo(10234e-9, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(secs.get("values").get(1).asDouble()).isCloseTo(10311e-9, org.assertj.core.data.Offset.offset(1e-15));
        List<String> benchUnits = new ArrayList<>();
        first.get("metrics").forEach(m -> {
            if (m.get("name").asText().equals("BenchmarkEncode-8")) {
                benchUnits.add(m.get("unit").asText());
            }
        });
        assertThat(benchUnits).containsExactly("sec/op", "B/op", "allocs/op");

        Peers.Result rm = Godiag.run("baseline", "rm", "main", "--db", db());
        assertThat(rm.exitCode()).isZero();
        assertThat(rm.stdout()).isEqualTo("removed baseline main (2 runs)\n");
        Peers.Result gone = Godiag.run("baseline", "show", "main", "--db", db());
        assertThat(gone.exitCode()).isEqualTo(2);
        assertThat(gone.stderr()).isEqualTo("godiag: no baseline named 'main'\n");
        assertThat(Godiag.run("baseline", "list", "--db", db()).stdout()).doesNotContain("main ");
    }

    private static JsonNode find(JsonNode metrics, String name) {
        for (JsonNode m : metrics) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + name + " in " + metrics);
    }

    @Test
    void baselinesSurviveARestartOfTheProcess() throws Exception {
        assertThat(Godiag.run("baseline", "save", "svc", bench().toString(), "--label", "in-process", "--db", db())
                .exitCode()).isZero();
        Peers.Result other = JavaProcess.godiag(List.of("baseline", "show", "svc", "--db", db()));
        assertThat(other.exitCode()).as(other.stderr()).isZero();
        assertThat(other.stdout()).contains("label in-process");
        Peers.Result saved = JavaProcess.godiag(List.of("baseline", "save", "svc", bench().toString(), "--label",
                "child", "--db", db()));
        assertThat(saved.exitCode()).as(saved.stderr()).isZero();
        Peers.Result show = Godiag.run("baseline", "show", "svc", "--history", "9", "--db", db());
        assertThat(show.stdout()).contains("label child").contains("label in-process");
    }

    @Test
    void parallelProcessesSaveToTheSameSqliteFile() throws Exception {
        parallelSaves(db(), bench());
    }

    @Test
    void postgresqlThroughTheCommandLine() throws Exception {
        try (PostgresServer pg = PostgresServer.start("godiag_cli")) {
            String url = pg.url();
            Peers.Result save = Godiag.run("baseline", "save", "pg", bench().toString(), corpus("cpuwork/gctrace.log"),
                    "--label", "pg", "--db", url);
            assertThat(save.exitCode()).as(save.stderr()).isZero();
            assertThat(Godiag.run("baseline", "list", "--db", url).stdout()).contains("pg ");
            assertThat(Godiag.run("baseline", "show", "pg", "--db", url).stdout()).contains("gc.pause.p95");
            parallelSaves(url, bench());
            assertThat(Godiag.run("baseline", "rm", "pg", "--db", url).exitCode()).isZero();
            assertThat(Godiag.run("baseline", "list", "--db", url).stdout()).doesNotContain("pg ");
        }
    }

    /** 3 godiag processes at once, twice: every run is there, no process failed. */
    private static void parallelSaves(String db, Path bench) {
        for (int round = 0; round < 2; round++) {
            List<JavaProcess.Running> procs = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                procs.add(JavaProcess.start("dev.godiag.cli.Main", List.of("baseline", "save", "par",
                        bench.toString(), "--label", "r" + round + "p" + p, "--db", db)));
            }
            if (round == 0) {
                // a reader in the middle of it
                assertThat(Godiag.run("baseline", "list", "--db", db).exitCode()).isZero();
            }
            for (JavaProcess.Running r : procs) {
                Peers.Result res = r.await();
                assertThat(res.exitCode()).as(res.stderr()).isZero();
                assertThat(res.stderr()).isEmpty();
            }
        }
        Peers.Result show = Godiag.run("baseline", "show", "par", "--history", "100", "--db", db);
        assertThat(show.stdout().lines().filter(l -> l.startsWith("run "))).hasSize(6);
        for (int round = 0; round < 2; round++) {
            for (int p = 0; p < 3; p++) {
                assertThat(show.stdout()).contains("label r" + round + "p" + p + "\n");
            }
        }
    }

    @Test
    void aBadDatabaseIsOneLineAndExit2() throws Exception {
        Path notDb = dir.resolve("notes.txt");
        Files.writeString(notDb, "hello, this is text and not a SQLite database at all\n".repeat(30));
        for (String db : List.of("mysql://localhost/x", "jdbc:postgresql://127.0.0.1:1/x?password=hunter2",
                "sqlite:" + dir.resolve("no/such/dir/g.db"), "sqlite:" + notDb)) {
            Peers.Result r = Godiag.run("baseline", "list", "--db", db);
            assertThat(r.exitCode()).as(db).isEqualTo(2);
            assertThat(r.stderr()).as(db).startsWith("godiag: ").endsWith("\n").doesNotContain("hunter2")
                    .doesNotContain("Exception:").doesNotContain("\tat ");
            assertThat(r.stderr().lines()).as(db).hasSize(1);
        }
    }

    @Test
    void aFailedSaveKeepsEarlierRunsAndUsageErrorsExit2() throws Exception {
        assertThat(Godiag.run("baseline", "save", "k", bench().toString(), "--label", "good", "--db", db()).exitCode())
                .isZero();
        Path broken = dir.resolve("broken.pprof");
        Files.write(broken, new byte[]{0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        Peers.Result bad = Godiag.run("baseline", "save", "k", bench().toString(), broken.toString(), "--db", db());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr().lines()).hasSize(1);
        Peers.Result show = Godiag.run("baseline", "show", "k", "--history", "5", "--db", db());
        assertThat(show.stdout().lines().filter(l -> l.startsWith("run "))).hasSize(1);
        assertThat(show.stdout()).contains("label good");

        assertThat(Godiag.run("baseline", "--db", db()).exitCode()).isEqualTo(2);
        assertThat(Godiag.run("baseline", "save", "k", "--db", db()).exitCode()).isEqualTo(2);
        assertThat(Godiag.run("baseline", "frob", "--db", db()).exitCode()).isEqualTo(2);
        assertThat(Godiag.run("baseline", "rm", "nope", "--db", db()).stderr())
                .isEqualTo("godiag: no baseline named 'nope'\n");
        assertThat(Godiag.run("baseline", "save", "k", dir.resolve("missing.txt").toString(), "--db", db()).exitCode())
                .isEqualTo(2);
    }
}
