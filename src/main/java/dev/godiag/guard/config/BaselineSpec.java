package dev.godiag.guard.config;

import java.time.Duration;

/**
 * How long a target's baselines take to learn ({@code baseline: {warmup: 5m, window: 1h}}, at the
 * top for every job or in a job): the first {@code warmup} of a process is not learned from (a
 * starting service is not at its steady state), and the baseline is taken over the last
 * {@code window} of readings. No alert can open before the warm-up and a twelfth of the window
 * have passed.
 */
public record BaselineSpec(Duration warmup, Duration window) {
    public static final BaselineSpec DEFAULT = new BaselineSpec(Duration.ofMinutes(5), Duration.ofHours(1));
}
