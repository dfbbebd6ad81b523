package dev.godiag.diagnosis;

/**
 * A rule's tunable limit: the value at which a finding becomes info, warning, critical.
 *
 * @param name a key unique within the rule ("ownFlatShare")
 * @param unit what the value is in ("fraction", "ms", "count", "percent")
 */
public record Threshold(String name, String unit, double info, double warning, double critical,
                        String description) {
    public int score(double value) {
        return Score.of(value, info, warning, critical);
    }
}
