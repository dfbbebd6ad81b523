package dev.godiag.format.pprof.legacy;

/** Go's notion of white space, which pprof's line tests use. */
final class GoStrings {
    private GoStrings() {
    }

    /** Go's strings.TrimSpace (Unicode White_Space). */
    static String trimSpace(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    /** pprof's isSpaceOrComment: blank, or '#' after leading space. */
    static boolean isSpaceOrComment(String line) {
        String t = trimSpace(line);
        return t.isEmpty() || t.charAt(0) == '#';
    }

    private static boolean isSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F',
                 '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }
}
