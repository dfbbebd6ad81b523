package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;

/**
 * What a source check is, as data: what {@code scan --checks} lists and what a finding links to.
 *
 * @param id          a stable id, "scan.name" ("scan.time-after-in-loop"); what
 *                    {@code //godiag:ignore ID reason} names
 * @param card        the knowledge card that explains its findings: the same card as the diagnosis
 *                    rule that sees the pattern in a profile, so both say the same thing
 * @param severity    how much a finding matters before any profile ranks it
 * @param description what the check looks for, in a few words
 */
public record CheckInfo(String id, String card, Severity severity, String description) {
    public CheckInfo {
        if (id == null || !id.startsWith("scan.")) {
            throw new IllegalArgumentException("a check id is scan.name, not '" + id + "'");
        }
        if (card == null || card.isBlank() || description == null || description.isBlank()) {
            throw new IllegalArgumentException(id + ": a check needs a card and a description");
        }
    }
}
