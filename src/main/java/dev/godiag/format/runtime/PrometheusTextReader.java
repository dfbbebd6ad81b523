package dev.godiag.format.runtime;

import dev.godiag.util.BadInputException;
import dev.godiag.model.PromMetrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format, version 0.0.4: {@code # HELP name text} (with
 * {@code \\} and {@code \n} escapes), {@code # TYPE name counter|gauge|summary|histogram|untyped},
 * other comments, and sample lines {@code name{label="value",...} value [timestamp]} with label
 * values escaped ({@code \\}, {@code \"}, {@code \n}), values as Go's ParseFloat reads them
 * ({@code NaN}, {@code +Inf}, {@code -Inf}, exponents) and an optional integer timestamp in
 * milliseconds. Samples named {@code X_sum}, {@code X_count} or {@code X_bucket} belong to the
 * summary or histogram family X. A malformed line is skipped with a warning {@code line N: ...}.
 */
public final class PrometheusTextReader {
    private PrometheusTextReader() {
    }

    public static PromMetrics read(InputStream in, String source) {
        List<PromMetrics.Family> families = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, Builder> byName = new LinkedHashMap<>();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                try {
                    parseLine(line, n, byName);
                } catch (IllegalArgumentException e) {
                    if (warnings.size() < 1000) {
                        warnings.add("line " + n + ": " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read: " + e.getMessage());
        }
        for (Builder b : byName.values()) {
            families.add(new PromMetrics.Family(b.name, b.help, b.type == null ? "untyped" : b.type, b.samples));
        }
        return new PromMetrics(source, families, warnings);
    }

    private static final class Builder {
        final String name;
        String help;
        String type;
        final List<PromMetrics.Sample> samples = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }
    }

    private static void parseLine(String line, long n, Map<String, Builder> byName) {
        int i = skipBlanks(line, 0);
        if (i == line.length()) {
            return;
        }
        if (line.charAt(i) == '#') {
            int j = skipBlanks(line, i + 1);
            int k = token(line, j);
            String keyword = line.substring(j, k);
            if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
                return; // a comment
            }
            int ns = skipBlanks(line, k);
            int ne = token(line, ns);
            String name = line.substring(ns, ne);
            if (!validName(name)) {
                throw new IllegalArgumentException("# " + keyword + " without a valid metric name");
            }
            String rest = ne < line.length() ? line.substring(Math.min(line.length(), skipBlanks(line, ne))) : "";
            Builder b = byName.computeIfAbsent(name, Builder::new);
            if (keyword.equals("HELP")) {
                b.help = unescape(rest, false);
            } else {
                String t = rest.strip();
                if (!List.of("counter", "gauge", "summary", "histogram", "untyped").contains(t)) {
                    throw new IllegalArgumentException("unknown metric type \"" + t + "\"");
                }
                b.type = t;
            }
            return;
        }
        int ne = i;
        while (ne < line.length() && nameChar(line.charAt(ne), ne == i)) {
            ne++;
        }
        String name = line.substring(i, ne);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("expected a metric name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int p = skipBlanks(line, ne);
        if (p < line.length() && line.charAt(p) == '{') {
            p = labels(line, p + 1, labels);
        }
        p = skipBlanks(line, p);
        int ve = token(line, p);
        if (ve == p) {
            throw new IllegalArgumentException("sample " + name + " without a value");
        }
        double value = parseValue(line.substring(p, ve));
        Long ts = null;
        int ts0 = skipBlanks(line, ve);
        if (ts0 < line.length()) {
            int te = token(line, ts0);
            try {
                ts = Long.parseLong(line.substring(ts0, te));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad timestamp \"" + abbreviate(line.substring(ts0, te)) + "\"");
            }
            if (skipBlanks(line, te) != line.length()) {
                throw new IllegalArgumentException("unexpected text after the timestamp");
            }
        }
        byName.computeIfAbsent(familyOf(name, byName), Builder::new).samples
                .add(new PromMetrics.Sample(name, labels, value, ts, n));
    }

    private static String familyOf(String name, Map<String, Builder> byName) {
        if (byName.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[]{"_sum", "_count", "_bucket", "_created"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                Builder b = byName.get(base);
                if (b != null && ("summary".equals(b.type) || "histogram".equals(b.type))) {
                    return base;
                }
            }
        }
        return name;
    }

    private static int labels(String line, int p, Map<String, String> out) {
        while (true) {
            p = skipBlanks(line, p);
            if (p >= line.length()) {
                throw new IllegalArgumentException("truncated label set: no '}'");
            }
            if (line.charAt(p) == '}') {
                return p + 1;
            }
            int ns = p;
            while (p < line.length() && nameChar(line.charAt(p), p == ns) && line.charAt(p) != ':') {
                p++;
            }
            if (p == ns) {
                throw new IllegalArgumentException("expected a label name at column " + (p + 1));
            }
            String label = line.substring(ns, p);
            p = skipBlanks(line, p);
            if (p >= line.length() || line.charAt(p) != '=') {
                throw new IllegalArgumentException("expected '=' after label " + label);
            }
            p = skipBlanks(line, p + 1);
            if (p >= line.length() || line.charAt(p) != '"') {
                throw new IllegalArgumentException("expected '\"' for the value of label " + label);
            }
            StringBuilder v = new StringBuilder();
            p++;
            while (true) {
                if (p >= line.length()) {
                    throw new IllegalArgumentException("truncated value of label " + label);
                }
                char c = line.charAt(p++);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (p >= line.length()) {
                        throw new IllegalArgumentException("truncated value of label " + label);
                    }
                    char e = line.charAt(p++);
                    switch (e) {
                        case '\\' -> v.append('\\');
                        case '"' -> v.append('"');
                        case 'n' -> v.append('\n');
                        default -> throw new IllegalArgumentException("invalid escape \\" + e + " in label " + label);
                    }
                } else {
                    v.append(c);
                }
            }
            if (out.put(label, v.toString()) != null) {
                throw new IllegalArgumentException("label " + label + " repeated");
            }
            p = skipBlanks(line, p);
            if (p < line.length() && line.charAt(p) == ',') {
                p++;
            }
        }
    }

    /** A value as Go's strconv.ParseFloat reads it: decimal or exponent form, NaN, [+-]Inf(inity). */
    static double parseValue(String s) {
        String l = s.toLowerCase(java.util.Locale.ROOT);
        switch (l) {
            case "nan":
                return Double.NaN;
            case "+inf", "inf", "+infinity", "infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new IllegalArgumentException("bad value \"" + abbreviate(s) + "\"");
        }
        return Double.parseDouble(s);
    }

    private static String unescape(String s, boolean quotes) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(i + 1);
                if (e == '\\' || e == 'n' || (quotes && e == '"')) {
                    b.append(e == 'n' ? '\n' : e);
                    i++;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    private static boolean nameChar(char c, boolean first) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
    }

    static boolean validName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!nameChar(s.charAt(i), i == 0)) {
                return false;
            }
        }
        return true;
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int token(String s, int i) {
        while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
            i++;
        }
        return i;
    }

    private static String abbreviate(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "..." : s;
    }
}
