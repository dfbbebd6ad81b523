package dev.godiag.format.pprof.legacy;

/** Go's strconv.ParseInt(s, 0, 64), which pprof uses for counts and attributes. */
final class GoInts {
    private GoInts() {
    }

    /**
     * Optional sign, then 0x/0o/0b or a leading 0 (octal) prefix, '_' between digits. Null where
     * Go reports an error.
     */
    static Long parseInt(String s) {
        boolean negative = false;
        String body = s;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            body = s.substring(1);
        }
        Long u = parseUint(body);
        if (u == null) {
            return null;
        }
        if (negative) {
            return Long.compareUnsigned(u, Long.MIN_VALUE) > 0 ? null : -u;
        }
        return u < 0 ? null : u;
    }

    private static Long parseUint(String s) {
        if (s.isEmpty()) {
            return null;
        }
        int base = 10;
        int i = 0;
        if (s.charAt(0) == '0') {
            char p = s.length() >= 3 ? Character.toLowerCase(s.charAt(1)) : 0;
            base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 8;
            i = p == 'b' || p == 'o' || p == 'x' ? 2 : 1;
        }
        long cutoff = Long.divideUnsigned(-1L, base) + 1;
        boolean underscores = false;
        long n = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                underscores = true;
                continue;
            }
            int digit = c < 128 ? Character.digit(c, 36) : -1;
            if (digit < 0 || digit >= base || Long.compareUnsigned(n, cutoff) >= 0) {
                return null;
            }
            long next = n * base + digit;
            if (Long.compareUnsigned(next, n * base) < 0) {
                return null;
            }
            n = next;
        }
        return underscores && !underscoresOk(s) ? null : n;
    }

    /** Go's rule: '_' only between digits, or right after a base prefix. */
    private static boolean underscoresOk(String s) {
        char saw = '^';
        int i = 0;
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0' && "bBoOxX".indexOf(s.charAt(1)) >= 0) {
            i = 2;
            saw = '0';
            hex = Character.toLowerCase(s.charAt(1)) == 'x';
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            char lc = Character.toLowerCase(c);
            if (CharRuns.isDigit(c) || hex && lc >= 'a' && lc <= 'f') {
                saw = '0';
            } else if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
            } else {
                if (saw == '_') {
                    return false;
                }
                saw = '!';
            }
        }
        return saw != '_';
    }
}
