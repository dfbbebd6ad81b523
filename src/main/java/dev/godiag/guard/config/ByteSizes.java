package dev.godiag.guard.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes as written in the config: a plain number of bytes, or a number with a unit,
 * decimal ({@code KB}, {@code MB}, {@code GB}, {@code TB}: powers of 1000) or binary ({@code KiB},
 * {@code MiB}, {@code GiB}, {@code TiB}: powers of 1024), e.g. {@code 256MiB}, {@code 1GB},
 * {@code 1.5GiB}.
 */
final class ByteSizes {
    private static final Pattern SYNTAX = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
    private static final Map<String, Long> UNITS = Map.of("", 1L, "B", 1L,
            "KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L, "TB", 1_000_000_000_000L,
            "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30, "TiB", 1L << 40);

    private ByteSizes() {
    }

    /** The number of bytes {@code s} names; IllegalArgumentException with a one-line reason otherwise. */
    static double parse(String s) {
        Matcher m = SYNTAX.matcher(s.strip());
        Long unit = m.matches() ? UNITS.get(m.group(2)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("'" + s + "' is not a size (write bytes, or a number with "
                    + "KB MB GB TB (powers of 1000) or KiB MiB GiB TiB (powers of 1024), e.g. 256MiB)");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(BigDecimal.valueOf(1L << 50)) > 0) {
            throw new IllegalArgumentException("'" + s + "' is more than a PiB");
        }
        return Math.rint(bytes.doubleValue());
    }
}
