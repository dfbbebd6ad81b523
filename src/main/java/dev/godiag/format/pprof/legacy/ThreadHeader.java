package dev.godiag.format.pprof.legacy;

/**
 * pprof's thread header regex {@code --- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---},
 * checked by hand: the regex backtracks quadratically on a line of repeated headers.
 */
final class ThreadHeader {
    private ThreadHeader() {
    }

    private static final String OPEN = "--- Thread ";
    private static final String NAME = " (name: ";
    private static final String CLOSE = ") stack: ---";

    /**
     * Whether the line contains a header. Since {@code .*} spans anything, a match exists iff some
     * "--- Thread HEX (name: " is followed, anywhere later, by "/DIGITS) stack: ---"; the earliest
     * such opening leaves the most room.
     */
    static boolean find(String line) {
        int from = 0;
        int i;
        while ((i = line.indexOf(OPEN, from)) >= 0) {
            int p = i + OPEN.length();
            int h = 0;
            while (p + h < line.length() && CharRuns.isHexDigit(line.charAt(p + h))) {
                h++;
            }
            if (h > 0 && line.startsWith(NAME, p + h)) {
                return hasTrailer(line, p + h + NAME.length());
            }
            from = i + 1;
        }
        return false;
    }

    /** Whether "/DIGITS) stack: ---" occurs at or after from. */
    private static boolean hasTrailer(String line, int from) {
        int j = from;
        while ((j = line.indexOf(CLOSE, j)) >= 0) {
            int d = j;
            while (d > from && CharRuns.isDigit(line.charAt(d - 1))) {
                d--;
            }
            if (d < j && d > from && line.charAt(d - 1) == '/') {
                return true;
            }
            j++;
        }
        return false;
    }
}
