package dev.godiag.report;

import dev.godiag.analysis.bench.BenchStats;
import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.analysis.bench.BenchTables.Cell;
import dev.godiag.analysis.bench.BenchTables.ColumnSummary;
import dev.godiag.analysis.bench.BenchTables.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * benchstat's output for godiag bench: its text table (same cells and layout: value ± CI%, "vs
 * base" delta with "(p=… n=…)", footnote marks and notes), its CSV, a markdown form and JSON.
 * Values are scaled per row as benchunit scales them (SI prefixes, or IEC for bytes).
 */
public final class BenchRenderers {
    private BenchRenderers() {
    }

    // ---- scaling (benchunit.CommonScale) ----

    private record Scaler(int prec, double factor, String prefix) {
        String format(double v) {
            if (!Double.isFinite(v)) {
                return dev.godiag.util.GoFormat.fixed(v, 0) + prefix;
            }
            return dev.godiag.util.GoFormat.plain(v / factor, prec) + prefix;
        }
    }

    private static final String[] SI = {"T", "G", "M", "k", "", "m", "µ", "n"};
    private static final String[] IEC = {"Ti", "Gi", "Mi", "Ki", ""};

    private static Scaler scaler(List<Double> vals, boolean binary) {
        double min = 0;
        for (double v : vals) {
            v = Math.abs(v);
            if (v != 0 && (min == 0 || v < min)) {
                min = v;
            }
        }
        if (min == 0) {
            return new Scaler(3, 1, "");
        }
        String[] prefixes = binary ? IEC : SI;
        double[][] thresholds = binary ? IEC_THRESHOLDS : SI_THRESHOLDS;
        double factor = 1;
        for (int i = 0; i < prefixes.length; i++) {
            factor = thresholds[i][0];
            if (min >= thresholds[i][1]) {
                return new Scaler(1, factor, prefixes[i]);
            } else if (min >= thresholds[i][2]) {
                return new Scaler(2, factor, prefixes[i]);
            } else if (min >= thresholds[i][3]) {
                return new Scaler(3, factor, prefixes[i]);
            }
        }
        double val = min / factor;
        for (int i = 0; i < 8; i++) {
            if (val >= SMALL_THRESHOLDS[i] || i == 7) {
                return new Scaler(i + 3, factor, prefixes[prefixes.length - 1]);
            }
        }
        throw new AssertionError();
    }

    /** Per prefix: the factor and the smallest values shown with 1, 2 and 3 decimals (benchunit's). */
    private static final double[][] SI_THRESHOLDS = new double[SI.length][];
    private static final double[][] IEC_THRESHOLDS = new double[IEC.length][];
    /** Below the smallest prefix: the smallest values shown with 3, 4, ... 10 decimals. */
    private static final double[] SMALL_THRESHOLDS = new double[8];

    static {
        for (int i = 0; i < SI.length; i++) {
            int exp = 12 - 3 * i;
            SI_THRESHOLDS[i] = new double[] {Math.pow(10, exp), Double.parseDouble("99.995e" + exp),
                Double.parseDouble("9.9995e" + exp), Double.parseDouble(".99995e" + exp)};
        }
        for (int i = 0; i < IEC.length; i++) {
            int exp = 40 - 10 * i;
            IEC_THRESHOLDS[i] = new double[] {Math.pow(2, exp), 0x1.8ffae147ae148p0 * Math.pow(2, 6 + exp),
                0x1.3ffbe76c8b439p0 * Math.pow(2, 3 + exp), 0x1.fff972474538fp0 * Math.pow(2, -1 + exp)};
        }
        for (int i = 0; i < SMALL_THRESHOLDS.length; i++) {
            SMALL_THRESHOLDS[i] = Double.parseDouble("9.9995e" + (-1 - i));
        }
    }

    static String scale(double v, boolean binary) {
        return scaler(List.of(v), binary).format(v);
    }

    private static boolean binary(Table t) {
        return isBinary(t.unit());
    }

    /** True when the unit's numerator counts bytes (scaled by powers of 1024 for display). */
    static boolean isBinary(String unit) {
        boolean denom = false;
        int i = 0;
        while (i < unit.length()) {
            char c = unit.charAt(i);
            if (isSeparator(c)) {
                if (c == '*') {
                    denom = false;
                } else if (c == '/') {
                    denom = true;
                }
                i++;
                continue;
            }
            int end = i;
            while (end < unit.length() && !isSeparator(unit.charAt(end))) {
                end++;
            }
            String tok = unit.substring(i, end);
            if (!denom && (tok.equals("B") || tok.equals("MB") || tok.equals("bytes"))) {
                return true;
            }
            i = end;
        }
        return false;
    }

    private static boolean isSeparator(char c) {
        return c == '*' || c == '/' || c == '-' || Character.isWhitespace(c);
    }

    // ---- text ----

    /** benchstat's text output. */
    public static String text(List<Table> tables) {
        return collect(out -> text(tables, out));
    }

    /** benchstat's text output, written as it is laid out. */
    public static void text(List<Table> tables, Appendable out) throws IOException {
        header(tables, out, (line, o) -> o.append(line).append('\n'), BenchRenderers::text);
    }

    /** Writes output somewhere. */
    private interface Body {
        void write(Appendable out) throws IOException;
    }

    private static String collect(Body body) {
        StringBuilder sb = new StringBuilder();
        try {
            body.write(sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    private interface Sink {
        void accept(String s, Appendable out) throws IOException;
    }

    private interface TableSink {
        void accept(Table t, Appendable out) throws IOException;
    }

    /** Config lines above each table, where they change; a blank line between tables. */
    private static void header(List<Table> tables, Appendable out, Sink line, TableSink body) throws IOException {
        Map<String, String> prev = null;
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            if (i > 0) {
                line.accept("", out);
            }
            for (Map.Entry<String, String> e : t.config().entrySet()) {
                if ((prev == null || !e.getValue().equals(prev.get(e.getKey()))) && !e.getValue().isEmpty()) {
                    line.accept(e.getKey() + ": " + e.getValue(), out);
                }
            }
            prev = t.config();
            body.accept(t, out);
        }
    }

    /** Footnotes in the order their marks first appear. */
    private static final class Notes {
        private final List<String> notes = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();

        String marks(List<String> msgs) {
            if (msgs.isEmpty()) {
                return "";
            }
            StringBuilder marks = new StringBuilder();
            for (String m : msgs) {
                Integer i = index.get(m);
                if (i == null) {
                    i = notes.size();
                    index.put(m, i);
                    notes.add(m);
                }
                marks.append(marks.isEmpty() ? "" : " ").append(superscript(i + 1));
            }
            return marks.toString();
        }
    }

    private static void text(Table t, Appendable out) throws IOException {
        Notes[] notes = new Notes[1];
        TextTable.write(o -> {
            notes[0] = new Notes(); // the second pass finds the same notes in the same order
            cells(t, o, notes[0]);
        }, out);
        for (int i = 0; i < notes[0].notes.size(); i++) {
            out.append(superscript(i + 1)).append(' ').append(notes[0].notes.get(i)).append('\n');
        }
    }

    private static void cells(Table t, TextTable o, Notes notes) {
        final int centerCols = 3;
        final int deltaCols = 3;
        java.util.function.IntUnaryOperator start = exp -> exp == 0 ? 1 : 1 + centerCols + (exp - 1) * (centerCols + deltaCols);
        int nCols = t.cols().size();
        int rEdge = start.applyAsInt(nCols + 1);
        o.row();
        for (int i = 0; i < nCols; i++) {
            int l = start.applyAsInt(i);
            int r = start.applyAsInt(i + 1);
            o.col(l).span(r - l, t.cols().get(i), TextTable.Align.CENTER, " │ ");
        }
        o.col(rEdge).cell("", TextTable.Align.LEFT, " │");
        o.row();
        for (int i = 0; i < nCols; i++) {
            int l = start.applyAsInt(i);
            o.col(l);
            o.span(centerCols, t.unit(), TextTable.Align.CENTER, " │ ");
            if (i > 0) {
                o.span(deltaCols, "vs base", TextTable.Align.LEFT, "  ");
            }
            for (int j = l + 1; j < o.curCol(); j++) {
                o.setShrink(j);
            }
        }
        o.col(rEdge).cell("", TextTable.Align.LEFT, " │");
        boolean bin = binary(t);
        List<String> w = new ArrayList<>();
        for (int ri = 0; ri < t.rows().size(); ri++) {
            Cell[] row = t.row(ri);
            o.row();
            o.cell(t.rows().get(ri));
            Scaler sc = scaler(row, bin);
            for (int exp = 0; exp < nCols; exp++) {
                Cell c = row[exp];
                if (c == null) {
                    continue;
                }
                o.col(start.applyAsInt(exp));
                o.cell(sc.format(c.summary().center()), TextTable.Align.RIGHT, null);
                o.cell(c.summary().pctRange(), TextTable.Align.RIGHT, " ± ");
                w.clear();
                w.addAll(c.sampleWarnings());
                w.addAll(c.summary().warnings());
                o.cell(notes.marks(w));
                if (exp > 0 && c.comparison() != null) {
                    o.cell(c.comparison().delta(c.baselineCenter(), c.summary().center()), TextTable.Align.RIGHT, null);
                    o.cell("(" + c.comparison().pn() + ")");
                    o.cell(notes.marks(c.comparison().warnings()));
                }
            }
        }
        if (t.rows().size() > 1) {
            o.row();
            o.cell("geomean");
            for (int exp = 0; exp < nCols; exp++) {
                ColumnSummary s = t.summaries().get(t.cols().get(exp));
                if (s.geomean() != null) {
                    o.col(start.applyAsInt(exp));
                    o.cell(scale(s.geomean(), bin), TextTable.Align.RIGHT, null);
                }
                if (exp > 0) {
                    o.col(start.applyAsInt(exp) + centerCols);
                    if (s.ratio() != null) {
                        o.cell(BenchStats.signedPct((s.ratio() - 1) * 100), TextTable.Align.RIGHT, null);
                    } else {
                        o.cell("?");
                    }
                }
                o.col(start.applyAsInt(exp + 1) - 1);
                o.cell(notes.marks(s.warnings()));
            }
        }
    }

    /** The row's scale: from the smallest center of its cells. */
    private static Scaler scaler(Cell[] row, boolean binary) {
        List<Double> centers = new ArrayList<>(row.length);
        for (Cell c : row) {
            if (c != null) {
                centers.add(c.summary().center());
            }
        }
        return scaler(centers, binary);
    }

    /** Footnote marks 0 to 99, made once: every cell of a large table has one. */
    private static final String[] SUPERSCRIPTS = new String[100];

    static {
        for (int i = 0; i < SUPERSCRIPTS.length; i++) {
            SUPERSCRIPTS[i] = superscriptOf(i);
        }
    }

    private static String superscript(int i) {
        return i >= 0 && i < SUPERSCRIPTS.length ? SUPERSCRIPTS[i] : superscriptOf(i);
    }

    private static String superscriptOf(int i) {
        String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        StringBuilder sb = new StringBuilder();
        for (char c : String.valueOf(i).toCharArray()) {
            sb.append(digits.charAt(c - '0'));
        }
        return sb.toString();
    }

    // ---- CSV ----

    /** benchstat's CSV; the warnings it writes to stderr (with the cell's spreadsheet name) go to warnings. */
    public static String csv(List<Table> tables, List<String> warnings) {
        return collect(out -> csv(tables, warnings, out));
    }

    /** benchstat's CSV, written as it goes; its warnings go to warnings. */
    public static void csv(List<Table> tables, List<String> warnings, Appendable out) throws IOException {
        int[] rowNo = {1};
        header(tables, out, (line, o) -> {
            csvRow(o, List.of(line));
            rowNo[0]++;
        }, (t, o) -> rowNo[0] += csv(t, o, rowNo[0], warnings));
    }

    private static int csv(Table t, Appendable out, int startRow, List<String> warnings) throws IOException {
        java.util.function.IntUnaryOperator start = exp -> exp == 0 ? 1 : 1 + 2 + (exp - 1) * 4;
        int nCols = t.cols().size();
        int count = 0;
        List<String> row = new ArrayList<>();
        row.add("");
        for (int exp = 0; exp < nCols; exp++) {
            pad(row, start.applyAsInt(exp));
            row.add(t.cols().get(exp));
        }
        pad(row, start.applyAsInt(nCols));
        csvRow(out, row);
        count++;
        row.clear();
        for (int exp = 0; exp < nCols; exp++) {
            pad(row, start.applyAsInt(exp));
            row.add(t.unit());
            row.add("CI");
            if (exp > 0) {
                row.add("vs base");
                row.add("P");
            }
        }
        csvRow(out, row);
        count++;
        for (int ri = 0; ri < t.rows().size(); ri++) {
            Cell[] cells = t.row(ri);
            row.clear();
            row.add(t.rows().get(ri));
            for (int exp = 0; exp < nCols; exp++) {
                Cell c = cells[exp];
                if (c == null) {
                    continue;
                }
                pad(row, start.applyAsInt(exp));
                List<String> w = new ArrayList<>(c.sampleWarnings());
                w.addAll(c.summary().warnings());
                for (String m : w) {
                    warnings.add(colName(row.size()) + (startRow + count) + ": " + m);
                }
                row.add(BenchStats.goFloat(c.summary().center()));
                row.add(c.summary().pctRange());
                if (exp > 0 && c.comparison() != null) {
                    for (String m : c.comparison().warnings()) {
                        warnings.add(colName(row.size()) + (startRow + count) + ": " + m);
                    }
                    row.add(c.comparison().delta(c.baselineCenter(), c.summary().center()));
                    row.add(c.comparison().pn());
                }
            }
            csvRow(out, row);
            count++;
        }
        row.clear();
        row.add("geomean");
        for (int exp = 0; exp < nCols; exp++) {
            ColumnSummary s = t.summaries().get(t.cols().get(exp));
            pad(row, start.applyAsInt(exp));
            for (String m : s.warnings()) {
                warnings.add(colName(row.size()) + (startRow + count) + ": " + m);
            }
            if (s.geomean() != null) {
                row.add(BenchStats.goFloat(s.geomean()));
            }
            if (exp > 0) {
                pad(row, start.applyAsInt(exp) + 2);
                row.add(s.ratio() != null ? BenchStats.signedPct((s.ratio() - 1) * 100) : "?");
            }
        }
        pad(row, start.applyAsInt(nCols));
        csvRow(out, row);
        count++;
        return count;
    }

    private static String colName(int x) {
        StringBuilder sb = new StringBuilder();
        for (; x > 0; x /= 26) {
            sb.insert(0, (char) ('A' + x % 26));
        }
        return sb.isEmpty() ? "A" : sb.toString();
    }

    private static void pad(List<String> row, int n) {
        while (row.size() < n) {
            row.add("");
        }
    }

    private static void csvRow(Appendable out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String f = fields.get(i);
            if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")
                    || !f.isEmpty() && (f.charAt(0) == ' ' || f.charAt(0) == '\t')) {
                out.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                out.append(f);
            }
        }
        out.append('\n');
    }

    // ---- markdown ----

    /** One markdown table per benchstat table, the same cells, notes as a list below. */
    public static String markdown(List<Table> tables) {
        return collect(out -> markdown(tables, out));
    }

    /** The markdown tables, written as they go. */
    public static void markdown(List<Table> tables, Appendable sb) throws IOException {
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            if (i > 0) {
                sb.append('\n');
            }
            List<String> cfg = new ArrayList<>();
            t.config().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    cfg.add("`" + k + ": " + v + "`");
                }
            });
            if (!cfg.isEmpty()) {
                sb.append(String.join(" ", cfg)).append("\n\n");
            }
            Notes notes = new Notes();
            sb.append("| ").append(md(t.unit()));
            for (int exp = 0; exp < t.cols().size(); exp++) {
                sb.append(" | ").append(md(t.cols().get(exp)));
                if (exp > 0) {
                    sb.append(" | vs base");
                }
            }
            sb.append(" |\n|---");
            for (int exp = 0; exp < t.cols().size(); exp++) {
                sb.append(exp > 0 ? "|---:|---:" : "|---:");
            }
            sb.append("|\n");
            boolean bin = binary(t);
            for (int ri = 0; ri < t.rows().size(); ri++) {
                Cell[] cells = t.row(ri);
                Scaler sc = scaler(cells, bin);
                sb.append("| ").append(md(t.rows().get(ri)));
                for (int exp = 0; exp < t.cols().size(); exp++) {
                    Cell c = cells[exp];
                    sb.append(" | ");
                    if (c != null) {
                        sb.append(sc.format(c.summary().center())).append(" ± ").append(c.summary().pctRange());
                        List<String> w = new ArrayList<>(c.sampleWarnings());
                        w.addAll(c.summary().warnings());
                        sb.append(marks(w, notes));
                    }
                    if (exp > 0) {
                        sb.append(" | ");
                        if (c != null && c.comparison() != null) {
                            sb.append(c.comparison().delta(c.baselineCenter(), c.summary().center()))
                                    .append(" (").append(c.comparison().pn()).append(')')
                                    .append(marks(c.comparison().warnings(), notes));
                        }
                    }
                }
                sb.append(" |\n");
            }
            if (t.rows().size() > 1) {
                sb.append("| geomean");
                for (int exp = 0; exp < t.cols().size(); exp++) {
                    ColumnSummary s = t.summaries().get(t.cols().get(exp));
                    sb.append(" | ").append(s.geomean() != null ? scale(s.geomean(), bin) : "");
                    if (exp > 0) {
                        sb.append(" | ").append(s.ratio() != null ? BenchStats.signedPct((s.ratio() - 1) * 100) : "?");
                    }
                    sb.append(marks(s.warnings(), notes));
                }
                sb.append(" |\n");
            }
            if (!notes.notes.isEmpty()) {
                sb.append('\n');
                for (int k = 0; k < notes.notes.size(); k++) {
                    sb.append(superscript(k + 1)).append(' ').append(md(notes.notes.get(k))).append("  \n");
                }
            }
        }
    }

    /** Markdown's marks: each after a space. */
    private static String marks(List<String> msgs, Notes notes) {
        String m = notes.marks(msgs);
        return m.isEmpty() ? m : " " + m;
    }

    private static String md(String s) {
        return s.replace("|", "\\|");
    }

    // ---- JSON ----

    /** The tables as JSON (see docs/json.md, "godiag bench"). */
    public static String json(List<Table> tables) {
        return Json.write(g -> json(tables, g));
    }

    /** The tables as JSON, written as they go. */
    public static void json(List<Table> tables, java.io.Writer out) throws IOException {
        Json.write(out, g -> json(tables, g));
    }

    private static void json(List<Table> tables, com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("tables");
        for (Table t : tables) {
            g.writeStartObject();
            g.writeObjectFieldStart("config");
            for (Map.Entry<String, String> e : t.config().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeStringField("unit", t.unit());
            g.writeArrayFieldStart("columns");
            for (String c : t.cols()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (int ri = 0; ri < t.rows().size(); ri++) {
                Cell[] cells = t.row(ri);
                g.writeStartObject();
                g.writeStringField("name", t.rows().get(ri));
                g.writeArrayFieldStart("cells");
                for (int ci = 0; ci < t.cols().size(); ci++) {
                    String col = t.cols().get(ci);
                    Cell c = cells[ci];
                    if (c == null) {
                        g.writeNull();
                        continue;
                    }
                    g.writeStartObject();
                    g.writeStringField("column", col);
                    g.writeNumberField("n", c.n());
                    number(g, "center", c.summary().center());
                    number(g, "low", c.summary().lo());
                    number(g, "high", c.summary().hi());
                    g.writeStringField("range", c.summary().pctRange());
                    if (c.comparison() != null) {
                        g.writeObjectFieldStart("vsBase");
                        g.writeStringField("delta", c.comparison().delta(c.baselineCenter(), c.summary().center()));
                        number(g, "p", c.comparison().p());
                        g.writeNumberField("n1", c.comparison().n1());
                        g.writeNumberField("n2", c.comparison().n2());
                        g.writeBooleanField("significant", c.comparison().significant());
                        strings(g, "warnings", c.comparison().warnings());
                        g.writeEndObject();
                    }
                    List<String> w = new ArrayList<>(c.sampleWarnings());
                    w.addAll(c.summary().warnings());
                    strings(g, "warnings", w);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("geomean");
            for (String col : t.cols()) {
                ColumnSummary s = t.summaries().get(col);
                g.writeStartObject();
                g.writeStringField("column", col);
                if (s.geomean() != null) {
                    number(g, "value", s.geomean());
                } else {
                    g.writeNullField("value");
                }
                if (s.ratio() != null) {
                    number(g, "ratio", s.ratio());
                } else {
                    g.writeNullField("ratio");
                }
                strings(g, "warnings", s.warnings());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void number(com.fasterxml.jackson.core.JsonGenerator g, String name, double v) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    private static void strings(com.fasterxml.jackson.core.JsonGenerator g, String name, List<String> xs)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : xs) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
