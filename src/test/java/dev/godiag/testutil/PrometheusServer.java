package dev.godiag.testutil;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * A private Debian {@code prometheus} ({@link Tools#prometheus()}): loopback on a free port, temp
 * config and TSDB. The test gives the
 * {@code scrape_configs} (YAML, indented as under the top level) and the scrape interval (its
 * first scrape comes about 5 s after the start: Prometheus' discovery sends targets on a 5 s tick);
 * {@link #query} asks its {@code /api/v1/query}. Stopped and deleted by {@link #close}.
 */
public final class PrometheusServer implements AutoCloseable {
    private final LocalDaemon daemon;
    private final Duration scrapeInterval;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(LocalDaemon daemon, Duration scrapeInterval) {
        this.daemon = daemon;
        this.scrapeInterval = scrapeInterval;
    }

    /**
     * Prometheus scraping every {@code scrapeInterval} what {@code scrapeConfigs} lists, e.g.
     * <pre>
     * - job_name: svc
     *   static_configs:
     *     - targets: ['127.0.0.1:8080']
     * </pre>
     */
    public static PrometheusServer start(Duration scrapeInterval, String scrapeConfigs) {
        var binary = Tools.prometheus();
        LocalDaemon daemon = new LocalDaemon("prometheus");
        PrometheusServer server = new PrometheusServer(daemon, scrapeInterval);
        server.writeConfig(scrapeConfigs);
        daemon.start(List.of(binary.toString(), "--config.file=prometheus.yml", "--storage.tsdb.path=data",
                "--web.listen-address=127.0.0.1:" + daemon.port(), "--log.level=warn"),
                "/-/ready");
        return server;
    }

    private void writeConfig(String scrapeConfigs) {
        String interval = scrapeInterval.toMillis() + "ms";
        String config = "global:\n  scrape_interval: " + interval + "\n  scrape_timeout: " + interval
                + "\n  evaluation_interval: " + interval + "\nscrape_configs:\n"
                + scrapeConfigs.stripIndent().indent(2);
        try {
            Files.writeString(daemon.dir().resolve("prometheus.yml"), config);
        } catch (IOException e) {
            daemon.close();
            throw new AssertionError("cannot write the Prometheus config: " + e, e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}: the query API guard's prometheus_sd reads. */
    public String url() {
        return daemon.baseUrl();
    }

    /** The JSON answer of {@code /api/v1/query?query=<promql>} (an instant query now). */
    public String query(String promql) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))));
        if (r.statusCode() != 200) {
            throw new AssertionError("Prometheus query " + promql + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("Prometheus: " + e + "; log: " + daemon.log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What Prometheus logged (warnings and errors). */
    public String log() {
        return daemon.log();
    }

    @Override
    public void close() {
        daemon.close();
    }
}
