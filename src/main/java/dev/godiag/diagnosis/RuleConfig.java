package dev.godiag.diagnosis;

import java.util.Map;

/** Overrides of rules' thresholds, keyed "ruleId.thresholdName.level" (level: info, warning, critical). */
public record RuleConfig(Map<String, Double> overrides) {
    public static final RuleConfig DEFAULT = new RuleConfig(Map.of());

    /** The threshold with any configured overrides applied. */
    public Threshold resolve(Rule rule, Threshold t) {
        String key = rule.id() + "." + t.name() + ".";
        return new Threshold(t.name(), t.unit(), overrides.getOrDefault(key + "info", t.info()),
                overrides.getOrDefault(key + "warning", t.warning()),
                overrides.getOrDefault(key + "critical", t.critical()), t.description());
    }
}
