package dev.godiag.format.bench;

import dev.godiag.util.BadInputException;
import dev.godiag.model.BenchFile;
import dev.godiag.model.BenchResult;
import dev.godiag.model.BenchValues;
import dev.godiag.model.CompactMap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Go benchmark format (golang.org/design/14313-benchmark-format) as x/perf/benchfmt does.
 * A line starting with "Benchmark" followed by a name and fields is a result: name, iteration count,
 * then value/unit pairs (units tidied: ns to sec, MB to B). A line {@code key: value} whose key starts
 * with a lower-case letter and has no space or upper-case letter is configuration for the results
 * that follow (an empty value deletes the key). {@code Unit UNIT key=value...} sets unit metadata.
 * Every other line (PASS, ok, ---, log output) is noise and ignored. A malformed result or unit line
 * becomes a warning naming the file and line; reading goes on.
 */
public final class BenchReader {
    /** Malformed lines reported per file; the rest are counted in one last warning. */
    public static final int MAX_WARNINGS = 20;

    private BenchReader() {
    }

    public static BenchFile read(String name, String text) {
        List<BenchResult> results = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        long[] malformed = {0};
        Map<String, Map<String, String>> units = new LinkedHashMap<>();
        Map<String, String> config = new LinkedHashMap<>();
        Map<String, String> shared = null; // the configuration as results hold it; made anew after a change
        Map<String, String> unitNames = new HashMap<>(); // one string per unit, not one per result
        String[][] previousUnits = {null}; // the units of the last result, shared by the next when the same
        int lineNo = 0;
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.startsWith("Benchmark")) {
                    try {
                        if (shared == null) {
                            shared = CompactMap.copyOf(config);
                        }
                        BenchResult res = result(line, shared, unitNames, previousUnits, name, lineNo);
                        if (res != null) {
                            results.add(res);
                        }
                    } catch (BadInputException e) {
                        warn(warnings, malformed, name + ":" + lineNo + ": " + e.getMessage());
                    }
                    continue;
                }
                List<String> f = fields(line);
                if (!f.isEmpty() && f.get(0).equals("Unit")) {
                    List<String> w = new ArrayList<>();
                    unitLine(f, units, w, name + ":" + lineNo + ": ");
                    w.forEach(m -> warn(warnings, malformed, m));
                    continue;
                }
                int colon = configKeyEnd(line);
                if (colon > 0) {
                    String key = line.substring(0, colon);
                    String value = line.substring(colon + 1);
                    if (value.isEmpty()) {
                        shared = config.remove(key) != null ? null : shared;
                    } else if (value.charAt(0) == ' ' || value.charAt(0) == '\t') {
                        value = value.replaceFirst("^[ \\t]+", "");
                        if (!value.equals(config.put(key, value))) {
                            shared = null;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (malformed[0] > MAX_WARNINGS) {
            warnings.add(name + ": and " + (malformed[0] - MAX_WARNINGS) + " more malformed lines");
        }
        Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
        units.forEach((k, v) -> frozen.put(k, Map.copyOf(v)));
        return new BenchFile(name, results, frozen, warnings);
    }

    /** Keeps the first {@link #MAX_WARNINGS} warnings and counts the rest. */
    private static void warn(List<String> warnings, long[] count, String warning) {
        if (count[0]++ < MAX_WARNINGS) {
            warnings.add(warning);
        }
    }

    /** The index of the ':' ending a configuration key, or -1 when the line is not configuration. */
    private static int configKeyEnd(String line) {
        for (int i = 0; i < line.length(); ) {
            int c = line.codePointAt(i);
            if (i == 0 && !Character.isLowerCase(c)) {
                return -1;
            }
            if (Character.isWhitespace(c) || Character.isUpperCase(c)) {
                return -1;
            }
            if (i > 0 && c == ':') {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }

    private static BenchResult result(String line, Map<String, String> config, Map<String, String> unitNames,
                                      String[][] previous, String file, int lineNo) {
        List<String> f = fields(line.substring("Benchmark".length()));
        String full = line.substring("Benchmark".length());
        if (f.isEmpty() || f.size() == 1 && f.get(0).equals(full)) {
            return null; // "BenchmarkFoo" alone: a name printed before a result, or prose
        }
        String fullName = f.get(0);
        if (f.size() < 2) {
            throw new BadInputException("missing iteration count");
        }
        if (!isInt(f.get(1))) {
            throw new BadInputException("parsing iteration count: invalid syntax in '" + f.get(1) + "'");
        }
        long iters;
        try {
            iters = Long.parseLong(f.get(1));
        } catch (NumberFormatException e) {
            throw new BadInputException("parsing iteration count: value out of range");
        }
        if (f.size() < 3) {
            throw new BadInputException("missing measurements");
        }
        int pairs = (f.size() - 1) / 2;
        String[] units = new String[pairs];
        double[] vals = new double[pairs];
        int n = 0;
        for (int i = 2; i < f.size(); i += 2) {
            String v = f.get(i);
            if (!isFloat(v)) {
                throw new BadInputException("parsing measurement: invalid syntax in '" + v + "'");
            }
            if (i + 1 >= f.size()) {
                throw new BadInputException("missing units");
            }
            BenchUnits.Tidy t = BenchUnits.tidy(f.get(i + 1));
            double value = parseFloat(v) * t.factor();
            if (Double.isNaN(value)) {
                throw new BadInputException("measurement is NaN"); // no median or rank of NaN
            }
            String unit = unitNames.computeIfAbsent(t.unit(), u -> u);
            if (!contains(units, n, unit)) { // the first value of a unit counts
                units[n] = unit;
                vals[n++] = value;
            }
        }
        // results measured in the same units as the one before share its array of units
        units = n == units.length ? units : Arrays.copyOf(units, n);
        if (previous[0] != null && Arrays.equals(previous[0], units)) {
            units = previous[0];
        }
        previous[0] = units;
        BenchValues values = new BenchValues(units, n == vals.length ? vals : Arrays.copyOf(vals, n));
        // base name, sub-benchmark parts, -procs suffix
        String prefix = fullName;
        int procs = 0;
        int dash = procsSuffix(fullName);
        if (dash >= 0) {
            prefix = fullName.substring(0, dash);
            try {
                procs = Integer.parseInt(fullName.substring(dash + 1));
            } catch (NumberFormatException e) {
                procs = 0;
            }
        }
        List<String> parts = new ArrayList<>();
        int slash = prefix.indexOf('/');
        String base = slash < 0 ? prefix : prefix.substring(0, slash);
        while (slash >= 0) {
            int next = prefix.indexOf('/', slash + 1);
            parts.add(next < 0 ? prefix.substring(slash) : prefix.substring(slash, next));
            slash = next;
        }
        return new BenchResult(fullName, base, parts, procs, config, iters, values, file, lineNo);
    }

    private static boolean contains(String[] a, int n, String s) {
        for (int i = 0; i < n; i++) {
            if (a[i].equals(s)) {
                return true;
            }
        }
        return false;
    }

    /** The index of the '-' starting a trailing "-123" suffix, or -1. */
    static int procsSuffix(String name) {
        for (int i = name.length() - 1; i >= 0; i--) {
            char c = name.charAt(i);
            if (c == '-' && i < name.length() - 1) {
                return i;
            }
            if (c < '0' || c > '9') {
                break;
            }
        }
        return -1;
    }

    /** {@code [+-]?\\d+}: Go's ParseInt syntax for the iteration count. */
    static boolean isInt(String s) {
        int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        if (i == s.length()) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Go's ParseFloat syntax for decimal measurements: {@code [+-]?(digits[.digits]|.digits)([eE][+-]?digits)?}
     * or inf, infinity, nan in any case.
     */
    static boolean isFloat(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        String word = s.substring(i).toLowerCase(java.util.Locale.ROOT);
        if (i < n && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
            return word.equals("inf") || word.equals("infinity") || word.equals("nan");
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == exp) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static double parseFloat(String v) {
        char c = v.charAt(v.length() - 1);
        if (isDigit(c) || c == '.') {
            return Double.parseDouble(v); // the common case: a decimal number
        }
        String s = v.toLowerCase(java.util.Locale.ROOT);
        String abs = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        double sign = s.startsWith("-") ? -1 : 1;
        if (abs.equals("inf") || abs.equals("infinity")) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (abs.equals("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(v);
    }

    private static void unitLine(List<String> f, Map<String, Map<String, String>> units, List<String> warnings,
                                 String where) {
        if (f.size() < 2) {
            warnings.add(where + "missing unit");
            return;
        }
        String unit = f.get(1);
        String tidy = BenchUnits.tidy(unit).unit();
        for (String kv : f.subList(2, f.size())) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                warnings.add(where + "expected key=value");
                continue;
            }
            String key = kv.substring(0, eq);
            String value = kv.substring(eq + 1);
            Map<String, String> m = units.computeIfAbsent(tidy, k -> new LinkedHashMap<>());
            String have = m.get(key);
            if (have != null && !have.equals(value)) {
                warnings.add(where + "metadata " + key + " of unit " + unit + " already set to " + have);
                continue;
            }
            if (key.equals("assume") && !value.equals("nothing") && !value.equals("exact")) {
                warnings.add(where + "unknown assumption '" + value + "' for unit " + unit
                        + " (nothing or exact); using nothing");
            } else if (key.equals("better") && !value.equals("higher") && !value.equals("lower")) {
                warnings.add(where + "unknown better='" + value + "' for unit " + unit + " (higher or lower)");
            }
            m.put(key, value);
        }
    }

    /** Whitespace-separated fields. */
    static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }
}
