package dev.godiag.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named baselines over a {@link Database}: every save of a baseline is a new run holding the raw
 * input files (name, kind, bytes) and the metrics derived from them (name, unit, list of values), so
 * a gate reads numbers without re-parsing and the history of a baseline is its runs, newest first.
 * Every save and delete is one transaction: a failed save leaves the stored data as it was. Metric
 * rows are written 200 to a statement (a million metrics are 5000 round trips, not a million).
 * Stateless apart from the database, so one repository serves concurrent requests.
 */
public final class BaselineRepository {
    private static final int MAX_NAME = 200;
    /** Metric rows per INSERT: 1000 parameters, within every driver's limit; a round trip per 200 rows. */
    private static final int ROWS = 200;

    /** An input file to store: its name, kind ("bench", "metrics", "gctrace", "heap", "goroutines", "cpu"...) and bytes. */
    public record Input(String name, String kind, byte[] content) {
    }

    /** A derived metric: e.g. "gc.pause.p95" in "ms" with one value per input it came from. */
    public record Metric(String name, String unit, List<Double> values) {
        public Metric {
            values = List.copyOf(values);
        }
    }

    /** A stored input, without its bytes ({@link #content} reads them). */
    public record StoredInput(int position, String name, String kind, long sizeBytes) {
    }

    /** One save of a baseline. */
    public record Run(long id, String baseline, Instant createdAt, String label, String source,
                      List<StoredInput> inputs, List<Metric> metrics) {
    }

    /** A baseline in the list: how many runs it has and the latest one's time and label. */
    public record Summary(String name, Instant createdAt, int runs, Instant lastRunAt, String lastLabel) {
    }

    private final Database db;
    /** For tests: runs inside a save's transaction just before the commit. */
    Runnable beforeCommit;

    public BaselineRepository(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new StoreException("a baseline needs a name");
        }
        if (name.length() > MAX_NAME) {
            throw new StoreException("baseline name longer than " + MAX_NAME + " characters");
        }
        if (name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new StoreException("baseline name with control characters");
        }
    }

    /**
     * Saves a new run of the baseline (created on its first save), in one transaction, and returns
     * it as stored, built from what was written (a million metrics are not read back); its metrics
     * are a read-only view of the list given.
     */
    public Run save(String name, String label, String source, List<Input> inputs, List<Metric> metrics) {
        return save(name, label, source, inputs, metrics, Instant.now());
    }

    /** Saves a new run made at the given time (stored to the millisecond). */
    public Run save(String name, String label, String source, List<Input> inputs, List<Metric> metrics,
                    Instant createdAt) {
        checkName(name);
        if (label != null && label.length() > MAX_NAME) {
            throw new StoreException("label longer than " + MAX_NAME + " characters");
        }
        long now = createdAt.toEpochMilli();
        String stored = source == null ? "" : source;
        long runId = db.write("saving baseline '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO baselines (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                ps.setLong(2, now);
                ps.executeUpdate();
            }
            long baselineId = baselineId(c, name);
            if (baselineId < 0) {
                throw new SQLException("baseline '" + name + "' vanished while saving");
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO runs (baseline_id, created_at, label, source) VALUES (?, ?, ?, ?) RETURNING id")) {
                ps.setLong(1, baselineId);
                ps.setLong(2, now);
                ps.setString(3, label);
                ps.setString(4, stored);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO run_inputs"
                    + " (run_id, position, name, kind, size_bytes, content) VALUES (?, ?, ?, ?, ?, ?)")) {
                int pos = 0;
                for (Input in : inputs) {
                    // one at a time: inputs are few and may be large, a batch would hold them all
                    ps.setLong(1, id);
                    ps.setInt(2, pos++);
                    ps.setString(3, in.name());
                    ps.setString(4, in.kind());
                    ps.setLong(5, in.content().length);
                    ps.setBytes(6, in.content());
                    ps.executeUpdate();
                }
            }
            insertMetrics(c, id, metrics);
            if (beforeCommit != null) {
                beforeCommit.run();
            }
            return id;
        });
        List<StoredInput> storedInputs = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            storedInputs.add(new StoredInput(i, in.name(), in.kind(), in.content().length));
        }
        // the metrics as given, not copied: a million of them are not held twice
        return new Run(runId, name, Instant.ofEpochMilli(now), label, stored, List.copyOf(storedInputs),
                Collections.unmodifiableList(metrics));
    }

    /**
     * Writes the metrics ROWS to a statement (multi-row INSERTs: a fraction of the per-statement
     * work of one row each), each statement's rows bound as they come, so only one batch of
     * metrics is ever bound at once.
     */
    private static void insertMetrics(Connection c, long runId, List<Metric> metrics) throws SQLException {
        int n = metrics.size();
        int full = n / ROWS;
        StringBuilder values = new StringBuilder();
        int pos = 0;
        if (full > 0) {
            try (PreparedStatement ps = c.prepareStatement(insertMetrics(ROWS))) {
                for (int s = 0; s < full; s++) {
                    for (int r = 0; r < ROWS; r++, pos++) {
                        bind(ps, r * 5, runId, pos, metrics.get(pos), values);
                    }
                    ps.executeUpdate();
                }
            }
        }
        if (pos < n) {
            try (PreparedStatement ps = c.prepareStatement(insertMetrics(n - pos))) {
                for (int r = 0; pos < n; r++, pos++) {
                    bind(ps, r * 5, runId, pos, metrics.get(pos), values);
                }
                ps.executeUpdate();
            }
        }
    }

    private static String insertMetrics(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO run_metrics (run_id, position, name, unit, value_list) VALUES ");
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "" : ", ").append("(?, ?, ?, ?, ?)");
        }
        return sql.toString();
    }

    private static void bind(PreparedStatement ps, int at, long runId, int position, Metric m, StringBuilder values)
            throws SQLException {
        ps.setLong(at + 1, runId);
        ps.setInt(at + 2, position);
        ps.setString(at + 3, m.name());
        ps.setString(at + 4, m.unit());
        values.setLength(0);
        ps.setString(at + 5, encode(m.values(), values));
    }

    private static long baselineId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM baselines WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** The newest run of a baseline, empty when there is no such baseline. */
    public Optional<Run> latest(String name) {
        List<Run> h = history(name, 1);
        return h.isEmpty() ? Optional.empty() : Optional.of(h.get(0));
    }

    /** The newest n runs of a baseline, newest first; empty when there is no such baseline. */
    public List<Run> history(String name, int n) {
        checkName(name);
        if (n <= 0) {
            return List.of();
        }
        return db.read("reading baseline '" + name + "'", c -> {
            Map<Long, Run> runs = new LinkedHashMap<>();
            String sql = "SELECT r.id, r.created_at, r.label, r.source FROM runs r JOIN baselines b"
                    + " ON b.id = r.baseline_id WHERE b.name = ? ORDER BY r.id DESC LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, name);
                ps.setInt(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        runs.put(id, new Run(id, name, Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                                rs.getString(4), new ArrayList<>(), new ArrayList<>()));
                    }
                }
            }
            if (runs.isEmpty()) {
                return List.of();
            }
            long min = runs.keySet().stream().min(Long::compare).orElseThrow();
            long max = runs.keySet().stream().max(Long::compare).orElseThrow();
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, position, name, kind, size_bytes"
                    + " FROM run_inputs WHERE run_id BETWEEN ? AND ? ORDER BY run_id, position")) {
                ps.setLong(1, min);
                ps.setLong(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Run r = runs.get(rs.getLong(1));
                        if (r != null) {
                            r.inputs().add(new StoredInput(rs.getInt(2), rs.getString(3), rs.getString(4),
                                    rs.getLong(5)));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, name, unit, value_list"
                    + " FROM run_metrics WHERE run_id BETWEEN ? AND ? ORDER BY run_id, position")) {
                ps.setLong(1, min);
                ps.setLong(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Run r = runs.get(rs.getLong(1));
                        if (r != null) {
                            r.metrics().add(new Metric(rs.getString(2), rs.getString(3), decode(rs.getString(4))));
                        }
                    }
                }
            }
            List<Run> out = new ArrayList<>();
            for (Run r : runs.values()) {
                out.add(new Run(r.id(), r.baseline(), r.createdAt(), r.label(), r.source(), List.copyOf(r.inputs()),
                        List.copyOf(r.metrics())));
            }
            return out;
        });
    }

    /**
     * One metric through a baseline's history: for each of its newest {@code runs} runs up to run
     * {@code upToRun}, newest first, the values of the run's first metric of that name that has
     * values (empty when it has none). Reads only that metric's rows, not whole runs.
     */
    public List<List<Double>> metricHistory(String baseline, String metric, long upToRun, int runs) {
        checkName(baseline);
        if (runs <= 0) {
            return List.of();
        }
        return db.read("reading baseline '" + baseline + "'", c -> {
            Map<Long, List<Double>> byRun = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id FROM runs r JOIN baselines b"
                    + " ON b.id = r.baseline_id WHERE b.name = ? AND r.id <= ? ORDER BY r.id DESC LIMIT ?")) {
                ps.setString(1, baseline);
                ps.setLong(2, upToRun);
                ps.setInt(3, runs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byRun.put(rs.getLong(1), List.of());
                    }
                }
            }
            if (byRun.isEmpty()) {
                return List.of();
            }
            long min = byRun.keySet().stream().min(Long::compare).orElseThrow();
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, value_list FROM run_metrics"
                    + " WHERE run_id BETWEEN ? AND ? AND name = ? ORDER BY run_id, position")) {
                ps.setLong(1, min);
                ps.setLong(2, upToRun);
                ps.setString(3, metric);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long run = rs.getLong(1);
                        if (byRun.containsKey(run) && byRun.get(run).isEmpty()) {
                            byRun.put(run, List.copyOf(decode(rs.getString(2))));
                        }
                    }
                }
            }
            return List.copyOf(byRun.values());
        });
    }

    /** The bytes of a stored input of a run, empty when there is none at that position. */
    public Optional<byte[]> content(long runId, int position) {
        return db.read("reading run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT content FROM run_inputs WHERE run_id = ? AND position = ?")) {
                ps.setLong(1, runId);
                ps.setInt(2, position);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    /** Every baseline, by name. */
    public List<Summary> list() {
        return db.read("listing baselines", c -> {
            List<Summary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT b.name, b.created_at,"
                    + " (SELECT COUNT(*) FROM runs r WHERE r.baseline_id = b.id),"
                    + " (SELECT MAX(r.created_at) FROM runs r WHERE r.baseline_id = b.id),"
                    + " (SELECT r.label FROM runs r WHERE r.baseline_id = b.id ORDER BY r.id DESC LIMIT 1)"
                    + " FROM baselines b");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long last = rs.getLong(4);
                    boolean none = rs.wasNull();
                    out.add(new Summary(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getInt(3),
                            none ? null : Instant.ofEpochMilli(last), rs.getString(5)));
                }
            }
            out.sort(Comparator.comparing(Summary::name));
            return out;
        });
    }

    /** Deletes a baseline with all its runs, in one transaction; the number of runs deleted, -1 when there was no such baseline. */
    public int delete(String name) {
        checkName(name);
        return db.write("deleting baseline '" + name + "'", c -> {
            long id = baselineId(c, name);
            if (id < 0) {
                return -1;
            }
            String runsOf = " WHERE run_id IN (SELECT id FROM runs WHERE baseline_id = ?)";
            for (String sql : new String[]{"DELETE FROM run_metrics" + runsOf, "DELETE FROM run_inputs" + runsOf}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }
            int runs;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM runs WHERE baseline_id = ?")) {
                ps.setLong(1, id);
                runs = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM baselines WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return runs;
        });
    }

    static String encode(List<Double> values) {
        return encode(values, new StringBuilder());
    }

    /** The values separated by single spaces, each as Double.toString writes it (exact round trip). */
    private static String encode(List<Double> values, StringBuilder sb) {
        for (Double v : values) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(v.doubleValue());
        }
        return sb.toString();
    }

    static List<Double> decode(String s) {
        List<Double> out = new ArrayList<>();
        if (s != null && !s.isBlank()) {
            for (String t : s.strip().split(" +")) {
                out.add(Double.parseDouble(t));
            }
        }
        return out;
    }
}
