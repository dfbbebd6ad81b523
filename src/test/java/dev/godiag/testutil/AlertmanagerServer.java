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
 * A private Debian {@code prometheus-alertmanager} ({@link Tools#alertmanager()}): loopback on a
 * free port, temp config and storage, clustering off. With a receiver URL it notifies that
 * webhook of firing and resolved alerts at once (group_wait 0s, group_interval 1s, send_resolved);
 * without one alerts only collect, readable through {@link #activeAlerts()}. Stopped and deleted
 * by {@link #close}.
 */
public final class AlertmanagerServer implements AutoCloseable {
    private final LocalDaemon daemon;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AlertmanagerServer(LocalDaemon daemon) {
        this.daemon = daemon;
    }

    /** Alertmanager with no receiver. */
    public static AlertmanagerServer start() {
        return start(null);
    }

    /** Alertmanager notifying {@code webhookUrl} (null: nobody) of every alert, firing and resolved. */
    public static AlertmanagerServer start(String webhookUrl) {
        var binary = Tools.alertmanager();
        LocalDaemon daemon = new LocalDaemon("alertmanager");
        String config = webhookUrl == null
                ? """
                route:
                  receiver: none
                receivers:
                  - name: none
                """
                : """
                route:
                  receiver: hook
                  group_by: ['...']
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: '%s'
                        send_resolved: true
                """.formatted(webhookUrl);
        try {
            Files.writeString(daemon.dir().resolve("alertmanager.yml"), config);
        } catch (IOException e) {
            daemon.close();
            throw new AssertionError("cannot write the Alertmanager config: " + e, e);
        }
        daemon.start(List.of(binary.toString(), "--config.file=alertmanager.yml", "--storage.path=data",
                "--web.listen-address=127.0.0.1:" + daemon.port(), "--cluster.listen-address=", "--log.level=warn"),
                "/-/ready");
        return new AlertmanagerServer(daemon);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234} (alerts are posted to {@code <url>/api/v2/alerts}). */
    public String url() {
        return daemon.baseUrl();
    }

    /** GET {@code /api/v2/alerts}: the alerts Alertmanager holds as active (a resolved alert is no longer listed), as JSON. */
    public String activeAlerts() {
        return get("/api/v2/alerts");
    }

    /** GET {@code /api/v2/alerts?filter=<matcher>}, e.g. {@code alertname="GoroutineGrowth"}. */
    public String activeAlerts(String matcher) {
        return get("/api/v2/alerts?filter=" + URLEncoder.encode(matcher, StandardCharsets.UTF_8));
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("Alertmanager " + path + ": HTTP " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new AssertionError("Alertmanager " + path + ": " + e + "; log: " + daemon.log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What Alertmanager logged (warnings and errors). */
    public String log() {
        return daemon.log();
    }

    @Override
    public void close() {
        daemon.close();
    }
}
