package dev.godiag.diagnosis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rule found: a title and a one-line summary, the mechanism in words, the evidence (the
 * numbers, stacks and file:line behind it), where in the code, and what to change. Immutable; made
 * with {@link #builder}.
 *
 * @param rule        the rule's stable id ("cpu.hotspot")
 * @param topic       the rule's topic ("cpu", "memory", "goroutines", "gc", "locks"...)
 * @param score       0-100, see {@link Score}
 * @param location    the code to look at, or null
 * @param evidence    named values: numbers, strings, lists of them; in insertion order
 * @param fixExample  before/after code, or null
 * @param cards       knowledge base card ids
 */
public record Finding(String rule, String topic, String title, int score, String summary, String explanation,
                      Location location, Map<String, Object> evidence, String fix, FixExample fixExample,
                      List<String> cards) {
    /** A place in the code. */
    public record Location(String function, String file, long line) {
    }

    /** A short before/after example of the fix. */
    public record FixExample(String before, String after) {
    }

    public Severity severity() {
        return Severity.of(score);
    }

    public static Builder builder(Rule rule) {
        return new Builder(rule.id(), rule.topic());
    }

    public static final class Builder {
        private final String rule;
        private final String topic;
        private String title;
        private int score;
        private String summary = "";
        private String explanation = "";
        private Location location;
        private final Map<String, Object> evidence = new LinkedHashMap<>();
        private String fix = "";
        private FixExample fixExample;
        private final List<String> cards = new ArrayList<>();

        private Builder(String rule, String topic) {
            this.rule = rule;
            this.topic = topic;
        }

        public Builder title(String t) {
            title = t;
            return this;
        }

        public Builder score(int s) {
            score = Math.max(0, Math.min(100, s));
            return this;
        }

        public Builder summary(String s) {
            summary = s;
            return this;
        }

        public Builder explanation(String s) {
            explanation = s;
            return this;
        }

        public Builder location(String function, String file, long line) {
            location = new Location(function, file, line);
            return this;
        }

        /** A number, string, boolean or list of them; null values are left out. */
        public Builder evidence(String key, Object value) {
            if (value != null) {
                evidence.put(key, value);
            }
            return this;
        }

        public Builder fix(String s) {
            fix = s;
            return this;
        }

        public Builder example(String before, String after) {
            fixExample = new FixExample(before, after);
            return this;
        }

        public Builder card(String id) {
            cards.add(id);
            return this;
        }

        public Finding build() {
            if (title == null || title.isEmpty()) {
                throw new IllegalStateException(rule + ": a finding needs a title");
            }
            return new Finding(rule, topic, title, score, summary, explanation, location,
                    Collections.unmodifiableMap(new LinkedHashMap<>(evidence)), fix, fixExample, List.copyOf(cards));
        }
    }
}
