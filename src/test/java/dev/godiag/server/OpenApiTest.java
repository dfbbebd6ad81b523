package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.guard.Guard;
import dev.godiag.guard.config.Shards;
import dev.godiag.store.Database;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.StoreLocation;
import dev.godiag.testutil.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 * operation has responses, every reference resolves, every error answer is the one-line Error, and
 * the errors the server really answers are the ones the document lists.
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
        server = TestServer.start(TestServer.Settings.sqlite().withGuard(guard));
        TestServer.Answer a = server.get("/api/openapi.json");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        doc = JSON.readTree(a.body());
    }

    @AfterAll
    static void stop() {
        Await.closeAll(server, guard, guardDb);
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
        for (Map.Entry<String, TestServer.Answer> t : tried.entrySet()) {
            String[] route = t.getKey().strip().split(" ");
            int status = t.getValue().status();
            assertThat(status).as("%s answered %s", t.getKey(), t.getValue().body()).isBetween(400, 599);
            JsonNode op = doc.path("paths").path(route[1]).path(route[0].toLowerCase(Locale.ROOT));
            assertThat(op.path("responses").has(Integer.toString(status)))
                    .as("%s answers %d, which openapi.json lists", t.getKey(), status).isTrue();
            assertThat(JSON.readTree(t.getValue().body()).path("error").asText()).isNotBlank();
        }
    }

    // --- helpers

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
