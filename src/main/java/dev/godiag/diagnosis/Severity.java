package dev.godiag.diagnosis;

import java.util.Locale;

/**
 * How much a finding matters, from its score: the one place where scores become severities.
 * 0-24 ok, 25-49 info, 50-74 warning, 75-100 critical.
 */
public enum Severity {
    OK, INFO, WARNING, CRITICAL;

    public static Severity of(int score) {
        return score >= 75 ? CRITICAL : score >= 50 ? WARNING : score >= 25 ? INFO : OK;
    }

    /** The JSON and CLI spelling ("info", "warning"...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
