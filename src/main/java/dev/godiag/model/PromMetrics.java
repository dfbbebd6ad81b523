package dev.godiag.model;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A Prometheus text exposition (format 0.0.4): metric families in order, each with its HELP, TYPE
 * and samples. A sample's name may carry a suffix of its family ({@code _sum}, {@code _count},
 * {@code _bucket}); labels keep their order and are unescaped.
 */
public record PromMetrics(String source, List<Family> families, List<String> warnings) implements RuntimeInput {
    public PromMetrics {
        families = List.copyOf(families);
        warnings = List.copyOf(warnings);
    }

    /** The family of this name, or null. */
    public Family family(String name) {
        for (Family f : families) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The value of the first sample with this exact name and the given label pairs (name, value, ...). */
    public OptionalDouble value(String sampleName, String... labels) {
        for (Family f : families) {
            for (Sample s : f.samples()) {
                if (s.name().equals(sampleName) && s.hasLabels(labels)) {
                    return OptionalDouble.of(s.value());
                }
            }
        }
        return OptionalDouble.empty();
    }

    /** One family: # HELP text (unescaped; null if none) and # TYPE (untyped if none). */
    public record Family(String name, String help, String type, List<Sample> samples) {
        public Family {
            samples = List.copyOf(samples);
        }
    }

    /**
     * One sample line; {@code timestampMs} is null when absent.
     */
    public record Sample(String name, Map<String, String> labels, double value, Long timestampMs, long sourceLine) {
        public Sample {
            labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        }

        boolean hasLabels(String... pairs) {
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }
}
