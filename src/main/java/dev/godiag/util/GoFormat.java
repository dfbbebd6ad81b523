package dev.godiag.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Number formatting that matches Go's fmt byte for byte. Go rounds the exact binary value of a
 * double, with ties to even; Java's Formatter does not always, so we go through BigDecimal.
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
        String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        if (v < 0 || (v == 0 && 1 / v < 0)) {
            // BigDecimal drops the sign of a negative value that rounds to zero; Go keeps it
            if (!s.startsWith("-")) {
                s = "-" + s;
            }
        }
        return s;
    }

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
        BigDecimal d = new BigDecimal(Math.abs(v)).round(new MathContext(precision, RoundingMode.HALF_EVEN))
                .stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int nd = digits.length();
        int dp = nd - d.scale(); // position of the decimal point relative to the digits
        int eprec = precision;
        if (eprec > nd && nd >= dp) {
            eprec = nd;
        }
        int exp = dp - 1;
        StringBuilder sb = new StringBuilder();
        if (neg) {
            sb.append('-');
        }
        if (exp < -4 || exp >= eprec) {
            sb.append(digits.charAt(0));
            if (nd > 1) {
                sb.append('.').append(digits, 1, nd);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) {
                sb.append('0');
            }
            sb.append(ae);
            return sb.toString();
        }
        sb.append(d.toPlainString());
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
