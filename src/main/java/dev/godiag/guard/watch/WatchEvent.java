package dev.godiag.guard.watch;

import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.Target;

import java.time.Instant;

/** What one reading changed that the daemon acts on: an alert opened, moved, resolved, or a target's baselines restarted. */
public sealed interface WatchEvent {
    /** A metric stayed over its threshold for the rule's {@code consecutive} readings: capture, store, deliver. */
    record Opened(Alert alert) implements WatchEvent {
    }

    /** A firing alert's latest value changed (its baseline and threshold stay frozen). */
    record Updated(Alert alert) implements WatchEvent {
    }

    /**
     * A firing alert ended: {@code reason} is {@link #BACK_UNDER} (the rule's count of readings
     * back under its threshold), {@link #RESTARTED} (the process was replaced; its leaked
     * goroutines and memory went with it) or {@link #RULE_OFF} (the job's rule for the metric was
     * disabled by a reload).
     */
    record Resolved(Alert alert, String reason) implements WatchEvent {
        public static final String BACK_UNDER = "back under threshold";
        public static final String RESTARTED = "process restarted";
        public static final String RULE_OFF = "rule disabled";
    }

    /**
     * The target's process start time changed (a deploy or a restart): every baseline starts again
     * with a warm-up. {@code previousStart} and {@code newStart} are Unix seconds.
     */
    record BaselineReset(Target target, Instant at, double previousStart, double newStart) implements WatchEvent {
    }
}
