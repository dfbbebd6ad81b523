package dev.godiag.guard.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Stage;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class AlertJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final AlertJson json = new AlertJson("http://guard.internal:9200/");

    private static JsonNode parse(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    @Test
    void firingAlertSaysWhatGrewWhereAndSinceWhen() throws IOException {
        JsonNode a = parse(json.bytes(TestAlerts.firing(Stage.NOTIFY)));
        assertThat(a.get("state").asText()).isEqualTo("firing");
        assertThat(a.get("target").asText()).isEqualTo("payments-1:6060");
        assertThat(a.get("job").asText()).isEqualTo("payments");
        assertThat(a.get("labels").get("team").asText()).isEqualTo("pay");
        assertThat(a.get("labels").get("zone").asText()).isEqualTo("eu-1");
        assertThat(a.get("metric").asText()).isEqualTo("goroutines");
        assertThat(a.get("unit").asText()).isEqualTo("count");
        // counts are integers in JSON, not 2340.0
        assertThat(a.get("value").isIntegralNumber()).isTrue();
        assertThat(a.get("value").asLong()).isEqualTo(2340);
        assertThat(a.get("baseline").asLong()).isEqualTo(180);
        assertThat(a.get("threshold").asLong()).isEqualTo(680);
        assertThat(a.get("since").asText()).isEqualTo("2026-12-02T06:00:00Z");
        assertThat(a.get("resolved_at").isNull()).isTrue();
        assertThat(a.get("stage").asText()).isEqualTo("notify");
        assertThat(a.get("summary").asText())
                .isEqualTo("goroutines on payments-1:6060 (job payments): 2340, baseline 180, threshold 680, since 2026-12-02T06:00:00Z");
    }

    @Test
    void evidenceCarriesTheGrowingBucketsAndTheFixes() throws IOException {
        JsonNode e = parse(json.bytes(TestAlerts.firing(Stage.NOTIFY))).get("evidence");
        assertThat(e.get("capture_id").asText()).isEqualTo("cap-7");
        assertThat(e.get("captured_at").asText()).isEqualTo("2026-12-02T06:00:05Z");
        JsonNode b = e.get("buckets").get(1);
        assertThat(b.get("function").asText()).isEqualTo("net/http.(*persistConn).readLoop");
        assertThat(b.get("file").asText()).isEqualTo("transport.go");
        assertThat(b.get("line").asInt()).isEqualTo(2238);
        assertThat(b.get("wait").asText()).isEqualTo("select");
        assertThat(b.get("count").asLong()).isEqualTo(1900);
        assertThat(b.get("baseline_count").asLong()).isEqualTo(40);
        assertThat(b.get("growth").asLong()).isEqualTo(1860);
        assertThat(b.get("verdict").asText()).isEqualTo("leak: response bodies not closed");
        JsonNode f = e.get("findings").get(0);
        assertThat(f.get("rule").asText()).isEqualTo("goroutines.http-body-not-closed");
        assertThat(f.get("severity").asText()).isEqualTo("critical");
        assertThat(f.get("location").asText()).isEqualTo("main.fetch (client.go:30)");
        assertThat(f.get("fix").asText()).isEqualTo("defer resp.Body.Close() after checking the error");
        assertThat(e.get("files").get(1).asText()).isEqualTo("heap.pb.gz");
    }

    @Test
    void linksAreAbsoluteUnderTheExternalUrlWithTheIdAsOnePathSegment() throws IOException {
        JsonNode links = parse(json.bytes(TestAlerts.firing(Stage.NOTIFY))).get("links");
        // the id holds '/' and ':' (job/address/metric/since): escaped, so the route sees one segment
        assertThat(links.get("alert").asText())
                .isEqualTo("http://guard.internal:9200/api/guard/alerts/payments%2Fpayments-1%3A6060%2Fgoroutines%2F1796191200");
        assertThat(links.get("evidence").asText()).isEqualTo("http://guard.internal:9200/api/guard/evidence/cap-7");
        JsonNode relative = parse(new AlertJson(null).bytes(TestAlerts.firing(Stage.NOTIFY))).get("links");
        assertThat(relative.get("alert").asText()).startsWith("/api/guard/alerts/payments%2F");
    }

    @Test
    void resolvedAlertSaysWhenItCameBack() throws IOException {
        JsonNode a = parse(json.bytes(TestAlerts.resolved(Stage.NOTIFY)));
        assertThat(a.get("state").asText()).isEqualTo("resolved");
        assertThat(a.get("resolved_at").asText()).isEqualTo("2026-12-02T06:20:00Z");
        assertThat(a.get("value").asLong()).isEqualTo(190);
        assertThat(a.get("summary").asText()).isEqualTo("goroutines on payments-1:6060 (job payments) back under the "
                + "threshold: 190, baseline 180, threshold 680, over from 2026-12-02T06:00:00Z to 2026-12-02T06:20:00Z");
    }

    @Test
    void heapInBinaryUnitsFractionsKeptAndNoEvidenceIsNull() throws IOException {
        // 300 MiB over a 200 MiB baseline, threshold at ratio 0.5; a fractional value stays a fraction
        Alert heap = new Alert("h1", TestAlerts.TARGET, Metric.HEAP, AlertState.FIRING, TestAlerts.SINCE, null,
                314572800.5, 209715200, 314572800, Stage.CAPTURE, null);
        JsonNode a = parse(json.bytes(heap));
        assertThat(a.get("value").asDouble()).isEqualTo(314572800.5);
        assertThat(a.get("value").isIntegralNumber()).isFalse();
        assertThat(a.get("unit").asText()).isEqualTo("bytes");
        assertThat(a.get("summary").asText()).contains(": 300.0 MiB, baseline 200.0 MiB, threshold 300.0 MiB");
        assertThat(a.get("evidence").isNull()).isTrue();
        assertThat(a.get("links").get("evidence").isNull()).isTrue();
        assertThat(AlertJson.amount(Metric.HEAP, 3L << 30)).isEqualTo("3.00 GiB");
    }

    @Test
    void aRuleWithoutLimitsHasNoThresholdNotInfinity() throws IOException {
        Alert a = new Alert("x", TestAlerts.TARGET, Metric.FDS, AlertState.FIRING, TestAlerts.SINCE, null, 90, 20,
                Double.NEGATIVE_INFINITY, Stage.OBSERVE, null);
        JsonNode n = parse(json.bytes(a));
        assertThat(n.get("threshold").isNull()).isTrue();
        assertThat(n.get("summary").asText()).contains("threshold none");
    }
}
