package dev.godiag.util;


import java.util.List;
import java.util.Locale;

/**
 * Units of sample values and their scaling, with pprof's semantics (its "measurement" package):
 * which unit names are known, how a value is scaled to the most readable unit, how labels and
 * percentages are written.
 */
public final class Units {
    private Units() {
    }

    private record Unit(String canonical, List<String> aliases, double factor) {
    }

    private record UnitType(Unit defaultUnit, List<Unit> units) {
        Unit byAlias(String alias) {
            for (Unit u : units) {
                if (u.aliases.contains(alias)) {
                    return u;
                }
            }
            return null;
        }

        /** Lowercases and drops a plural "s" (for names longer than two letters) before matching. */
        Unit sniff(String unit) {
            String u = unit.toLowerCase(Locale.ROOT);
            if (u.length() > 2 && u.endsWith("s")) {
                u = u.substring(0, u.length() - 1);
            }
            return byAlias(u);
        }
    }

    private static final List<UnitType> TYPES = List.of(
            new UnitType(new Unit("B", List.of("b", "byte"), 1), List.of(
                    new Unit("B", List.of("b", "byte"), 1),
                    new Unit("kB", List.of("kb", "kbyte", "kilobyte"), 1L << 10),
                    new Unit("MB", List.of("mb", "mbyte", "megabyte"), 1L << 20),
                    new Unit("GB", List.of("gb", "gbyte", "gigabyte"), 1L << 30),
                    new Unit("TB", List.of("tb", "tbyte", "terabyte"), 1L << 40),
                    new Unit("PB", List.of("pb", "pbyte", "petabyte"), 1L << 50))),
            new UnitType(new Unit("s", List.of(), 1e9), List.of(
                    new Unit("ns", List.of("ns", "nanosecond"), 1),
                    new Unit("us", List.of("μs", "us", "microsecond"), 1e3),
                    new Unit("ms", List.of("ms", "millisecond"), 1e6),
                    new Unit("s", List.of("s", "sec", "second"), 1e9),
                    new Unit("hrs", List.of("hour", "hr"), 3600e9))),
            new UnitType(new Unit("GCU", List.of(), 1), List.of(
                    new Unit("n*GCU", List.of("nanogcu"), 1e-9),
                    new Unit("u*GCU", List.of("microgcu"), 1e-6),
                    new Unit("m*GCU", List.of("milligcu"), 1e-3),
                    new Unit("GCU", List.of("gcu"), 1),
                    new Unit("k*GCU", List.of("kilogcu"), 1e3),
                    new Unit("M*GCU", List.of("megagcu"), 1e6),
                    new Unit("G*GCU", List.of("gigagcu"), 1e9),
                    new Unit("T*GCU", List.of("teragcu"), 1e12),
                    new Unit("P*GCU", List.of("petagcu"), 1e15))));

    /** A scaled value and the unit it is now in ("" when the unit is uninteresting, e.g. counts). */
    public record Scaled(double value, String unit) {
    }

    /**
     * Scales value from one unit to another; toUnit "minimum" or "auto" picks the largest unit in
     * which the value is at least 1.
     */
    public static Scaled scale(long value, String fromUnit, String toUnit) {
        if (value < 0 && -value > 0) {
            Scaled s = scale(-value, fromUnit, toUnit);
            return new Scaled(-s.value, s.unit);
        }
        for (UnitType ut : TYPES) {
            Scaled s = convert(ut, value, fromUnit, toUnit);
            if (s != null) {
                return s;
            }
        }
        return switch (toUnit) {
            case "count", "sample", "unit", "minimum", "auto" -> new Scaled(value, "");
            default -> new Scaled(value, toUnit);
        };
    }

    private static Scaled convert(UnitType ut, long value, String fromUnit, String toUnit) {
        Unit from = ut.sniff(fromUnit);
        if (from == null) {
            return null;
        }
        double v = value * from.factor;
        if (toUnit.equals("minimum") || toUnit.equals("auto")) {
            double f = 0;
            String unit = null;
            for (Unit u : ut.units) {
                if (u.factor >= f && v / u.factor >= 1.0) {
                    f = u.factor;
                    unit = u.canonical;
                }
            }
            if (unit != null) {
                return new Scaled(v / f, unit);
            }
            return new Scaled(v / ut.defaultUnit.factor, ut.defaultUnit.canonical);
        }
        Unit to = ut.sniff(toUnit);
        if (to == null) {
            return new Scaled(v / ut.defaultUnit.factor, ut.defaultUnit.canonical);
        }
        return new Scaled(v / to.factor, to.canonical);
    }

    /** True if both unit names belong to one family (bytes, time, GCU), so values can be converted. */
    public static boolean sameFamily(String a, String b) {
        for (UnitType ut : TYPES) {
            if (ut.sniff(a) != null && ut.sniff(b) != null) {
                return true;
            }
        }
        return false;
    }

    /** The value written with its unit as pprof writes it: two decimals, ".00" dropped. */
    public static String scaledLabel(long value, String fromUnit, String toUnit) {
        Scaled s = scale(value, fromUnit, toUnit);
        String sv = GoFormat.fixed(s.value, 2);
        if (sv.endsWith(".00")) {
            sv = sv.substring(0, sv.length() - 3);
        }
        if (sv.equals("0") || sv.equals("-0")) {
            return "0";
        }
        return sv + s.unit;
    }

    public static String label(long value, String unit) {
        return scaledLabel(value, unit, "auto");
    }

    /** value as a percentage of total, six characters wide as in pprof's tables ("17.50%", "  100%"). */
    public static String percentage(long value, long total) {
        double ratio = 0;
        if (total != 0) {
            ratio = Math.abs((double) value / (double) total) * 100;
        }
        if (ratio >= 99.95 && ratio <= 100.05) {
            return "  100%";
        }
        if (ratio >= 1.0) {
            return GoFormat.padLeft(GoFormat.fixed(ratio, 2), 5) + "%";
        }
        return GoFormat.padLeft(GoFormat.general(ratio, 2), 5) + "%";
    }

    /** The ratio value/total in percent, as a number (for JSON). */
    public static double percent(long value, long total) {
        return total == 0 ? 0 : (double) value / (double) total * 100;
    }

    /** Bytes for people: KiB, MiB or GiB with one decimal, else whole bytes ("1.5 MiB", "512 B"). */
    public static String bytes(double b) {
        double a = Math.abs(b);
        if (a >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (1L << 30));
        }
        if (a >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1L << 20));
        }
        if (a >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", b / (1L << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    /** A duration for people: seconds from one second up, else milliseconds, two decimals ("1.25s", "3.40ms"). */
    public static String duration(long nanos) {
        return nanos >= 1e9 ? String.format(Locale.ROOT, "%.2fs", nanos / 1e9)
                : String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
    }

    /**
     * A time for people, from nanoseconds: three significant digits in the largest unit of at
     * least 1 ("850ns", "1.72µs", "45.6ms", "2.35s"); "unknown" when not finite.
     */
    public static String time(double nanos) {
        if (!Double.isFinite(nanos)) {
            return "unknown";
        }
        double a = Math.abs(nanos);
        if (a >= 1e9) {
            return significant(nanos / 1e9, 3) + "s";
        }
        if (a >= 1e6) {
            return significant(nanos / 1e6, 3) + "ms";
        }
        if (a >= 1e3) {
            return significant(nanos / 1e3, 3) + "µs";
        }
        return significant(nanos, 3) + "ns";
    }

    /** v rounded to digits significant digits, trailing zeros dropped ("1.7", "45.6", "1200"). */
    public static String significant(double v, int digits) {
        if (v == 0) {
            return "0";
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN))
                .stripTrailingZeros().toPlainString();
    }
}
