package dev.godiag.format.pprof.legacy;

/**
 * Numbers read from a line and the arithmetic done on them. Where pprof would wrap around int64
 * and carry on with garbage, these fail, naming the line.
 */
final class Numbers {
    private Numbers() {
    }

    static long decimal(Lines lines, String digits, String what) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw lines.bad(what + " " + Quote.abbreviate(digits) + " is out of range");
        }
    }

    static long hex(Lines lines, String digits) {
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw lines.bad("address 0x" + Quote.abbreviate(digits) + " does not fit in 64 bits");
        }
    }

    static long multiply(Lines lines, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw lines.bad("value " + a + " * " + b + " overflows 64 bits");
        }
    }

    /** Go's int64(float64) truncates toward zero; out of range it is garbage, so refuse it. */
    static long toLong(Lines lines, double v) {
        if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
            throw lines.bad("sample value " + v + " overflows 64 bits");
        }
        return (long) v;
    }
}
