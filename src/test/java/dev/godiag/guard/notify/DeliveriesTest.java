package dev.godiag.guard.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.guard.config.NotifyConfig;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Outbox;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveriesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final AlertJson json = new AlertJson("http://guard.internal:9200");
    private final Deliveries deliveries = new Deliveries(json);
    private final NotifyConfig notify = TestAlerts.notify(List.of(
            new NotifyConfig.Webhook("http://alerts.internal:8080/hook", "change-me"),
            new NotifyConfig.Webhook("http://chat.internal/unsigned", null)), List.of("http://alertmanager:9093/"));

    @Test
    void signatureIsHmacSha256OfTheBodyInHex() {
        // RFC 4231, test case 2
        assertThat(Deliveries.signature("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII), "Jefe"))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void notifyStagePlansEveryWebhookAlertmanagerAndTheCallback() throws IOException {
        Alert alert = TestAlerts.firing(Stage.NOTIFY);
        List<Outbox.Pending> plan = deliveries.plan(alert, notify,
                TestAlerts.job(Stage.NOTIFY, "http://{target}/admin/shed-load"));
        assertThat(plan).extracting(Outbox.Pending::channel, Outbox.Pending::url).containsExactly(
                org.assertj.core.groups.Tuple.tuple("webhook", "http://alerts.internal:8080/hook"),
                org.assertj.core.groups.Tuple.tuple("webhook", "http://chat.internal/unsigned"),
                org.assertj.core.groups.Tuple.tuple("alertmanager", "http://alertmanager:9093/api/v2/alerts"),
                org.assertj.core.groups.Tuple.tuple("callback", "http://payments-1:6060/admin/shed-load"));

        Outbox.Pending signed = plan.get(0);
        // the body is the alert exactly as the API shows it, and the signature is over those bytes
        assertThat(signed.body()).isEqualTo(json.bytes(alert));
        assertThat(signed.headers().get("X-Godiag-Signature")).isEqualTo(Deliveries.signature(signed.body(), "change-me"));
        assertThat(signed.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(signed.headers().get("X-Godiag-Event")).isEqualTo("firing");
        assertThat(plan.get(1).headers()).doesNotContainKey("X-Godiag-Signature");
        assertThat(MAPPER.readTree(plan.get(3).body()).get("state").asText()).isEqualTo("firing");
        assertThat(plan.get(3).headers()).doesNotContainKey("X-Godiag-Signature");
    }

    @Test
    void anEmptySecretSendsUnsignedRatherThanFailingTheTransition() {
        NotifyConfig empty = TestAlerts.notify(List.of(new NotifyConfig.Webhook("http://h/hook", "")), List.of());
        assertThat(deliveries.plan(TestAlerts.firing(Stage.NOTIFY), empty, null)).singleElement()
                .satisfies(p -> assertThat(p.headers()).doesNotContainKey("X-Godiag-Signature"));
    }

    @Test
    void deliveryIdsAreStableAcrossReplansAndDistinctPerRequestAndTransition() {
        var job = TestAlerts.job(Stage.NOTIFY, "http://{target}/cb");
        List<Outbox.Pending> first = deliveries.plan(TestAlerts.firing(Stage.NOTIFY), notify, job);
        List<Outbox.Pending> again = deliveries.plan(TestAlerts.firing(Stage.NOTIFY), notify, job);
        List<Outbox.Pending> resolved = deliveries.plan(TestAlerts.resolved(Stage.NOTIFY), notify, job);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < first.size(); i++) {
            String id = first.get(i).headers().get("X-Godiag-Delivery");
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(again.get(i).headers().get("X-Godiag-Delivery")).isEqualTo(id);
            ids.add(id);
            ids.add(resolved.get(i).headers().get("X-Godiag-Delivery"));
        }
        assertThat(ids).hasSize(first.size() * 2);
    }

    @Test
    void observeAndCaptureStagesDeliverNothing() {
        var job = TestAlerts.job(Stage.NOTIFY, "http://{target}/cb");
        assertThat(deliveries.plan(TestAlerts.firing(Stage.OBSERVE), notify, job)).isEmpty();
        assertThat(deliveries.plan(TestAlerts.firing(Stage.CAPTURE), notify, job)).isEmpty();
        assertThat(deliveries.plan(TestAlerts.resolved(Stage.CAPTURE), notify, job)).isEmpty();
    }

    @Test
    void noCallbackWithoutOneOrWhenTheJobIsGone() {
        assertThat(deliveries.plan(TestAlerts.firing(Stage.NOTIFY), notify, TestAlerts.job(Stage.NOTIFY, null)))
                .extracting(Outbox.Pending::channel).doesNotContain("callback").hasSize(3);
        assertThat(deliveries.plan(TestAlerts.firing(Stage.NOTIFY), notify, null))
                .extracting(Outbox.Pending::channel).doesNotContain("callback").hasSize(3);
    }

    @Test
    void alertmanagerFiringAlertHasItsLabelsAnnotationsAndNoEnd() throws IOException {
        JsonNode am = MAPPER.readTree(amBody(TestAlerts.firing(Stage.NOTIFY)));
        assertThat(am.isArray()).isTrue();
        assertThat(am).hasSize(1);
        JsonNode a = am.get(0);
        assertThat(MAPPER.convertValue(a.get("labels"), Map.class)).isEqualTo(Map.of("alertname", "GoroutineGrowth",
                "job", "payments", "instance", "payments-1:6060", "metric", "goroutines", "severity", "warning",
                "team", "pay", "zone", "eu-1"));
        assertThat(a.get("startsAt").asText()).isEqualTo("2026-12-02T06:00:00Z");
        // no endsAt: a firing alert posted once must not end at a time fixed when it was stored
        assertThat(a.has("endsAt")).isFalse();
        assertThat(a.get("generatorURL").asText()).startsWith("http://guard.internal:9200/api/guard/alerts/");
        JsonNode ann = a.get("annotations");
        assertThat(ann.get("summary").asText()).isEqualTo(AlertJson.summary(TestAlerts.firing(Stage.NOTIFY)));
        assertThat(ann.get("evidence").asText()).isEqualTo("http://guard.internal:9200/api/guard/evidence/cap-7");
        assertThat(ann.get("godiag_alert_id").asText()).isEqualTo(TestAlerts.firing(Stage.NOTIFY).id());
        // the description lists the biggest growth first, with where and how it waits, then the fix
        String description = ann.get("description").asText();
        assertThat(description).contains("+1860 (40 -> 1900) net/http.(*persistConn).readLoop at transport.go:2238 [select]");
        assertThat(description.indexOf("+1860")).isLessThan(description.indexOf("+400 (20 -> 420) main.(*Poller).loop"));
        assertThat(description).contains("fix: defer resp.Body.Close() after checking the error");
    }

    @Test
    void alertmanagerResolvedAlertEndsWhenItResolvedWithTheSameLabels() throws IOException {
        JsonNode firing = MAPPER.readTree(amBody(TestAlerts.firing(Stage.NOTIFY))).get(0);
        JsonNode resolved = MAPPER.readTree(amBody(TestAlerts.resolved(Stage.NOTIFY))).get(0);
        assertThat(resolved.get("endsAt").asText()).isEqualTo("2026-12-02T06:20:00Z");
        assertThat(resolved.get("startsAt").asText()).isEqualTo("2026-12-02T06:00:00Z");
        // Alertmanager identifies an alert by its labels: the resolve must carry the firing's exactly
        assertThat(resolved.get("labels")).isEqualTo(firing.get("labels"));
    }

    @Test
    void alertmanagerLeavesOutTargetLabelsItWouldRefuseAndOursWin() throws IOException {
        Target t = new Target("api", "10.0.0.7:6060", Map.of("job", "spoofed", "bad-name", "x", "__meta", "y", "ok_1", "z"));
        Alert alert = new Alert("a", t, Metric.FDS, AlertState.FIRING, TestAlerts.SINCE, null, 400, 100, 300,
                Stage.NOTIFY, null);
        JsonNode labels = MAPPER.readTree(amBody(alert)).get(0).get("labels");
        assertThat(MAPPER.convertValue(labels, Map.class)).isEqualTo(Map.of("alertname", "FdGrowth", "job", "api",
                "instance", "10.0.0.7:6060", "metric", "fds", "severity", "warning", "ok_1", "z"));
        // without an external URL there is no generatorURL (a relative one is no link for Alertmanager's users)
        JsonNode noUrl = MAPPER.readTree(new Deliveries(new AlertJson("")).plan(alert,
                TestAlerts.notify(List.of(), List.of("http://am:9093")), null).get(0).body()).get(0);
        assertThat(noUrl.has("generatorURL")).isFalse();
    }

    private byte[] amBody(Alert alert) {
        return deliveries.plan(alert, TestAlerts.notify(List.of(), List.of("http://am:9093")), null).get(0).body();
    }
}
