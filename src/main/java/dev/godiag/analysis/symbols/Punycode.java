package dev.godiag.analysis.symbols;

import java.util.function.Function;

/** RFC 3492 decoding, as Rust's v0 mangling uses it for non-ASCII identifiers ('_' before the deltas). */
final class Punycode {
    private static final int BASE = 36;
    private static final int TMIN = 1;
    private static final int TMAX = 26;
    private static final int SKEW = 38;
    private static final int DAMP = 700;
    private static final int INITIAL_BIAS = 72;
    private static final int INITIAL_N = 128;

    private Punycode() {
    }

    /** The decoded identifier; fail makes the exception for a malformed one. */
    static String decode(String s, Function<String, DemangleException> fail) {
        StringBuilder basic = new StringBuilder();
        String encoding = s;
        int sep = s.lastIndexOf('_');
        if (sep >= 0) {
            basic.append(s, 0, sep);
            encoding = s.substring(sep + 1);
        }
        int[] output = basic.codePoints().toArray();
        int len = output.length;
        int[] buf = new int[len + encoding.length()];
        System.arraycopy(output, 0, buf, 0, len);
        long i = 0;
        long n = INITIAL_N;
        long bias = INITIAL_BIAS;
        int pos = 0;
        while (pos < encoding.length()) {
            long oldI = i;
            long w = 1;
            for (int k = BASE; ; k += BASE) {
                if (pos == encoding.length()) {
                    throw fail.apply("unterminated punycode");
                }
                char d = encoding.charAt(pos++);
                int digit;
                if (d >= '0' && d <= '9') {
                    digit = d - '0' + 26;
                } else if (d >= 'A' && d <= 'Z') {
                    digit = d - 'A';
                } else if (d >= 'a' && d <= 'z') {
                    digit = d - 'a';
                } else {
                    throw fail.apply("invalid punycode digit");
                }
                i += digit * w;
                if (i < 0) {
                    throw fail.apply("punycode number overflow");
                }
                long t = k <= bias ? TMIN : k > bias + TMAX ? TMAX : k - bias;
                if (digit < t) {
                    break;
                }
                if (w >= Integer.MAX_VALUE / BASE) {
                    throw fail.apply("punycode number overflow");
                }
                w *= BASE - t;
            }
            long delta = i - oldI;
            int points = len + 1;
            delta = oldI == 0 ? delta / DAMP : delta / 2;
            delta += delta / points;
            long k = 0;
            while (delta > ((BASE - TMIN) * TMAX) / 2) {
                delta /= BASE - TMIN;
                k += BASE;
            }
            bias = k + ((BASE - TMIN + 1) * delta) / (delta + SKEW);
            n += i / (len + 1);
            if (n > Character.MAX_CODE_POINT || n >= 0xD800 && n <= 0xDFFF) {
                throw fail.apply("punycode invalid code point");
            }
            i %= len + 1;
            System.arraycopy(buf, (int) i, buf, (int) i + 1, len - (int) i);
            buf[(int) i] = (int) n;
            len++;
            i++;
        }
        return new String(buf, 0, len);
    }
}
