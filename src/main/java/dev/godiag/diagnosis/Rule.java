package dev.godiag.diagnosis;

import java.util.List;
import java.util.Set;

/**
 * A diagnosis rule: stateless; given everything that was read ({@link DiagnosisInput}), returns its
 * findings (none when the inputs it needs are missing or nothing is wrong). Rules are found by
 * {@link java.util.ServiceLoader} (META-INF/services/dev.godiag.diagnosis.Rule), so a jar on the
 * class path can add its own.
 */
public interface Rule {
    /** A stable id, "topic.name" ("cpu.hotspot", "goroutines.leak"). */
    String id();

    /** The area: cpu, memory, gc, goroutines, locks, io, scheduler, code. */
    String topic();

    /** What the rule looks for, in a few words. */
    String description();

    /** Inputs of which at least one must be present for the rule to run. */
    Set<DiagnosisInput.Kind> requires();

    /** Its thresholds with their defaults, overridable by configuration. */
    default List<Threshold> thresholds() {
        return List.of();
    }

    List<Finding> evaluate(DiagnosisInput input, RuleConfig config);
}
