package dev.godiag.guard.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.godiag.guard.watch.WatchFixtures.CONTRACT;
import static dev.godiag.guard.watch.WatchFixtures.START;
import static dev.godiag.guard.watch.WatchFixtures.TARGET;
import static dev.godiag.guard.watch.WatchFixtures.down;
import static dev.godiag.guard.watch.WatchFixtures.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A guard restarted from the stored JSON continues exactly where the running one would have gone. */
class WatchStateJsonTest {
    private static final WatchSettings SETTINGS = new WatchSettings(3, 4, 5);

    /**
     * 120 readings through every state: warm-up, learning, noise streaks, a goroutine leak that
     * opens and resolves, a heap leak, down scrapes, a deploy in the middle, more leaking after it.
     */
    private static List<Reading> life() {
        Random r = new Random(13);
        List<Reading> out = new ArrayList<>();
        double mb = 1 << 20;
        for (int i = 0; i < 120; i++) {
            if (i % 17 == 16) {
                out.add(down(i));
                continue;
            }
            double start = i < 70 ? START : START + 2100;
            double g = 200 + r.nextInt(40);
            if (i >= 30 && i < 45) {
                g += 60 * (i - 29);
            }
            if (i == 25 || i == 26) {
                g += 900;
            }
            if (i >= 95) {
                g += 80 * (i - 94);
            }
            double heap = (30 + r.nextInt(20)) * mb + (i >= 50 && i < 70 ? (i - 49) * 4 * mb : 0);
            double fds = 40 + r.nextInt(5);
            out.add(reading(i, g, heap, fds, start));
        }
        return out;
    }

    @Test
    void aWatchRestoredAtAnyReadingContinuesWithTheSameEventsAndState() {
        List<Reading> life = life();
        List<WatchEvent> all = new ArrayList<>();
        TargetWatch reference = new TargetWatch(TARGET, SETTINGS);
        for (Reading r : life) {
            all.addAll(reference.observe(r, CONTRACT, Stage.NOTIFY));
        }
        // the series exercises what a restart must keep: opened and resolved alerts of two metrics, a deploy
        assertThat(all).filteredOn(e -> e instanceof WatchEvent.Opened).extracting(e -> ((WatchEvent.Opened) e).alert().metric())
                .contains(Metric.GOROUTINES, Metric.HEAP);
        assertThat(all).filteredOn(e -> e instanceof WatchEvent.Resolved).hasSizeGreaterThanOrEqualTo(2);
        assertThat(all).filteredOn(e -> e instanceof WatchEvent.BaselineReset).hasSize(1);

        for (int cut = 0; cut <= life.size(); cut++) {
            TargetWatch before = new TargetWatch(TARGET, SETTINGS);
            List<WatchEvent> events = new ArrayList<>();
            for (Reading r : life.subList(0, cut)) {
                events.addAll(before.observe(r, CONTRACT, Stage.NOTIFY));
            }
            String json = before.toJson();
            TargetWatch restored = TargetWatch.fromJson(TARGET, SETTINGS, json);
            assertThat(restored.toJson()).as("round trip at reading %d", cut).isEqualTo(json);
            assertThat(restored.status()).as("status at reading %d", cut).isEqualTo(before.status());
            for (Reading r : life.subList(cut, life.size())) {
                events.addAll(restored.observe(r, CONTRACT, Stage.NOTIFY));
            }
            assertThat(events).as("events restored at reading %d", cut).isEqualTo(all);
            assertThat(restored.status()).isEqualTo(reference.status());
        }
    }

    /** The life up to the reading that opens its first goroutine alert. */
    private static TargetWatch withGoroutineAlert() {
        TargetWatch w = new TargetWatch(TARGET, SETTINGS);
        for (Reading r : life()) {
            w.observe(r, CONTRACT, Stage.NOTIFY);
            if (w.status().metrics().get(Metric.GOROUTINES).firing()) {
                return w;
            }
        }
        throw new AssertionError("no goroutine alert in the series");
    }

    @Test
    void theJsonSaysWhatTheWatchKnowsInPlainFields() throws Exception {
        TargetWatch w = withGoroutineAlert();
        JsonNode j = new ObjectMapper().readTree(w.toJson());
        TargetStatus s = w.status();
        assertThat(j.get("format").asInt()).isEqualTo(1);
        assertThat(j.get("target").asText()).isEqualTo("payments/10.0.0.1:6060");
        assertThat(j.get("last_reading_at").asText()).isEqualTo(s.lastReadingAt().toString());
        assertThat(j.get("process_start_seconds").asDouble()).isEqualTo(START);
        JsonNode g = j.get("metrics").get("goroutines");
        assertThat(g.get("buckets")).hasSize(5);
        assertThat(g.get("alert").get("id").asText()).isEqualTo(s.metrics().get(Metric.GOROUTINES).alert().id());
        assertThat(g.get("alert").get("baseline").asDouble()).isEqualTo(s.metrics().get(Metric.GOROUTINES).baseline().getAsDouble());
        assertThat(j.get("metrics").get("heap").get("alert").isNull()).isTrue();
    }

    @Test
    void aSmallerWindowAfterARestartDropsTheOldestBuckets() {
        TargetWatch w = new TargetWatch(TARGET, SETTINGS);
        for (int i = 0; i < 3 + 4 * 5; i++) {
            w.observe(reading(i, i < 3 + 4 * 3 ? 100 : 300, Double.NaN, Double.NaN, START), CONTRACT, Stage.NOTIFY);
        }
        assertThat(w.status().metrics().get(Metric.GOROUTINES).baseline().getAsDouble()).isEqualTo(100);
        TargetWatch narrower = TargetWatch.fromJson(TARGET, new WatchSettings(3, 4, 2), w.toJson());
        assertThat(narrower.status().metrics().get(Metric.GOROUTINES).baseline().getAsDouble()).isEqualTo(300);
    }

    @Test
    void aRestoredAlertTakesTheTargetsCurrentLabels() {
        TargetWatch w = withGoroutineAlert();
        Target relabelled = new Target(TARGET.job(), TARGET.address(), Map.of("team", "payments-core"));
        TargetWatch restored = TargetWatch.fromJson(relabelled, SETTINGS, w.toJson());
        assertThat(restored.status().metrics().get(Metric.GOROUTINES).alert().target()).isEqualTo(relabelled);
    }

    @Test
    void evidenceAttachedToTheOpenAlertTravelsWithItsEventsAndTheState() {
        TargetWatch w = withGoroutineAlert();
        Alert open = w.status().metrics().get(Metric.GOROUTINES).alert();
        AlertEvidence evidence = new AlertEvidence("cap-7", open.since().plusSeconds(2),
                List.of(new AlertEvidence.GrowingBucket("main.worker.func1", "main.go", 43, "chan send", 480, 3,
                        "leak: channel send nobody receives")),
                List.of(new AlertEvidence.FindingSummary("goroutines.leak", "critical", "480 goroutines blocked sending",
                        "main.go:43", "Give the channel a buffer or a receiver that always drains it")),
                List.of("evidence/cap-7/goroutine.debug2.txt", "evidence/cap-7/heap.pprof"));
        assertThat(w.attachEvidence("payments/10.0.0.1:6060/goroutines/1999-01-01T00:00:00Z", evidence)).isFalse();
        assertThat(w.attachEvidence(open.id(), evidence)).isTrue();

        TargetWatch restored = TargetWatch.fromJson(TARGET, SETTINGS, w.toJson());
        assertThat(restored.status().metrics().get(Metric.GOROUTINES).alert().evidence()).isEqualTo(evidence);
        assertThat(restored.toJson()).isEqualTo(w.toJson());
        List<WatchEvent> later = new ArrayList<>();
        int next = life().indexOf(life().stream().filter(r -> r.at().equals(w.status().lastReadingAt())).findFirst().orElseThrow()) + 1;
        for (Reading r : life().subList(next, life().size())) {
            later.addAll(restored.observe(r, CONTRACT, Stage.NOTIFY));
        }
        assertThat(later).filteredOn(e -> e instanceof WatchEvent.Resolved r && r.alert().id().equals(open.id()))
                .singleElement().satisfies(e -> assertThat(((WatchEvent.Resolved) e).alert().evidence()).isEqualTo(evidence));
    }

    @Test
    void aBrokenStateIsOneLineNamingTheTargetAndTheKey() {
        String good = new TargetWatch(TARGET, SETTINGS).toJson();
        assertBad("", "watch state of payments/10.0.0.1:6060: empty");
        assertBad("{\"format\":1,", "watch state of payments/10.0.0.1:6060: not JSON: ");
        assertBad("[1,2]", "watch state of payments/10.0.0.1:6060: the state: expected an object, got an array");
        assertBad("{} {}", "watch state of payments/10.0.0.1:6060: text after the JSON object");
        assertBad(good.replace("\"format\":1", "\"format\":2"), "format: format 2 is not 1");
        assertBad(good.replace("payments/10.0.0.1:6060", "payments/10.0.0.9:6060"),
                "target: is the state of payments/10.0.0.9:6060");
        assertBad("{\"format\":1,\"metrics\":{\"heap\":{\"buckets\":[[1,\"x\"]]}}}",
                "metrics.heap.buckets: expected a number, got a string");
        assertBad("{\"format\":1,\"metrics\":{\"heap\":{\"buckets\":[[1]]}}}",
                "metrics.heap.buckets: a bucket is [median, max], got 1 numbers");
        assertBad("{\"format\":1,\"metrics\":{\"fds\":{\"over\":-2}}}", "metrics.fds.over: expected a count, got -2.0");
        assertBad("{\"format\":1,\"last_reading_at\":\"yesterday\",\"metrics\":{}}", "last_reading_at: not an instant: yesterday");
        assertBad("{\"format\":1,\"metrics\":{\"goroutines\":{\"alert\":{\"id\":\"a\"}}}}",
                "metrics.goroutines.alert: needs an id, a since time and a stage");
        assertBad("{\"format\":1,\"metrics\":{\"goroutines\":{\"open\":[" + "1,".repeat(10_000) + "1]}}}",
                "metrics.goroutines.open: 10001 values, over the limit of 10000");
        assertBad("{\"format\":1,\"metrics\":{\"goroutines\":{\"alert\":{\"id\":\"a\",\"since\":\"2026-12-02T06:00:00Z\","
                        + "\"stage\":\"notify\",\"value\":1,\"baseline\":1,\"threshold\":1,\"evidence\":{\"buckets\":[{\"count\":1.5}]}}}}}",
                "metrics.goroutines.alert.evidence.buckets.count: expected a whole number, got 1.5");
        assertBad("[".repeat(5000), "watch state of payments/10.0.0.1:6060: not JSON: ");
    }

    private static void assertBad(String json, String message) {
        assertThatThrownBy(() -> TargetWatch.fromJson(TARGET, SETTINGS, json))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
