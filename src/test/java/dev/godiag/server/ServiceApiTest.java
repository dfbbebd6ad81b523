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

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Services over a running server: gate results as the real {@code godiag gate --format json} prints
 * them, the source link template the next analysis uses, and the trend of a service's uploads.
 */
class ServiceApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static TestServer withToken;
    static final String TOKEN = "ci-token-0123456789abcdef";
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        withToken = TestServer.start(TestServer.Settings.sqlite().withToken(TOKEN));
    }

    @AfterAll
    static void stop() {
        dev.godiag.testutil.Await.closeAll(server, withToken);
    }

    static JsonNode json(TestServer.Answer a) throws Exception {
        return JSON.readTree(a.body());
    }

    /** The benchmark output of GateCommandTest: five runs of one benchmark, three units. */
    static Path bench(String name, double... nsPerOp) throws Exception {
        StringBuilder sb = new StringBuilder("goos: linux\npkg: example.com/x\n");
        for (double v : nsPerOp) {
            sb.append("BenchmarkEncode-8   \t  100000\t ").append(v).append(" ns/op\t  2048 B/op\t  12 allocs/op\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.append("PASS\n").toString());
        return f;
    }

    /** What CI has after `godiag gate --format json`: the real gate's output, and its exit code. */
    static Peers.Result gate(Path base, Path candidate) {
        return Godiag.run("gate", "--baseline", base.toString(), "--candidate", candidate.toString(), "--format", "json");
    }

    static TestServer.Answer put(String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.base + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
    }

    static TestServer.Answer postJson(String path, String body) {
        return server.post(path, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    static void assertError(TestServer.Answer a, int status, String contains) throws Exception {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        JsonNode e = json(a);
        assertThat(e.size()).isEqualTo(1);
        assertThat(e.get("error").asText()).contains(contains).doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void ciPostsTheGatesOutputAndTheServiceKeepsItsVerdictsNewestFirst() throws Exception {
        Path base = bench("base.txt", 1000, 1010, 1020, 1030, 1040);
        Path same = bench("same.txt", 1005, 1015, 1025, 1035, 1000);
        Path slow = bench("slow.txt", 1300, 1310, 1320, 1330, 1340);
        Peers.Result pass = gate(base, same);
        Peers.Result fail = gate(base, slow);
        assertThat(pass.exitCode()).as(pass.stderr()).isZero();
        assertThat(fail.exitCode()).as(fail.stderr()).isEqualTo(1);

        TestServer.Answer first = postJson("/api/services/checkout/gates?version=v1.0&labels=branch%3Dmain,ci%3D17",
                pass.stdout());
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        JsonNode p = json(first);
        assertThat(p.get("passed").asBoolean()).isTrue();
        assertThat(p.get("summary").asText()).isEqualTo("PASS: 0 regressions, 0 improvements, 3 metrics");
        assertThat(p.get("version").asText()).isEqualTo("v1.0");
        assertThat(p.get("service").asText()).isEqualTo("checkout");
        assertThat(p.get("labels").get("branch").asText()).isEqualTo("main");
        assertThat(p.get("labels").get("ci").asText()).isEqualTo("17");

        TestServer.Answer second = postJson("/api/services/checkout/gates?version=v1.1", fail.stdout());
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        JsonNode f = json(second);
        assertThat(f.get("passed").asBoolean()).isFalse();
        assertThat(f.get("summary").asText()).isEqualTo("FAIL: 1 regression, 0 improvements, 3 metrics");

        JsonNode gates = json(server.get("/api/services/checkout/gates")).get("gates");
        assertThat(gates).hasSize(2);
        assertThat(gates.get(0).get("version").asText()).isEqualTo("v1.1");
        assertThat(gates.get(1).get("version").asText()).isEqualTo("v1.0");
        // the gate's own JSON comes back as CI posted it
        assertThat(gates.get(0).get("gate")).isEqualTo(JSON.readTree(fail.stdout()));
        assertThat(gates.get(1).get("gate")).isEqualTo(JSON.readTree(pass.stdout()));
        assertThat(gates.get(0).get("gate").get("metrics").get(0).get("benchmark").asText())
                .isEqualTo("BenchmarkEncode-8");

        // the service exists through its gate results alone, and shows the latest one
        JsonNode svc = json(server.get("/api/services/checkout"));
        assertThat(svc.get("uploads").asLong()).isZero();
        assertThat(svc.get("last_upload").isNull()).as(svc.toString()).isTrue();
        assertThat(svc.get("latest_uploads")).isEmpty();
        assertThat(svc.get("latest_gate").get("summary").asText()).startsWith("FAIL: 1 regression");
        assertThat(svc.get("links").get("gates").asText()).isEqualTo("/api/services/checkout/gates");
        assertThat(json(server.get("/api/services")).get("services").findValuesAsText("name")).contains("checkout");
    }

    @Test
    void onAServerWithATokenCiPostsWithItAndReadsStayOpen() throws Exception {
        Peers.Result pass = gate(bench("t-base.txt", 1000, 1010, 1020, 1030, 1040),
                bench("t-same.txt", 1005, 1015, 1025, 1035, 1000));
        byte[] body = pass.stdout().getBytes(StandardCharsets.UTF_8);
        assertError(withToken.post("/api/services/api/gates?version=v1", body, "application/json"), 401,
                "writes need the server's token");
        assertError(withToken.send(HttpRequest.newBuilder(URI.create(withToken.base + "/api/services/api"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"source_url\": null}"))), 401, "writes need the server's token");
        TestServer.Answer posted = withToken.post("/api/services/api/gates?version=v1", body, "application/json",
                "Authorization", "Bearer " + TOKEN);
        assertThat(posted.status()).as(posted.body()).isEqualTo(201);
        TestServer.Answer set = withToken.send(HttpRequest.newBuilder(URI.create(withToken.base + "/api/services/api"))
                .header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"source_url\": \"https://git.example.com/r/blob/{version}/{file}\"}")));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(json(withToken.get("/api/services/api/gates")).get("gates")).hasSize(1);
        assertThat(json(withToken.get("/api/services/api")).get("source_url").asText())
                .isEqualTo("https://git.example.com/r/blob/{version}/{file}");
    }

    @Test
    void aGateResultIsCheckedToBeTheGatesJson() throws Exception {
        assertError(postJson("/api/services/checked/gates", "gate: PASS (0 regressions)"), 400,
                "the gate result is not valid JSON");
        assertError(postJson("/api/services/checked/gates", ""), 400, "the gate result is empty");
        // another godiag report is not a gate result
        Peers.Result diagnose = Godiag.run("diagnose", "--format", "json",
                Corpus.file("go1.27/cpuwork/cpu.pprof").toString());
        assertError(postJson("/api/services/checked/gates", diagnose.stdout()), 400,
                "is not the output of godiag gate --format json: no \"verdict\"");
        assertError(postJson("/api/services/checked/gates", "{\"verdict\":\"fail\",\"metrics\":[{\"benchmark\":\"B\"}]}"),
                400, "metrics[0] is not a compared metric");
        assertError(postJson("/api/services/checked/gates", "{\"verdict\":\"pass\",\"metrics\":[{\"benchmark\":\"B\","
                + "\"regression\":true,\"improvement\":false}]}"), 400, "the verdict is pass with 1 regression");
        assertError(postJson("/api/services/checked/gates", "{\"verdict\":\"pass\",\"metrics\":[]}{}"), 400,
                "more than one JSON value");
        assertError(postJson("/api/services/checked/gates?labels=bad%20name%3Dx", "{\"verdict\":\"pass\","
                + "\"metrics\":[]}"), 400, "labels: 'bad name' is not a label name");
        assertError(postJson("/api/services/checked/gates?version=" + "v".repeat(201), "{\"verdict\":\"pass\","
                + "\"metrics\":[]}"), 400, "version must be at most 200 characters");
        // bounded: a body over 4 MiB is refused
        byte[] huge = new byte[(int) ServiceApi.MAX_GATE_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        TestServer.Answer big = server.post("/api/services/checked/gates", huge, "application/json");
        assertError(big, 413, "larger than the limit of 4194304 bytes");
        // none of them was stored: the service does not even exist
        assertError(server.get("/api/services/checked/gates"), 404, "no service checked");
        assertError(server.get("/api/services/nosuch/gates"), 404, "no service nosuch");
    }

    @Test
    void theSourceLinkTemplateIsCheckedAndUsedByTheNextAnalysis() throws Exception {
        String template = "https://git.example.com/org/repo/blob/{version}/{file}#L{line}";
        for (String[] bad : List.of(
                new String[]{"{\"source_url\": \"ftp://git.example.com/{file}\"}", "is not an http or https URL"},
                new String[]{"{\"source_url\": \"javascript:alert(1)//{file}\"}", "is not an http or https URL"},
                new String[]{"{\"source_url\": \"https://git.example.com/org/repo\"}", "has no {file}"},
                new String[]{"{\"source_url\": \"https://git.example.com/{branch}/{file}\"}", "a placeholder other"},
                new String[]{"{\"source_url\": \"https://git.example.com/a b/{file}\"}", "has spaces"},
                new String[]{"{\"source_url\": 42}", "source_url must be a string"},
                new String[]{"{\"source\": \"" + template + "\"}", "unknown field 'source'"},
                new String[]{"{}", "need source_url"},
                new String[]{"[\"" + template + "\"]", "must be a JSON object"},
                new String[]{"source_url=" + template, "is not valid JSON"})) {
            assertError(put("/api/services/links", bad[0]), 400, bad[1]);
        }
        assertError(server.get("/api/services/links"), 404, "no service links");

        TestServer.Answer set = put("/api/services/links", "{\"source_url\": \"" + template + "\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(json(set).get("source_url").asText()).isEqualTo(template);
        assertThat(json(server.get("/api/services/links")).get("source_url").asText()).isEqualTo(template);

        byte[] cpu = Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof"));
        String id = json(server.post("/api/uploads?name=cpu.pprof&service=links&version=v1.2&wait=120", cpu,
                "application/octet-stream")).get("id").asText();
        JsonNode report = json(server.get("/api/uploads/" + id + "/report?format=json"));
        List<String> urls = report.get("findings").findValuesAsText("url");
        assertThat(urls).as(report.toString()).isNotEmpty()
                .allMatch(u -> u.startsWith("https://git.example.com/org/repo/blob/v1.2/") && u.matches(".*#L\\d+"));
        // the link names the finding's own file and line
        JsonNode located = null;
        for (JsonNode finding : report.get("findings")) {
            if (finding.path("location").has("url")) {
                located = finding.get("location");
                break;
            }
        }
        assertThat(located).isNotNull();
        String file = located.get("file").asText();
        assertThat(located.get("url").asText()).isEqualTo("https://git.example.com/org/repo/blob/v1.2/" + file
                + "#L" + located.get("line").asLong());
        TestServer.Answer removed = put("/api/services/links", "{\"source_url\": null}");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(json(removed).get("source_url").isNull()).isTrue();
        String again = json(server.post("/api/uploads?name=cpu.pprof&service=links&version=v1.3&wait=120", cpu,
                "application/octet-stream")).get("id").asText();
        assertThat(json(server.get("/api/uploads/" + again + "/report?format=json")).get("findings")
                .findValuesAsText("url")).isEmpty();
    }

    @Test
    void theTrendIsOneSeriesPerNumberOverTheServicesUploadsWithItsGates() throws Exception {
        Path oldCpu = Corpus.file("go1.19/cpuwork/cpu.pprof");
        Path newCpu = Corpus.file("go1.27/cpuwork/cpu.pprof");
        Path dump = Corpus.file("go1.27/leakysvc/goroutine.t3.debug2.txt");
        List<String> ids = new ArrayList<>();
        ids.add(upload(oldCpu, "cpu.pprof", "v1"));
        ids.add(upload(newCpu, "cpu.pprof", "v2"));
        ids.add(upload(dump, "goroutines.txt", "v3"));
        Peers.Result pass = gate(bench("b.txt", 1000, 1010, 1020, 1030, 1040), bench("c.txt", 1005, 1015, 1025, 1035, 1000));
        assertThat(postJson("/api/services/trendsvc/gates?version=v3", pass.stdout()).status()).isEqualTo(201);

        JsonNode t = json(server.get("/api/services/trendsvc/trend"));
        assertThat(t.get("uploads").findValuesAsText("id")).isEqualTo(ids);
        assertThat(t.get("uploads").findValuesAsText("version")).containsExactly("v1", "v2", "v3");

        // CPU seconds of each profile: the total `godiag top` reports
        JsonNode cpuSeconds = series(t, "cpu_seconds");
        assertThat(cpuSeconds.get("unit").asText()).isEqualTo("seconds");
        assertThat(cpuSeconds.get("points").findValuesAsText("upload")).containsExactly(ids.get(0), ids.get(1));
        assertThat(cpuSeconds.get("points").get(0).get("value").asDouble())
                .isCloseTo(top(oldCpu).get("total").asDouble() / 1e9, within(1e-9));
        assertThat(cpuSeconds.get("points").get(1).get("value").asDouble())
                .isCloseTo(top(newCpu).get("total").asDouble() / 1e9, within(1e-9));

        // the hottest function's share, as top's flat percentage
        JsonNode hottest = top(newCpu).get("rows").get(0);
        JsonNode share = series(t, "cpu_share:" + hottest.get("name").asText());
        assertThat(share.get("function").asText()).isEqualTo(hottest.get("name").asText());
        assertThat(share.get("unit").asText()).isEqualTo("fraction");
        JsonNode last = share.get("points").get(share.get("points").size() - 1);
        assertThat(last.get("upload").asText()).isEqualTo(ids.get(1));
        assertThat(last.get("value").asDouble() * 100).isCloseTo(hottest.get("flatPercent").asDouble(), within(1e-3));

        // goroutines of the dump: its "goroutine N [...]:" headers
        long headers = Files.readAllLines(dump).stream().filter(l -> l.matches("goroutine \\d+ \\[.*]:")).count();
        JsonNode goroutines = series(t, "goroutines");
        assertThat(goroutines.get("points")).hasSize(1);
        assertThat(goroutines.get("points").get(0).get("upload").asText()).isEqualTo(ids.get(2));
        assertThat(goroutines.get("points").get(0).get("value").asLong()).isEqualTo(headers);

        assertThat(t.get("gates")).hasSize(1);
        assertThat(t.get("gates").get(0).get("passed").asBoolean()).isTrue();
        assertThat(t.get("gates").get(0).get("version").asText()).isEqualTo("v3");

        JsonNode svc = json(server.get("/api/services/trendsvc"));
        assertThat(svc.get("uploads").asLong()).isEqualTo(3);
        assertThat(svc.get("latest_uploads").findValuesAsText("id")).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(svc.get("last_upload").asText()).isNotEmpty();
        assertThat(json(server.get("/api/services/trendsvc/trend?limit=1")).get("uploads").findValuesAsText("id"))
                .containsExactly(ids.get(2));
        assertError(server.get("/api/services/nosuch/trend"), 404, "no service nosuch");
        assertError(server.get("/api/services/trendsvc/trend?limit=0"), 400, "limit must be");
    }

    static String upload(Path file, String name, String version) throws Exception {
        TestServer.Answer a = server.post("/api/uploads?name=" + name + "&service=trendsvc&version=" + version
                + "&wait=120", Files.readAllBytes(file), "application/octet-stream");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(json(a).get("status").asText()).isEqualTo("done");
        return json(a).get("id").asText();
    }

    static JsonNode top(Path cpu) throws Exception {
        Peers.Result r = Godiag.run("top", "--format", "json", cpu.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return JSON.readTree(r.stdout());
    }

    static JsonNode series(JsonNode trend, String name) {
        for (JsonNode s : trend.get("series")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no series " + name + " in " + trend.get("series").findValuesAsText("name"));
    }
}
