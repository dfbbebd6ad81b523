package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.server.TestServer.MultipartPart;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The upload API against a running server on SQLite: in, status, reports as the CLI makes them, history, compare. */
class UploadApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode json(TestServer.Answer a) throws Exception {
        return JSON.readTree(a.body());
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aMultipartUploadIsStoredAndDiagnosedExactlyAsTheCliDoes() throws Exception {
        Path cpu = Corpus.file("go1.27/cpuwork/cpu.pprof");
        byte[] bytes = Files.readAllBytes(cpu);
        TestServer.Answer a = server.postMultipart("/api/uploads?wait=120", List.of(MultipartPart.file("cpu.pprof", bytes),
                MultipartPart.field("service", "orders"), MultipartPart.field("version", "v1.4.2"),
                MultipartPart.field("labels", "env=prod,team=checkout")));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        JsonNode u = json(a);
        String id = u.get("id").asText();
        assertThat(u.get("status").asText()).isEqualTo("done");
        assertThat(u.get("url").asText()).isEqualTo("/uploads/" + id);
        assertThat(a.header("Location")).isEqualTo("/api/uploads/" + id);

        JsonNode meta = json(server.get("/api/uploads/" + id));
        assertThat(meta.get("service").asText()).isEqualTo("orders");
        assertThat(meta.get("version").asText()).isEqualTo("v1.4.2");
        assertThat(meta.get("labels").get("env").asText()).isEqualTo("prod");
        assertThat(meta.get("labels").get("team").asText()).isEqualTo("checkout");
        assertThat(meta.get("kinds").toString()).isEqualTo("[\"cpu\"]");
        JsonNode file = meta.get("files").get(0);
        assertThat(file.get("name").asText()).isEqualTo("cpu.pprof");
        assertThat(file.get("kind").asText()).isEqualTo("cpu");
        assertThat(file.get("bytes").asLong()).isEqualTo(bytes.length);
        assertThat(file.get("sha256").asText()).isEqualTo(sha256(bytes));
        // the raw input is kept as it was sent
        TestServer.Answer raw = server.get(file.get("url").asText());
        assertThat(raw.status()).isEqualTo(200);

        // the JSON report is `godiag diagnose --format json` of the same input
        Peers.Result cli = Godiag.run("diagnose", "--format", "json", cpu.toString());
        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        TestServer.Answer report = server.get("/api/uploads/" + id + "/report?format=json");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.header("Content-Type")).startsWith("application/json");
        assertThat(report.body()).isEqualTo(cli.stdout().replace(cpu.toString(), "cpu.pprof"));
        assertThat(meta.get("findings").size()).isEqualTo(json(report).get("findings").size());

        Peers.Result md = Godiag.run("diagnose", "--format", "markdown", cpu.toString());
        assertThat(server.get("/api/uploads/" + id + "/report?format=markdown").body())
                .isEqualTo(md.stdout().replace(cpu.toString(), "cpu.pprof"));
        TestServer.Answer html = server.get("/api/uploads/" + id + "/report?format=html");
        assertThat(html.header("Content-Type")).startsWith("text/html");
        assertThat(html.body()).contains("<!DOCTYPE html>").contains("CPU flame graph");
    }

    @Test
    void aRawBodyIsOneFileNamedByTheQueryAndTheSameContentIsStoredOnce() throws Exception {
        byte[] dump = Files.readAllBytes(Corpus.file("go1.27/leakysvc/goroutine.t3.debug2.txt"));
        long[] before = server.platform.uploads().storedContents();
        TestServer.Answer a1 = server.post("/api/uploads?name=goroutines.txt&service=shop&labels=run%3D1&wait=120",
                dump, "application/octet-stream");
        TestServer.Answer a2 = server.post("/api/uploads?name=again.txt&service=shop&labels=run%3D2&wait=120",
                dump, "text/plain");
        assertThat(a1.status()).as(a1.body()).isEqualTo(201);
        assertThat(a2.status()).as(a2.body()).isEqualTo(201);
        JsonNode m1 = json(server.get("/api/uploads/" + json(a1).get("id").asText()));
        JsonNode m2 = json(server.get("/api/uploads/" + json(a2).get("id").asText()));
        assertThat(m1.get("files").get(0).get("name").asText()).isEqualTo("goroutines.txt");
        assertThat(m1.get("files").get(0).get("sha256").asText()).isEqualTo(m2.get("files").get(0).get("sha256").asText());
        long[] after = server.platform.uploads().storedContents();
        assertThat(after[0] - before[0]).as("distinct contents added").isLessThanOrEqualTo(1);
        assertThat(after[1] - before[1]).isLessThanOrEqualTo(dump.length);
        // seven leaks in the dump: the findings name them
        assertThat(m1.get("status").asText()).isEqualTo("done");
        assertThat(m1.get("analysis").get("worst_severity").asText()).isEqualTo("critical");
        assertThat(m1.get("findings").toString()).contains("main.leakRange.func1");
    }

    @Test
    void theHistoryIsNewestFirstAndSearchedByServiceLabelKindRuleAndTime() throws Exception {
        byte[] cpu = Files.readAllBytes(Corpus.file("go1.19/cpuwork/cpu.pprof"));
        byte[] dump = Files.readAllBytes(Corpus.file("go1.19/leakysvc/goroutine.t2.debug2.txt"));
        String first = json(server.post("/api/uploads?name=cpu.pprof&service=hist&labels=stage%3Dcanary&wait=120", cpu,
                "application/octet-stream")).get("id").asText();
        String second = json(server.post("/api/uploads?name=g.txt&service=hist&labels=stage%3Dprod&wait=120", dump,
                "application/octet-stream")).get("id").asText();

        assertThat(ids("/api/uploads?service=hist")).containsExactly(second, first);
        assertThat(ids("/api/uploads?service=hist&label=stage%3Dcanary")).containsExactly(first);
        assertThat(ids("/api/uploads?service=hist&label=stage")).containsExactly(second, first);
        assertThat(ids("/api/uploads?service=hist&kind=cpu")).containsExactly(first);
        assertThat(ids("/api/uploads?service=hist&kind=goroutines")).containsExactly(second);
        String rule = json(server.get("/api/uploads/" + second)).get("findings").get(0).get("rule").asText();
        assertThat(ids("/api/uploads?service=hist&rule=" + rule)).contains(second).doesNotContain(first);
        assertThat(ids("/api/uploads?service=hist&since=2000-01-01&until=2000-01-02")).isEmpty();
        assertThat(ids("/api/uploads?service=hist&limit=1")).containsExactly(second);
        assertThat(ids("/api/uploads?service=hist&before=" + second)).containsExactly(first);
        assertThat(server.get("/api/uploads?since=yesterday").status()).isEqualTo(400);
        assertThat(json(server.get("/api/uploads?since=yesterday")).get("error").asText()).contains("since");
    }

    private List<String> ids(String path) throws Exception {
        TestServer.Answer a = server.get(path);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        List<String> out = new java.util.ArrayList<>();
        json(a).get("uploads").forEach(u -> out.add(u.get("id").asText()));
        return out;
    }

    @Test
    void whatGodiagCannotReadIsRefusedAndKeptAsAFailedUpload() throws Exception {
        TestServer.Answer a = server.post("/api/uploads?name=notes.txt&service=bad", "just some notes\n".getBytes(),
                "text/plain");
        assertThat(a.status()).isEqualTo(422);
        JsonNode e = json(a);
        assertThat(e.get("error").asText()).startsWith("notes.txt: not an input godiag reads");
        String id = e.get("id").asText();
        JsonNode meta = json(server.get("/api/uploads/" + id));
        assertThat(meta.get("status").asText()).isEqualTo("failed");
        assertThat(meta.get("error").asText()).isEqualTo(e.get("error").asText());
        assertThat(ids("/api/uploads?service=bad&status=failed")).containsExactly(id);
        // never an analysis: no report
        TestServer.Answer report = server.get("/api/uploads/" + id + "/report");
        assertThat(report.status()).isEqualTo(422);
        assertThat(json(report).get("error").asText()).contains("failed");
    }

    /**
     * A heap dump uploaded with the executable that wrote it is diagnosed as godiag diagnose --binary
     * does; a dump alone fails its analysis with one line saying what to upload.
     */
    @Test
    void aHeapDumpWithItsExecutableIsDiagnosedAsTheCliDoes(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path bin = dev.godiag.testutil.GoFixtures.build(dev.godiag.testutil.Tools.go("1.19"), "retention");
        Path dump = tmp.resolve("heap.dump");
        Process p = new ProcessBuilder(bin.toString(), "-out", dump.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();

        TestServer.Answer a = server.postMultipart("/api/uploads?wait=120", List.of(
                MultipartPart.file("heap.dump", Files.readAllBytes(dump)),
                MultipartPart.file("server", Files.readAllBytes(bin)), MultipartPart.field("service", "dumps")));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        JsonNode u = json(a);
        assertThat(u.get("status").asText()).as(a.body()).isEqualTo("done");
        String id = u.get("id").asText();
        Peers.Result cli = Godiag.run("diagnose", "--format", "json", dump.toString(), "--binary", bin.toString());
        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        String report = server.get("/api/uploads/" + id + "/report?format=json").body();
        assertThat(report).isEqualTo(cli.stdout().replace(dump.toString(), "heap.dump"));
        JsonNode meta = json(server.get("/api/uploads/" + id));
        assertThat(meta.get("findings").get(0).get("rule").asText()).isEqualTo("memory.retention");
        assertThat(meta.get("files").get(0).get("kind").asText()).isEqualTo("retention");
        assertThat(meta.get("files").get(1).get("kind").asText()).isEqualTo("executable");

        TestServer.Answer alone = server.postMultipart("/api/uploads?wait=120", List.of(
                MultipartPart.file("heap.dump", Files.readAllBytes(dump))));
        JsonNode failed = json(server.get("/api/uploads/" + json(alone).get("id").asText()));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).isEqualTo(
                "heap.dump: a Go heap dump: upload the executable that wrote it with it (its symbols name the dump's roots)");
    }

    @Test
    void aCompareIsGodiagDiffOfTheTwoUploads() throws Exception {
        Path b = Corpus.file("go1.19/cpuwork/cpu.pprof");
        Path n = Corpus.file("go1.27/cpuwork/cpu.pprof");
        String base = json(server.post("/api/uploads?name=cpu.pprof&wait=120", Files.readAllBytes(b),
                "application/octet-stream")).get("id").asText();
        String neu = json(server.post("/api/uploads?name=cpu.pprof&wait=120", Files.readAllBytes(n),
                "application/octet-stream")).get("id").asText();
        TestServer.Answer a = server.get("/api/compare?base=" + base + "&new=" + neu);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        Peers.Result cli = Godiag.run("diff", "--format", "json", b.toString(), n.toString());
        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        assertThat(a.body()).isEqualTo(cli.stdout()
                .replace(JSON.writeValueAsString(b.toString()), JSON.writeValueAsString(base + "/cpu.pprof"))
                .replace(JSON.writeValueAsString(n.toString()), JSON.writeValueAsString(neu + "/cpu.pprof")));
        TestServer.Answer page = server.get("/api/compare?base=" + base + "&new=" + neu + "&format=html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<!DOCTYPE html>");
        TestServer.Answer none = server.get("/api/compare?base=" + base + "&new=nosuchupload");
        assertThat(none.status()).isEqualTo(404);
        assertThat(json(none).get("error").asText()).isEqualTo("no upload nosuchupload");
    }

    @Test
    void everyErrorIsOneLineOfJson() throws Exception {
        for (String path : List.of("/api/uploads/nope", "/api/uploads/nope/report", "/api/nothing-here",
                "/api/uploads?limit=0", "/api/compare?base=x")) {
            TestServer.Answer a = server.get(path);
            assertThat(a.status()).as(path).isBetween(400, 499);
            assertThat(a.header("Content-Type")).as(path).startsWith("application/json");
            JsonNode e = json(a);
            assertThat(e.get("error").asText()).as(path).isNotBlank().doesNotContain("\n").doesNotContain("Exception");
        }
    }

    @Test
    void healthAndMetricsSayWhatTheServerHolds() throws Exception {
        JsonNode h = json(server.get("/health"));
        assertThat(h.get("status").asText()).isEqualTo("ok");
        assertThat(h.get("uploads").has("done")).isTrue();
        TestServer.Answer m = server.get("/metrics");
        assertThat(m.header("Content-Type")).startsWith("text/plain");
        assertThat(m.body()).contains("# TYPE godiag_serve_http_requests_total counter")
                .contains("godiag_serve_uploads{status=\"done\"}")
                .contains("route=\"/health\"")
                .doesNotContain("route=\"*\"");

        // counted by hand: five more /health answers and one more 404 of an upload route; the upload
        // counts equal the store's own; the histogram's count equals the requests counted
        double health = sample(m.body(), "godiag_serve_http_requests_total{method=\"GET\",route=\"/health\",code=\"200\"}");
        double missing = sample(m.body(), "godiag_serve_http_requests_total{method=\"GET\",route=\"/api/uploads/{id}\",code=\"404\"}");
        for (int i = 0; i < 5; i++) {
            server.get("/health");
        }
        server.get("/api/uploads/nosuchupload");
        String after = server.get("/metrics").body();
        assertThat(sample(after, "godiag_serve_http_requests_total{method=\"GET\",route=\"/health\",code=\"200\"}"))
                .isEqualTo(health + 5);
        assertThat(sample(after, "godiag_serve_http_requests_total{method=\"GET\",route=\"/api/uploads/{id}\",code=\"404\"}"))
                .isEqualTo(missing + 1);
        assertThat(sample(after, "godiag_serve_http_request_duration_seconds_count{route=\"/health\"}"))
                .isEqualTo(sample(after, "godiag_serve_http_request_duration_seconds_bucket{route=\"/health\",le=\"+Inf\"}"))
                .isGreaterThanOrEqualTo(health + 5);
        var counts = server.platform.uploads().countByStatus();
        assertThat(sample(after, "godiag_serve_uploads{status=\"done\"}"))
                .isEqualTo(counts.get(dev.godiag.store.UploadRepository.Status.DONE).doubleValue());
        assertThat(sample(after, "godiag_serve_stored_contents"))
                .isEqualTo(server.platform.uploads().storedContents()[0]);
    }

    /** A sample's value in Prometheus text, 0 when the series is not there yet. */
    private static double sample(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return 0;
    }
}
