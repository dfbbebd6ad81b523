package dev.godiag.format.pprof.legacy;

/** Pieces of pprof's regexes, spelled so that Java's engine means what Go's does. */
final class GoRegex {
    private GoRegex() {
    }

    // Go's \s is [\t\n\f\r ]; Java's also matches \x0B, so the classes are spelled out.
    static final String S = "[\\t\\n\\f\\r ]";
    static final String NS = "[^\\t\\n\\f\\r ]";
    static final String XDIGIT = "[0-9A-Fa-f]";
}
