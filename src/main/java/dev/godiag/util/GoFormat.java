package dev.godiag.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Number formatting that matches Go's fmt byte for byte. Go rounds the exact binary value of a
 * double, with ties to even; Java's Formatter does not always, so we round the shortest decimal
 * where that is exact ({@link ShortestDecimal}) and the exact value (BigDecimal) elsewhere.
 */
public final class GoFormat {
    private GoFormat() {
    }

    /** Go's {@code %.Nf}. */
    public static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        // Go keeps the sign of a negative value that rounds to zero
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        String s = plain(v, decimals);
        return neg && !s.startsWith("-") ? "-" + s : s;
    }

    /**
     * v rounded to the given decimals as Go rounds (the exact binary value, ties to even), written
     * as {@code BigDecimal.toPlainString} writes it (no sign when it rounds to zero).
     */
    public static String plain(double v, int decimals) {
        if (fast(v, decimals)) {
            ShortestDecimal d = ShortestDecimal.of(Math.abs(v));
            if (d.round(d.point + decimals)) {
                StringBuilder sb = new StringBuilder(24);
                if (v < 0 && d.n > 0) {
                    sb.append('-');
                }
                d.appendFixed(sb, decimals);
                return sb.toString();
            }
        }
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * Whether the shortest decimal of v rounds as its exact value does at this many decimals: when
     * a double's spacing is far below the rounding step (|v| &lt; 10^15 / 10^decimals), they differ
     * only where the shortest form is a tie, which {@link ShortestDecimal#round} reports.
     */
    private static boolean fast(double v, int decimals) {
        return decimals >= 0 && decimals < POW10.length && Math.abs(v) < 1e15 / POW10[decimals] && v != 0;
    }

    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15};

    /** Go's {@code %.Ng}: N significant digits, trailing zeros dropped, exponent form outside [1e-4, 10^N). */
    public static String general(double v, int precision) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        if (v == 0) {
            return neg ? "-0" : "0";
        }
        // up to 15 digits the shortest decimal rounds as the exact value does, ties aside
        if (precision > 0 && precision <= 15) {
            ShortestDecimal d = ShortestDecimal.of(Math.abs(v));
            if (d.round(precision)) {
                return general(neg, d, precision);
            }
        }
        return generalExact(v, precision);
    }

    /** {@link #general} through the exact value (BigDecimal), for the tests and the rare ties. */
    static String generalExact(double v, int precision) {
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        BigDecimal d = new BigDecimal(Math.abs(v)).round(new MathContext(precision, RoundingMode.HALF_EVEN))
                .stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        ShortestDecimal sd = ShortestDecimal.ofDigits(digits, digits.length() - d.scale());
        return general(neg, sd, precision);
    }

    private static String general(boolean neg, ShortestDecimal d, int precision) {
        int nd = d.n;
        int dp = d.point; // position of the decimal point relative to the digits
        int eprec = precision;
        if (eprec > nd && nd >= dp) {
            eprec = nd;
        }
        int exp = dp - 1;
        StringBuilder sb = new StringBuilder(24);
        if (neg) {
            sb.append('-');
        }
        if (exp < -4 || exp >= eprec) {
            sb.append(d.digits[0]);
            if (nd > 1) {
                sb.append('.').append(d.digits, 1, nd - 1);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) {
                sb.append('0');
            }
            sb.append(ae);
            return sb.toString();
        }
        d.appendPlain(sb);
        return sb.toString();
    }

    /** Right-aligns s in a field of the given width (Go's {@code %Ns}, counting code points). */
    public static String padLeft(String s, int width) {
        int n = s.codePointCount(0, s.length());
        if (n >= width) {
            return s;
        }
        return " ".repeat(width - n) + s;
    }

    /** Compares strings as Go does: by UTF-8 bytes, which equals comparing code points. */
    public static int compareGo(String a, String b) {
        int i = 0;
        int j = 0;
        int na = a.length();
        int nb = b.length();
        while (i < na && j < nb) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (ca == cb) {
                i++;
                j++;
                continue;
            }
            if (!Character.isSurrogate(ca) && !Character.isSurrogate(cb)) {
                return ca < cb ? -1 : 1;
            }
            if (RawUtf8.isEscape(a, i) || RawUtf8.isEscape(b, j)) {
                // a byte of invalid UTF-8 against anything: compare the bytes from here, as Go does
                return Arrays.compareUnsigned(RawUtf8.encode(a.substring(i)), RawUtf8.encode(b.substring(j)));
            }
            int pa = a.codePointAt(i);
            int pb = b.codePointAt(j);
            if (pa != pb) {
                return pa < pb ? -1 : 1;
            }
            i += Character.charCount(pa);
            j += Character.charCount(pb);
        }
        return Integer.compare(na - i, nb - j);
    }
}
