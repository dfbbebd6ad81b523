package dev.godiag.guard.config;

import dev.godiag.guard.model.Metric;

/** The rule of each metric guard watches. */
public record Rules(MetricRule goroutines, MetricRule heap, MetricRule fds) {
    public MetricRule of(Metric metric) {
        return switch (metric) {
            case GOROUTINES -> goroutines;
            case HEAP -> heap;
            case FDS -> fds;
        };
    }
}
