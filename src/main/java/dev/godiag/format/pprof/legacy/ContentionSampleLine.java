package dev.godiag.format.pprof.legacy;

import static dev.godiag.format.pprof.legacy.CharRuns.digits;

/**
 * pprof's contention sample regex {@code (\d+) *(\d+) @([ x0-9a-f]*)}, which is unanchored: this
 * finds the same leftmost match in linear time, where Java's backtracking would not.
 */
final class ContentionSampleLine {
    private ContentionSampleLine() {
    }

    /**
     * The three groups of the first match in the line, or null. Backtracking may split one digit
     * run in two ("1234 @" gives 123 and 4); that is reproduced.
     */
    static String[] match(String s) {
        int a = 0;
        while (a < s.length()) {
            if (!CharRuns.isDigit(s.charAt(a))) {
                a++;
                continue;
            }
            int b = a + digits(s, a);
            int c = CharRuns.skipSpaces(s, b);
            int d = c + digits(s, c);
            if (c > b && d > c && s.startsWith(" @", d)) {
                return new String[] {s.substring(a, b), s.substring(c, d), CharRuns.addressGroup(s, d + 2)};
            }
            if (b - a >= 2 && s.startsWith(" @", b)) {
                return new String[] {s.substring(a, b - 1), s.substring(b - 1, b), CharRuns.addressGroup(s, b + 2)};
            }
            // Starts later in the same digit run meet the same conditions, only weaker: skip it.
            a = b;
        }
        return null;
    }
}
