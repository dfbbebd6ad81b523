package dev.godiag.guard.model;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One scrape of one target: when it started, how long it took, and either the values read
 * (goroutines, heap in use in bytes, open fds: whichever the target exposes) or why it failed
 * ({@code error}: one line, e.g. "connection refused", "timeout after 10s", "response over
 * 16 MiB", "no go_goroutines in /metrics"). {@code processStartSeconds} is the process start time
 * (Unix seconds, {@code process_start_time_seconds}) when the target exposes it: a change means a
 * new deploy. {@code source} says where the values came from: metrics, pprof, expvar or query.
 */
public record Reading(Target target, Instant at, Duration duration, String error,
                      Map<Metric, Double> values, OptionalDouble processStartSeconds, String source) {
    public Reading {
        at = at.truncatedTo(ChronoUnit.MILLIS); // what the store keeps: the same instant in alert ids, JSON and history
        values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
    }

    public static Reading failed(Target target, Instant at, Duration duration, String error) {
        return new Reading(target, at, duration, error, Map.of(), OptionalDouble.empty(), "");
    }

    public boolean up() {
        return error == null;
    }

    public OptionalDouble value(Metric metric) {
        Double v = values.get(metric);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
