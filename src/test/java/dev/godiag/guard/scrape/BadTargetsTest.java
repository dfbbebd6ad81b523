package dev.godiag.guard.scrape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.godiag.guard.config.HttpSettings;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Targets that are down, slow, trickling, garbage, huge or locked: each scrape ends within the
 * job's timeout with one line saying why, and one bad target does not hold up a good one.
 */
class BadTargetsTest {
    private static final String METRICS = "# TYPE go_goroutines gauge\ngo_goroutines 42\n"
            + "go_memstats_heap_inuse_bytes 1.048576e+06\nprocess_open_fds 9\nprocess_start_time_seconds 1.7e9\n";
    /** For the targets that answer: generous, the machine is shared. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** For the targets that never finish. */
    private static final Duration SHORT = Duration.ofSeconds(1);

    private static HttpServer server;
    private static String address;
    private static String downAddress;
    private static final CountDownLatch END = new CountDownLatch(1);
    private static TargetScraper scraper;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", BadTargetsTest::serve);
        server.start();
        address = "127.0.0.1:" + server.getAddress().getPort();
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            downAddress = "127.0.0.1:" + s.getLocalPort(); // closed below: nothing listens there
        }
        scraper = new TargetScraper(new ScrapeLimits(1 << 20, 1 << 20, Duration.ofSeconds(2)), Clock.systemUTC(),
                "godiag-guard-test");
    }

    @AfterAll
    static void stop() {
        END.countDown();
        if (scraper != null) {
            scraper.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static void serve(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        try (x) {
            switch (path) {
                case "/good/metrics" -> reply(x, 200, METRICS);
                case "/slow/metrics" -> {
                    await();
                    reply(x, 200, METRICS);
                }
                case "/trickle/metrics" -> {
                    x.sendResponseHeaders(200, 0);
                    OutputStream out = x.getResponseBody();
                    for (int i = 0; i < 600 && END.getCount() > 0; i++) {
                        out.write('#');
                        out.flush();
                        sleep(50);
                    }
                }
                case "/garbage/metrics" -> {
                    byte[] b = new byte[4096];
                    new Random(7).nextBytes(b);
                    x.sendResponseHeaders(200, b.length);
                    x.getResponseBody().write(b);
                }
                case "/control/metrics" -> reply(x, 200, "go_goroutines \u0001\u001b[2J\n");
                case "/html/metrics" -> reply(x, 200, "<html><body>Welcome</body></html>\n");
                case "/other/metrics" -> reply(x, 200, "# TYPE http_requests_total counter\nhttp_requests_total 7\n");
                case "/huge/metrics" -> {
                    x.sendResponseHeaders(200, 0); // chunked, no length: only the reader can stop it
                    byte[] line = "go_goroutines 1\n".getBytes(StandardCharsets.US_ASCII);
                    OutputStream out = x.getResponseBody();
                    for (long sent = 0; sent < (64L << 20) && END.getCount() > 0; sent += line.length) {
                        out.write(line);
                    }
                }
                case "/declared/metrics" -> {
                    x.sendResponseHeaders(200, 1L << 30); // the length alone is over the limit
                    x.getResponseBody().write(METRICS.getBytes(StandardCharsets.US_ASCII));
                    x.getResponseBody().flush();
                    await();
                }
                case "/error/metrics" -> reply(x, 503, "overloaded");
                case "/nan/metrics" -> reply(x, 200, "go_goroutines NaN\n");
                case "/basic/metrics" -> {
                    String expected = "Basic " + java.util.Base64.getEncoder()
                            .encodeToString("guard:s3cret".getBytes(StandardCharsets.UTF_8));
                    authorized(x, expected);
                }
                case "/bearer/metrics" -> authorized(x, "Bearer t0ken");
                case "/badpprof/goroutine" -> {
                    if ("debug=1".equals(x.getRequestURI().getQuery())) {
                        reply(x, 200, "goroutine profile: total 3\n3 @ 0x1 0x2\n#\t0x1\tmain.main+0x10\t/src/main.go:9\n");
                    } else {
                        reply(x, 200, "<html>login</html>\n");
                    }
                }
                case "/badpprof/heap" -> {
                    x.sendResponseHeaders(200, 0);
                    byte[] chunk = new byte[64 << 10];
                    chunk[0] = 0x1f;
                    chunk[1] = (byte) 0x8b;
                    for (int i = 0; i < 64 && END.getCount() > 0; i++) {
                        x.getResponseBody().write(chunk);
                    }
                }
                case "/badpprof/goroutineleak", "/debug/vars" -> await();
                default -> reply(x, 404, "404 page not found\n");
            }
        } catch (IOException e) {
            // the scraper hung up on purpose
        }
    }

    private static void authorized(HttpExchange x, String expected) throws IOException {
        if (expected.equals(x.getRequestHeaders().getFirst("Authorization"))) {
            reply(x, 200, METRICS);
        } else {
            reply(x, 401, "unauthorized");
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    private static void await() {
        try {
            END.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Reading scrape(String metricsPath) {
        return scrape(metricsPath, HttpSettings.NONE);
    }

    private static Reading scrape(String metricsPath, HttpSettings http) {
        return scrape(metricsPath, http, TIMEOUT);
    }

    private static Reading scrape(String metricsPath, HttpSettings http, Duration timeout) {
        ScrapeJob job = Jobs.job("bad", "http", metricsPath, timeout, http);
        Reading r = scraper.scrape(job, Jobs.target(job, address));
        assertThat(r.duration()).as("%s took", metricsPath).isLessThan(timeout.plusSeconds(5));
        return r;
    }

    @Test
    void goodTargetServesEveryValue() {
        Reading r = scrape("/good/metrics");
        assertThat(r.up()).isTrue();
        assertThat(r.values()).containsEntry(Metric.GOROUTINES, 42.0).containsEntry(Metric.HEAP, 1048576.0)
                .containsEntry(Metric.FDS, 9.0);
        assertThat(r.processStartSeconds().getAsDouble()).isEqualTo(1.7e9);
    }

    @Test
    void downTargetIsRefused() {
        ScrapeJob job = Jobs.job("/metrics", TIMEOUT);
        Reading r = scraper.scrape(job, Jobs.target(job, downAddress));
        assertThat(r.up()).isFalse();
        assertThat(r.error()).isEqualTo("connection refused");
        Capture c = scraper.capture(job, Jobs.target(job, downAddress));
        assertThat(c.files()).isEmpty();
        assertThat(c.problems()).containsExactly("goroutine: connection refused");
    }

    @Test
    void slowTargetTimesOutWithoutHoldingUpOthers() throws Exception {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var slow = threads.submit(() -> scrape("/slow/metrics", HttpSettings.NONE, SHORT));
            var good = threads.submit(() -> scrape("/good/metrics"));
            assertThat(good.get().error()).isNull();
            assertThat(slow.get().error()).isEqualTo("timeout after 1s");
        }
    }

    @Test
    void tricklingBodyIsCutAtTheTimeoutToo() {
        assertThat(scrape("/trickle/metrics", HttpSettings.NONE, SHORT).error()).isEqualTo("timeout after 1s");
    }

    @Test
    void garbageIsNotPrometheusText() {
        assertThat(scrape("/garbage/metrics").error()).startsWith("/garbage/metrics is not Prometheus text (line ")
                .endsWith(", and /debug/pprof/goroutine?debug=1 answered HTTP 404")
                .doesNotContainPattern("\\p{Cntrl}");
        // what is quoted from the target cannot drive a terminal or break the line
        assertThat(scrape("/control/metrics").error()).startsWith("/control/metrics is not Prometheus text (line 1: bad value")
                .contains("\\x01\\x1b[2J").doesNotContainPattern("\\p{Cntrl}");
        assertThat(scrape("/html/metrics").error()).isEqualTo("/html/metrics is not Prometheus text "
                + "(line 1: expected a metric name), and /debug/pprof/goroutine?debug=1 answered HTTP 404");
        assertThat(scrape("/other/metrics").error())
                .isEqualTo("no go_goroutines in /other/metrics, and /debug/pprof/goroutine?debug=1 answered HTTP 404");
        assertThat(scrape("/nan/metrics").error()).startsWith("no go_goroutines in /nan/metrics");
    }

    @Test
    void hugeResponsesAreCutAtTheLimit() {
        assertThat(scrape("/huge/metrics").error()).isEqualTo("response over 1 MiB");
        assertThat(scrape("/declared/metrics").error()).isEqualTo("response over 1 MiB");
        // the cut exchange leaves the client usable
        assertThat(scrape("/good/metrics").up()).isTrue();
    }

    @Test
    void httpErrorsAreNamed() {
        assertThat(scrape("/error/metrics").error()).isEqualTo("HTTP 503 from /error/metrics");
        assertThat(scrape("/nothing/metrics").error())
                .isEqualTo("no /nothing/metrics (HTTP 404), and /debug/pprof/goroutine?debug=1 answered HTTP 404");
    }

    @Test
    void credentialsAreSent() {
        assertThat(scrape("/basic/metrics").error()).isEqualTo("HTTP 401 from /basic/metrics");
        HttpSettings basic = new HttpSettings(new HttpSettings.BasicAuth("guard", "s3cret"), null, null);
        assertThat(scrape("/basic/metrics", basic).value(Metric.GOROUTINES)).hasValue(42);
        HttpSettings bearer = new HttpSettings(null, new HttpSettings.Authorization(null, "t0ken"), null);
        assertThat(scrape("/bearer/metrics", bearer).value(Metric.GOROUTINES)).hasValue(42);
    }

    @Test
    void captureKeepsWhatIsGoodAndNamesWhatIsNot() {
        ScrapeJob job = new ScrapeJob("bad", Duration.ofSeconds(15), SHORT, "http", "/metrics", "/badpprof/",
                dev.godiag.guard.model.Stage.CAPTURE, null, Jobs.RULES, HttpSettings.NONE, java.util.List.of(),
                java.util.List.of(), java.util.List.of());
        Capture c = scraper.capture(job, Jobs.target(job, address));
        assertThat(c.files()).extracting(Capture.CapturedFile::name).containsExactly("goroutine.debug1.txt");
        assertThat(c.file(Capture.Evidence.GOROUTINE_COUNTS).bytes()).startsWith(
                "goroutine profile: total 3\n".getBytes(StandardCharsets.US_ASCII));
        // the scraper's capture timeout (2s) is longer than the job's scrape timeout (1s)
        assertThat(c.problems()).containsExactly("goroutine: the answer is not a goroutine dump",
                "heap: response over 1 MiB", "goroutineleak: timeout after 2s");
    }

    @Test
    void aHangingExpvarCostsOnlyTheHeapValue() {
        Duration budget = Duration.ofSeconds(3); // the first two requests must fit in it on a busy machine
        ScrapeJob job = new ScrapeJob("bad", Duration.ofSeconds(15), budget, "http", "/nothing/metrics", "/badpprof",
                dev.godiag.guard.model.Stage.CAPTURE, null, Jobs.RULES, HttpSettings.NONE, java.util.List.of(),
                java.util.List.of(), java.util.List.of());
        Reading r = scraper.scrape(job, Jobs.target(job, address));
        assertThat(r.error()).isNull();
        assertThat(r.source()).isEqualTo("pprof");
        assertThat(r.values()).containsOnlyKeys(Metric.GOROUTINES).containsEntry(Metric.GOROUTINES, 3.0);
        assertThat(r.duration()).isLessThan(budget.plusSeconds(2));
    }

    @Test
    void badAddressIsOneLine() {
        ScrapeJob job = Jobs.job("/metrics", TIMEOUT);
        assertThat(scraper.scrape(job, Jobs.target(job, "bad host:80")).error()).isEqualTo("bad target address \"bad host:80\"");
    }
}
