package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Baselines saved by the real `godiag baseline save --db` into the running server's database, read over HTTP. */
class BaselineApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String db() {
        return "sqlite:" + server.dataDir.resolve("godiag.db");
    }

    @Test
    void baselinesTheCliSavedAreListedAndShownWithTheirRunsAndMetrics() throws Exception {
        Path bench = dir.resolve("bench.txt");
        Files.writeString(bench, """
                goos: linux
                pkg: example.com/x
                BenchmarkEncode-8   \t  100000\t     10311 ns/op\t    2048 B/op\t      12 allocs/op
                BenchmarkEncode-8   \t  100000\t     10402 ns/op\t    2048 B/op\t      12 allocs/op
                PASS
                """);
        String gctrace = Corpus.file("go1.27/cpuwork/gctrace.log").toString();
        Peers.Result first = Godiag.run("baseline", "save", "main", bench.toString(), gctrace, "--label", "main@abc123",
                "--db", db());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        Peers.Result second = Godiag.run("baseline", "save", "main", bench.toString(), "--label", "main@def456",
                "--db", db());
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(Godiag.run("baseline", "save", "release 1.2", bench.toString(), "--db", db()).exitCode()).isZero();

        JsonNode list = JSON.readTree(server.get("/api/baselines").body()).get("baselines");
        assertThat(list.findValuesAsText("name")).containsExactly("main", "release 1.2");
        JsonNode main = list.get(0);
        assertThat(main.get("runs").asInt()).isEqualTo(2);
        assertThat(main.get("last_label").asText()).isEqualTo("main@def456");
        assertThat(list.get(1).get("url").asText()).isEqualTo("/api/baselines/release%201.2");

        JsonNode shown = JSON.readTree(server.get("/api/baselines/main").body());
        assertThat(shown.get("name").asText()).isEqualTo("main");
        JsonNode runs = shown.get("runs");
        assertThat(runs.findValuesAsText("label")).containsExactly("main@def456", "main@abc123");
        // what `godiag baseline show --format json` says of the same runs
        JsonNode cli = JSON.readTree(Godiag.run("baseline", "show", "main", "--history", "5", "--format", "json",
                "--db", db()).stdout());
        for (int i = 0; i < 2; i++) {
            JsonNode api = runs.get(i);
            JsonNode c = cli.get("runs").get(i);
            assertThat(api.get("id").asLong()).isEqualTo(c.get("id").asLong());
            assertThat(api.get("metrics")).isEqualTo(c.get("metrics"));
            assertThat(api.get("inputs").findValuesAsText("name")).isEqualTo(c.get("inputs").findValuesAsText("name"));
            assertThat(api.get("inputs").findValuesAsText("kind")).isEqualTo(c.get("inputs").findValuesAsText("kind"));
        }
        JsonNode older = runs.get(1);
        assertThat(older.get("inputs")).hasSize(2);
        assertThat(older.get("inputs").get(0).get("bytes").asLong()).isEqualTo(Files.size(bench));
        assertThat(older.get("metrics").findValuesAsText("name")).contains("BenchmarkEncode-8", "gc.pause.p95");
        JsonNode sec = older.get("metrics").get(0);
        assertThat(sec.get("unit").asText()).isEqualTo("sec/op");
        assertThat(sec.get("values")).hasSize(2);

        assertThat(JSON.readTree(server.get("/api/baselines/main?runs=1").body()).get("runs")).hasSize(1);
        assertThat(JSON.readTree(server.get("/api/baselines/release%201.2").body()).get("runs")).hasSize(1);
    }

    @Test
    void anUnknownOrImpossibleNameIsAClientError() throws Exception {
        TestServer.Answer none = server.get("/api/baselines/nosuch");
        assertThat(none.status()).isEqualTo(404);
        assertThat(JSON.readTree(none.body()).get("error").asText()).isEqualTo("no baseline nosuch");
        TestServer.Answer long_ = server.get("/api/baselines/" + "n".repeat(201));
        assertThat(long_.status()).isEqualTo(400);
        assertThat(JSON.readTree(long_.body()).get("error").asText()).contains("at most 200 characters");
        TestServer.Answer control = server.get("/api/baselines/a%01b");
        assertThat(control.status()).isEqualTo(400);
        assertThat(server.get("/api/baselines/main?runs=0").status()).isEqualTo(400);
    }
}
