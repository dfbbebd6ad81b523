package dev.godiag.guard.watch;

import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Target;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A snapshot of one target's watch for /metrics and /api/guard/targets: whether its last scrape
 * worked (and why not), when that was, its process start time, whether it is warming up, and per
 * metric what the watch knows. {@code lastReadingAt} is null before the first reading.
 */
public record TargetStatus(Target target, boolean up, String lastError, Instant lastReadingAt,
                           OptionalDouble processStartSeconds, boolean warmingUp, Map<Metric, MetricStatus> metrics) {
    public TargetStatus {
        metrics = Map.copyOf(metrics);
    }

    /**
     * One metric: the last value read, the baseline and the ceiling (the highest value in the
     * baseline's window but for its highest bucket; the threshold is never below it) once learned, the readings in a row over the threshold (not yet an alert)
     * and, while an alert is open, the readings in a row back under it and the alert.
     */
    public record MetricStatus(Metric metric, OptionalDouble last, OptionalDouble baseline, OptionalDouble ceiling,
                               int overStreak, int underStreak, Alert alert) {
        public boolean firing() {
            return alert != null;
        }
    }
}
