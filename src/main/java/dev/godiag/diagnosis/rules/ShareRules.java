package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleSet;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.diagnosis.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rules that are only data, one row each in the table {@value #TABLE} (its header says what the
 * fields mean): registered with ServiceLoader as one {@link RuleSet}.
 */
public final class ShareRules implements RuleSet {
    static final String TABLE = "dev/godiag/diagnosis/rules/share-rules.yaml";
    private static final Set<String> FIELDS = Set.of("id", "topic", "description", "in", "what", "threshold", "match",
            "exclude", "allocSites");
    private static final Set<String> THRESHOLD_FIELDS = Set.of("name", "info", "warning", "critical", "description");

    /** The table's rules, read once per JVM. */
    private static final class Table {
        static final List<ShareRule> RULES = read();
    }

    @Override
    public List<Rule> rules() {
        return List.copyOf(Table.RULES);
    }

    /** The rule of an id, or null. */
    static ShareRule rule(String id) {
        for (ShareRule r : Table.RULES) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    private static List<ShareRule> read() {
        try (InputStream in = ShareRules.class.getClassLoader().getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("the rule table " + TABLE + " is missing from the class path");
            }
            return parse(Yaml.parse(in, TABLE), TABLE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the rule table " + TABLE + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("godiag's rule table is malformed: " + e.getMessage(), e);
        }
    }

    /** The rules of a table document; IllegalArgumentException "NAME: problem" when malformed. */
    static List<ShareRule> parse(Object doc, String name) {
        List<ShareRule> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Object o : Yaml.list(name, doc, "the rule table")) {
            Map<String, Object> m = Yaml.map(name, o, "a rule");
            String id = Yaml.text(name, m, "id", true);
            String where = name + " (" + id + ")";
            Yaml.onlyKeys(where, m, FIELDS);
            if (!ids.add(id)) {
                throw Yaml.bad(where, "a second rule with this id");
            }
            Set<ShareRule.Source> sources = EnumSet.noneOf(ShareRule.Source.class);
            for (String s : Yaml.strings(where, m.get("in"), "in")) {
                sources.add(switch (s) {
                    case "cpu" -> ShareRule.Source.CPU;
                    case "allocs" -> ShareRule.Source.ALLOCS;
                    default -> throw Yaml.bad(where, "'in' lists cpu or allocs, not '" + s + "'");
                });
            }
            if (sources.isEmpty()) {
                throw Yaml.bad(where, "missing 'in' (cpu, allocs or both)");
            }
            Map<String, Object> t = Yaml.map(where, m.get("threshold"), "'threshold'");
            Yaml.onlyKeys(where, t, THRESHOLD_FIELDS);
            double info = Yaml.number(where, t, "info");
            double warning = Yaml.number(where, t, "warning");
            double critical = Yaml.number(where, t, "critical");
            if (!(info < warning && warning < critical)) {
                throw Yaml.bad(where, "the threshold's info, warning and critical must increase");
            }
            Threshold share = new Threshold(Yaml.text(where, t, "name", true), "fraction", info, warning, critical,
                    Yaml.text(where, t, "description", true));
            List<String> match = Yaml.strings(where, m.get("match"), "match");
            if (match.isEmpty()) {
                throw Yaml.bad(where, "missing 'match' (the functions of the family)");
            }
            List<String> exclude = Yaml.strings(where, m.get("exclude"), "exclude");
            String allocSites = Yaml.text(where, m, "allocSites", false);
            if (allocSites != null && !allocSites.equals("true") && !allocSites.equals("false")) {
                throw Yaml.bad(where, "'allocSites' is true or false");
            }
            out.add(new ShareRule(id, Yaml.text(where, m, "topic", true), Yaml.text(where, m, "description", true),
                    share, sources, functions(match), exclude.isEmpty() ? null : functions(exclude),
                    Yaml.text(where, m, "what", true), "true".equals(allocSites)));
        }
        return out;
    }

    /** Exact function names, or prefixes where a pattern ends in '*'. */
    static Predicate<String> functions(List<String> patterns) {
        Set<String> exact = new HashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String p : patterns) {
            if (p.endsWith("*")) {
                prefixes.add(p.substring(0, p.length() - 1));
            } else {
                exact.add(p);
            }
        }
        String[] ps = prefixes.toArray(String[]::new);
        return n -> {
            if (exact.contains(n)) {
                return true;
            }
            for (String p : ps) {
                if (n.startsWith(p)) {
                    return true;
                }
            }
            return false;
        };
    }
}
