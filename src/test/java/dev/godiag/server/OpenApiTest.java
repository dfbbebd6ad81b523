package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.guard.Guard;
import dev.godiag.guard.config.Shards;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;
import dev.godiag.store.Database;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.StoreLocation;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document at /api/openapi.json describes the server that serves it: every API route
 * the running server registers (guard's too, with guard inside) is in it with that method; every
 * operation has responses, every reference resolves, every error answer is the one-line Error, the
 * errors the server really answers are the ones the document lists, and every answer of every
 * documented GET route and of the writes, to real uploads, captures, gate results, baselines and
 * alerts, is valid against the schema the document gives for its route and status.
 */
class OpenApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    @TempDir
    static Path dir;
    static Database guardDb;
    static Guard guard;
    static TestServer server;
    static HttpServer pprof;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        // guard inside, watching one loopback port nobody listens on: its routes are registered too
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path config = dir.resolve("guard.yml");
        Files.writeString(config, """
                global: {scrape_interval: 60s, scrape_timeout: 1s}
                scrape_configs:
                  - job_name: nobody
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(closedPort));
        guardDb = Database.open(StoreLocation.parse(null, dir.resolve("guard.db")));
        guard = Guard.start(new Guard.Options(config, dir.resolve("guard"), Shards.Shard.ALL, Duration.ofHours(1), ""),
                new GuardRepository(guardDb, "test", GuardRepository.DEFAULT_LEASE, Clock.systemUTC()),
                new Engine(EngineContext.of("godiag test")), Clock.systemUTC(), line -> { });
        // a live service's /debug/pprof/heap for POST /api/captures, answering a real heap profile
        byte[] heap = Files.readAllBytes(Corpus.file("go1.27/leakysvc/heap.t1.pprof"));
        pprof = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pprof.createContext("/debug/pprof/heap", ex -> {
            ex.sendResponseHeaders(200, heap.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(heap);
            }
        });
        pprof.start();
        server = TestServer.start(TestServer.Settings.sqlite().withGuard(guard)
                .withCaptureAllow(List.of("127.0.0.1:" + pprof.getAddress().getPort())));
        TestServer.Answer a = server.get("/api/openapi.json");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        doc = JSON.readTree(a.body());
    }

    @AfterAll
    static void stop() {
        Await.closeAll(server, guard, guardDb, () -> pprof.stop(0));
    }

    @Test
    void theDocumentIsOpenApi3WithPathsAndEveryOperationHasResponses() {
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("paths").size()).as("paths").isGreaterThan(10);
        doc.path("paths").fields().forEachRemaining(p -> {
            List<String> ops = operations(p.getValue());
            assertThat(ops).as("operations of %s", p.getKey()).isNotEmpty();
            for (String method : ops) {
                JsonNode op = p.getValue().get(method);
                assertThat(op.path("responses").size()).as("responses of %s %s", method, p.getKey()).isPositive();
                // every {param} of the path is declared as a path parameter of the operation
                Matcher m = PATH_PARAM.matcher(p.getKey());
                while (m.find()) {
                    String name = m.group(1);
                    assertThat(parameters(op)).as("%s %s declares path parameter %s", method, p.getKey(), name)
                            .anyMatch(x -> x.path("in").asText().equals("path") && x.path("name").asText().equals(name));
                }
            }
        });
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).as("references").hasSizeGreaterThan(20);
        for (String ref : refs) {
            assertThat(ref).as("a local reference").startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
        }
    }

    @Test
    void everyErrorAnswerIsTheOneLineError() {
        doc.path("paths").fields().forEachRemaining(p -> {
            for (String method : operations(p.getValue())) {
                p.getValue().get(method).path("responses").fields().forEachRemaining(r -> {
                    if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                        JsonNode schema = resolve(resolve(r.getValue()).path("content").path("application/json")
                                .path("schema"));
                        assertThat(schema.path("required").toString()).as("%s %s %s is {\"error\": ...}", method,
                                p.getKey(), r.getKey()).contains("\"error\"");
                        assertThat(schema.path("properties").path("error").path("type").asText()).isEqualTo("string");
                    }
                });
            }
        });
        // the errors the issue names are all described
        Set<String> described = new TreeSet<>();
        doc.path("paths").forEach(p -> operations(p).forEach(m -> p.get(m).path("responses").fieldNames()
                .forEachRemaining(described::add)));
        assertThat(described).contains("400", "401", "403", "404", "409", "413", "422", "502", "503");
    }

    @Test
    void everyApiRouteTheServerRegistersIsDocumented() {
        List<String> registered = server.server.routes().stream()
                .filter(r -> METHODS.contains(r.substring(0, r.indexOf(' '))))
                .filter(r -> {
                    String path = r.substring(r.indexOf(' ') + 1);
                    return path.startsWith("/api/") || path.startsWith("/-/") || path.equals("/health")
                            || path.equals("/metrics");
                })
                .toList();
        assertThat(registered).as("the server's API routes")
                .contains("POST /api/uploads", "GET /api/uploads/{id}", "GET /api/guard/alerts");
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> operations(p.getValue()).forEach(m ->
                documented.add(m.toUpperCase(Locale.ROOT) + " " + shape(p.getKey()))));
        List<String> missing = registered.stream().filter(r -> {
            int sp = r.indexOf(' ');
            return !documented.contains(r.substring(0, sp) + " " + shape(r.substring(sp + 1)));
        }).toList();
        assertThat(missing).as("routes the server answers that openapi.json does not describe").isEmpty();
    }

    @Test
    void theErrorsTheServerAnswersAreTheOnesDocumented() throws Exception {
        String id = JSON.readTree(server.post("/api/uploads?name=notes.txt", "just notes\n".getBytes(),
                "text/plain").body()).path("id").asText();
        Map<String, TestServer.Answer> tried = new java.util.LinkedHashMap<>();
        tried.put("GET /api/uploads/{id}", server.get("/api/uploads/nope"));
        tried.put("GET /api/uploads/{id}/report", server.get("/api/uploads/" + id + "/report"));
        tried.put("GET /api/uploads/{id}/report ", server.get("/api/uploads/" + id + "/report?format=pdf"));
        tried.put("GET /api/uploads/{id}/files/{position}", server.get("/api/uploads/" + id + "/files/9"));
        tried.put("GET /api/uploads", server.get("/api/uploads?since=yesterday"));
        tried.put("GET /api/compare", server.get("/api/compare?base=" + id));
        tried.put("POST /api/uploads", server.post("/api/uploads?labels=a%01=b", new byte[]{1}, "text/plain"));
        tried.put("POST /api/uploads ", server.post("/api/uploads?name=x.txt", "no".getBytes(), "text/plain"));
        tried.put("POST /api/uploads/{id}/reanalyse", server.post("/api/uploads/nope/reanalyse", new byte[0],
                "text/plain"));
        tried.put("GET /api/guard/alerts", server.get("/api/guard/alerts?state=asleep"));
        tried.put("GET /api/guard/alerts/{id}", server.get("/api/guard/alerts/nope"));
        tried.put("GET /api/services/{name}", server.get("/api/services/a%01b"));
        tried.put("GET /api/services/{name} ", server.get("/api/services/nosuch"));
        tried.put("GET /api/services/{name}/gates", server.get("/api/services/a%01b/gates"));
        tried.put("GET /api/services/{name}/trend", server.get("/api/services/nosuch/trend?limit=0"));
        tried.put("GET /api/baselines/{name}", server.get("/api/baselines/a%01b"));
        tried.put("GET /api/baselines/{name} ", server.get("/api/baselines/nosuch"));
        tried.put("GET /api/cards/{id}", server.get("/api/cards/nosuch"));
        tried.put("PUT /api/services/{name}", server.send(HttpRequest.newBuilder(URI.create(server.base
                + "/api/services/big")).PUT(HttpRequest.BodyPublishers.ofString("{\"source_url\": \""
                + "x".repeat(20_000) + "\"}")).header("Content-Type", "application/json")));
        tried.put("POST /api/services/{name}/gates", server.post("/api/services/shop/gates",
                "{\"verdict\": \"maybe\"}".getBytes(StandardCharsets.UTF_8), "application/json"));
        tried.put("POST /api/captures", server.post("/api/captures", ("{\"url\": \"http://127.0.0.1:1/debug/pprof/\","
                + " \"seconds\": -1}").getBytes(StandardCharsets.UTF_8), "application/json"));
        tried.put("POST /api/captures ", server.post("/api/captures", "{\"url\": \"http://192.0.2.1/debug/pprof/\"}"
                .getBytes(StandardCharsets.UTF_8), "application/json"));
        for (Map.Entry<String, TestServer.Answer> t : tried.entrySet()) {
            String[] route = t.getKey().strip().split(" ");
            int status = t.getValue().status();
            assertThat(status).as("%s answered %s", t.getKey(), t.getValue().body()).isBetween(400, 599);
            JsonNode op = doc.path("paths").path(route[1]).path(route[0].toLowerCase(Locale.ROOT));
            assertThat(op.path("responses").has(Integer.toString(status)))
                    .as("%s answers %d, which openapi.json lists", t.getKey(), status).isTrue();
            assertThat(JSON.readTree(t.getValue().body()).path("error").asText()).isNotBlank();
            valid(route[0], route[1], t.getValue());
        }
    }

    @Test
    void everyAnswerOfEveryRouteIsValidAgainstItsSchema() throws Exception {
        Set<String> answered = new TreeSet<>();
        List<String> problems = new ArrayList<>(); // all of them, not only the first route's
        Checker check = (method, route, a) -> {
            problems.addAll(problems(method, route, a));
            answered.add(method + " " + route);
            return a.header("Content-Type").startsWith("application/json") ? JSON.readTree(a.body()) : null;
        };
        String svc = "shop";
        // uploads: a CPU profile as a raw body; a heap profile and a goroutine dump as multipart; a
        // later heap profile answered at once (pending, unless its analysis was quicker); notes godiag
        // cannot read (422, stored as failed)
        byte[] cpu = Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof"));
        JsonNode first = check.on("POST", "/api/uploads", server.post("/api/uploads?name=cpu.pprof&service=" + svc
                + "&version=v1&labels=env%3Dtest,team%3Dpay&wait=120", cpu, "application/octet-stream"));
        String cpuId = first.get("id").asText();
        assertThat(first.get("status").asText()).isEqualTo("done");
        JsonNode second = check.on("POST", "/api/uploads", server.postMultipart("/api/uploads?wait=120", List.of(
                TestServer.MultipartPart.file("heap.pprof", Files.readAllBytes(Corpus.file("go1.27/cpuwork/heap.pprof"))),
                TestServer.MultipartPart.file("goroutine.txt",
                        Files.readAllBytes(Corpus.file("go1.27/leakysvc/goroutine.t3.debug2.txt"))),
                TestServer.MultipartPart.field("service", svc), TestServer.MultipartPart.field("version", "v2"))));
        String heapId = second.get("id").asText();
        assertThat(second.get("kinds").toString()).contains("heap", "goroutines");
        String pendingId = check.on("POST", "/api/uploads", server.post("/api/uploads?name=heap.pprof&service=" + svc
                + "&version=v3", Files.readAllBytes(Corpus.file("go1.27/leakysvc/heap.t0.pprof")),
                "application/octet-stream")).get("id").asText();
        check.on("GET", "/api/uploads/{id}/report", server.get("/api/uploads/" + pendingId + "/report?wait=120"));
        String failedId = check.on("POST", "/api/uploads", server.post("/api/uploads?name=notes.txt",
                "just notes\n".getBytes(StandardCharsets.UTF_8), "text/plain")).get("id").asText();

        check.on("GET", "/api/uploads", server.get("/api/uploads"));
        assertThat(check.on("GET", "/api/uploads", server.get("/api/uploads?service=" + svc + "&limit=1"))
                .get("next").asText()).startsWith("before=");
        JsonNode detail = check.on("GET", "/api/uploads/{id}", server.get("/api/uploads/" + heapId));
        assertThat(detail.get("files")).hasSize(2);
        check.on("GET", "/api/uploads/{id}", server.get("/api/uploads/" + failedId));
        assertThat(check.on("GET", "/api/uploads/{id}/report", server.get("/api/uploads/" + cpuId + "/report"))
                .get("findings").size()).isPositive();
        check.on("GET", "/api/uploads/{id}/report", server.get("/api/uploads/" + cpuId + "/report?format=html"));
        check.on("GET", "/api/uploads/{id}/files/{position}", server.get("/api/uploads/" + heapId + "/files/1"));
        check.on("GET", "/api/compare", server.get("/api/compare?base=" + heapId + "&new=" + pendingId));
        check.on("POST", "/api/uploads/{id}/reanalyse", server.post("/api/uploads/" + cpuId + "/reanalyse",
                new byte[0], "text/plain"));
        check.on("GET", "/api/uploads/{id}/report", server.get("/api/uploads/" + cpuId + "/report?wait=120"));

        // a capture from a live service's /debug/pprof/heap, no CPU profile
        String capture = "{\"url\": \"http://127.0.0.1:" + pprof.getAddress().getPort() + "/debug/pprof/heap\","
                + " \"service\": \"" + svc + "\", \"version\": \"v4\", \"labels\": {\"from\": \"capture\"}, \"seconds\": 0}";
        JsonNode captured = check.on("POST", "/api/captures", server.post("/api/captures?wait=120",
                capture.getBytes(StandardCharsets.UTF_8), "application/json"));
        assertThat(captured.get("origin").asText()).contains("/debug/pprof/heap");

        // the service: its link template, a gate result CI posted, its trend
        check.on("PUT", "/api/services/{name}", server.send(HttpRequest.newBuilder(URI.create(server.base
                + "/api/services/" + svc)).PUT(HttpRequest.BodyPublishers.ofString(
                "{\"source_url\": \"https://git.example.com/org/shop/blob/{version}/{file}#L{line}\"}"))
                .header("Content-Type", "application/json")));
        Path base = bench("base.txt", 1000, 1010, 1020, 1030, 1040);
        Peers.Result gate = Godiag.run("gate", "--baseline", base.toString(), "--candidate",
                bench("slow.txt", 1500, 1510, 1520, 1530, 1540).toString(), "--format", "json");
        assertThat(gate.stdout()).as(gate.stderr()).contains("\"verdict\"");
        check.on("POST", "/api/services/{name}/gates", server.post("/api/services/" + svc
                + "/gates?version=v2&labels=branch%3Dmain", gate.stdout().getBytes(StandardCharsets.UTF_8),
                "application/json"));
        check.on("GET", "/api/services", server.get("/api/services"));
        JsonNode service = check.on("GET", "/api/services/{name}", server.get("/api/services/" + svc));
        assertThat(service.get("latest_gate").isObject()).isTrue();
        JsonNode trend = check.on("GET", "/api/services/{name}/trend", server.get("/api/services/" + svc + "/trend"));
        assertThat(trend.get("series").findValuesAsText("name")).contains("heap_inuse_bytes", "goroutines");
        assertThat(trend.get("gates")).hasSize(1);
        assertThat(check.on("GET", "/api/services/{name}/gates", server.get("/api/services/" + svc + "/gates"))
                .get("gates").get(0).get("gate").get("verdict").asText()).isEqualTo("fail");

        // a baseline the CLI saved into the server's database
        String db = "sqlite:" + server.dataDir.resolve("godiag.db");
        Peers.Result saved = Godiag.run("baseline", "save", "main", base.toString(),
                Corpus.file("go1.27/cpuwork/gctrace.log").toString(), "--label", "main@abc123", "--db", db);
        assertThat(saved.exitCode()).as(saved.stderr()).isZero();
        check.on("GET", "/api/baselines", server.get("/api/baselines"));
        assertThat(check.on("GET", "/api/baselines/{name}", server.get("/api/baselines/main")).get("runs")).hasSize(1);

        // the knowledge base
        JsonNode cards = check.on("GET", "/api/cards", server.get("/api/cards"));
        for (JsonNode c : cards.get("cards")) {
            check.on("GET", "/api/cards/{id}", server.get("/api/cards/" + c.get("id").asText()));
        }

        // guard: its target (down: nothing listens), and an alert with evidence in guard's store
        Await.until("guard scraped its target", () -> server.get("/api/guard/targets").body().contains("\"down\""),
                () -> server.get("/api/guard/targets").body());
        check.on("GET", "/api/guard/targets", server.get("/api/guard/targets"));
        byte[] dump = Files.readAllBytes(Corpus.file("go1.27/leakysvc/goroutine.t3.debug2.txt"));
        AlertEvidence evidence = new AlertEvidence("cap-1", Instant.now(),
                List.of(new AlertEvidence.GrowingBucket("main.(*worker).send", "main.go", 42, "chan send", 812, 12,
                        "leak: channel send nobody receives")),
                List.of(new AlertEvidence.FindingSummary("goroutines.leak", "critical", "812 goroutines blocked",
                        "main.go:42", "give the channel a receiver")), List.of("goroutine.debug2.txt"));
        Alert alert = new Alert("alert-1", new Target("pay", "pay-1:6060", Map.of("zone", "b")), Metric.GOROUTINES,
                AlertState.FIRING, Instant.now(), null, 812, 12, Double.POSITIVE_INFINITY, Stage.NOTIFY, null);
        guard.repository().recordTransition(alert, List.of());
        guard.repository().saveEvidence(alert.id(), evidence,
                List.of(new GuardRepository.EvidenceFile("goroutine.debug2.txt", dump)));
        Alert resolved = new Alert("alert-2", new Target("pay", "pay-2:6060", Map.of()), Metric.HEAP,
                AlertState.FIRING, Instant.now(), null, 3e8, 1e8, 2e8, Stage.CAPTURE, null);
        guard.repository().recordTransition(resolved, List.of());
        guard.repository().recordTransition(resolved.resolved(Instant.now(), 1.5e8), List.of());
        assertThat(check.on("GET", "/api/guard/alerts", server.get("/api/guard/alerts")).get("alerts")).hasSize(2);
        check.on("GET", "/api/guard/alerts", server.get("/api/guard/alerts?state=resolved"));
        assertThat(check.on("GET", "/api/guard/alerts/{id}", server.get("/api/guard/alerts/alert-1"))
                .get("evidence").get("capture_id").asText()).isEqualTo("cap-1");
        check.on("GET", "/api/guard/evidence/{capture}", server.get("/api/guard/evidence/cap-1"));
        check.on("GET", "/api/guard/evidence/{capture}/{file}",
                server.get("/api/guard/evidence/cap-1/goroutine.debug2.txt"));
        check.on("POST", "/-/reload", server.post("/-/reload", new byte[0], "text/plain"));

        // the server itself
        check.on("GET", "/health", server.get("/health"));
        check.on("GET", "/metrics", server.get("/metrics"));
        check.on("GET", "/api/openapi.json", server.get("/api/openapi.json"));

        Set<String> documentedGets = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> {
            if (p.getValue().has("get")) {
                documentedGets.add("GET " + p.getKey());
            }
        });
        assertThat(problems).as("answers that openapi.json does not describe").isEmpty();
        assertThat(answered).as("routes answered and checked").containsAll(documentedGets)
                .contains("POST /api/uploads", "POST /api/captures", "PUT /api/services/{name}",
                        "POST /api/services/{name}/gates", "POST /api/uploads/{id}/reanalyse");
    }

    @Test
    void theValidatorRefusesAnAnswerWithAFieldMissingOfTheWrongTypeOrUnknown() throws Exception {
        JsonNode health = JSON.readTree(server.get("/health").body());
        JsonNode schema = responseSchema("GET", "/health", 200, "application/json");
        assertThat(new Validator(doc).check(health, schema)).isEmpty();

        ObjectNode missing = health.deepCopy();
        missing.remove("version");
        assertThat(new Validator(doc).check(missing, schema)).containsExactly("$: no required version");
        ObjectNode wrongType = health.deepCopy();
        wrongType.put("read_only", "no");
        assertThat(new Validator(doc).check(wrongType, schema)).containsExactly("$.read_only: \"no\" is not a boolean");
        ObjectNode unknown = health.deepCopy();
        unknown.put("uptime", 12);
        assertThat(new Validator(doc).check(unknown, schema)).containsExactly("$: unknown property uptime");
        ObjectNode badEnum = health.deepCopy();
        badEnum.put("status", "meh");
        assertThat(new Validator(doc).check(badEnum, schema)).hasSize(1).allMatch(p -> p.startsWith("$.status:"));
        ObjectNode badMap = health.deepCopy();
        ((ObjectNode) badMap.get("uploads")).put("done", 1.5);
        assertThat(new Validator(doc).check(badMap, schema)).containsExactly("$.uploads.done: 1.5 is not an integer");

        // deep, through references, arrays and nullable: a trend's point and a service's latest gate
        JsonNode trendSchema = responseSchema("GET", "/api/services/{name}/trend", 200, "application/json");
        JsonNode trend = JSON.readTree("""
                {"service": "s", "uploads": [{"id": "u1", "at": "2026-12-01T10:00:00Z", "version": null}],
                 "series": [{"name": "goroutines", "unit": "goroutines", "points": [
                     {"upload": "u1", "at": "2026-12-01T10:00:00Z", "version": null, "value": 12}]}],
                 "gates": []}""");
        assertThat(new Validator(doc).check(trend, trendSchema)).isEmpty();
        ObjectNode point = (ObjectNode) trend.get("series").get(0).get("points").get(0);
        point.put("value", "12");
        point.putNull("at");
        point.remove("upload");
        assertThat(new Validator(doc).check(trend, trendSchema)).containsExactlyInAnyOrder(
                "$.series[0].points[0]: no required upload",
                "$.series[0].points[0].at: null is not nullable",
                "$.series[0].points[0].value: \"12\" is not a number");
        JsonNode serviceSchema = responseSchema("GET", "/api/services/{name}", 200, "application/json");
        ObjectNode service = (ObjectNode) JSON.readTree("""
                {"name": "s", "source_url": null, "uploads": 0, "last_upload": null, "url": "/services/s",
                 "latest_uploads": [], "latest_gate": null, "links": {"history": "h", "trend": "t", "gates": "g"}}""");
        assertThat(new Validator(doc).check(service, serviceSchema)).isEmpty();
        service.set("latest_gate", JSON.readTree("{\"id\": 1}"));
        assertThat(new Validator(doc).check(service, serviceSchema)).contains("$.latest_gate: no required passed");
        service.put("last_upload", "yesterday");
        assertThat(new Validator(doc).check(service, serviceSchema))
                .contains("$.last_upload: \"yesterday\" is not a date-time");
        // a keyword it does not check is a problem, not a pass
        assertThat(new Validator(doc).check(JSON.readTree("1"), JSON.readTree("{\"oneOf\": [{\"type\": \"string\"}]}")))
                .containsExactly("$: the schema keyword oneOf is not checked");
    }

    @Test
    void everyRouteAnswersObjectsThatListAllTheirProperties() {
        // the top-level object of every JSON answer is closed: a field the server adds must be documented
        doc.path("paths").fields().forEachRemaining(p -> {
            for (String method : operations(p.getValue())) {
                p.getValue().get(method).path("responses").fields().forEachRemaining(r -> {
                    JsonNode schema = resolve(resolve(r.getValue()).path("content").path("application/json")
                            .path("schema"));
                    if (!schema.isMissingNode() && !p.getKey().equals("/api/openapi.json")) {
                        assertThat(schema.path("additionalProperties").isBoolean()
                                && !schema.path("additionalProperties").asBoolean())
                                .as("%s %s %s lists all its properties (additionalProperties: false)", method,
                                        p.getKey(), r.getKey()).isTrue();
                    }
                });
            }
        });
    }

    // --- helpers

    /** A request's answer checked against the document; its JSON body, or null when it is not JSON. */
    private interface Checker {
        JsonNode on(String method, String route, TestServer.Answer answer) throws Exception;
    }

    /** The answer's status and content type are documented for the route, and a JSON body is valid against its schema. */
    private static void valid(String method, String route, TestServer.Answer a) throws Exception {
        assertThat(problems(method, route, a)).isEmpty();
    }

    /** What of the answer openapi.json does not describe, each as one line naming the route. */
    private static List<String> problems(String method, String route, TestServer.Answer a) throws Exception {
        String type = String.valueOf(a.header("Content-Type")).replaceFirst(";.*", "").strip();
        String answer = method + " " + route + " " + a.status() + " " + type;
        JsonNode schema = responseSchema(method, route, a.status(), type);
        if (schema.isMissingNode()) {
            return List.of(answer + " is not listed (" + (a.body().length() > 300 ? a.body().substring(0, 300)
                    : a.body()) + ")");
        }
        if (!type.equals("application/json")) {
            return List.of();
        }
        return new Validator(doc).check(JSON.readTree(a.body()), schema).stream().map(p -> answer + " " + p).toList();
    }

    /** The schema the document gives for a route's answer of that status and media type (missing when none). */
    private static JsonNode responseSchema(String method, String route, int status, String mediaType) {
        JsonNode response = resolve(doc.path("paths").path(route).path(method.toLowerCase(Locale.ROOT))
                .path("responses").path(Integer.toString(status)));
        return response.path("content").path(mediaType).path("schema");
    }

    /** Benchmark output of five runs of one benchmark, as `godiag gate` reads it. */
    private static Path bench(String name, double... nsPerOp) throws Exception {
        StringBuilder sb = new StringBuilder("goos: linux\npkg: example.com/x\n");
        for (double v : nsPerOp) {
            sb.append("BenchmarkEncode-8   \t  100000\t ").append(v).append(" ns/op\t  2048 B/op\t  12 allocs/op\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.append("PASS\n").toString());
        return f;
    }

    /**
     * The part of OpenAPI 3.0's schemas the document uses: type, required, properties,
     * additionalProperties (false, true or a schema), items, $ref, allOf, nullable, enum and
     * format date-time. A keyword it does not know is a problem too, so the document cannot
     * describe an answer in a way this check would silently skip.
     */
    static final class Validator {
        private static final Set<String> ANNOTATIONS = Set.of("description", "example", "default", "minimum",
                "maximum", "maxLength", "title");
        private final JsonNode doc;

        Validator(JsonNode doc) {
            this.doc = doc;
        }

        /** The problems of {@code value} against {@code schema}, each as "$.path: what". */
        List<String> check(JsonNode value, JsonNode schema) {
            List<String> problems = new ArrayList<>();
            check(value, schema, "$", problems);
            return problems;
        }

        private void check(JsonNode value, JsonNode schema, String at, List<String> problems) {
            if (schema.has("$ref")) {
                String ref = schema.get("$ref").asText();
                JsonNode target = ref.startsWith("#/") ? doc.at(ref.substring(1)) : null;
                if (target == null || target.isMissingNode()) {
                    problems.add(at + ": the reference " + ref + " does not resolve");
                } else {
                    check(value, target, at, problems);
                }
                return;
            }
            for (String k : (Iterable<String>) schema::fieldNames) {
                if (!ANNOTATIONS.contains(k) && !Set.of("type", "required", "properties", "additionalProperties",
                        "items", "allOf", "nullable", "enum", "format").contains(k)) {
                    problems.add(at + ": the schema keyword " + k + " is not checked");
                }
            }
            if (value.isNull()) {
                if (!schema.path("nullable").asBoolean(false)) {
                    problems.add(at + ": null is not nullable");
                }
                return;
            }
            for (JsonNode part : schema.path("allOf")) {
                check(value, part, at, problems);
            }
            String type = schema.path("type").asText("");
            boolean typed = switch (type) {
                case "" -> true;
                case "object" -> value.isObject();
                case "array" -> value.isArray();
                case "string" -> value.isTextual();
                case "number" -> value.isNumber();
                case "integer" -> value.isIntegralNumber();
                case "boolean" -> value.isBoolean();
                default -> {
                    problems.add(at + ": unknown type " + type);
                    yield true;
                }
            };
            if (!typed) {
                String shown = value.toString();
                problems.add(at + ": " + (shown.length() > 60 ? shown.substring(0, 60) + "…" : shown) + " is not "
                        + (type.matches("[aeiou].*") ? "an " : "a ") + type);
                return;
            }
            if (schema.has("enum")) {
                boolean listed = false;
                for (JsonNode e : schema.get("enum")) {
                    listed |= e.equals(value);
                }
                if (!listed) {
                    problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
                }
            }
            if (schema.path("format").asText().equals("date-time") && value.isTextual()) {
                try {
                    Instant.parse(value.asText());
                } catch (DateTimeParseException e) {
                    problems.add(at + ": " + value + " is not a date-time");
                }
            }
            if (value.isObject()) {
                for (JsonNode r : schema.path("required")) {
                    if (!value.has(r.asText())) {
                        problems.add(at + ": no required " + r.asText());
                    }
                }
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.path("additionalProperties");
                for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) value::fields) {
                    String where = at + "." + f.getKey();
                    if (properties.has(f.getKey())) {
                        check(f.getValue(), properties.get(f.getKey()), where, problems);
                    } else if (additional.isObject()) {
                        check(f.getValue(), additional, where, problems);
                    } else if (additional.isBoolean() && !additional.asBoolean()) {
                        problems.add(at + ": unknown property " + f.getKey());
                    }
                }
            }
            if (value.isArray() && schema.has("items")) {
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.get("items"), at + "[" + i + "]", problems);
                }
            }
        }
    }


    /** A path with its parameter names dropped: /api/uploads/{} matches /api/uploads/{id}. */
    private static String shape(String path) {
        return PATH_PARAM.matcher(path).replaceAll("{}");
    }

    private static List<String> operations(JsonNode pathItem) {
        List<String> out = new ArrayList<>();
        for (String m : List.of("get", "put", "post", "delete", "patch", "head", "options")) {
            if (pathItem.has(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private static List<JsonNode> parameters(JsonNode op) {
        List<JsonNode> out = new ArrayList<>();
        op.path("parameters").forEach(p -> out.add(resolve(p)));
        return out;
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        while (n.has("$ref")) {
            n = doc.at(n.get("$ref").asText().substring(1));
        }
        return n;
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("$ref")) {
                    out.add(f.getValue().asText());
                } else {
                    collectRefs(f.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }
}
