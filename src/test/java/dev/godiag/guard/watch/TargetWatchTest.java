package dev.godiag.guard.watch;

import dev.godiag.guard.config.MetricRule;
import dev.godiag.guard.config.Rules;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static dev.godiag.guard.watch.WatchFixtures.CONTRACT;
import static dev.godiag.guard.watch.WatchFixtures.START;
import static dev.godiag.guard.watch.WatchFixtures.TARGET;
import static dev.godiag.guard.watch.WatchFixtures.at;
import static dev.godiag.guard.watch.WatchFixtures.down;
import static dev.godiag.guard.watch.WatchFixtures.goroutines;
import static dev.godiag.guard.watch.WatchFixtures.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The alert state machine on hand-computed series: two readings of warm-up, buckets of five, a
 * window of four buckets, the contract's rules. Baselines, thresholds and the readings at which
 * an alert opens and resolves are worked out in the comments.
 */
class TargetWatchTest {
    static final WatchSettings SMALL = new WatchSettings(2, 5, 4);

    /**
     * Warm-up 10, 20 (ignored: a starting process); bucket 1: 1000 1010 990 1005 995 (median
     * 1000, max 1010); bucket 2: 1020 980 1000 1040 1001 (median 1001, max 1040). Baseline
     * median(1000, 1001) = 1000.5; threshold max(1000.5 + 500, 1000.5 * 1.5, ceiling 1040) = 1500.75.
     */
    static final double[] LEARN = {10, 20, 1000, 1010, 990, 1005, 995, 1020, 980, 1000, 1040, 1001};

    private static TargetWatch learned(List<WatchEvent> events) {
        TargetWatch w = new TargetWatch(TARGET, SMALL);
        for (int i = 0; i < LEARN.length; i++) {
            events.addAll(w.observe(goroutines(i, LEARN[i]), CONTRACT, Stage.NOTIFY));
        }
        return w;
    }

    /** Readings 12, 13, 14 at 1600, 1700, 1800: the alert opens on the third, since reading 12. */
    private static TargetWatch firing() {
        TargetWatch w = learned(new ArrayList<>());
        w.observe(goroutines(12, 1600), CONTRACT, Stage.NOTIFY);
        w.observe(goroutines(13, 1700), CONTRACT, Stage.NOTIFY);
        assertThat(w.observe(goroutines(14, 1800), CONTRACT, Stage.NOTIFY)).hasSize(1);
        return w;
    }

    @Test
    void aLeakOpensAnAlertOnTheConsecutiveReadingWithTheBaselineAndThresholdByHand() {
        List<WatchEvent> quiet = new ArrayList<>();
        TargetWatch w = learned(quiet);
        assertThat(quiet).isEmpty();
        TargetStatus.MetricStatus g = w.status().metrics().get(Metric.GOROUTINES);
        assertThat(g.baseline()).isEqualTo(OptionalDouble.of(1000.5));
        assertThat(g.ceiling()).isEqualTo(OptionalDouble.of(1040));

        assertThat(w.observe(goroutines(12, 1600), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.observe(goroutines(13, 1700), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.status().metrics().get(Metric.GOROUTINES).overStreak()).isEqualTo(2);
        List<WatchEvent> events = w.observe(goroutines(14, 1800), CONTRACT, Stage.NOTIFY);

        assertThat(events).hasSize(1).first().isInstanceOf(WatchEvent.Opened.class);
        Alert a = ((WatchEvent.Opened) events.getFirst()).alert();
        assertThat(a.id()).isEqualTo("payments/10.0.0.1:6060/goroutines/2026-12-02T06:06:00Z");
        assertThat(a.since()).isEqualTo(at(12));
        assertThat(a.firing()).isTrue();
        assertThat(a.value()).isEqualTo(1800);
        assertThat(a.baseline()).isEqualTo(1000.5);
        assertThat(a.threshold()).isEqualTo(1500.75);
        assertThat(a.stage()).isEqualTo(Stage.NOTIFY);
        assertThat(a.target()).isEqualTo(TARGET);
        assertThat(a.resolvedAt()).isNull();
        assertThat(w.status().metrics().get(Metric.GOROUTINES).alert()).isEqualTo(a);
        assertThat(w.status().metrics().get(Metric.HEAP).alert()).isNull();
    }

    @Test
    void theBaselineIsFrozenWhileTheAlertIsOpenAndItResolvesAfterAsManyReadingsBackUnder() {
        TargetWatch w = firing();
        for (int i = 15; i <= 30; i++) {
            List<WatchEvent> e = w.observe(goroutines(i, 1800 + 100 * (i - 14)), CONTRACT, Stage.NOTIFY);
            assertThat(e).singleElement().isInstanceOfSatisfying(WatchEvent.Updated.class, u -> {
                assertThat(u.alert().baseline()).isEqualTo(1000.5);
                assertThat(u.alert().threshold()).isEqualTo(1500.75);
            });
        }
        // 16 readings of a leak at 1900..3400 would have closed three buckets: none entered the window
        TargetStatus.MetricStatus g = w.status().metrics().get(Metric.GOROUTINES);
        assertThat(g.baseline()).isEqualTo(OptionalDouble.of(1000.5));
        assertThat(g.ceiling()).isEqualTo(OptionalDouble.of(1040));
        assertThat(g.alert().value()).isEqualTo(3400);

        assertThat(w.observe(goroutines(31, 1400), CONTRACT, Stage.NOTIFY)).singleElement().isInstanceOf(WatchEvent.Updated.class);
        assertThat(w.observe(goroutines(32, 1450), CONTRACT, Stage.NOTIFY)).singleElement().isInstanceOf(WatchEvent.Updated.class);
        assertThat(w.status().metrics().get(Metric.GOROUTINES).underStreak()).isEqualTo(2);
        // one reading over again: the count back under starts afresh
        w.observe(goroutines(33, 1600), CONTRACT, Stage.NOTIFY);
        assertThat(w.status().metrics().get(Metric.GOROUTINES).underStreak()).isZero();
        w.observe(goroutines(34, 1000), CONTRACT, Stage.NOTIFY);
        w.observe(goroutines(35, 1000), CONTRACT, Stage.NOTIFY);
        List<WatchEvent> e = w.observe(goroutines(36, 1000), CONTRACT, Stage.NOTIFY);

        assertThat(e).singleElement().isInstanceOfSatisfying(WatchEvent.Resolved.class, r -> {
            assertThat(r.reason()).isEqualTo(WatchEvent.Resolved.BACK_UNDER);
            assertThat(r.alert().id()).isEqualTo("payments/10.0.0.1:6060/goroutines/2026-12-02T06:06:00Z");
            assertThat(r.alert().firing()).isFalse();
            assertThat(r.alert().resolvedAt()).isEqualTo(at(36));
            assertThat(r.alert().value()).isEqualTo(1000);
        });
        assertThat(w.status().metrics().get(Metric.GOROUTINES).alert()).isNull();
        // the next leak is a new alert with its own id
        for (int i = 37; i <= 39; i++) {
            e = w.observe(goroutines(i, 2000), CONTRACT, Stage.NOTIFY);
        }
        assertThat(e).singleElement().isInstanceOfSatisfying(WatchEvent.Opened.class,
                o -> assertThat(o.alert().id()).endsWith("/goroutines/2026-12-02T06:18:30Z"));
    }

    @Test
    void aStreakThatBreaksWasNoiseAndItsValuesJoinTheWindow() {
        TargetWatch w = learned(new ArrayList<>());
        assertThat(w.observe(goroutines(12, 1600), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.observe(goroutines(13, 1700), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.observe(goroutines(14, 1000), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.observe(goroutines(15, 1000), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.observe(goroutines(16, 1000), CONTRACT, Stage.NOTIFY)).isEmpty();
        // bucket 3 is 1600 1700 1000 1000 1000: median 1000, max 1700; medians 1000 1001 1000
        TargetStatus.MetricStatus g = w.status().metrics().get(Metric.GOROUTINES);
        assertThat(g.overStreak()).isZero();
        assertThat(g.baseline()).isEqualTo(OptionalDouble.of(1000));
        // maxima 1010 1040 1700: one burst is left out of the ceiling, so it hides no leak
        assertThat(g.ceiling()).isEqualTo(OptionalDouble.of(1040));
        // the peak comes back in the next bucket (1650 twice): now it is part of normal
        for (int i = 17; i <= 21; i++) {
            assertThat(w.observe(goroutines(i, i < 19 ? 1650 : 1000), CONTRACT, Stage.NOTIFY)).isEmpty();
        }
        assertThat(w.status().metrics().get(Metric.GOROUTINES).ceiling()).isEqualTo(OptionalDouble.of(1650));
        for (int i = 22; i <= 25; i++) {
            assertThat(w.observe(goroutines(i, 1650), CONTRACT, Stage.NOTIFY)).isEmpty();
        }
        assertThat(w.observe(goroutines(26, 1660), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.observe(goroutines(27, 1660), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.observe(goroutines(28, 1660), CONTRACT, Stage.NOTIFY)).singleElement()
                .isInstanceOfSatisfying(WatchEvent.Opened.class, o -> assertThat(o.alert().threshold()).isEqualTo(1650));
    }

    @Test
    void theWindowKeepsItsLastBucketsSoTheBaselineFollowsALastingChange() {
        TargetWatch w = learned(new ArrayList<>());
        // a lasting move to 1300 (under the threshold): after four buckets at 1300 the old ones are gone
        for (int i = 12; i < 12 + 20; i++) {
            assertThat(w.observe(goroutines(i, 1300), CONTRACT, Stage.NOTIFY)).isEmpty();
        }
        TargetStatus.MetricStatus g = w.status().metrics().get(Metric.GOROUTINES);
        assertThat(g.baseline()).isEqualTo(OptionalDouble.of(1300));
        assertThat(g.ceiling()).isEqualTo(OptionalDouble.of(1300));
    }

    @Test
    void heapUsesTheRatioAndTheWindowsPeakAndFdsTheAbsoluteThreshold() {
        double mb = 1 << 20;
        TargetWatch w = new TargetWatch(TARGET, SMALL);
        double[] heap = {1, 2, 40, 50, 60, 70, 80, 80, 70, 60, 50, 40};
        for (int i = 0; i < heap.length; i++) {
            assertThat(w.observe(reading(i, Double.NaN, heap[i] * mb, 30, START), CONTRACT, Stage.CAPTURE)).isEmpty();
        }
        // medians 60, 60; ceiling 80; threshold max(60 * 1.5, 80) = 90 MiB
        assertThat(w.status().metrics().get(Metric.HEAP).baseline()).isEqualTo(OptionalDouble.of(60 * mb));
        assertThat(w.observe(reading(12, Double.NaN, 89 * mb, 30, START), CONTRACT, Stage.CAPTURE)).isEmpty();
        assertThat(w.status().metrics().get(Metric.HEAP).overStreak()).isZero();
        w.observe(reading(13, Double.NaN, 95 * mb, 30, START), CONTRACT, Stage.CAPTURE);
        w.observe(reading(14, Double.NaN, 100 * mb, 30, START), CONTRACT, Stage.CAPTURE);
        List<WatchEvent> e = w.observe(reading(15, Double.NaN, 110 * mb, 229, START), CONTRACT, Stage.CAPTURE);
        assertThat(e).singleElement().isInstanceOfSatisfying(WatchEvent.Opened.class, o -> {
            assertThat(o.alert().metric()).isEqualTo(Metric.HEAP);
            assertThat(o.alert().since()).isEqualTo(at(13));
            assertThat(o.alert().baseline()).isEqualTo(60 * mb);
            assertThat(o.alert().threshold()).isEqualTo(90 * mb);
            assertThat(o.alert().stage()).isEqualTo(Stage.CAPTURE);
        });
        // fds: baseline 30, threshold 30 + 200 = 230: 229 is not over, 231 three times is
        assertThat(w.status().metrics().get(Metric.FDS).overStreak()).isZero();
        for (int i = 16; i <= 17; i++) {
            assertThat(w.observe(reading(i, Double.NaN, 110 * mb, 231, START), CONTRACT, Stage.CAPTURE)).isEmpty();
        }
        e = w.observe(reading(18, Double.NaN, 110 * mb, 231, START), CONTRACT, Stage.CAPTURE);
        assertThat(e).singleElement().isInstanceOfSatisfying(WatchEvent.Opened.class, o -> {
            assertThat(o.alert().metric()).isEqualTo(Metric.FDS);
            assertThat(o.alert().threshold()).isEqualTo(230);
        });
    }

    @Test
    void aNewDeployResolvesTheOpenAlertAndLearnsAgainWithoutAlertingOnWarmUp() {
        TargetWatch w = firing();
        double deployed = START + 3600;
        List<WatchEvent> e = w.observe(reading(15, 40, Double.NaN, Double.NaN, deployed), CONTRACT, Stage.NOTIFY);

        assertThat(e).hasSize(2);
        assertThat(e.get(0)).isEqualTo(new WatchEvent.BaselineReset(TARGET, at(15), START, deployed));
        assertThat(e.get(1)).isInstanceOfSatisfying(WatchEvent.Resolved.class, r -> {
            assertThat(r.reason()).isEqualTo(WatchEvent.Resolved.RESTARTED);
            assertThat(r.alert().resolvedAt()).isEqualTo(at(15));
            assertThat(r.alert().value()).isEqualTo(40);
        });
        TargetStatus s = w.status();
        assertThat(s.warmingUp()).isTrue();
        assertThat(s.processStartSeconds()).isEqualTo(OptionalDouble.of(deployed));
        assertThat(s.metrics().get(Metric.GOROUTINES).baseline()).isEmpty();
        assertThat(s.metrics().get(Metric.GOROUTINES).alert()).isNull();

        // the new version runs at 3000 goroutines after a burst at start: learned, never an alert
        List<WatchEvent> after = new ArrayList<>();
        after.addAll(w.observe(reading(16, 6000, Double.NaN, Double.NaN, deployed), CONTRACT, Stage.NOTIFY));
        for (int i = 17; i < 40; i++) {
            after.addAll(w.observe(reading(i, 3000 + (i % 3) * 10, Double.NaN, Double.NaN, deployed), CONTRACT, Stage.NOTIFY));
        }
        assertThat(after).isEmpty();
        assertThat(w.status().warmingUp()).isFalse();
        assertThat(w.status().metrics().get(Metric.GOROUTINES).baseline()).isEqualTo(OptionalDouble.of(3010));
    }

    @Test
    void aTargetWithoutAStartTimeIsNeverReset() {
        TargetWatch w = new TargetWatch(TARGET, SMALL);
        for (int i = 0; i < 12; i++) {
            assertThat(w.observe(reading(i, 100, Double.NaN, Double.NaN, Double.NaN), CONTRACT, Stage.OBSERVE)).isEmpty();
        }
        assertThat(w.status().processStartSeconds()).isEmpty();
        assertThat(w.status().metrics().get(Metric.GOROUTINES).baseline()).isEqualTo(OptionalDouble.of(100));
    }

    @Test
    void aDownTargetKeepsItsStreaksAndAlertsAndMissingReadingsResolveNothing() {
        TargetWatch w = learned(new ArrayList<>());
        w.observe(goroutines(12, 1600), CONTRACT, Stage.NOTIFY);
        assertThat(w.observe(down(13), CONTRACT, Stage.NOTIFY)).isEmpty();
        TargetStatus s = w.status();
        assertThat(s.up()).isFalse();
        assertThat(s.lastError()).isEqualTo("timeout after 10s");
        assertThat(s.lastReadingAt()).isEqualTo(at(13));
        assertThat(s.metrics().get(Metric.GOROUTINES).overStreak()).isEqualTo(1);
        w.observe(goroutines(14, 1700), CONTRACT, Stage.NOTIFY);
        List<WatchEvent> e = w.observe(goroutines(15, 1800), CONTRACT, Stage.NOTIFY);
        assertThat(e).singleElement().isInstanceOfSatisfying(WatchEvent.Opened.class,
                o -> assertThat(o.alert().since()).isEqualTo(at(12)));
        assertThat(w.status().up()).isTrue();
        assertThat(w.status().lastError()).isNull();

        for (int i = 16; i < 40; i++) {
            assertThat(w.observe(down(i), CONTRACT, Stage.NOTIFY)).isEmpty();
        }
        assertThat(w.status().metrics().get(Metric.GOROUTINES).alert()).isNotNull();
        w.observe(goroutines(40, 1000), CONTRACT, Stage.NOTIFY);
        w.observe(goroutines(41, 1000), CONTRACT, Stage.NOTIFY);
        assertThat(w.observe(goroutines(42, 1000), CONTRACT, Stage.NOTIFY)).singleElement()
                .isInstanceOf(WatchEvent.Resolved.class);
    }

    @Test
    void aReadingReplayedOrOutOfOrderCountsOnce() {
        TargetWatch w = learned(new ArrayList<>());
        w.observe(goroutines(12, 1600), CONTRACT, Stage.NOTIFY);
        assertThat(w.observe(goroutines(12, 1600), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.observe(goroutines(11, 1600), CONTRACT, Stage.NOTIFY)).isEmpty();
        assertThat(w.status().metrics().get(Metric.GOROUTINES).overStreak()).isEqualTo(1);
        assertThat(w.status().lastReadingAt()).isEqualTo(at(12));
    }

    @Test
    void aRuleDisabledByAReloadResolvesItsAlertAndTheLaterRuleCountIsUsed() {
        TargetWatch w = firing();
        Rules off = new Rules(new MetricRule(500.0, 0.5, 3, false), CONTRACT.heap(), CONTRACT.fds());
        assertThat(w.observe(goroutines(15, 5000), off, Stage.NOTIFY)).singleElement()
                .isInstanceOfSatisfying(WatchEvent.Resolved.class, r -> assertThat(r.reason()).isEqualTo(WatchEvent.Resolved.RULE_OFF));

        TargetWatch v = learned(new ArrayList<>());
        Rules single = new Rules(new MetricRule(500.0, null, 1, true), CONTRACT.heap(), CONTRACT.fds());
        assertThat(v.observe(goroutines(12, 1600), single, Stage.OBSERVE)).singleElement()
                .isInstanceOfSatisfying(WatchEvent.Opened.class, o -> {
                    assertThat(o.alert().threshold()).isEqualTo(1500.5);
                    assertThat(o.alert().stage()).isEqualTo(Stage.OBSERVE);
                });
    }

    @Test
    void valuesThatAreNotFiniteAreIgnored() {
        TargetWatch w = learned(new ArrayList<>());
        for (int i = 12; i < 20; i++) {
            assertThat(w.observe(goroutines(i, i % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NaN), CONTRACT, Stage.NOTIFY)).isEmpty();
        }
        TargetStatus.MetricStatus g = w.status().metrics().get(Metric.GOROUTINES);
        assertThat(g.last()).isEqualTo(OptionalDouble.of(1001));
        assertThat(g.overStreak()).isZero();
    }

    @Test
    void aReadingOfAnotherTargetIsRefused() {
        TargetWatch w = new TargetWatch(TARGET, SMALL);
        Reading other = Reading.failed(new Target("payments", "10.0.0.2:6060", Map.of()), at(0), Duration.ZERO, "refused");
        assertThatThrownBy(() -> w.observe(other, CONTRACT, Stage.NOTIFY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.2:6060");
    }

    @Test
    void settingsForAnIntervalKeepTheDefaultDurations() {
        assertThat(WatchSettings.forInterval(Duration.ofSeconds(30))).isEqualTo(WatchSettings.DEFAULT);
        assertThat(WatchSettings.forInterval(Duration.ofSeconds(15))).isEqualTo(new WatchSettings(20, 20, 12));
        assertThat(WatchSettings.forInterval(Duration.ofMinutes(5))).isEqualTo(new WatchSettings(3, 3, 12));
        assertThatThrownBy(() -> WatchSettings.forInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WatchSettings(1, 0, 3)).hasMessage("bucket readings must be between 1 and 10000, got 0");
    }
}
