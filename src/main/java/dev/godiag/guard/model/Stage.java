package dev.godiag.guard.model;

import java.util.Locale;

/**
 * How far guard goes for a job's alerts, rolled out one service class at a time: {@code observe}
 * logs and exports metrics, {@code capture} also stores the evidence and its diagnosis,
 * {@code notify} also delivers (webhooks, Alertmanager, the job's callback).
 */
public enum Stage {
    OBSERVE, CAPTURE, NOTIFY;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean captures() {
        return this != OBSERVE;
    }

    public boolean notifies() {
        return this == NOTIFY;
    }

    /** The stage named {@code key} (observe, capture, notify), or null. */
    public static Stage byKey(String key) {
        for (Stage s : values()) {
            if (s.key().equals(key.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }
}
