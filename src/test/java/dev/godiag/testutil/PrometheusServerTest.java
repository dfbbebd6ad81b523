package dev.godiag.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus the guard tests start scrapes what it is given and answers instant queries. */
class PrometheusServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static HttpServer exporter(int goroutines) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/metrics", ex -> {
            byte[] body = ("# TYPE go_goroutines gauge\ngo_goroutines " + goroutines + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        s.start();
        return s;
    }

    private static String job(String name, HttpServer s) {
        return """
                - job_name: %s
                  static_configs:
                    - targets: ['127.0.0.1:%d']
                """.formatted(name, s.getAddress().getPort());
    }

    /** The value of {@code promql}'s single series, waiting (bounded) for Prometheus to have scraped it. */
    private static double valueOf(PrometheusServer prometheus, String promql) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode result = MAPPER.readTree(prometheus.query(promql)).get("data").get("result");
            if (result.size() == 1) {
                return Double.parseDouble(result.get(0).get("value").get(1).asText());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no single series for " + promql + " within 30s; log: " + prometheus.log());
    }

    @Test
    void scrapesItsTargetsAndAnswersInstantQueries() throws Exception {
        HttpServer first = exporter(42);
        HttpServer second = exporter(7);
        try (PrometheusServer prometheus = PrometheusServer.start(Duration.ofMillis(500),
                job("svc", first) + job("other", second))) {
            assertThat(valueOf(prometheus, "go_goroutines{job=\"svc\"}")).isEqualTo(42);
            assertThat(valueOf(prometheus, "up{job=\"svc\"}")).isEqualTo(1);

            assertThat(valueOf(prometheus, "go_goroutines{job=\"other\"}")).isEqualTo(7);
        } finally {
            first.stop(0);
            second.stop(0);
        }
    }
}
