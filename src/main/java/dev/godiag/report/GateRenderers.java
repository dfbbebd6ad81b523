package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.bench.GateEvaluation;
import dev.godiag.analysis.bench.GateEvaluation.Metric;
import dev.godiag.analysis.bench.GateEvaluation.Stats;
import dev.godiag.util.GoFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The gate's reports: text, markdown (a PR comment), JSON (the contract in docs/json.md) and JUnit XML. */
public final class GateRenderers {
    private GateRenderers() {
    }

    /** A value as Go's %.4g (trailing zeros kept as Go keeps them). */
    static String num(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return GoFormat.general(v, 4);
    }

    static String delta(Metric m) {
        if (Double.isInfinite(m.deltaPercent())) {
            return m.deltaPercent() > 0 ? "+Inf%" : "-Inf%";
        }
        String s = GoFormat.fixed(m.deltaPercent(), 2);
        return (s.startsWith("-") ? s : "+" + s) + "%";
    }

    /**
     * A value in its metric's unit as benchstat scales it (SI prefixes, IEC for bytes) with the
     * unit's symbol: "1.718µs" for sec/op, "1.74MiB" for B/op, "11.0ms" for a pause in ms.
     */
    public static String value(double v, String unit) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "unknown" : v > 0 ? "+Inf" : "-Inf";
        }
        return switch (unit) {
            case "sec/op", "s", "sec" -> BenchRenderers.scale(v, false) + "s";
            case "ms" -> BenchRenderers.scale(v / 1e3, false) + "s";
            case "B/op", "B", "bytes" -> BenchRenderers.scale(v, true) + "B";
            case "B/s" -> BenchRenderers.scale(v, true) + "B/s";
            case "MB/s", "MiB/s" -> BenchRenderers.scale(v * (1 << 20), true) + "B/s"; // the runtime's MB are MiB
            case "%" -> num(v) + "%";
            case "share" -> num(100 * v) + "%";
            default -> BenchRenderers.isBinary(unit) ? BenchRenderers.scale(v, true) : num(v);
        };
    }

    static String stats(Stats s, String unit) {
        return s.n() == 1 ? value(s.median(), unit) + " (n=1)"
                : value(s.median(), unit) + " [" + value(s.low(), unit) + ", " + value(s.high(), unit) + "] n=" + s.n();
    }

    static String p(Metric m) {
        return Double.isNaN(m.p()) ? "-" : GoFormat.fixed(m.p(), 3);
    }

    static String verdict(Metric m) {
        if (m.regression()) {
            return "REGRESSION";
        }
        if (m.improvement()) {
            return "improvement";
        }
        return m.deltaPercent() == 0 ? "ok" : "ok (" + m.note() + ")";
    }

    static String headline(GateEvaluation.Result r) {
        int reg = r.regressions().size();
        int imp = r.improvements().size();
        return "gate: " + (r.pass() ? "PASS" : "FAIL") + " (" + reg + " regression" + (reg == 1 ? "" : "s") + ", "
                + imp + " improvement" + (imp == 1 ? "" : "s") + ", " + r.metrics().size() + " metric"
                + (r.metrics().size() == 1 ? "" : "s") + " compared; alpha " + GoFormat.general(r.alpha(), 6)
                + (r.trend() != null && r.trend().failed() ? "; memory trend rule failed" : "") + ")";
    }

    /** One sentence per regression, naming the metric and the change. */
    public static List<String> regressionLines(GateEvaluation.Result r) {
        List<String> out = new ArrayList<>();
        for (Metric m : r.regressions()) {
            out.add(m.name() + " " + m.unit() + ": " + value(m.baseline().median(), m.unit()) + " -> "
                    + value(m.candidate().median(), m.unit())
                    + " (" + delta(m) + ", " + (m.singleSample() ? "single sample" : "p=" + p(m))
                    + ", threshold " + GoFormat.general(m.thresholdPercent(), 6) + "%, " + m.better().label() + ")");
        }
        if (r.trend() != null && r.trend().failed()) {
            out.add(trendLine(r.trend()));
        }
        return out;
    }

    static String trendLine(GateEvaluation.Trend t) {
        StringBuilder sb = new StringBuilder("heap.live grew more than " + (int) GateEvaluation.TREND_GROWTH_PERCENT
                + "% in each of the last " + GateEvaluation.TREND_STEPS + " runs:");
        for (int i = 0; i < t.growthPercents().size(); i++) {
            double g = t.growthPercents().get(i);
            sb.append(i == 0 ? " " : ", ").append(value(t.values().get(i), "bytes")).append(" -> ")
                    .append(value(t.values().get(i + 1), "bytes"))
                    .append(" (").append(Double.isInfinite(g) ? "+Inf" : (g >= 0 ? "+" : "") + GoFormat.fixed(g, 2))
                    .append("%)");
        }
        return sb.toString();
    }

    public static String text(GateEvaluation.Result r) {
        StringBuilder sb = new StringBuilder();
        try {
            text(r, sb);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /**
     * The text report, written as it goes: the table's cells are made once to size the columns and
     * again to write them, so a gate of millions of metrics never holds its table.
     */
    public static void text(GateEvaluation.Result r, Appendable out) throws IOException {
        out.append(headline(r)).append('\n');
        for (String l : regressionLines(r)) {
            out.append("  regression: ").append(l).append('\n');
        }
        out.append('\n');
        String[] head = {"METRIC", "UNIT", "BASELINE", "CANDIDATE", "DELTA", "P", "THRESHOLD", "VERDICT"};
        int[] w = new int[head.length];
        String[] row = new String[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (Metric m : r.metrics()) {
            cells(m, row);
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder line = new StringBuilder();
        textRow(head, w, line, out);
        for (Metric m : r.metrics()) {
            textRow(cells(m, row), w, line, out);
        }
        StringBuilder sb = new StringBuilder();
        if (r.trend() != null && !r.trend().failed()) {
            sb.append("\nmemory trend: ok (").append(trendLine(r.trend()).replaceFirst("^[^:]*: ", "")).append(")\n");
        }
        notes(r, sb, "");
        out.append(sb);
    }

    private static String[] cells(Metric m, String[] row) {
        row[0] = m.name();
        row[1] = m.unit();
        row[2] = stats(m.baseline(), m.unit());
        row[3] = stats(m.candidate(), m.unit());
        row[4] = delta(m);
        row[5] = p(m);
        row[6] = GoFormat.general(m.thresholdPercent(), 6) + "%";
        row[7] = verdict(m);
        return row;
    }

    private static void textRow(String[] row, int[] w, StringBuilder line, Appendable out) throws IOException {
        line.setLength(0);
        for (int i = 0; i < row.length; i++) {
            line.append(i == 0 ? "" : "  ").append(i == row.length - 1 ? row[i] : pad(row[i], w[i]));
        }
        int end = line.length();
        while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        out.append(line, 0, end).append('\n');
    }

    private static void notes(GateEvaluation.Result r, StringBuilder sb, String bullet) {
        if (!r.baselineOnly().isEmpty()) {
            sb.append('\n').append(bullet).append("only in the baseline (not gated): ")
                    .append(String.join(", ", r.baselineOnly())).append('\n');
        }
        if (!r.candidateOnly().isEmpty()) {
            sb.append('\n').append(bullet).append("only in the candidate (not gated): ")
                    .append(String.join(", ", r.candidateOnly())).append('\n');
        }
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String md(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                .replace("*", "\\*").replace("_", "\\_").replace("`", "\\`");
    }

    public static String markdown(GateEvaluation.Result r) {
        StringBuilder sb = new StringBuilder("### ").append(r.pass() ? "✅ " : "❌ ").append(md(headline(r)))
                .append("\n\n");
        for (String l : regressionLines(r)) {
            sb.append("- **regression**: ").append(md(l)).append('\n');
        }
        if (!r.regressions().isEmpty() || (r.trend() != null && r.trend().failed())) {
            sb.append('\n');
        }
        sb.append("| metric | unit | baseline | candidate | delta | p | threshold | verdict |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Metric m : r.metrics()) {
            String v = verdict(m);
            sb.append("| ").append(md(m.name())).append(" | ").append(md(m.unit())).append(" | ")
                    .append(md(stats(m.baseline(), m.unit()))).append(" | ").append(md(stats(m.candidate(), m.unit()))).append(" | ")
                    .append(md(delta(m))).append(" | ").append(p(m)).append(" | ")
                    .append(md(GoFormat.general(m.thresholdPercent(), 6) + "%")).append(" | ")
                    .append(m.regression() ? "**" + v + "**" : md(v)).append(" |\n");
        }
        if (r.trend() != null && !r.trend().failed()) {
            sb.append("\nmemory trend: ok (").append(md(trendLine(r.trend()).replaceFirst("^[^:]*: ", ""))).append(")\n");
        }
        notes(r, sb, "");
        return sb.toString();
    }

    public static String json(GateEvaluation.Result r) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("verdict", r.pass() ? "pass" : "fail");
            g.writeNumberField("alpha", r.alpha());
            g.writeArrayFieldStart("metrics");
            for (Metric m : r.metrics()) {
                g.writeStartObject();
                g.writeStringField(m.name().startsWith("Benchmark") ? "benchmark" : "metric", m.name());
                g.writeStringField("unit", m.unit());
                g.writeStringField("better", m.better() == GateEvaluation.Better.LOWER ? "lower" : "higher");
                stats(g, "baseline", m.baseline());
                stats(g, "candidate", m.candidate());
                number(g, "deltaPercent", m.deltaPercent());
                number(g, "p", m.p());
                g.writeBooleanField("significant", m.significant());
                g.writeBooleanField("singleSample", m.singleSample());
                g.writeNumberField("thresholdPercent", m.thresholdPercent());
                g.writeBooleanField("regression", m.regression());
                g.writeBooleanField("improvement", m.improvement());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (r.trend() != null) {
                g.writeObjectFieldStart("memoryTrend");
                g.writeArrayFieldStart("heapLive");
                for (double v : r.trend().values()) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("growthPercent");
                for (double v : r.trend().growthPercents()) {
                    if (Double.isFinite(v)) {
                        g.writeNumber(v);
                    } else {
                        g.writeNull();
                    }
                }
                g.writeEndArray();
                g.writeBooleanField("failed", r.trend().failed());
                g.writeEndObject();
            }
            strings(g, "baselineOnly", r.baselineOnly());
            strings(g, "candidateOnly", r.candidateOnly());
            g.writeEndObject();
        });
    }

    private static void strings(JsonGenerator g, String field, List<String> l) throws IOException {
        g.writeArrayFieldStart(field);
        for (String s : l) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, v);
        } else {
            g.writeNullField(field);
        }
    }

    private static void stats(JsonGenerator g, String field, Stats s) throws IOException {
        g.writeObjectFieldStart(field);
        number(g, "median", s.median());
        number(g, "low", s.low());
        number(g, "high", s.high());
        g.writeNumberField("n", s.n());
        g.writeEndObject();
    }

    private static String xml(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        sb.append('?');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** JUnit XML: one testcase per metric (and one for the memory trend rule), a failure per regression. */
    public static String junit(GateEvaluation.Result r) {
        boolean trend = r.trend() != null;
        int tests = r.metrics().size() + (trend ? 1 : 0);
        int failures = r.regressions().size() + (trend && r.trend().failed() ? 1 : 0);
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<testsuites name=\"godiag gate\" tests=\"").append(tests).append("\" failures=\"").append(failures)
                .append("\">\n");
        sb.append("  <testsuite name=\"godiag gate\" tests=\"").append(tests).append("\" failures=\"").append(failures)
                .append("\" errors=\"0\" skipped=\"0\">\n");
        for (Metric m : r.metrics()) {
            sb.append("    <testcase classname=\"godiag.gate\" name=\"").append(xml(m.name() + " " + m.unit()))
                    .append('"');
            String detail = "baseline " + stats(m.baseline(), m.unit()) + ", candidate " + stats(m.candidate(), m.unit()) + ", delta "
                    + delta(m) + ", p " + p(m) + ", threshold " + GoFormat.general(m.thresholdPercent(), 6) + "%";
            if (m.regression()) {
                sb.append(">\n      <failure message=\"").append(xml("regression: " + delta(m) + " (" + m.better().label()
                        + ")")).append("\" type=\"regression\">").append(xml(detail)).append("</failure>\n    </testcase>\n");
            } else {
                sb.append(">\n      <system-out>").append(xml(detail + "; " + verdict(m))).append("</system-out>\n    </testcase>\n");
            }
        }
        if (trend) {
            sb.append("    <testcase classname=\"godiag.gate\" name=\"memory trend heap.live\"");
            if (r.trend().failed()) {
                sb.append(">\n      <failure message=\"").append(xml(trendLine(r.trend())))
                        .append("\" type=\"memory-trend\"/>\n    </testcase>\n");
            } else {
                sb.append("/>\n");
            }
        }
        sb.append("  </testsuite>\n</testsuites>\n");
        return sb.toString();
    }
}
