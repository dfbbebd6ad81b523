package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.server.TestServer.MultipartPart;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One API scenario on both databases the server runs on: SQLite (the default) and a real
 * PostgreSQL ({@link PostgresServer}): upload, report, history search, compare, services with their
 * link template and trend, gate results, baselines. One server per database, started when first used
 * (so a machine without PostgreSQL still runs the SQLite half; CI has both).
 */
class ApiOnBothDatabasesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, TestServer> SERVERS = new HashMap<>();
    private static PostgresServer postgres;
    @TempDir
    static Path dir;

    static synchronized TestServer server(String db) {
        TestServer s = SERVERS.get(db);
        if (s == null) {
            if (db.equals("postgresql")) {
                postgres = PostgresServer.start("godiag_serve_api");
                s = TestServer.start(TestServer.Settings.sqlite().withDatabase(postgres.url()));
            } else {
                s = TestServer.start();
            }
            SERVERS.put(db, s);
        }
        return s;
    }

    /** The database as `godiag --db` names it. */
    static String dbUrl(String db) {
        return db.equals("postgresql") ? postgres.url() : "sqlite:" + server(db).dataDir.resolve("godiag.db");
    }

    @AfterAll
    static void stop() {
        Await.closeAll(SERVERS.values());
        Await.closeAll(postgres);
    }

    static JsonNode json(TestServer.Answer a) throws Exception {
        return JSON.readTree(a.body());
    }

    static JsonNode ok(TestServer.Answer a, int status) throws Exception {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        return json(a);
    }

    static String upload(TestServer s, Path file, String name, String query) throws Exception {
        JsonNode u = ok(s.post("/api/uploads?name=" + name + "&wait=120&" + query, Files.readAllBytes(file),
                "application/octet-stream"), 201);
        assertThat(u.get("status").asText()).as(u.toString()).isEqualTo("done");
        return u.get("id").asText();
    }

    static List<String> ids(TestServer s, String path) throws Exception {
        List<String> out = new ArrayList<>();
        ok(s.get(path), 200).get("uploads").forEach(u -> out.add(u.get("id").asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void uploadsAreDiagnosedAsTheCliDoesAndFoundInTheHistory(String db) throws Exception {
        TestServer s = server(db);
        Path cpu = Corpus.file("go1.27/cpuwork/cpu.pprof");
        JsonNode created = ok(s.postMultipart("/api/uploads?wait=120", List.of(
                MultipartPart.file("cpu.pprof", Files.readAllBytes(cpu)), MultipartPart.field("service", "orders"),
                MultipartPart.field("version", "v1.4.2"), MultipartPart.field("labels", "env=prod,team=checkout"))), 201);
        String cpuId = created.get("id").asText();
        assertThat(created.get("status").asText()).isEqualTo("done");
        Peers.Result cli = Godiag.run("diagnose", "--format", "json", cpu.toString());
        assertThat(s.get("/api/uploads/" + cpuId + "/report?format=json").body())
                .isEqualTo(cli.stdout().replace(cpu.toString(), "cpu.pprof"));
        Peers.Result md = Godiag.run("diagnose", "--format", "markdown", cpu.toString());
        assertThat(s.get("/api/uploads/" + cpuId + "/report?format=markdown").body())
                .isEqualTo(md.stdout().replace(cpu.toString(), "cpu.pprof"));

        String dumpId = upload(s, Corpus.file("go1.27/leakysvc/goroutine.t3.debug2.txt"), "goroutines.txt",
                "service=orders&labels=env%3Dstaging");
        JsonNode dump = ok(s.get("/api/uploads/" + dumpId), 200);
        assertThat(dump.get("analysis").get("worst_severity").asText()).isEqualTo("critical");
        String rule = dump.get("findings").get(0).get("rule").asText();

        assertThat(ids(s, "/api/uploads?service=orders")).containsExactly(dumpId, cpuId);
        assertThat(ids(s, "/api/uploads?service=orders&label=env%3Dprod")).containsExactly(cpuId);
        assertThat(ids(s, "/api/uploads?service=orders&label=team")).containsExactly(cpuId);
        assertThat(ids(s, "/api/uploads?service=orders&kind=goroutines")).containsExactly(dumpId);
        assertThat(ids(s, "/api/uploads?service=orders&rule=" + rule)).containsExactly(dumpId);
        assertThat(ids(s, "/api/uploads?service=orders&since=2000-01-01&until=2000-01-02")).isEmpty();
        assertThat(ids(s, "/api/uploads?service=orders&limit=1")).containsExactly(dumpId);
        assertThat(ids(s, "/api/uploads?service=orders&before=" + dumpId)).containsExactly(cpuId);

        // refused, and kept as a failed upload with its error
        JsonNode refused = ok(s.post("/api/uploads?name=notes.txt&service=orders", "just notes\n"
                .getBytes(StandardCharsets.UTF_8), "text/plain"), 422);
        assertThat(ids(s, "/api/uploads?service=orders&status=failed")).containsExactly(refused.get("id").asText());
        assertThat(ok(s.get("/api/uploads/" + refused.get("id").asText()), 200).get("error").asText())
                .isEqualTo(refused.get("error").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aCompareIsGodiagDiffOfTheTwoUploads(String db) throws Exception {
        TestServer s = server(db);
        Path b = Corpus.file("go1.19/cpuwork/cpu.pprof");
        Path n = Corpus.file("go1.27/cpuwork/cpu.pprof");
        String base = upload(s, b, "cpu.pprof", "service=cmp");
        String neu = upload(s, n, "cpu.pprof", "service=cmp");
        TestServer.Answer a = s.get("/api/compare?base=" + base + "&new=" + neu);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        Peers.Result cli = Godiag.run("diff", "--format", "json", b.toString(), n.toString());
        assertThat(a.body()).isEqualTo(cli.stdout()
                .replace(JSON.writeValueAsString(b.toString()), JSON.writeValueAsString(base + "/cpu.pprof"))
                .replace(JSON.writeValueAsString(n.toString()), JSON.writeValueAsString(neu + "/cpu.pprof")));
        assertThat(json(s.get("/api/compare?base=" + base + "&new=nosuch")).get("error").asText())
                .isEqualTo("no upload nosuch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aServiceKeepsItsLinkTemplateTrendAndGateResults(String db) throws Exception {
        TestServer s = server(db);
        String template = "https://git.example.com/org/repo/blob/{version}/{file}#L{line}";
        ok(s.send(HttpRequest.newBuilder(URI.create(s.base + "/api/services/shop")).header("Content-Type",
                "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"source_url\": \"" + template + "\"}"))), 200);
        String v1 = upload(s, Corpus.file("go1.19/cpuwork/cpu.pprof"), "cpu.pprof", "service=shop&version=v1");
        String v2 = upload(s, Corpus.file("go1.27/cpuwork/cpu.pprof"), "cpu.pprof", "service=shop&version=v2");
        assertThat(s.get("/api/uploads/" + v2 + "/report?format=json").body())
                .contains("https://git.example.com/org/repo/blob/v2/");

        Path base = bench("base-" + db + ".txt", 1000, 1010, 1020, 1030, 1040);
        Path slow = bench("slow-" + db + ".txt", 1300, 1310, 1320, 1330, 1340);
        Peers.Result pass = Godiag.run("gate", "--baseline", base.toString(), "--candidate", base.toString(),
                "--format", "json");
        Peers.Result fail = Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(),
                "--format", "json");
        assertThat(fail.exitCode()).isEqualTo(1);
        ok(s.post("/api/services/shop/gates?version=v1&labels=branch%3Dmain", pass.stdout().getBytes(StandardCharsets.UTF_8),
                "application/json"), 201);
        JsonNode failed = ok(s.post("/api/services/shop/gates?version=v2", fail.stdout().getBytes(StandardCharsets.UTF_8),
                "application/json"), 201);
        assertThat(failed.get("summary").asText()).isEqualTo("FAIL: 1 regression, 0 improvements, 3 metrics");

        JsonNode gates = ok(s.get("/api/services/shop/gates"), 200).get("gates");
        assertThat(gates.findValuesAsText("version")).containsExactly("v2", "v1");
        assertThat(gates.get(0).get("gate")).isEqualTo(JSON.readTree(fail.stdout()));
        assertThat(gates.get(1).get("labels").get("branch").asText()).isEqualTo("main");

        JsonNode svc = ok(s.get("/api/services/shop"), 200);
        assertThat(svc.get("source_url").asText()).isEqualTo(template);
        assertThat(svc.get("uploads").asLong()).isEqualTo(2);
        assertThat(svc.get("latest_uploads").findValuesAsText("id")).containsExactly(v2, v1);
        assertThat(svc.get("latest_gate").get("passed").asBoolean()).isFalse();
        JsonNode listed = null;
        for (JsonNode x : ok(s.get("/api/services"), 200).get("services")) {
            if (x.get("name").asText().equals("shop")) {
                listed = x;
            }
        }
        assertThat(listed.get("uploads").asLong()).isEqualTo(2);

        JsonNode trend = ok(s.get("/api/services/shop/trend"), 200);
        assertThat(trend.get("uploads").findValuesAsText("id")).containsExactly(v1, v2);
        assertThat(trend.get("series").findValuesAsText("name")).contains("cpu_seconds")
                .anyMatch(n -> n.startsWith("cpu_share:"));
        assertThat(trend.get("gates").findValuesAsText("version")).containsExactly("v1", "v2");
        assertThat(trend.get("gates").findValuesAsText("passed")).containsExactly("true", "false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void baselinesTheCliSavedInTheSameDatabaseAreServed(String db) throws Exception {
        TestServer s = server(db);
        Path bench = bench("baseline-" + db + ".txt", 1000, 1010, 1020);
        Peers.Result save = Godiag.run("baseline", "save", "nightly", bench.toString(), "--label", "main@" + db,
                "--db", dbUrl(db));
        assertThat(save.exitCode()).as(save.stderr()).isZero();
        JsonNode list = ok(s.get("/api/baselines"), 200).get("baselines");
        assertThat(list.findValuesAsText("name")).contains("nightly");
        JsonNode shown = ok(s.get("/api/baselines/nightly"), 200);
        assertThat(shown.get("runs").get(0).get("label").asText()).isEqualTo("main@" + db);
        assertThat(shown.get("runs").get(0).get("metrics").get(0).get("values")).hasSize(3);
    }

    static Path bench(String name, double... nsPerOp) throws Exception {
        StringBuilder sb = new StringBuilder("goos: linux\npkg: example.com/x\n");
        for (double v : nsPerOp) {
            sb.append("BenchmarkEncode-8   \t  100000\t ").append(v).append(" ns/op\t  2048 B/op\t  12 allocs/op\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.append("PASS\n").toString());
        return f;
    }
}
