package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/captures against a real Go service serving net/http/pprof (testdata/gen/guardsvc), a
 * slow JDK server on loopback that holds its answers (to fill the captures' bound), and a port where
 * nothing listens; one server with an allowlist and one without.
 */
class CaptureApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static GuardService service;
    static HttpServer slow;
    static final AtomicInteger slowArrived = new AtomicInteger();
    static volatile CountDownLatch slowRelease = new CountDownLatch(1);
    static int deadPort;
    static int offListPort;
    static TestServer server;
    static TestServer disabled;

    @BeforeAll
    static void start() throws Exception {
        service = GuardService.start(Tools.anyGo(), "-mode", "healthy");
        byte[] heap = Files.readAllBytes(Corpus.file("go1.27/cpuwork/heap.pprof"));
        slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        slow.createContext("/debug/pprof/heap", ex -> {
            slowArrived.incrementAndGet();
            try {
                slowRelease.await(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, heap.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(heap);
            }
        });
        slow.start();
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            deadPort = a.getLocalPort();
            offListPort = b.getLocalPort();
        }
        server = TestServer.start(TestServer.Settings.sqlite().withCaptureAllow(List.of(service.address,
                "127.0.0.1:" + slow.getAddress().getPort(), "127.0.0.1:" + deadPort)));
        disabled = TestServer.start();
    }

    @AfterAll
    static void stop() {
        slowRelease.countDown();
        Await.closeAll(server, disabled, service, () -> slow.stop(0));
    }

    static TestServer.Answer capture(TestServer s, String path, String body) {
        return s.post(path, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    static void assertError(TestServer.Answer a, int status, String contains) throws Exception {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(a.body());
        assertThat(e.size()).as(a.body()).isEqualTo(1);
        assertThat(e.get("error").asText()).contains(contains).doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void aCaptureOfALiveServiceIsAnUploadFromItsUrl() throws Exception {
        String url = "http://" + service.address + "/debug/pprof/";
        TestServer.Answer a = capture(server, "/api/captures?wait=120", "{\"url\": \"" + url + "\", \"service\": \"live\","
                + " \"version\": \"v9\", \"labels\": {\"env\": \"test\", \"zone\": \"a, b\"}, \"seconds\": 1}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        JsonNode u = JSON.readTree(a.body());
        String id = u.get("id").asText();
        assertThat(a.header("Location")).isEqualTo("/api/uploads/" + id);
        assertThat(u.get("status").asText()).as(a.body()).isEqualTo("done");
        assertThat(u.get("origin").asText()).isEqualTo(url);
        assertThat(u.get("service").asText()).isEqualTo("live");
        assertThat(u.get("version").asText()).isEqualTo("v9");
        assertThat(u.get("labels").get("zone").asText()).isEqualTo("a, b");

        JsonNode meta = JSON.readTree(server.get("/api/uploads/" + id).body());
        assertThat(meta.get("files").findValuesAsText("name")).contains("goroutine-debug2.txt", "heap.pprof",
                "allocs.pprof", "block.pprof", "mutex.pprof", "profile.pprof", "vars.json", "metrics.txt");
        assertThat(meta.get("kinds").toString()).contains("\"cpu\"").contains("\"heap\"").contains("\"goroutines\"");
        // the service's own code is in the report: guardsvc's goroutines and its CPU profile were read
        JsonNode report = JSON.readTree(server.get("/api/uploads/" + id + "/report?format=json").body());
        assertThat(report.get("inputs").findValuesAsText("name")).contains("profile.pprof", "goroutine-debug2.txt");
        assertThat(server.get("/api/uploads?service=live").body()).contains(id);

        // seconds 0: no CPU profile
        TestServer.Answer noCpu = capture(server, "/api/captures", "{\"url\": \"" + url + "\", \"seconds\": 0}");
        assertThat(noCpu.status()).as(noCpu.body()).isEqualTo(201);
        JsonNode files = JSON.readTree(server.get("/api/uploads/" + JSON.readTree(noCpu.body()).get("id").asText())
                .body()).get("files");
        assertThat(files.findValuesAsText("name")).contains("heap.pprof").doesNotContain("profile.pprof");

        // one endpoint: one file
        TestServer.Answer one = capture(server, "/api/captures", "{\"url\": \"http://" + service.address
                + "/debug/pprof/heap\"}");
        assertThat(one.status()).as(one.body()).isEqualTo(201);
        assertThat(JSON.readTree(server.get("/api/uploads/" + JSON.readTree(one.body()).get("id").asText()).body())
                .get("files").findValuesAsText("name")).containsExactly("heap.pprof");
    }

    @Test
    void refusedCapturesSayWhyAndStoreNothing() throws Exception {
        int before = JSON.readTree(server.get("/api/uploads?limit=500").body()).get("uploads").size();
        String base = "http://" + service.address + "/debug/pprof/";
        assertError(capture(disabled, "/api/captures", "{\"url\": \"" + base + "\"}"), 403,
                "capture from a URL is disabled: the server was started without --capture-allow");
        assertError(capture(server, "/api/captures", "{\"url\": \"http://127.0.0.1:" + offListPort
                + "/debug/pprof/\"}"), 403, "127.0.0.1:" + offListPort + " is not on the capture allowlist");
        // a name is not its address: localhost is not on the list, 127.0.0.1 is
        assertError(capture(server, "/api/captures", "{\"url\": \"http://localhost:" + deadPort + "/debug/pprof/\"}"),
                403, "is not on the capture allowlist");
        assertError(capture(server, "/api/captures", "{\"url\": \"http://" + service.address + "/admin\"}"), 403,
                "not a /debug/pprof/ URL");
        assertError(capture(server, "/api/captures", "{\"url\": \"file:///etc/passwd\"}"), 403,
                "only http and https");
        // allowed, but nothing answers there
        assertError(capture(server, "/api/captures", "{\"url\": \"http://127.0.0.1:" + deadPort
                + "/debug/pprof/heap\", \"seconds\": 0}"), 502, "the service could not be captured: http://127.0.0.1:"
                + deadPort + "/debug/pprof/heap");
        // the request itself
        assertError(capture(server, "/api/captures", "url=" + base), 400, "the capture request is not valid JSON");
        assertError(capture(server, "/api/captures", "{\"service\": \"x\"}"), 400, "the capture request needs a url");
        assertError(capture(server, "/api/captures", "{\"url\": \"" + base + "\", \"seconds\": \"5\"}"), 400,
                "seconds must be a whole number from 0");
        assertError(capture(server, "/api/captures", "{\"url\": \"" + base + "\", \"seconds\": 301}"), 400,
                "seconds must be a whole number from 0");
        assertError(capture(server, "/api/captures", "{\"url\": \"" + base + "\", \"second\": 1}"), 400,
                "unknown field 'second'");
        assertError(capture(server, "/api/captures", "{\"url\": \"" + base + "\", \"labels\": {\"a b\": \"x\"}}"), 400,
                "labels: 'a b' is not a label name");
        assertError(capture(server, "/api/captures", "{\"url\": \"" + base + "\", \"labels\": \"env=prod\"}"), 400,
                "labels must be an object");
        assertThat(JSON.readTree(server.get("/api/uploads?limit=500").body()).get("uploads").size()).isEqualTo(before);
    }

    @Test
    void atMostFourCapturesFetchAtOnceAndTheNextIsToldToComeBack() throws Exception {
        String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/debug/pprof/heap";
        String body = "{\"url\": \"" + url + "\", \"service\": \"slow\"}";
        slowArrived.set(0);
        slowRelease = new CountDownLatch(1);
        List<Future<TestServer.Answer>> held = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CaptureApi.MAX_CONCURRENT; i++) {
                held.add(clients.submit(() -> capture(server, "/api/captures", body)));
            }
            Await.until("four captures waiting on the slow service", () -> slowArrived.get() == CaptureApi.MAX_CONCURRENT,
                    () -> "arrived: " + slowArrived.get());
            TestServer.Answer fifth = capture(server, "/api/captures", body);
            assertError(fifth, 429, CaptureApi.MAX_CONCURRENT + " captures are running");
            assertThat(fifth.header("Retry-After")).isEqualTo("5");
            assertThat(slowArrived.get()).as("the refused capture fetched nothing").isEqualTo(CaptureApi.MAX_CONCURRENT);
            slowRelease.countDown();
            for (Future<TestServer.Answer> f : held) {
                TestServer.Answer a = f.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(a.status()).as(a.body()).isEqualTo(201);
            }
        }
        // the bound is free again
        TestServer.Answer after = capture(server, "/api/captures", body);
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        assertThat(JSON.readTree(server.get("/api/uploads?service=slow").body()).get("uploads"))
                .hasSize(CaptureApi.MAX_CONCURRENT + 1);
    }
}
