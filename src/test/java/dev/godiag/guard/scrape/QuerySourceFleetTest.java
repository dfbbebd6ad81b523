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
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet of 5,000 instances from a query API whose answers are made from a formula per
 * instance (so every value is known): each instance read with its own values and labels, the
 * down ones down, every query at the one evaluation time asked for.
 */
class QuerySourceFleetTest {
    private static final int INSTANCES = 5000;
    private static HttpServer api;
    private static final Map<String, String> TIMES = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/prom/api/v1/query", QuerySourceFleetTest::answer);
        api.start();
    }

    @AfterAll
    static void stop() {
        api.stop(0);
    }

    private static boolean down(int i) {
        return i % 100 == 7;
    }

    private static void answer(HttpExchange x) throws IOException {
        Map<String, String> q = new java.util.HashMap<>();
        for (String kv : x.getRequestURI().getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        String query = q.get("query");
        String name = query.substring(0, query.indexOf('{'));
        TIMES.put(name, q.get("time"));
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        boolean first = true;
        for (int i = 0; i < INSTANCES; i++) {
            String value = switch (name) {
                case "up" -> down(i) ? "0" : "1";
                case "go_goroutines" -> String.valueOf(100 + i);
                case "go_memstats_heap_inuse_bytes" -> (i * 1024) + ".0";
                case "process_open_fds" -> i == 3 ? "NaN" : String.valueOf(10 + i % 7);
                case "process_start_time_seconds" -> "1.7e+09";
                default -> throw new IllegalStateException(name);
            };
            if (down(i) && !name.equals("up")) {
                continue; // a failed scrape leaves only up
            }
            b.append(first ? "" : ",").append("{\"metric\":{\"__name__\":\"").append(name)
                    .append("\",\"instance\":\"10.0.").append(i / 250).append('.').append(i % 250)
                    .append(":6060\",\"job\":\"fleet\",\"zone\":\"z").append(i % 3).append("\"},\"value\":[")
                    .append(q.get("time")).append(",\"").append(value).append("\"]}");
            first = false;
        }
        byte[] body = b.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    @Test
    void readsEveryInstanceOfALargeFleet() throws Exception {
        ScrapeJob job = Jobs.job("payments", "http", "/metrics", Duration.ofSeconds(30), HttpSettings.NONE);
        ScrapeJob.QuerySd sd = new ScrapeJob.QuerySd("http://127.0.0.1:" + api.getAddress().getPort() + "/prom/",
                "fleet", HttpSettings.NONE);
        Instant at = Instant.ofEpochMilli(1_800_000_000_123L);
        List<Reading> readings;
        try (QuerySource source = new QuerySource(ScrapeLimits.DEFAULT, "godiag-guard-test")) {
            readings = source.read(job, sd, at);
        }
        assertThat(TIMES).hasSize(5).allSatisfy((name, time) -> assertThat(time).isEqualTo("1800000000.123"));
        assertThat(readings).hasSize(INSTANCES);
        int downs = 0;
        for (Reading r : readings) {
            String[] ip = r.target().address().replace(":6060", "").split("\\.");
            int i = Integer.parseInt(ip[2]) * 250 + Integer.parseInt(ip[3]);
            assertThat(r.target().job()).isEqualTo("payments");
            assertThat(r.target().labels()).isEqualTo(Map.of("zone", "z" + i % 3));
            assertThat(r.at()).isEqualTo(at);
            if (down(i)) {
                downs++;
                assertThat(r.error()).isEqualTo("down in the query source (up=0)");
                continue;
            }
            assertThat(r.error()).isNull();
            assertThat(r.value(Metric.GOROUTINES)).hasValue(100 + i);
            assertThat(r.value(Metric.HEAP)).hasValue(i * 1024.0);
            if (i == 3) {
                assertThat(r.value(Metric.FDS)).isEmpty();
            } else {
                assertThat(r.value(Metric.FDS)).hasValue(10 + i % 7);
            }
            assertThat(r.processStartSeconds()).hasValue(1.7e9);
        }
        assertThat(downs).isEqualTo(INSTANCES / 100);
    }
}
