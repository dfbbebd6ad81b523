package dev.godiag.diagnosis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Runs every rule whose inputs are present and ranks what they find by score. Immutable, and its
 * rules are stateless: one diagnoser serves any number of concurrent diagnoses.
 */
public final class Diagnoser {
    private final List<Rule> rules;

    public Diagnoser(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        Set<String> ids = new HashSet<>();
        for (Rule r : this.rules) {
            if (!ids.add(r.id())) {
                throw new IllegalStateException("two rules have the id " + r.id());
            }
        }
    }

    /** Found once per JVM: the registered rules cannot change while it runs. */
    private static final class Registered {
        static final Diagnoser INSTANCE = load();

        private static Diagnoser load() {
            ClassLoader loader = Diagnoser.class.getClassLoader();
            List<Rule> rules = new ArrayList<>();
            ServiceLoader.load(Rule.class, loader).forEach(rules::add);
            ServiceLoader.load(RuleSet.class, loader).forEach(s -> rules.addAll(s.rules()));
            rules.sort(Comparator.comparing(Rule::id));
            return new Diagnoser(rules);
        }
    }

    /**
     * The rules registered with ServiceLoader (godiag's own and any on the class path), single
     * {@link Rule}s and {@link RuleSet}s; loaded on first use and shared.
     */
    public static Diagnoser withRegisteredRules() {
        return Registered.INSTANCE;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The findings, highest score first, then by rule id and title; OK findings are dropped. */
    public List<Finding> run(DiagnosisInput input, RuleConfig config) {
        List<Finding> out = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule.info().needs().stream().noneMatch(input::has)) {
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
