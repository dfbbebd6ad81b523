package dev.godiag.analysis.bench;

import dev.godiag.util.BadInputException;
import dev.godiag.model.BenchFile;
import dev.godiag.model.BenchResult;
import dev.godiag.model.BenchValues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
    /**
     * One cell: its number of values, their summary, and the comparison with the baseline column's
     * cell (null in the baseline column or where the baseline has no values for the row).
     */
    public record Cell(int n, BenchStats.Summary summary, BenchStats.Comparison comparison,
                       Double baselineCenter, List<String> sampleWarnings) {
    }

    /** The geomean of a column, and of its ratios to the baseline (null when not computable). */
    public record ColumnSummary(Double geomean, Double ratio, List<String> warnings) {
    }

    /**
     * One table. Its cells are held by column in primitive arrays (a table of a million rows is a
     * few dozen arrays, not millions of objects) and made as {@link Cell}s when asked for.
     */
    public static final class Table {
        private final Map<String, String> config;
        private final String unit;
        private final List<String> rows;
        private final List<String> cols;
        private final Column[] columns;
        private final List<List<String>> warningLists;
        private final double alpha;
        private final Map<String, ColumnSummary> summaries;
        private final List<String> colFields;

        Table(Map<String, String> config, String unit, List<String> rows, List<String> cols, Column[] columns,
              List<List<String>> warningLists, double alpha, Map<String, ColumnSummary> summaries,
              List<String> colFields) {
            this.config = config;
            this.unit = unit;
            this.rows = rows;
            this.cols = cols;
            this.columns = columns;
            this.warningLists = warningLists;
            this.alpha = alpha;
            this.summaries = summaries;
            this.colFields = colFields;
        }

        /** The table's configuration key=value pairs (in key order), printed above it. */
        public Map<String, String> config() {
            return config;
        }

        /** The tidied unit. */
        public String unit() {
            return unit;
        }

        public List<String> rows() {
            return rows;
        }

        public List<String> cols() {
            return cols;
        }

        public Map<String, ColumnSummary> summaries() {
            return summaries;
        }

        public List<String> colFields() {
            return colFields;
        }

        /** The cell at a row and column position, or null where that column has no values for the row. */
        public Cell cell(int row, int col) {
            Column c = columns[col];
            if (c.n[row] == 0) {
                return null;
            }
            BenchStats.Summary s = new BenchStats.Summary(c.center[row], c.lo[row], c.hi[row],
                    warningLists.get(c.summaryWarnings[row]));
            Column base = columns[0];
            BenchStats.Comparison cmp = null;
            Double baseCenter = null;
            if (col > 0 && base.n[row] > 0) {
                cmp = new BenchStats.Comparison(c.p[row], base.n[row], c.n[row], alpha,
                        warningLists.get(c.comparisonWarnings[row]));
                baseCenter = base.center[row];
            }
            return new Cell(c.n[row], s, cmp, baseCenter, warningLists.get(c.sampleWarnings[row]));
        }

        /** The cells of a row by column position (null where none). */
        public Cell[] row(int row) {
            Cell[] out = new Cell[columns.length];
            for (int c = 0; c < out.length; c++) {
                out[c] = cell(row, c);
            }
            return out;
        }
    }

    /** One column's cells, by row: n 0 where the column has no values for the row. */
    private static final class Column {
        final int[] n;
        final double[] center;
        final double[] lo;
        final double[] hi;
        final double[] p;
        final int[] summaryWarnings;
        final int[] comparisonWarnings;
        final int[] sampleWarnings;

        Column(int rows) {
            n = new int[rows];
            center = new double[rows];
            lo = new double[rows];
            hi = new double[rows];
            p = new double[rows];
            summaryWarnings = new int[rows];
            comparisonWarnings = new int[rows];
            sampleWarnings = new int[rows];
        }
    }

    /** The distinct warning lists of a table, each kept once and named by its index (0: none). */
    private static final class WarningLists {
        final List<List<String>> lists = new ArrayList<>(List.of(List.of()));
        private final Map<List<String>, Integer> index = new HashMap<>(Map.of(List.of(), 0));

        int of(List<String> warnings) {
            Integer i = index.get(warnings);
            if (i == null) {
                i = lists.size();
                List<String> copy = List.copyOf(warnings);
                lists.add(copy);
                index.put(copy, i);
            }
            return i;
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
        return collect(files, o).summarize();
    }

    /**
     * Results sorted into tables and not yet summarized: the caller can let the files go before
     * the statistics are computed (a million results are more memory than their tables).
     */
    public interface Collected {
        List<Table> summarize();
    }

    public static Collected collect(List<BenchFile> files, Options o) {
        List<String> rowBy = fields(o.row());
        List<String> colBy = fields(o.col());
        Set<String> used = new LinkedHashSet<>(rowBy);
        used.addAll(colBy);
        used.addAll(fields(o.ignore()));
        BenchFilter filter = BenchFilter.parse(o.filter());
        Map<String, Map<String, String>> units = new HashMap<>();
        for (BenchFile f : files) {
            f.units().forEach((u, m) -> units.computeIfAbsent(u, k -> new HashMap<>()).putAll(m));
        }
        // configuration keys in first-seen order (results mostly share one configuration map)
        List<String> configKeys = new ArrayList<>();
        Set<String> configKeySet = new HashSet<>();
        Map<String, String> lastConfig = null;
        for (BenchFile f : files) {
            for (BenchResult r : f.results()) {
                if (r.config() == lastConfig || !filter.matches(r)) {
                    continue;
                }
                lastConfig = r.config();
                for (String k : r.config().keySet()) {
                    if (!used.contains(k) && configKeySet.add(k)) {
                        configKeys.add(k);
                    }
                }
            }
        }
        Order order = new Order();
        Projection rows = new Projection(rowBy, "row");
        Projection cols = new Projection(colBy, "col");
        // table key (configuration values, unit) -> builder, in first-seen order
        Map<List<String>, TableBuilder> tables = new LinkedHashMap<>();
        // per configuration map: its table key prefix, its tables by unit, and its part of the residue
        Map<Map<String, String>, ConfigTables> byConfig = new IdentityHashMap<>();
        Map<List<String>, Map<String, TableBuilder>> byPrefix = new HashMap<>();
        for (BenchFile f : files) {
            for (BenchResult r : f.results()) {
                if (!filter.matches(r)) {
                    continue;
                }
                ConfigTables ct = byConfig.computeIfAbsent(r.config(), c -> {
                    List<String> cfg = new ArrayList<>();
                    for (String k : configKeys) {
                        cfg.add(c.getOrDefault(k, ""));
                    }
                    return new ConfigTables(cfg, byPrefix.computeIfAbsent(cfg, k -> new HashMap<>()),
                            configResidue(c, used, configKeySet));
                });
                String rowKey = rows.project(r, used, order);
                String colKey = cols.project(r, used, order);
                String residue = used.contains(".fullname") ? ct.residue()
                        : ".fullname\u0000" + fullnameResidue(r, used) + '\u0001' + ct.residue();
                BenchValues values = r.values();
                for (int vi = 0; vi < values.size(); vi++) {
                    String unit = values.unit(vi);
                    TableBuilder tb = ct.byUnit().get(unit);
                    if (tb == null) {
                        List<String> tk = new ArrayList<>(ct.prefix());
                        tk.add(unit);
                        // a value is first seen in a table key when that key is first seen
                        for (int i = 0; i < tk.size(); i++) {
                            order.see(TABLE_FIELDS.name(i), tk.get(i));
                        }
                        tb = tables.computeIfAbsent(tk, k -> new TableBuilder());
                        ct.byUnit().put(unit, tb);
                    }
                    tb.add(rowKey, colKey, values.value(vi), residue);
                }
            }
        }
        List<List<String>> keys = new ArrayList<>(tables.keySet());
        keys.sort((a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int c = Integer.compare(order.index(TABLE_FIELDS.name(i), a.get(i)),
                        order.index(TABLE_FIELDS.name(i), b.get(i)));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        // tables are summarized side by side (the statistics of a million rows each), kept in order
        return () -> keys.parallelStream().map(k -> {
            Map<String, String> cfg = new LinkedHashMap<>();
            for (int i = 0; i < configKeys.size(); i++) {
                cfg.put(configKeys.get(i), k.get(i));
            }
            String unit = k.get(k.size() - 1);
            boolean exact = "exact".equals(units.getOrDefault(unit, Map.of()).get("assume"));
            return tables.get(k).finish(cfg, unit, exact, order, o, colBy);
        }).toList();
    }

    /** The tables of one configuration map: its key prefix, its builders by unit, its residue part. */
    private record ConfigTables(List<String> prefix, Map<String, TableBuilder> byUnit, String residue) {
    }

    /** Field names of the table key positions in {@link Order} ("table0", "table1"...), made once. */
    private static final FieldNames TABLE_FIELDS = new FieldNames("table");

    private static final class FieldNames {
        private final String prefix;
        private final List<String> names = new ArrayList<>();

        FieldNames(String prefix) {
            this.prefix = prefix;
        }

        synchronized String name(int i) {
            while (names.size() <= i) {
                names.add(prefix + names.size());
            }
            return names.get(i);
        }
    }

    /** A row or column projection: the fields whose values, joined by spaces, make the key. */
    private record Projection(List<String> by, String what) {
        String project(BenchResult r, Set<String> used, Order order) {
            String key;
            if (by.size() == 1) {
                key = field(r, by.get(0), used);
            } else {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < by.size(); i++) {
                    if (i > 0) {
                        sb.append(' ');
                    }
                    sb.append(field(r, by.get(i), used));
                }
                key = sb.toString();
            }
            order.see(what, key);
            return key;
        }
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

    private static boolean noPartFields(Set<String> used) {
        for (String f : used) {
            if (f.startsWith("/")) {
                return false;
            }
        }
        return true;
    }

    /** The full name less the parts other projections extract (benchproc's .fullname). */
    static String fullnameResidue(BenchResult r, Set<String> used) {
        if (r.procs() > 0 && !used.contains(".name") && !used.contains("/gomaxprocs") && noPartFields(used)) {
            return r.fullName(); // nothing taken out: the name as it was read, not a copy
        }
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

    /**
     * The configuration's part of what distinguishes results beyond the projections (the unused
     * configuration), the same for every result sharing the configuration; the .fullname residue
     * goes before it.
     */
    private static String configResidue(Map<String, String> config, Set<String> used, Set<String> configKeys) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : config.entrySet()) {
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

    /** The values of one cell as they come, and the residues seen among them. */
    private static final class CellValues {
        private double[] xs = new double[2];
        private int n;
        private String residue; // the first one
        private Set<String> residues; // from the second distinct one on, in order

        void add(double v, String r) {
            if (n == xs.length) {
                xs = Arrays.copyOf(xs, n * 2);
            }
            xs[n++] = v;
            if (residue == null) {
                residue = r;
            } else if (residues != null) {
                residues.add(r);
            } else if (!residue.equals(r)) {
                residues = new LinkedHashSet<>(List.of(residue, r));
            }
        }

        double[] sorted() {
            double[] s = Arrays.copyOf(xs, n);
            Arrays.sort(s);
            return s;
        }
    }

    private static final class TableBuilder {
        /** Row -> its cells by column index, rows in first-seen order. */
        private final Map<String, CellValues[]> rows = new LinkedHashMap<>();
        /** Column -> index, in first-seen order. */
        private final Map<String, Integer> cols = new LinkedHashMap<>();

        void add(String row, String col, double v, String residue) {
            Integer c = cols.get(col);
            if (c == null) {
                c = cols.size();
                cols.put(col, c);
            }
            CellValues[] cells = rows.get(row);
            if (cells == null || cells.length <= c) {
                cells = cells == null ? new CellValues[c + 1] : Arrays.copyOf(cells, c + 1);
                rows.put(row, cells);
            }
            if (cells[c] == null) {
                cells[c] = new CellValues();
            }
            cells[c].add(v, residue);
        }

        Table finish(Map<String, String> cfg, String unit, boolean exact, Order order, Options o, List<String> colBy) {
            List<String> rowList = sorted(rows.keySet(), order, "row");
            List<String> colList = sorted(cols.keySet(), order, "col");
            int[] colAt = new int[colList.size()]; // column position -> index in the rows' arrays
            for (int i = 0; i < colAt.length; i++) {
                colAt[i] = cols.get(colList.get(i));
            }
            int nRows = rowList.size();
            Column[] columns = new Column[colList.size()];
            for (int ci = 0; ci < columns.length; ci++) {
                columns[ci] = new Column(nRows);
            }
            WarningLists warnings = new WarningLists();
            int nBase = 0;
            for (int ri = 0; ri < nRows; ri++) {
                CellValues[] values = rows.get(rowList.get(ri));
                CellValues bv = colAt[0] < values.length ? values[colAt[0]] : null;
                double[] bx = bv == null ? null : bv.sorted();
                for (int ci = 0; ci < columns.length; ci++) {
                    CellValues cv = colAt[ci] < values.length ? values[colAt[ci]] : null;
                    if (cv == null) {
                        continue;
                    }
                    double[] xs = ci == 0 ? bx : cv.sorted();
                    BenchStats.Summary s = summary(xs, exact, o);
                    Column col = columns[ci];
                    col.n[ri] = xs.length;
                    col.center[ri] = s.center();
                    col.lo[ri] = s.lo();
                    col.hi[ri] = s.hi();
                    col.summaryWarnings[ri] = warnings.of(s.warnings());
                    if (ci > 0 && bx != null && !exact) {
                        BenchStats.Comparison cmp = BenchStats.compare(bx, xs, o.alpha());
                        col.p[ri] = cmp.p();
                        col.comparisonWarnings[ri] = warnings.of(cmp.warnings());
                    } // under assume=exact there is no test: p 0, no warnings
                    if (cv.residues != null) {
                        col.sampleWarnings[ri] = warnings.of(List.of("benchmarks vary in " + varying(cv.residues)));
                    }
                }
                if (bx != null) {
                    nBase++;
                }
                Arrays.fill(values, null); // the values are summarized now: the builder's copy can go
            }
            Map<String, ColumnSummary> summaries = new LinkedHashMap<>();
            Column base = columns[0];
            for (int ci = 0; ci < columns.length; ci++) {
                boolean isBase = ci == 0;
                Column col = columns[ci];
                List<Double> centers = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                boolean badRatio = false;
                for (int ri = 0; ri < nRows; ri++) {
                    if (col.n[ri] == 0) {
                        continue;
                    }
                    centers.add(col.center[ri]);
                    if (!isBase && base.n[ri] > 0) {
                        double a = col.center[ri];
                        double b = base.center[ri];
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
                summaries.put(colList.get(ci), new ColumnSummary(geomean, ratio, w));
            }
            return new Table(cfg, unit, rowList, colList, columns, warnings.lists, o.alpha(), summaries, colBy);
        }

        private static BenchStats.Summary summary(double[] sorted, boolean exact, Options o) {
            return exact ? BenchStats.exact(sorted) : BenchStats.median(sorted, o.confidence());
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
            // by first-seen index, looked up once per key
            String[] k = keys.toArray(String[]::new);
            long[] at = new long[k.length];
            for (int i = 0; i < k.length; i++) {
                at[i] = (long) order.index(what, k[i]) << 32 | i;
            }
            Arrays.sort(at);
            List<String> out = new ArrayList<>(k.length);
            for (long x : at) {
                out.add(k[(int) x]);
            }
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
