package dev.godiag.guard.config;

/**
 * When a metric is over its baseline: {@code value > baseline + overBaseline} and/or
 * {@code value > baseline * (1 + overRatio)} (each null when not set; when both are set, both
 * must hold, so a big service's noise and a small service's few extra goroutines stay quiet), for
 * {@code consecutive} readings in a row; it resolves after as many readings back under.
 * {@code enabled} false switches the metric off for a job.
 */
public record MetricRule(Double overBaseline, Double overRatio, int consecutive, boolean enabled) {
    /** The threshold the value must exceed over {@code baseline}. */
    public double threshold(double baseline) {
        double t = Double.NEGATIVE_INFINITY;
        if (overBaseline != null) {
            t = Math.max(t, baseline + overBaseline);
        }
        if (overRatio != null) {
            t = Math.max(t, baseline * (1 + overRatio));
        }
        return t;
    }
}
