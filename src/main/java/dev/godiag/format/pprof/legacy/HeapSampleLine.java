package dev.godiag.format.pprof.legacy;

import static dev.godiag.format.pprof.legacy.CharRuns.digits;
import static dev.godiag.format.pprof.legacy.CharRuns.isDigit;
import static dev.godiag.format.pprof.legacy.CharRuns.skipSpaces;

/**
 * pprof's heap sample regex {@code (-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)}, which
 * is unanchored: this finds the same leftmost match in linear time, where Java's backtracking
 * would go cubic on hostile lines.
 */
final class HeapSampleLine {
    private HeapSampleLine() {
    }

    /** The five groups of the first match in the line, or null. */
    static String[] match(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean numberStart = isDigit(c) || c == '-' && i + 1 < s.length() && isDigit(s.charAt(i + 1));
            if (!numberStart) {
                i++;
                continue;
            }
            String[] g = matchAt(s, i);
            if (g != null) {
                return g;
            }
            // Every quantifier in the pattern is followed by a character it cannot match, so the
            // match from i is unique; a later start inside the same number fails the same way.
            i = c == '-' ? i + 1 : i;
            i += digits(s, i);
        }
        return null;
    }

    private static String[] matchAt(String s, int i) {
        String[] g = new String[5];
        int p = i;
        int[] end = new int[1];
        if ((g[0] = signedDigits(s, p, end)) == null) {
            return null;
        }
        p = end[0];
        if (!s.startsWith(":", p)) {
            return null;
        }
        p = skipSpaces(s, p + 1);
        if ((g[1] = signedDigits(s, p, end)) == null) {
            return null;
        }
        p = skipSpaces(s, end[0]);
        if (!s.startsWith("[", p)) {
            return null;
        }
        p = skipSpaces(s, p + 1);
        int d = digits(s, p);
        if (d == 0 || !s.startsWith(":", p + d)) {
            return null;
        }
        g[2] = s.substring(p, p + d);
        p = skipSpaces(s, p + d + 1);
        d = digits(s, p);
        if (d == 0) {
            return null;
        }
        g[3] = s.substring(p, p + d);
        p = skipSpaces(s, p + d);
        if (!s.startsWith("] @", p)) {
            return null;
        }
        g[4] = CharRuns.addressGroup(s, p + 3);
        return g;
    }

    /** -?\d+ at p, or null; end[0] receives the end. */
    private static String signedDigits(String s, int p, int[] end) {
        int q = s.startsWith("-", p) ? p + 1 : p;
        int d = digits(s, q);
        if (d == 0) {
            return null;
        }
        end[0] = q + d;
        return s.substring(p, q + d);
    }
}
