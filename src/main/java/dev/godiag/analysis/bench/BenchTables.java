package dev.godiag.analysis.bench;

import dev.godiag.util.BadInputException;
import dev.godiag.model.BenchFile;
import dev.godiag.model.BenchResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * benchstat's tables: results split into tables (by configuration and unit), rows (default: the
 * full benchmark name) and columns (default: the file), each cell summarized (median and interval,
 * or the mode under {@code Unit U assume=exact}) and compared with the first column, and a geomean
 * row per column. Keys sort in the order their values were first seen, as benchproc sorts them.
 *
 * <p>Projection fields: {@code .file}, {@code .name} (base name), {@code .fullname}, {@code /KEY}
 * (a sub-benchmark part KEY=VALUE; {@code /gomaxprocs} is the -procs suffix), a configuration key,
 * {@code .config} (every configuration key not used elsewhere).
 */
public final class BenchTables {
    /** One cell: the values, their summary, and the comparison with the baseline column's cell. */
    public record Cell(double[] values, BenchStats.Summary summary, BenchStats.Comparison comparison,
                       Double baselineCenter, List<String> sampleWarnings) {
    }

    /** The geomean of a column, and of its ratios to the baseline (null when not computable). */
    public record ColumnSummary(Double geomean, Double ratio, List<String> warnings) {
    }

    /**
     * One table.
     *
     * @param config the table's configuration key=value pairs (in key order), printed above it
     * @param unit   the tidied unit
     */
    public record Table(Map<String, String> config, String unit, List<String> rows, List<String> cols,
                        Map<String, Map<String, Cell>> cells, Map<String, ColumnSummary> summaries,
                        List<String> colFields) {
        public Cell cell(String row, String col) {
            Map<String, Cell> r = cells.get(row);
            return r == null ? null : r.get(col);
        }
    }

    /** Options: projections (space- or comma-separated fields), ignored keys, filter, statistics. */
    public record Options(String row, String col, String ignore, String filter, double confidence, double alpha) {
        public static Options defaults() {
            return new Options(".fullname", ".file", "", "*", BenchStats.DEFAULT_CONFIDENCE, BenchStats.DEFAULT_ALPHA);
        }
    }

    private BenchTables() {
    }

    public static List<Table> build(List<BenchFile> files, Options o) {
        List<String> rowBy = fields(o.row());
        List<String> colBy = fields(o.col());
        Set<String> used = new LinkedHashSet<>(rowBy);
        used.addAll(colBy);
        used.addAll(fields(o.ignore()));
        BenchFilter filter = BenchFilter.parse(o.filter());
        Map<String, Map<String, String>> units = new HashMap<>();
        List<String> configKeys = new ArrayList<>();
        for (BenchFile f : files) {
            f.units().forEach((u, m) -> units.computeIfAbsent(u, k -> new HashMap<>()).putAll(m));
        }
        Order order = new Order();
        // table key -> builder
        Map<List<String>, TableBuilder> tables = new LinkedHashMap<>();
        for (BenchFile f : files) {
            for (BenchResult r : f.results()) {
                if (!filter.matches(r)) {
                    continue;
                }
                for (String k : r.config().keySet()) {
                    if (!configKeys.contains(k) && !used.contains(k)) {
                        configKeys.add(k);
                    }
                }
            }
        }
        for (BenchFile f : files) {
            for (BenchResult r : f.results()) {
                if (!filter.matches(r)) {
                    continue;
                }
                List<String> cfg = new ArrayList<>();
                for (String k : configKeys) {
                    cfg.add(r.config().getOrDefault(k, ""));
                }
                String rowKey = project(r, rowBy, used, order, "row");
                String colKey = project(r, colBy, used, order, "col");
                String residue = residue(r, used, configKeys);
                for (Map.Entry<String, Double> v : r.values().entrySet()) {
                    List<String> tk = new ArrayList<>(cfg);
                    tk.add(v.getKey());
                    for (int i = 0; i < tk.size(); i++) {
                        order.see("table" + i, tk.get(i));
                    }
                    TableBuilder tb = tables.computeIfAbsent(tk, k -> new TableBuilder());
                    tb.add(rowKey, colKey, v.getValue(), residue);
                }
            }
        }
        List<List<String>> keys = new ArrayList<>(tables.keySet());
        keys.sort((a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int c = Integer.compare(order.index("table" + i, a.get(i)), order.index("table" + i, b.get(i)));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        List<Table> out = new ArrayList<>();
        for (List<String> k : keys) {
            Map<String, String> cfg = new LinkedHashMap<>();
            for (int i = 0; i < configKeys.size(); i++) {
                cfg.put(configKeys.get(i), k.get(i));
            }
            String unit = k.get(k.size() - 1);
            boolean exact = "exact".equals(units.getOrDefault(unit, Map.of()).get("assume"));
            out.add(tables.get(k).finish(cfg, unit, exact, order, o, colBy));
        }
        return out;
    }

    private static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        for (String f : s.split("[\\s,]+")) {
            if (!f.isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    /** The value of one field of a result ("" when absent). */
    static String field(BenchResult r, String f, Set<String> used) {
        switch (f) {
            case ".file":
                return r.file();
            case ".name":
                return r.name();
            case ".fullname":
                return fullnameResidue(r, used);
            case ".config":
                throw new BadInputException(".config can only be used in the table projection");
            case ".unit":
                throw new BadInputException(".unit cannot be used in -row or -col");
            default:
                break;
        }
        if (f.startsWith("/")) {
            return part(r, f.substring(1));
        }
        if (f.startsWith(".")) {
            throw new BadInputException("unknown field '" + f + "' (.file, .name, .fullname, /KEY or a"
                    + " configuration key)");
        }
        return r.config().getOrDefault(f, "");
    }

    /** The value of sub-benchmark part KEY=VALUE, or of the -procs suffix for "gomaxprocs". */
    static String part(BenchResult r, String key) {
        if (key.equals("gomaxprocs")) {
            return r.procs() > 0 ? String.valueOf(r.procs()) : "";
        }
        for (String p : r.parts()) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(1, eq).equals(key)) {
                return p.substring(eq + 1);
            }
        }
        return "";
    }

    /** The full name less the parts other projections extract (benchproc's .fullname). */
    static String fullnameResidue(BenchResult r, Set<String> used) {
        StringBuilder sb = new StringBuilder();
        if (!used.contains(".name")) {
            sb.append(r.name());
        }
        for (String p : r.parts()) {
            int eq = p.indexOf('=');
            if (eq > 0 && used.contains("/" + p.substring(1, eq))) {
                continue;
            }
            sb.append(p);
        }
        if (r.procs() > 0 && !used.contains("/gomaxprocs")) {
            int dash = r.fullName().lastIndexOf('-');
            sb.append(r.fullName().substring(dash));
        }
        return sb.toString();
    }

    private static String project(BenchResult r, List<String> by, Set<String> used, Order order, String what) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < by.size(); i++) {
            String v = field(r, by.get(i), used);
            order.see(what + i, v);
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(v);
        }
        order.see(what, sb.toString());
        return sb.toString();
    }

    /** What distinguishes results beyond the projections: the .fullname residue and unused config. */
    private static String residue(BenchResult r, Set<String> used, List<String> configKeys) {
        StringBuilder sb = new StringBuilder();
        if (!used.contains(".fullname")) {
            sb.append(".fullname\u0000").append(fullnameResidue(r, used)).append('\u0001');
        }
        for (Map.Entry<String, String> e : r.config().entrySet()) {
            if (!used.contains(e.getKey()) && !configKeys.contains(e.getKey())) {
                sb.append(e.getKey()).append('\u0000').append(e.getValue()).append('\u0001');
            }
        }
        return sb.toString();
    }

    /** First-seen order of values, per field. */
    private static final class Order {
        private final Map<String, Map<String, Integer>> seen = new HashMap<>();

        void see(String field, String value) {
            Map<String, Integer> m = seen.computeIfAbsent(field, k -> new HashMap<>());
            m.putIfAbsent(value, m.size());
        }

        int index(String field, String value) {
            return seen.get(field).get(value);
        }
    }

    private static final class TableBuilder {
        private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        private final Map<String, Map<String, Set<String>>> residues = new HashMap<>();
        private final Set<String> rows = new LinkedHashSet<>();
        private final Set<String> cols = new LinkedHashSet<>();

        void add(String row, String col, double v, String residue) {
            values.computeIfAbsent(row, k -> new LinkedHashMap<>()).computeIfAbsent(col, k -> new ArrayList<>()).add(v);
            residues.computeIfAbsent(row, k -> new HashMap<>()).computeIfAbsent(col, k -> new LinkedHashSet<>())
                    .add(residue);
            rows.add(row);
            cols.add(col);
        }

        Table finish(Map<String, String> cfg, String unit, boolean exact, Order order, Options o, List<String> colBy) {
            List<String> rowList = sorted(rows, order, "row");
            List<String> colList = sorted(cols, order, "col");
            String base = colList.get(0);
            Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();
            Map<String, Map<String, BenchStats.Summary>> sums = new HashMap<>();
            Map<String, Map<String, double[]>> samples = new HashMap<>();
            for (String row : rowList) {
                for (Map.Entry<String, List<Double>> e : values.get(row).entrySet()) {
                    double[] xs = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                    Arrays.sort(xs);
                    samples.computeIfAbsent(row, k -> new HashMap<>()).put(e.getKey(), xs);
                    sums.computeIfAbsent(row, k -> new HashMap<>()).put(e.getKey(),
                            exact ? BenchStats.exact(xs) : BenchStats.median(xs, o.confidence()));
                }
            }
            for (String row : rowList) {
                Map<String, Cell> rc = new LinkedHashMap<>();
                for (String col : colList) {
                    double[] xs = samples.get(row).get(col);
                    if (xs == null) {
                        continue;
                    }
                    BenchStats.Summary s = sums.get(row).get(col);
                    BenchStats.Comparison cmp = null;
                    Double baseCenter = null;
                    double[] bx = samples.get(row).get(base);
                    if (!col.equals(base) && bx != null) {
                        cmp = exact ? new BenchStats.Comparison(0, bx.length, xs.length, o.alpha(), List.of())
                                : BenchStats.compare(bx, xs, o.alpha());
                        baseCenter = sums.get(row).get(base).center();
                    }
                    List<String> sw = new ArrayList<>();
                    Set<String> res = residues.get(row).get(col);
                    if (res.size() > 1) {
                        sw.add("benchmarks vary in " + varying(res));
                    }
                    rc.put(col, new Cell(xs, s, cmp, baseCenter, sw));
                }
                cells.put(row, rc);
            }
            int nBase = 0;
            for (String row : rowList) {
                if (cells.get(row).containsKey(base)) {
                    nBase++;
                }
            }
            Map<String, ColumnSummary> summaries = new LinkedHashMap<>();
            for (String col : colList) {
                boolean isBase = col.equals(base);
                List<Double> centers = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                boolean badRatio = false;
                for (String row : rowList) {
                    Cell c = cells.get(row).get(col);
                    if (c == null) {
                        continue;
                    }
                    centers.add(c.summary().center());
                    if (c.baselineCenter() != null) {
                        double a = c.summary().center();
                        double b = c.baselineCenter();
                        if (a == b) {
                            ratios.add(1.0);
                        } else if (b == 0) {
                            badRatio = true;
                            ratios.add(0.0);
                        } else {
                            ratios.add(a / b);
                        }
                    }
                }
                List<String> w = new ArrayList<>();
                if (!isBase && nBase != ratios.size()) {
                    w.add("benchmark set differs from baseline; geomeans may not be comparable");
                }
                double gm = BenchStats.geomean(centers);
                Double geomean = null;
                if (Double.isNaN(gm)) {
                    w.add("summaries must be >0 to compute geomean");
                } else {
                    geomean = gm;
                }
                Double ratio = null;
                if (!isBase && !badRatio) {
                    double rg = BenchStats.geomean(ratios);
                    if (Double.isNaN(rg)) {
                        w.add("ratios must be >0 to compute geomean");
                    } else {
                        ratio = rg;
                    }
                }
                summaries.put(col, new ColumnSummary(geomean, ratio, w));
            }
            return new Table(cfg, unit, rowList, colList, cells, summaries, colBy);
        }

        private static String varying(Set<String> residues) {
            // the fields whose values differ among the residues
            Map<String, Set<String>> vals = new LinkedHashMap<>();
            for (String r : residues) {
                for (String kv : r.split("\u0001")) {
                    if (kv.isEmpty()) {
                        continue;
                    }
                    String[] p = kv.split("\u0000", 2);
                    vals.computeIfAbsent(p[0], k -> new LinkedHashSet<>()).add(p.length > 1 ? p[1] : "");
                }
            }
            List<String> out = new ArrayList<>();
            vals.forEach((k, v) -> {
                if (v.size() > 1) {
                    out.add(k);
                }
            });
            return String.join(", ", out);
        }

        private static List<String> sorted(Set<String> keys, Order order, String what) {
            List<String> out = new ArrayList<>(keys);
            out.sort(java.util.Comparator.comparingInt(k -> order.index(what, k)));
            return out;
        }
    }

    /**
     * benchstat's -filter, the cheap part of its syntax: space-separated terms, all of which must
     * match; a term is {@code KEY:VALUE} (exact) or {@code KEY:/REGEX/} with KEY one of .name,
     * .fullname, .file, /PART or a configuration key; {@code -TERM} negates; {@code *} matches all; a bare
     * term is a regular expression searched in the full name.
     */
    public record BenchFilter(List<Term> terms) {
        record Term(String key, String literal, Pattern regex, boolean negate) {
        }

        public static BenchFilter parse(String s) {
            List<Term> terms = new ArrayList<>();
            for (String t : s.trim().split("\\s+")) {
                if (t.isEmpty() || t.equals("*")) {
                    continue;
                }
                boolean neg = t.startsWith("-");
                if (neg) {
                    t = t.substring(1);
                }
                int colon = t.indexOf(':');
                String key = colon > 0 ? t.substring(0, colon) : ".fullname";
                String val = colon > 0 ? t.substring(colon + 1) : "/" + t + "/";
                if (key.equals(".unit")) {
                    throw new BadInputException("-filter: .unit terms are not supported");
                }
                Pattern re = null;
                String lit = val;
                if (val.length() >= 2 && val.startsWith("/") && val.endsWith("/")) {
                    try {
                        re = Pattern.compile(val.substring(1, val.length() - 1));
                    } catch (PatternSyntaxException e) {
                        throw new BadInputException("-filter: bad regular expression '" + val + "': "
                                + e.getDescription());
                    }
                    lit = null;
                }
                terms.add(new Term(key, lit, re, neg));
            }
            return new BenchFilter(List.copyOf(terms));
        }

        public boolean matches(BenchResult r) {
            for (Term t : terms) {
                String v = t.key().equals(".fullname") ? r.fullName() : field(r, t.key(), Set.of());
                boolean m = t.regex() != null ? t.regex().matcher(v).find() : v.equals(t.literal());
                if (m == t.negate()) {
                    return false;
                }
            }
            return true;
        }
    }
}
