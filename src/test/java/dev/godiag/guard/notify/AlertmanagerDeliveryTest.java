package dev.godiag.guard.notify;

import dev.godiag.testutil.HttpReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.guard.config.NotifyConfig;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Target;
import dev.godiag.guard.model.Outbox;
import dev.godiag.guard.model.Stage;
import dev.godiag.testutil.AlertmanagerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries to Debian's prometheus-alertmanager through its v2 API: the firing alert is held
 * with guard's labels and annotations and routed on to a receiver, the resolve ends it.
 */
class AlertmanagerDeliveryTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static HttpReceiver receiver;
    private static AlertmanagerServer alertmanager;
    private static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        receiver = new HttpReceiver();
        alertmanager = AlertmanagerServer.start(receiver.url("/routed"));
        http = DeliveryWorker.httpClient(Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (alertmanager != null) {
            alertmanager.close();
        }
        receiver.close();
        http.shutdownNow();
    }

    private final MemoryOutbox outbox = new MemoryOutbox();
    private final DeliveryWorker worker = new DeliveryWorker(outbox, http, Clock.systemUTC());
    private final Deliveries deliveries = new Deliveries(new AlertJson("http://guard.internal:9200"));

    private void deliver(Alert alert) throws InterruptedException {
        NotifyConfig notify = TestAlerts.notify(List.of(), List.of(alertmanager.url()));
        List<Outbox.Pending> plan = deliveries.plan(alert, notify, null);
        outbox.add(alert.id(), alert.state(), plan, Instant.now());
        assertThat(worker.runOnce()).singleElement().satisfies(o -> assertThat(o.result())
                .as(o.detail() + "; Alertmanager log: " + alertmanager.log())
                .isEqualTo(DeliveryWorker.Result.DELIVERED));
    }

    private static List<JsonNode> active() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        MAPPER.readTree(alertmanager.activeAlerts("instance=\"payments-1:6060\"")).forEach(out::add);
        return out;
    }

    /** Waits (bounded) until Alertmanager has notified the receiver of a group matching {@code match}. */
    private static JsonNode routed(Predicate<JsonNode> match) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (HttpReceiver.Request r : receiver.requests("/routed")) {
                JsonNode n = MAPPER.readTree(r.body());
                if (match.test(n)) {
                    return n;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Alertmanager routed no matching notification within " + WAIT.toSeconds() + "s; got "
                + receiver.requests("/routed").size() + " notifications; log: " + alertmanager.log());
    }

    private static String instance(JsonNode notification) {
        return notification.get("alerts").get(0).get("labels").get("instance").asText();
    }

    @Test
    void firingThenResolvedReachAlertmanagerAndItsReceivers() throws Exception {
        Instant since = Instant.now().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.SECONDS);
        Alert firing = TestAlerts.firing(Stage.NOTIFY, since);
        deliver(firing);

        List<JsonNode> held = active();
        assertThat(held).hasSize(1);
        JsonNode a = held.getFirst();
        assertThat(MAPPER.convertValue(a.get("labels"), Map.class)).isEqualTo(Map.of("alertname", "GoroutineGrowth",
                "job", "payments", "instance", "payments-1:6060", "metric", "goroutines", "severity", "warning",
                "team", "pay", "zone", "eu-1"));
        assertThat(Instant.parse(a.get("startsAt").asText())).isEqualTo(since);
        assertThat(a.get("status").get("state").asText()).isEqualTo("active");
        assertThat(a.get("annotations").get("summary").asText()).isEqualTo(AlertJson.summary(firing));
        assertThat(a.get("annotations").get("description").asText())
                .contains("net/http.(*persistConn).readLoop at transport.go:2238");
        assertThat(a.get("generatorURL").asText()).startsWith("http://guard.internal:9200/api/guard/alerts/");
        // no endsAt was sent: Alertmanager holds it for its resolve_timeout, it does not end at once
        assertThat(Instant.parse(a.get("endsAt").asText())).isAfter(Instant.now());

        JsonNode notified = routed(n -> n.get("status").asText().equals("firing") && instance(n).equals("payments-1:6060"));
        assertThat(notified.get("alerts").get(0).get("labels").get("alertname").asText()).isEqualTo("GoroutineGrowth");

        Alert resolved = firing.resolved(Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS), 175);
        deliver(resolved);
        assertThat(active()).isEmpty();
        JsonNode done = routed(n -> n.get("status").asText().equals("resolved") && instance(n).equals("payments-1:6060"));
        JsonNode doneAlert = done.get("alerts").get(0);
        assertThat(doneAlert.get("labels").get("alertname").asText()).isEqualTo("GoroutineGrowth");
        assertThat(Instant.parse(doneAlert.get("endsAt").asText())).isEqualTo(resolved.resolvedAt());
    }

    @Test
    void refreshKeepsAFiringAlertHeldAndNeverHoldsAResolvedOne() throws Exception {
        Instant since = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        Target other = new Target("payments", "payments-2:6060", Map.of());
        Alert firing = new Alert("refresh-1", other, Metric.FDS, AlertState.FIRING, since, null, 900, 100, 300,
                Stage.NOTIFY, null);
        Alert observed = new Alert("refresh-2", other, Metric.HEAP, AlertState.FIRING, since, null, 9e8, 1e8, 3e8,
                Stage.OBSERVE, null);
        NotifyConfig notify = TestAlerts.notify(List.of(), List.of(alertmanager.url()));
        List<Outbox.Pending> refresh = deliveries.alertmanagerRefresh(List.of(firing, observed), notify);
        assertThat(refresh).hasSize(1);
        assertThat(worker.sendOnce(refresh)).isEmpty();
        JsonNode held = onlyActive("payments-2:6060");
        assertThat(held.get("labels").get("alertname").asText()).isEqualTo("FdGrowth");
        Instant firstEnd = Instant.parse(held.get("endsAt").asText());

        Thread.sleep(20); // Alertmanager's times are in milliseconds
        assertThat(worker.sendOnce(deliveries.alertmanagerRefresh(List.of(firing), notify))).isEmpty();
        // each refresh pushes the end Alertmanager set from its resolve_timeout further out
        assertThat(Instant.parse(onlyActive("payments-2:6060").get("endsAt").asText())).isAfter(firstEnd);

        // a resolved alert is never refreshed
        assertThat(deliveries.alertmanagerRefresh(List.of(firing.resolved(Instant.now(), 90)), notify)).isEmpty();
        assertThat(worker.sendOnce(List.of(new Outbox.Pending(Deliveries.ALERTMANAGER, "http://127.0.0.1:1/api/v2/alerts",
                Map.of(), new byte[0])))).singleElement().asString().endsWith("connection refused");
    }

    private static JsonNode onlyActive(String instance) throws IOException {
        JsonNode all = MAPPER.readTree(alertmanager.activeAlerts("instance=\"" + instance + "\""));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void alertmanagerRefusingARequestIsAPermanentFailure() throws InterruptedException {
        // an alert without labels: Alertmanager answers 400 and the worker must not retry it
        long id = outbox.add("bad", AlertState.FIRING, List.of(new Outbox.Pending(
                Deliveries.ALERTMANAGER, alertmanager.url() + "/api/v2/alerts", Map.of("Content-Type", "application/json"),
                "[{\"labels\":{}}]".getBytes())), Instant.now()).getFirst();
        DeliveryWorker.Outcome o = worker.runOnce().getFirst();
        assertThat(o.result()).isEqualTo(DeliveryWorker.Result.FAILED);
        assertThat(o.status()).isEqualTo(400);
        assertThat(outbox.row(id).failedAt).isNotNull();
    }
}
