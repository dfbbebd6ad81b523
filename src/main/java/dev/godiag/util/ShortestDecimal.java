package dev.godiag.util;

/**
 * Go's rounding of a double (its exact binary value, ties to even) done on the shortest decimal
 * that reads back as the double ({@link Double#toString}), without big numbers. The two round
 * alike while the double's spacing is far below the rounding step, unless the shortest form sits
 * exactly on a tie; there {@link #round} answers null and the caller rounds the exact value.
 *
 * <p>A value is {@code 0.d1 d2 ... dn × 10^point}, digits without leading or trailing zeros.
 */
final class ShortestDecimal {
    final char[] digits;
    int n;
    int point;

    private ShortestDecimal(char[] digits, int n, int point) {
        this.digits = digits;
        this.n = n;
        this.point = point;
    }

    /** Digits without leading or trailing zeros (none for zero), and the point's position. */
    static ShortestDecimal ofDigits(String digits, int point) {
        char[] d = new char[digits.length() + 1];
        digits.getChars(0, digits.length(), d, 0);
        int n = digits.equals("0") ? 0 : digits.length();
        return new ShortestDecimal(d, n, point);
    }

    /** The shortest decimal of a finite, positive v. */
    static ShortestDecimal of(double v) {
        String s = Double.toString(v);
        int e = s.indexOf('E');
        int end = e < 0 ? s.length() : e;
        int exp = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
        char[] d = new char[end + 1]; // one more for a carry
        int n = 0;
        int point = exp;
        boolean beforeDot = true;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                beforeDot = false;
                continue;
            }
            if (beforeDot) {
                point++;
            }
            if (n == 0 && c == '0') {
                point--; // a leading zero moves the point, it is not a digit
                continue;
            }
            d[n++] = c;
        }
        while (n > 0 && d[n - 1] == '0') {
            n--;
        }
        return new ShortestDecimal(d, n, point);
    }

    /**
     * Keeps the first {@code keep} digits, rounding half to even on the exact value; false when the
     * shortest form is exactly a tie (the caller must round the exact value).
     */
    boolean round(int keep) {
        if (keep >= n) {
            return true;
        }
        if (keep < 0) {
            n = 0; // below half the last kept place: zero
            return true;
        }
        char first = digits[keep];
        boolean up;
        if (first != '5') {
            up = first > '5';
        } else if (keep + 1 < n) {
            up = true; // trailing zeros are gone, so more digits mean more than half
        } else {
            return false;
        }
        n = keep;
        if (up) {
            int i = n - 1;
            while (i >= 0 && digits[i] == '9') {
                i--;
            }
            if (i < 0) {
                digits[0] = '1';
                n = 1;
                point++;
            } else {
                digits[i]++;
                n = i + 1;
            }
        }
        while (n > 0 && digits[n - 1] == '0') {
            n--;
        }
        return true;
    }

    /** The digits as a plain decimal with exactly {@code decimals} places (no sign). */
    void appendFixed(StringBuilder sb, int decimals) {
        if (n == 0) {
            sb.append('0');
        } else if (point <= 0) {
            sb.append('0');
        } else {
            for (int i = 0; i < point; i++) {
                sb.append(i < n ? digits[i] : '0');
            }
        }
        if (decimals > 0) {
            sb.append('.');
            for (int k = 0; k < decimals; k++) {
                int i = point + k; // digit index of this place
                sb.append(n > 0 && i >= 0 && i < n ? digits[i] : '0');
            }
        }
    }

    /** The digits as a plain decimal, no trailing zeros after the point (BigDecimal's toPlainString of them). */
    void appendPlain(StringBuilder sb) {
        appendFixed(sb, Math.max(0, n - point));
    }
}
