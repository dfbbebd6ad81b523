package dev.godiag.guard.model;

import java.util.Locale;

/** What guard watches on every target: the config's rule names, the unit of the value. */
public enum Metric {
    GOROUTINES("goroutines", "count"),
    HEAP("heap", "bytes"),
    FDS("fds", "count");

    private final String key;
    private final String unit;

    Metric(String key, String unit) {
        this.key = key;
        this.unit = unit;
    }

    /** The name in the config's {@code rules:}, in metrics labels and in JSON: goroutines, heap, fds. */
    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    /** The metric named {@code key} (as in the config), or null. */
    public static Metric byKey(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        return null;
    }
}
