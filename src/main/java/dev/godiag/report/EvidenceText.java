package dev.godiag.report;

import dev.godiag.diagnosis.Finding;
import dev.godiag.util.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A finding's evidence as a person reads it: each key in words ("topSiteBytesPerSnapshot" becomes
 * "top site per snapshot") and each value in its unit (MiB, ms, %, counts), never raw
 * nanoseconds. The unit is the finding's own for the key ({@link Finding#units}), else what the key
 * says by the rules' naming (…Bytes, …Ms, …Seconds, …Micros, …Minutes, …Percent, …MB, …Share);
 * a value that is not a finite number is "unknown". JSON keeps the raw values beside these texts.
 */
public final class EvidenceText {
    private EvidenceText() {
    }

    /** One evidence entry: its key, the key in words, the value with its unit. */
    public record Line(String key, String label, String text) {
    }

    private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
    /** Words of a key that name its unit: the value shows the unit, the label need not repeat it. */
    private static final Set<String> UNIT_WORDS = Set.of("Bytes", "Ms", "Seconds", "Micros", "Minutes", "Percent",
            "MB", "Ns", "Nanos");
    /** Keys whose words alone do not say what they measure. */
    private static final Map<String, String> NAMED = Map.of(
            "r2", "R² of the fit",
            "slopeLowBytes", "slope, low end of its 95% interval",
            "growthShare", "fitted growth over the peak live heap",
            "liveBytes", "live heap",
            "firstLiveBytes", "first live heap",
            "lastLiveBytes", "last live heap");
    private static final Pattern NAMED_VALUE = Pattern.compile("(.+)=(-?\\d{1,18})");
    private static final Set<String> ACRONYMS = Set.of("gc", "cpu", "fd", "fds", "url", "id");

    /** The evidence of a finding, in order; a "…Unit" key that qualifies its sibling keys is folded into them. */
    public static List<Line> lines(Finding f) {
        Map<String, Object> ev = f.evidence();
        List<Line> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : ev.entrySet()) {
            String key = e.getKey();
            if (qualifiesSiblings(key, ev)) {
                continue;
            }
            String text = text(key, e.getValue(), unit(f, key));
            Object per = ev.get(words(key)[0] + "Unit");
            if (per instanceof String s && !key.endsWith("Unit") && e.getValue() instanceof Number) {
                text = text + " " + s;
            }
            out.add(new Line(key, label(key), text));
        }
        return out;
    }

    /** "slopeUnit" ("per second") beside "slopeBytes": shown with that value, not on its own. */
    private static boolean qualifiesSiblings(String key, Map<String, Object> ev) {
        if (!key.endsWith("Unit") || !(ev.get(key) instanceof String)) {
            return false;
        }
        String prefix = key.substring(0, key.length() - "Unit".length());
        return ev.keySet().stream().anyMatch(k -> !k.equals(key) && k.startsWith(prefix));
    }

    private static String[] words(String key) {
        return CAMEL.split(key);
    }

    /** The key in words, without the unit its value now shows: "gcCpuPercent" is "GC CPU". */
    public static String label(String key) {
        String named = NAMED.get(key);
        if (named != null) {
            return named;
        }
        List<String> kept = new ArrayList<>();
        String[] w = words(key);
        for (String word : w) {
            if (!UNIT_WORDS.contains(word) || w.length == 1) {
                String lower = word.toLowerCase(Locale.ROOT);
                kept.add(ACRONYMS.contains(lower) ? lower.toUpperCase(Locale.ROOT) : lower);
            }
        }
        if (kept.isEmpty()) {
            kept.add(key);
        }
        return String.join(" ", kept);
    }

    /** The finding's unit for the key, else the unit the key's words name, else "" (a count or a plain number). */
    static String unit(Finding f, String key) {
        String u = f.units().get(key);
        return u != null ? u : unitOfKey(key);
    }

    static String unitOfKey(String key) {
        String[] w = words(key);
        String last = w[w.length - 1];
        switch (last) {
            case "Ms":
                return "milliseconds";
            case "Seconds":
                return "seconds";
            case "Micros":
                return "microseconds";
            case "Minutes":
                return "minutes";
            case "Ns", "Nanos":
                return "nanoseconds";
            case "Percent":
                return "percent";
            case "MB":
                return "MiB"; // the runtime's "MB" (gctrace, memstats in MB) are 2^20 bytes
            default:
                break;
        }
        for (String word : w) {
            if (word.equals("Bytes") || word.equals("bytes")) {
                return "bytes";
            }
            if (word.equals("Share") || word.equals("share")) {
                return "fraction";
            }
        }
        return "";
    }

    /** A value in the unit: numbers scaled, lists and maps of numbers element by element. */
    static String text(String key, Object v, String unit) {
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            String sep = key.contains("PerSnapshot") || key.equals("liveBytes") ? " → " : ", ";
            for (Object o : l) {
                sb.append(sb.isEmpty() ? "" : sep).append(text(key, o, unit));
            }
            return sb.toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sb.isEmpty() ? "" : "; ").append(e.getKey()).append(' ')
                        .append(text(key, e.getValue(), unit));
            }
            return sb.toString();
        }
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (v instanceof Number n) {
            return number(n, key, unit);
        }
        if (v instanceof String s && !unit.isEmpty()) {
            // "function=value" pairs (a rule's top callers) with the value in the unit
            Matcher m = NAMED_VALUE.matcher(s);
            if (m.matches()) {
                return m.group(1) + " " + number(Long.parseLong(m.group(2)), key, unit);
            }
        }
        return String.valueOf(v);
    }

    private static String number(Number n, String key, String unit) {
        double x = n.doubleValue();
        if (!Double.isFinite(x)) {
            return "unknown";
        }
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "bytes", "byte", "b" -> Units.bytes(x);
            case "mib" -> Units.bytes(x * (1 << 20));
            case "nanoseconds", "nanosecond", "ns" -> Units.time(x);
            case "microseconds", "microsecond", "us" -> Units.time(x * 1e3);
            case "milliseconds", "millisecond", "ms" -> Units.time(x * 1e6);
            case "seconds", "second", "s" -> Units.time(x * 1e9);
            case "minutes" -> Units.significant(x, 3) + " min";
            case "percent" -> percent(x);
            case "fraction" -> percent(100 * x);
            default -> key.equals("r2") ? String.format(Locale.ROOT, "%.2f", x) : plain(n);
        };
    }

    /** A percentage with three significant digits ("12.3%", "0.92%", "100%"). */
    static String percent(double p) {
        return (Math.abs(p) >= 100 ? Long.toString(Math.round(p)) : Units.significant(p, 3)) + "%";
    }

    private static String plain(Number n) {
        if (n instanceof Double || n instanceof Float) {
            return DiagnosisRenderers.value(n);
        }
        return n.toString();
    }
}
