package dev.godiag.guard.model;

import java.util.Locale;

/** An alert is firing until its metric comes back under the threshold for the rule's count, then resolved. */
public enum AlertState {
    FIRING, RESOLVED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
