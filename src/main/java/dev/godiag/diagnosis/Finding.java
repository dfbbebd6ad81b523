package dev.godiag.diagnosis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rule found, as measured: a title and a one-line summary, the evidence (the numbers,
 * stacks and file:line behind it), where in the code, and the knowledge-base cards that explain it.
 * The explanation, the fix and the example are the cards' ({@link KnowledgeBase#advice}), never
 * the finding's. Immutable; made with {@link #builder}.
 *
 * @param rule     the rule's stable id ("cpu.hotspot")
 * @param topic    the rule's topic ("cpu", "memory", "goroutines", "gc", "locks"...)
 * @param score    0-100, see {@link Score}
 * @param location the code to look at, or null
 * @param evidence named values: numbers, strings, lists of them; in insertion order
 * @param cards    knowledge base card ids, the rule's own first
 * @param units    the unit of an evidence value whose key does not say it ("flat" in nanoseconds):
 *                 a profile's unit name ("nanoseconds", "bytes", "count") or "percent", "fraction";
 *                 reports show the value in it, JSON keeps the raw number
 */
public record Finding(String rule, String topic, String title, int score, String summary, Location location,
                      Map<String, Object> evidence, List<String> cards, Map<String, String> units) {
    /** A finding whose evidence keys say their units (or has none). */
    public Finding(String rule, String topic, String title, int score, String summary, Location location,
                   Map<String, Object> evidence, List<String> cards) {
        this(rule, topic, title, score, summary, location, evidence, cards, Map.of());
    }

    /** A place in the code. */
    public record Location(String function, String file, long line) {
    }

    public Severity severity() {
        return Severity.of(score);
    }

    /** A finding of the rule, with the rule's cards. */
    public static Builder builder(Rule rule) {
        RuleInfo info = rule.info();
        return new Builder(info.id(), info.topic(), info.cards());
    }

    public static final class Builder {
        private final String rule;
        private final String topic;
        private String title;
        private int score;
        private String summary = "";
        private Location location;
        private final Map<String, Object> evidence = new LinkedHashMap<>();
        private final Map<String, String> units = new LinkedHashMap<>();
        private final List<String> cards;

        private Builder(String rule, String topic, List<String> cards) {
            this.rule = rule;
            this.topic = topic;
            this.cards = new ArrayList<>(cards);
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

        /**
         * The cards of this finding, in place of the rule's: for a rule with a card per case (a leak's
         * primitive), the case's card first, so the advice takes its mechanism, fix and example.
         */
        public Builder cards(String... ids) {
            cards.clear();
            for (String id : ids) {
                card(id);
            }
            return this;
        }

        /**
         * A value in a unit its key does not name: a profile's unit ("nanoseconds", "bytes",
         * "count") or "percent", "fraction"; for numbers, lists and maps of numbers.
         */
        public Builder evidence(String key, Object value, String unit) {
            if (value != null) {
                evidence.put(key, value);
                if (unit != null && !unit.isEmpty()) {
                    units.put(key, unit);
                }
            }
            return this;
        }

        /** One more card, after the rule's. */
        public Builder card(String id) {
            if (!cards.contains(id)) {
                cards.add(id);
            }
            return this;
        }

        public Finding build() {
            if (title == null || title.isEmpty()) {
                throw new IllegalStateException(rule + ": a finding needs a title");
            }
            return new Finding(rule, topic, title, score, summary, location,
                    Collections.unmodifiableMap(new LinkedHashMap<>(evidence)), List.copyOf(cards),
                    Collections.unmodifiableMap(new LinkedHashMap<>(units)));
        }
    }
}
