package dev.godiag.guard.watch;

import dev.godiag.guard.config.MetricRule;
import dev.godiag.guard.config.Rules;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Stage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.godiag.guard.watch.WatchFixtures.START;
import static dev.godiag.guard.watch.WatchFixtures.TARGET;
import static dev.godiag.guard.watch.WatchFixtures.down;
import static dev.godiag.guard.watch.WatchFixtures.reading;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random walks with jumps, outages and deploys, under random settings and rules: the alert state
 * machine keeps its promises whatever the series.
 */
class AlertLifecycleProperties {
    @Property(tries = 100)
    void everySeriesKeepsTheStateMachinesPromises(@ForAll long seed) {
        Random r = new Random(seed);
        WatchSettings settings = new WatchSettings(r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(5));
        Rules rules = new Rules(rule(r), rule(r), rule(r));
        TargetWatch w = new TargetWatch(TARGET, settings);
        Map<Metric, Alert> open = new EnumMap<>(Metric.class);
        Set<String> ids = new HashSet<>();
        double start = START;
        double[] level = {100, 50e6, 40};
        for (int i = 0; i < 300; i++) {
            Reading reading;
            if (r.nextInt(20) == 0) {
                reading = down(i);
            } else {
                if (r.nextInt(60) == 0) {
                    start += 600;
                }
                for (int m = 0; m < 3; m++) {
                    double step = r.nextInt(10) == 0 ? level[m] * (r.nextDouble() * 2 - 0.8) : level[m] * 0.05 * r.nextGaussian();
                    level[m] = Math.max(0, level[m] + step);
                }
                reading = reading(i, level[0], level[1], r.nextInt(7) == 0 ? Double.NaN : level[2], start);
            }
            List<WatchEvent> events = w.observe(reading, rules, Stage.CAPTURE);
            if (!reading.up()) {
                assertThat(events).isEmpty();
            }
            boolean reset = false;
            for (WatchEvent e : events) {
                switch (e) {
                    case WatchEvent.BaselineReset b -> {
                        assertThat(reset).isFalse();
                        assertThat(events.getFirst()).isSameAs(b);
                        reset = true;
                    }
                    case WatchEvent.Opened o -> {
                        Alert a = o.alert();
                        assertThat(open).doesNotContainKey(a.metric());
                        assertThat(ids.add(a.id())).as("id %s unique", a.id()).isTrue();
                        assertThat(a.value()).isGreaterThan(a.threshold());
                        assertThat(a.threshold()).isGreaterThanOrEqualTo(rules.of(a.metric()).threshold(a.baseline()));
                        assertThat(a.since()).isBeforeOrEqualTo(reading.at());
                        open.put(a.metric(), a);
                    }
                    case WatchEvent.Updated u -> {
                        Alert before = open.get(u.alert().metric());
                        assertThat(before).isNotNull();
                        assertThat(u.alert().id()).isEqualTo(before.id());
                        assertThat(u.alert().baseline()).isEqualTo(before.baseline());
                        assertThat(u.alert().value()).isNotEqualTo(before.value());
                        open.put(u.alert().metric(), u.alert());
                    }
                    case WatchEvent.Resolved res -> {
                        Alert before = open.remove(res.alert().metric());
                        assertThat(before).isNotNull();
                        assertThat(res.alert().id()).isEqualTo(before.id());
                        assertThat(res.alert().resolvedAt()).isEqualTo(reading.at());
                        switch (res.reason()) {
                            case WatchEvent.Resolved.BACK_UNDER -> assertThat(res.alert().value()).isLessThanOrEqualTo(before.threshold());
                            case WatchEvent.Resolved.RESTARTED -> assertThat(reset).isTrue();
                            default -> throw new AssertionError("unexpected reason " + res.reason());
                        }
                    }
                }
            }
            TargetStatus s = w.status();
            for (Metric m : Metric.values()) {
                TargetStatus.MetricStatus ms = s.metrics().get(m);
                assertThat(ms.alert()).isEqualTo(open.get(m));
                if (ms.alert() != null) {
                    // frozen: nothing was learned since the alert opened
                    assertThat(ms.baseline().getAsDouble()).isEqualTo(ms.alert().baseline());
                }
                assertThat(ms.overStreak()).isLessThan(Math.max(1, rules.of(m).consecutive()));
            }
            if (r.nextInt(25) == 0) {
                String json = w.toJson();
                w = TargetWatch.fromJson(TARGET, settings, json);
                assertThat(w.toJson()).isEqualTo(json);
                assertThat(w.status()).isEqualTo(s);
            }
        }
    }

    private static MetricRule rule(Random r) {
        Double over = r.nextBoolean() ? null : r.nextDouble() * 50;
        Double ratio = over != null && r.nextBoolean() ? null : r.nextDouble();
        return new MetricRule(over, ratio, 1 + r.nextInt(4), r.nextInt(10) != 0);
    }
}
