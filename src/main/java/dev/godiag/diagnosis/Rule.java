package dev.godiag.diagnosis;

import java.util.List;

/**
 * A diagnosis rule: stateless and safe to run from several threads at once; given everything that
 * was read ({@link DiagnosisInput}), returns its findings (none when the inputs it needs are
 * missing or nothing is wrong): measured values and the places they point at, never advice, which
 * is the cards' ({@link KnowledgeBase}). Rules are found by {@link java.util.ServiceLoader}
 * (META-INF/services/dev.godiag.diagnosis.Rule, or a {@link RuleSet} for a table of rules), so a
 * jar on the class path can add its own.
 */
public interface Rule {
    /** What the rule is: id, topic, inputs, thresholds, cards. */
    RuleInfo info();

    List<Finding> evaluate(DiagnosisInput input, RuleConfig config);

    default String id() {
        return info().id();
    }
}
