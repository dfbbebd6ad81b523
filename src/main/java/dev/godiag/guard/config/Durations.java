package dev.godiag.guard.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus' duration syntax: whole numbers with units from largest to smallest, each at most
 * once: {@code 30s}, {@code 1m30s}, {@code 2h}, {@code 1d}, {@code 500ms}; {@code y} is 365 days,
 * {@code w} 7 days, {@code d} 24 hours; a lone {@code 0} is zero.
 */
public final class Durations {
    private static final Pattern SYNTAX = Pattern.compile(
            "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final long[] UNIT_MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000,
            1_000, 1};

    private Durations() {
    }

    /** The duration {@code s} names; IllegalArgumentException with a one-line reason otherwise. */
    public static Duration parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SYNTAX.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a duration (write it as Prometheus does: "
                    + "30s, 1m30s, 2h, 500ms; units y w d h m s ms, largest first)");
        }
        long millis = 0;
        try {
            for (int i = 0; i < UNIT_MILLIS.length; i++) {
                String n = m.group(i + 1);
                if (n != null) {
                    millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(n), UNIT_MILLIS[i]));
                }
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is too long a duration");
        }
        return Duration.ofMillis(millis);
    }

    /** The duration as Prometheus prints it: {@code 1m30s}, {@code 2h}, {@code 0s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < units.length; i++) {
            long n = ms / UNIT_MILLIS[i];
            if (n > 0) {
                b.append(n).append(units[i]);
                ms -= n * UNIT_MILLIS[i];
            }
        }
        return b.toString();
    }
}
