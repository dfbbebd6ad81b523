package dev.godiag.diagnosis.rules;

import dev.godiag.util.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small helpers shared by the runtime rules (goroutines, memory, GC, I/O). */
final class RuntimeRuleSupport {
    private RuntimeRuleSupport() {
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : v;
    }

    static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    static List<Long> list(long[] v) {
        List<Long> out = new ArrayList<>(v.length);
        for (long x : v) {
            out.add(x);
        }
        return out;
    }

    static String arrows(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " → ").append(v[i]);
        }
        return sb.toString();
    }

    /** Bytes as KiB/MiB/GiB with one decimal ({@link Units#bytes}). */
    static String bytes(double b) {
        return Units.bytes(b);
    }

    /** Nearest-rank percentile of the values (p in 0-100); NaN when empty. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }
}
