package dev.godiag.guard.watch;

import dev.godiag.guard.config.MetricRule;
import dev.godiag.guard.config.Rules;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Target;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/** Readings of one target at a 30 s interval and the rules of the configuration contract. */
final class WatchFixtures {
    static final Target TARGET = new Target("payments", "10.0.0.1:6060", Map.of("team", "pay"));
    static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");
    static final double START = 1_796_191_200.25;
    /** The contract's rules: goroutines {500, 0.5, 3}, heap {ratio 0.5, 3}, fds {200, 3}. */
    static final Rules CONTRACT = new Rules(new MetricRule(500.0, 0.5, 3, true), new MetricRule(null, 0.5, 3, true),
            new MetricRule(200.0, null, 3, true));

    private WatchFixtures() {
    }

    static Instant at(int i) {
        return T0.plus(Duration.ofSeconds(30L * i));
    }

    static Reading goroutines(int i, double count) {
        return reading(i, count, Double.NaN, Double.NaN, START);
    }

    /** A reading at step {@code i}; NaN leaves a metric out (the target does not expose it). */
    static Reading reading(int i, double goroutines, double heap, double fds, double start) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        put(values, Metric.GOROUTINES, goroutines);
        put(values, Metric.HEAP, heap);
        put(values, Metric.FDS, fds);
        return new Reading(TARGET, at(i), Duration.ofMillis(12), null, values,
                Double.isNaN(start) ? OptionalDouble.empty() : OptionalDouble.of(start), "metrics");
    }

    static Reading down(int i) {
        return Reading.failed(TARGET, at(i), Duration.ofSeconds(10), "timeout after 10s");
    }

    private static void put(Map<Metric, Double> values, Metric m, double v) {
        if (!Double.isNaN(v)) {
            values.put(m, v);
        }
    }
}
