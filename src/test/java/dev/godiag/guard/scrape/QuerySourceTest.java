package dev.godiag.guard.scrape;

import com.sun.net.httpserver.HttpServer;
import dev.godiag.guard.config.HttpSettings;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.PrometheusServer;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Item 7b against Debian's real prometheus scraping two real guardsvc instances (one leaky, one
 * healthy) and a stopped one: what the query API says matches what the services serve themselves,
 * a leak shows in it, the stopped one is down; a broken source is one line.
 */
class QuerySourceTest {
    private static final int UNITS = 40;
    private static final ScrapeJob JOB = Jobs.job("/metrics", Duration.ofSeconds(10));
    private static GuardService leaky;
    private static GuardService healthy;
    private static String down;
    private static PrometheusServer prometheus;
    private static HttpServer fake;
    private static QuerySource source;
    private static TargetScraper scraper;

    @BeforeAll
    static void start() throws Exception {
        leaky = GuardService.start(Tools.go127(), "-mode", "leaky");
        healthy = GuardService.start(Tools.go119(), "-mode", "healthy");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = "127.0.0.1:" + s.getLocalPort();
        }
        prometheus = PrometheusServer.start(Duration.ofSeconds(1), """
                - job_name: guardsvc
                  static_configs:
                    - targets: ['%s', '%s', '%s']
                      labels: {team: pay}
                """.formatted(leaky.address, healthy.address, down));
        String scraped = "count(up{job=\"guardsvc\"})==3 and count(go_goroutines{job=\"guardsvc\"})==2";
        for (int i = 0; i < 150 && !prometheus.query(scraped).contains("\"value\""); i++) {
            Thread.sleep(200);
        }
        assertThat(prometheus.query(scraped)).as("prometheus scraped the three targets").contains("\"value\"");
        fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/bad/", x -> reply(x, 400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\"\"}"));
        fake.createContext("/html/", x -> reply(x, 200, "<html>Grafana</html>"));
        fake.createContext("/matrix/", x -> reply(x, 200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"));
        fake.start();
        source = new QuerySource(ScrapeLimits.DEFAULT, "godiag-guard-test");
        scraper = new TargetScraper();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{source, scraper, prometheus, leaky, healthy}) {
            if (c != null) {
                c.close();
            }
        }
        if (fake != null) {
            fake.stop(0);
        }
    }

    private static ScrapeJob.QuerySd sd(String url, String job) {
        return new ScrapeJob.QuerySd(url, job, HttpSettings.NONE);
    }

    private static Map<String, Reading> read() throws QuerySourceException {
        List<Reading> readings = source.read(JOB, sd(prometheus.url(), "guardsvc"), Instant.now());
        return readings.stream().collect(Collectors.toMap(r -> r.target().address(), Function.identity()));
    }

    @Test
    void readsEveryInstanceAsItServesItself() throws Exception {
        Map<String, Reading> byAddress = read();
        assertThat(byAddress).containsOnlyKeys(leaky.address, healthy.address, down);
        assertThat(byAddress.get(down).error()).isEqualTo("down in the query source (up=0)");
        for (GuardService svc : List.of(leaky, healthy)) {
            Reading q = byAddress.get(svc.address);
            Reading direct = scraper.scrape(JOB, Jobs.target(JOB, svc.address));
            assertThat(q.error()).isNull();
            assertThat(q.source()).isEqualTo("query");
            assertThat(q.target().job()).isEqualTo(JOB.name());
            assertThat(q.target().labels()).isEqualTo(Map.of("team", "pay"));
            // the same process: the start time is the value it serves, to the digit
            assertThat(q.processStartSeconds()).isEqualTo(direct.processStartSeconds());
            // an idle service: only the scrapers' own connections differ
            assertThat(q.value(Metric.GOROUTINES).getAsDouble())
                    .isCloseTo(direct.value(Metric.GOROUTINES).getAsDouble(), within(3.0));
            assertThat(q.value(Metric.FDS).getAsDouble()).isCloseTo(direct.value(Metric.FDS).getAsDouble(), within(2.0));
            assertThat(q.value(Metric.HEAP)).isPresent();
        }
    }

    @Test
    void showsTheLeakOnceScraped() throws Exception {
        Map<String, Reading> before = read();
        double leaky0 = before.get(leaky.address).value(Metric.GOROUTINES).getAsDouble();
        double healthy0 = before.get(healthy.address).value(Metric.GOROUTINES).getAsDouble();
        try {
            leaky.work(UNITS);
            healthy.work(UNITS);
            Map<String, Reading> after = read();
            for (int i = 0; i < 100 && after.get(leaky.address).value(Metric.GOROUTINES).getAsDouble() < leaky0 + 5 * UNITS; i++) {
                Thread.sleep(200); // until prometheus scraped again
                after = read();
            }
            assertThat(after.get(leaky.address).value(Metric.GOROUTINES).getAsDouble() - leaky0)
                    .isBetween(5.0 * UNITS, 5.0 * UNITS + 3);
            // the healthy one: a few connections (its keep-alive to itself, the test's, a scraper's
            // new one), nothing per unit: the smallest leak, one goroutine per unit, would be 40
            assertThat(after.get(healthy.address).value(Metric.GOROUTINES).getAsDouble() - healthy0).isBetween(-3.0, 8.0);
        } finally {
            leaky.stopLeaks();
        }
    }

    @Test
    void aJobNameCannotInjectPromql() throws Exception {
        assertThat(source.read(JOB, sd(prometheus.url(), "x\"} or up{job=~\".+"), Instant.now())).isEmpty();
        assertThat(source.read(JOB, sd(prometheus.url(), "nosuchjob"), Instant.now())).isEmpty();
    }

    @Test
    void aBrokenSourceIsOneLine() {
        String refused = "http://" + down;
        assertThatThrownBy(() -> source.read(JOB, sd(refused, "guardsvc"), Instant.now()))
                .isInstanceOf(QuerySourceException.class)
                .hasMessage("query up{job=\"guardsvc\"} at " + refused + ": connection refused");
        String base = "http://127.0.0.1:" + fake.getAddress().getPort();
        assertThatThrownBy(() -> source.read(JOB, sd(base + "/bad", "guardsvc"), Instant.now()))
                .hasMessageEndingWith(": HTTP 400, bad_data: invalid parameter \"query\"");
        assertThatThrownBy(() -> source.read(JOB, sd(base + "/html/", "guardsvc"), Instant.now()))
                .hasMessageEndingWith(": the answer is not a Prometheus query API answer");
        assertThatThrownBy(() -> source.read(JOB, sd(base + "/matrix", "guardsvc"), Instant.now()))
                .hasMessageEndingWith(": expected an instant vector, got matrix");
    }
}
