package dev.godiag.diagnosis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a rule is, as data: what {@code --rules} lists, what decides whether it runs, what can be
 * tuned, and which knowledge-base cards explain its findings (the cards, not the rule, hold the
 * explanation, the fix and the example).
 *
 * @param id          a stable id, "topic.name" ("cpu.hotspot", "goroutines.leak")
 * @param topic       the area: cpu, memory, gc, goroutines, locks, io, scheduler, code
 * @param description what the rule looks for, in a few words
 * @param needs       inputs of which at least one must be present for the rule to run
 * @param thresholds  its tunable limits with their defaults (names unique within the rule)
 * @param cards       the cards of its findings, its own ({@code id}) first
 */
public record RuleInfo(String id, String topic, String description, Set<DiagnosisInput.Kind> needs,
                       List<Threshold> thresholds, List<String> cards) {
    public RuleInfo {
        if (id == null || !id.matches("\\S+\\.\\S+")) {
            throw new IllegalArgumentException("a rule id is topic.name, not '" + id + "'");
        }
        if (topic == null || topic.isBlank() || description == null || description.isBlank()) {
            throw new IllegalArgumentException(id + ": a rule needs a topic and a description");
        }
        if (needs == null || needs.isEmpty()) {
            throw new IllegalArgumentException(id + ": a rule needs at least one kind of input");
        }
        needs = Set.copyOf(needs);
        thresholds = List.copyOf(thresholds);
        cards = List.copyOf(cards);
        Set<String> names = new HashSet<>();
        for (Threshold t : thresholds) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException(id + ": two thresholds named " + t.name());
            }
        }
    }

    /** A rule whose findings are explained by its own card (the card with its id). */
    public static RuleInfo of(String id, String topic, String description, Set<DiagnosisInput.Kind> needs,
                              Threshold... thresholds) {
        return new RuleInfo(id, topic, description, needs, List.of(thresholds), List.of(id));
    }

    /** The same rule with more cards after its own. */
    public RuleInfo withCards(String... more) {
        List<String> all = new ArrayList<>(cards);
        all.addAll(List.of(more));
        return new RuleInfo(id, topic, description, needs, thresholds, all);
    }
}
