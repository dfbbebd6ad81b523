package dev.godiag.format.runtime;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over one line of ASCII bytes, for the fixed forms the runtime prints. Every mismatch is a
 * {@link Malformed} with a short message (no stack trace: it is caught per line and becomes a
 * warning). Numbers are unsigned decimals as Go's print writes them; one that does not fit a long
 * (or has more than 18 fraction digits) is out of range, never an overflowed value.
 */
final class Cursor {
    private static final double[] POW10 = new double[19];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private byte[] b;
    private int pos;
    private int end;

    void reset(byte[] bytes, int from, int to) {
        b = bytes;
        pos = from;
        end = to;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    boolean atEnd() {
        return pos >= end;
    }

    int peek() {
        return pos < end ? b[pos] : -1;
    }

    void skip(int n) {
        pos += n;
    }

    boolean startsWith(String s) {
        return matchesAt(pos, s);
    }

    private boolean matchesAt(int at, String s) {
        int n = s.length();
        if (end - at < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True if only blanks follow the first n bytes of what is left. */
    boolean restIsBlankAfter(int n) {
        for (int i = pos + n; i < end; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    boolean accept(String s) {
        if (matchesAt(pos, s)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    void expect(String s) {
        if (!accept(s)) {
            throw new Malformed(pos >= end ? "truncated: expected \"" + s.strip() + "\" at the end of the line"
                    : "expected \"" + s.strip() + "\" at column " + column() + ", found \"" + excerpt() + "\"");
        }
    }

    void expectEnd(String what) {
        int p = pos;
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        if (p < end) {
            throw new Malformed("unexpected text after the " + what + " at column " + column() + ": \"" + excerpt() + "\"");
        }
        pos = p;
    }

    /** An unsigned integer. */
    long uint(String what) {
        refuseNegative(what);
        int start = pos;
        long v = 0;
        while (pos < end && isDigit(b[pos])) {
            int d = b[pos] - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw new Malformed(what + " out of range: " + number(start));
            }
            v = v * 10 + d;
            pos++;
        }
        if (pos == start) {
            throw missing(what);
        }
        return v;
    }

    /** An unsigned integer or {@code nil} (-1) or a signed -1 as older runtimes print for "none". */
    long idOrNil(String what) {
        if (accept("nil")) {
            return -1;
        }
        if (pos < end && b[pos] == '-') {
            pos++;
            return -uint(what);
        }
        return uint(what);
    }

    /** An unsigned integer at most {@code max}; more is absurd: {@code absurd} with %s for the number says why. */
    long uint(String what, long max, String absurd) {
        int start = pos;
        long v = uint(what);
        if (v > max) {
            throw new Malformed(String.format(java.util.Locale.ROOT, absurd, number(start)));
        }
        return v;
    }

    /** An unsigned decimal at most {@code max}; more is absurd: {@code absurd} with %s for the number says why. */
    double decimal(String what, double max, String absurd) {
        int start = pos;
        double v = decimal(what);
        if (v > max) {
            throw new Malformed(String.format(java.util.Locale.ROOT, absurd, number(start)));
        }
        return v;
    }

    /** The runtime prints durations, sizes and counts unsigned: a minus sign is a damaged line. */
    private void refuseNegative(String what) {
        if (pos + 1 < end && b[pos] == '-' && isDigit(b[pos + 1])) {
            throw new Malformed("negative " + what + ": -" + number(pos + 1));
        }
    }

    /** An unsigned decimal: digits, optionally '.' and digits. */
    double decimal(String what) {
        refuseNegative(what);
        int start = pos;
        long v = 0;
        int frac = -1;
        while (pos < end) {
            byte c = b[pos];
            if (isDigit(c)) {
                int d = c - '0';
                if (v > (Long.MAX_VALUE - d) / 10 || frac >= 18) {
                    throw new Malformed(what + " out of range: " + number(start));
                }
                v = v * 10 + d;
                if (frac >= 0) {
                    frac++;
                }
            } else if (c == '.' && frac < 0 && pos > start) {
                frac = 0;
            } else {
                break;
            }
            pos++;
        }
        if (pos == start || frac == 0) {
            throw missing(what);
        }
        return frac > 0 ? v / POW10[frac] : v;
    }

    /** The text up to (not including) the next byte c or the end. */
    String until(char c) {
        int start = pos;
        while (pos < end && b[pos] != c) {
            pos++;
        }
        return new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
    }

    /** The index of the last occurrence of s in the rest of the line, or -1. */
    int lastIndexOf(String s) {
        for (int at = end - s.length(); at >= pos; at--) {
            if (matchesAt(at, s)) {
                return at;
            }
        }
        return -1;
    }

    /** The text from here to the absolute index to (the cursor moves there). */
    String take(int to) {
        String s = new String(b, pos, to - pos, StandardCharsets.UTF_8);
        pos = to;
        return s;
    }

    private Malformed missing(String what) {
        return new Malformed(pos >= end ? "truncated: " + what + " missing at the end of the line"
                : "expected " + what + " at column " + column() + ", found \"" + excerpt() + "\"");
    }

    private String number(int start) {
        int p = start;
        while (p < end && (isDigit(b[p]) || b[p] == '.') && p - start < 40) {
            p++;
        }
        return new String(b, start, p - start, StandardCharsets.ISO_8859_1) + (p - start >= 40 ? "..." : "");
    }

    private int column() {
        return pos + 1 - lineStart;
    }

    private int lineStart;

    void markLineStart() {
        lineStart = pos;
    }

    private String excerpt() {
        int n = Math.min(end - pos, 20);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = b[pos + i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return sb + (end - pos > 20 ? "..." : "");
    }

    /** A line that does not have the expected form; the message says where. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
