package dev.godiag.analysis.bench;

import dev.godiag.util.BadInputException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The gate's thresholds: a default (percent) and rules, the first matching one wins. A rule
 * matches a metric when its regular expression matches the whole metric name (with or without the
 * "Benchmark" prefix) and, when it names a unit, the unit is that unit. Read from YAML by
 * {@code engine.GateThresholdsYaml}.
 */
public record GateThresholds(double defaultPercent, List<Rule> rules) {
    public static final double DEFAULT_PERCENT = 5;

    public GateThresholds {
        rules = List.copyOf(rules);
    }

    /** One override: metric name pattern (null: any), unit (null: any) and threshold in percent. */
    public record Rule(Pattern match, String unit, double percent) {
    }

    public static GateThresholds of(double defaultPercent) {
        return new GateThresholds(defaultPercent, List.of());
    }

    /** The threshold in percent for a metric. */
    public double percentFor(String name, String unit) {
        String bare = name.startsWith("Benchmark") ? name.substring("Benchmark".length()) : name;
        for (Rule r : rules) {
            boolean nameOk = r.match() == null || r.match().matcher(name).matches() || r.match().matcher(bare).matches();
            if (nameOk && (r.unit() == null || r.unit().equals(unit))) {
                return r.percent();
            }
        }
        return defaultPercent;
    }

    /** "5%", "5" (percent) or "12.5%"; negative or unreadable values are bad input. */
    public static double parsePercent(String what, String s) {
        String t = s.strip();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        try {
            double v = Double.parseDouble(t);
            if (v >= 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadInputException(what + ": expected a percentage like 5%, not '" + s + "'");
    }
}
