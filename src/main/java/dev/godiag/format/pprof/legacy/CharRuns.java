package dev.godiag.format.pprof.legacy;

/** The character classes of pprof's line regexes, scanned by hand so that matching stays linear. */
final class CharRuns {
    private CharRuns() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHexDigit(char c) {
        return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** Length of the run of \d at p. */
    static int digits(String s, int p) {
        int q = p;
        while (q < s.length() && isDigit(s.charAt(q))) {
            q++;
        }
        return q - p;
    }

    /** Length of the run of [0-9a-f] at p: pprof's addresses are lower case. */
    static int lowerHex(String s, int p) {
        int q = p;
        while (q < s.length() && (isDigit(s.charAt(q)) || s.charAt(q) >= 'a' && s.charAt(q) <= 'f')) {
            q++;
        }
        return q - p;
    }

    /** Length of the run of {@code [ x0-9a-f]} at p: a sample line's address list. */
    private static int addressChars(String s, int p) {
        int q = p;
        while (q < s.length()) {
            char c = s.charAt(q);
            if (!(c == ' ' || c == 'x' || isDigit(c) || c >= 'a' && c <= 'f')) {
                break;
            }
            q++;
        }
        return q - p;
    }

    /** The {@code [ x0-9a-f]*} at p: a sample line's address list. */
    static String addressGroup(String s, int p) {
        return s.substring(p, p + addressChars(s, p));
    }

    /** The first index at or after p that is not a space. */
    static int skipSpaces(String s, int p) {
        while (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        return p;
    }
}
