package dev.godiag.diagnosis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Runs every rule whose inputs are present and ranks what they find by score. */
public final class Diagnoser {
    private final List<Rule> rules;

    public Diagnoser(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules registered with ServiceLoader (godiag's own and any on the class path). */
    public static Diagnoser withRegisteredRules() {
        List<Rule> rules = new ArrayList<>();
        ServiceLoader.load(Rule.class).forEach(rules::add);
        rules.sort(Comparator.comparing(Rule::id));
        return new Diagnoser(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The findings, highest score first, then by rule id and title; OK findings are dropped. */
    public List<Finding> run(DiagnosisInput input, RuleConfig config) {
        List<Finding> out = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule.requires().stream().noneMatch(input::has)) {
                continue;
            }
            for (Finding f : rule.evaluate(input, config)) {
                if (f.severity() != Severity.OK) {
                    out.add(f);
                }
            }
        }
        out.sort(Comparator.comparingInt(Finding::score).reversed().thenComparing(Finding::rule)
                .thenComparing(Finding::title));
        return out;
    }
}
