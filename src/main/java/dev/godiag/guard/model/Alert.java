package dev.godiag.guard.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A condition on one metric of one target: {@code value} (the latest reading) against
 * {@code baseline} (frozen when the alert opened) and {@code threshold} (the value the rule
 * needed to exceed); {@code since} is the first breaching reading, {@code resolvedAt} is null
 * while firing. {@code id} is unique and stable (it keys deliveries: one transition is delivered
 * once). {@code evidence} is null until captured (stage capture or notify) and may stay null when
 * the capture failed.
 */
public record Alert(String id, Target target, Metric metric, AlertState state, Instant since, Instant resolvedAt,
                    double value, double baseline, double threshold, Stage stage, AlertEvidence evidence) {
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(stage, "stage");
    }

    public boolean firing() {
        return state == AlertState.FIRING;
    }

    public Alert withEvidence(AlertEvidence e) {
        return new Alert(id, target, metric, state, since, resolvedAt, value, baseline, threshold, stage, e);
    }

    public Alert resolved(Instant at, double latest) {
        return new Alert(id, target, metric, AlertState.RESOLVED, since, at, latest, baseline, threshold, stage, evidence);
    }

    public Alert withValue(double latest) {
        return new Alert(id, target, metric, state, since, resolvedAt, latest, baseline, threshold, stage, evidence);
    }
}
