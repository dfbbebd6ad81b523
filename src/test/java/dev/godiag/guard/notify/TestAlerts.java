package dev.godiag.guard.notify;

import dev.godiag.guard.config.HttpSettings;
import dev.godiag.guard.config.MetricRule;
import dev.godiag.guard.config.NotifyConfig;
import dev.godiag.guard.config.Rules;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Alerts and jobs as the daemon would hand them to notify. */
final class TestAlerts {
    static final Instant SINCE = Instant.parse("2026-12-02T06:00:00Z");
    static final Target TARGET = new Target("payments", "payments-1:6060", Map.of("team", "pay", "zone", "eu-1"));

    private TestAlerts() {
    }

    static AlertEvidence evidence() {
        return new AlertEvidence("cap-7", SINCE.plusSeconds(5), List.of(
                new AlertEvidence.GrowingBucket("main.(*Poller).loop", "poller.go", 41, "chan send", 420, 20,
                        "leak: channel send nobody receives"),
                new AlertEvidence.GrowingBucket("net/http.(*persistConn).readLoop", "transport.go", 2238, "select",
                        1900, 40, "leak: response bodies not closed")),
                List.of(new AlertEvidence.FindingSummary("goroutines.http-body-not-closed", "critical",
                        "1860 HTTP client connections held by unclosed response bodies", "main.fetch (client.go:30)",
                        "defer resp.Body.Close() after checking the error")),
                List.of("goroutine-debug2.txt", "heap.pb.gz"));
    }

    static Alert firing(Stage stage) {
        return firing(stage, SINCE);
    }

    static Alert firing(Stage stage, Instant since) {
        return new Alert("payments/payments-1:6060/goroutines/" + since.getEpochSecond(), TARGET, Metric.GOROUTINES,
                AlertState.FIRING, since, null, 2340, 180, 680, stage, evidence());
    }

    static Alert resolved(Stage stage) {
        return firing(stage).resolved(SINCE.plus(Duration.ofMinutes(20)), 190);
    }

    static ScrapeJob job(Stage stage, String callback) {
        MetricRule rule = new MetricRule(500.0, 0.5, 3, true);
        return new ScrapeJob("payments", Duration.ofSeconds(15), Duration.ofSeconds(10), "http", "/metrics",
                "/debug/pprof", stage, callback, new Rules(rule, rule, rule), HttpSettings.NONE,
                List.of(new ScrapeJob.TargetGroup(List.of(TARGET.address()), TARGET.labels())), List.of(), List.of());
    }

    static NotifyConfig notify(List<NotifyConfig.Webhook> hooks, List<String> alertmanagers) {
        return new NotifyConfig(hooks, alertmanagers.stream().map(NotifyConfig.AlertmanagerTarget::new).toList());
    }
}
