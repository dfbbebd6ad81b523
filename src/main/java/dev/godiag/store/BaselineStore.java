package dev.godiag.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named baselines over JDBC: every save of a baseline is a new run holding the raw input files
 * (name, kind, bytes) and the metrics derived from them (name, unit, list of values), so a gate
 * reads numbers without re-parsing and the history of a baseline is its runs, newest first.
 *
 * <p>The database is SQLite (xerial, embedded; the default) or PostgreSQL (for shared
 * deployments), behind a HikariCP pool, with the schema made by Flyway migrations
 * ({@code db/migration}). SQLite runs in WAL mode with a busy timeout and takes the write lock at
 * the start of each write transaction, so several processes can save and read the same file at
 * once. Every save and delete is one transaction: a failed save leaves the stored data as it was.
 * Every problem is a {@link StoreException} with a one-line message.
 */
public final class BaselineStore implements AutoCloseable {
    /** How long a SQLite write waits for another writer's lock before failing (ms); the property is for tests. */
    static int busyTimeoutMs() {
        return Integer.getInteger("godiag.db.busyTimeoutMs", 30_000);
    }
    private static final int MAX_NAME = 200;

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

    /** Where the database is: a SQLite file or a PostgreSQL JDBC URL; display is safe to print (no password). */
    public record Location(String display, Path sqliteFile, String jdbcUrl) {
        public boolean sqlite() {
            return sqliteFile != null;
        }
    }

    private final Location location;
    private final HikariDataSource pool;
    /** For tests: runs inside a save's transaction just before the commit. */
    Runnable beforeCommit;

    private BaselineStore(Location location, HikariDataSource pool) {
        this.location = location;
        this.pool = pool;
    }

    public Location location() {
        return location;
    }

    /**
     * The default database: {@code $GODIAG_HOME/godiag.db} when GODIAG_HOME is set, else
     * {@code ~/.godiag/godiag.db}.
     */
    public static Path defaultFile() {
        String home = System.getenv("GODIAG_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "godiag.db");
        }
        return Path.of(System.getProperty("user.home"), ".godiag", "godiag.db");
    }

    /**
     * Reads a --db value: null or empty for the default file, {@code sqlite:PATH} or
     * {@code jdbc:sqlite:PATH}, {@code jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P]} (also
     * {@code postgresql://} and {@code postgres://} without credentials in the authority).
     */
    public static Location locate(String spec) {
        if (spec == null || spec.isBlank()) {
            Path f = defaultFile().toAbsolutePath();
            return new Location("sqlite:" + f, f, null);
        }
        String s = spec.strip();
        String file = s.startsWith("jdbc:sqlite:") ? s.substring("jdbc:sqlite:".length())
                : s.startsWith("sqlite:") ? s.substring("sqlite:".length()) : null;
        if (file != null) {
            if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
                throw new StoreException("--db " + s + ": expected sqlite:PATH with the path of a database file");
            }
            Path f = Path.of(file).toAbsolutePath();
            return new Location("sqlite:" + f, f, null);
        }
        if (s.startsWith("postgresql://") || s.startsWith("postgres://")) {
            s = "jdbc:postgresql://" + s.substring(s.indexOf("://") + 3);
        }
        if (s.startsWith("jdbc:postgresql://") && s.length() > "jdbc:postgresql://".length()) {
            return new Location(redact(s), null, s);
        }
        throw new StoreException("--db " + redact(s) + ": not a database URL godiag reads (expected sqlite:PATH,"
                + " jdbc:sqlite:PATH or jdbc:postgresql://HOST[:PORT]/DB)");
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
    }

    /** Opens (creating when needed) the database and brings its schema up to date. */
    public static BaselineStore open(String spec) {
        Location loc = locate(spec);
        HikariDataSource ds = null;
        try {
            HikariConfig c = new HikariConfig();
            c.setPoolName("godiag-store");
            c.setMaximumPoolSize(4);
            c.setMinimumIdle(0);
            c.setConnectionTimeout(Math.max(250, busyTimeoutMs()));
            c.setInitializationFailTimeout(1); // the first connection fails at once: an unreachable database is an error now
            if (loc.sqlite()) {
                Path dir = loc.sqliteFile().getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    if (spec == null || spec.isBlank()) {
                        Files.createDirectories(dir);
                    } else {
                        throw new StoreException(loc.display() + ": the directory " + dir + " does not exist");
                    }
                }
                SQLiteConfig sc = new SQLiteConfig();
                sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
                sc.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
                sc.setBusyTimeout(busyTimeoutMs());
                sc.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
                sc.enforceForeignKeys(true);
                SQLiteDataSource sds = new SQLiteDataSource(sc);
                sds.setUrl("jdbc:sqlite:" + loc.sqliteFile());
                c.setDataSource(sds);
            } else {
                c.setDriverClassName("org.postgresql.Driver");
                c.setJdbcUrl(loc.jdbcUrl());
                c.addDataSourceProperty("connectTimeout", "10");
                c.addDataSourceProperty("ApplicationName", "godiag");
            }
            ds = new HikariDataSource(c);
            migrate(ds, loc);
            return new BaselineStore(loc, ds);
        } catch (StoreException e) {
            closeQuietly(ds);
            throw e;
        } catch (Exception e) {
            closeQuietly(ds);
            throw new StoreException(loc.display() + ": " + reason(e), e);
        }
    }

    private static void closeQuietly(HikariDataSource ds) {
        if (ds != null) {
            try {
                ds.close();
            } catch (RuntimeException ignored) {
                // already failing
            }
        }
    }

    /**
     * Runs the migrations; several processes opening a new database at once may race on creating
     * Flyway's history table, so a failure is retried a few times (the loser then finds it done).
     */
    private static void migrate(HikariDataSource ds, Location loc) {
        Map<String, String> placeholders = loc.sqlite()
                ? Map.of("id", "INTEGER PRIMARY KEY AUTOINCREMENT", "blob", "BLOB")
                : Map.of("id", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "blob", "BYTEA");
        Flyway flyway = Flyway.configure(BaselineStore.class.getClassLoader())
                .dataSource(ds)
                .locations("classpath:db/migration")
                .placeholders(placeholders)
                .table("godiag_schema_history")
                .load();
        RuntimeException last = null;
        for (int attempt = 0; attempt < 6; attempt++) {
            try {
                flyway.migrate();
                return;
            } catch (RuntimeException e) {
                last = e;
                try {
                    Thread.sleep(100L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }

    /** The message of the outermost SQL error (the driver's words), with the network cause when there is one. */
    static String reason(Throwable e) {
        SQLException sql = null;
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (sql == null && t instanceof SQLException s) {
                sql = s;
            }
            root = t;
            if (t.getCause() == t) {
                break;
            }
        }
        String msg = sql != null ? sql.getMessage() : e.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = (sql != null ? sql : e).getClass().getSimpleName();
        }
        if (root != sql && root instanceof java.io.IOException && root.getMessage() != null
                && !msg.contains(root.getMessage())) {
            msg += root instanceof java.net.UnknownHostException ? " (unknown host " + root.getMessage() + ")"
                    : " (" + root.getMessage() + ")";
        }
        msg = msg.replaceFirst("^Failed to initialize pool: ", "");
        return StoreException.oneLine(msg);
    }

    // ---- operations

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(String what, Work<T> w) {
        try (Connection c = pool.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return w.run(c);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException(location.display() + ": " + what + ": " + reason(e), e);
        }
    }

    /**
     * One transaction. A connection whose transaction failed is evicted from the pool rather than
     * reused: after a failed BEGIN (SQLite busy) or a broken link its state is not to be trusted.
     */
    private <T> T write(String what, Work<T> w) {
        Connection c = null;
        boolean clean = false;
        try {
            c = pool.getConnection();
            c.setAutoCommit(false);
            T t = w.run(c);
            c.commit();
            c.setAutoCommit(true);
            clean = true;
            return t;
        } catch (SQLException | RuntimeException e) {
            if (c != null) {
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException ignored) {
                    // the transaction never committed; the connection is evicted below
                }
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException(location.display() + ": " + what + ": " + reason(e), e);
        } finally {
            if (c != null) {
                if (clean) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // returned to the pool
                    }
                } else {
                    pool.evictConnection(c);
                }
            }
        }
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

    /** Saves a new run of the baseline (created on its first save), in one transaction. */
    public Run save(String name, String label, String source, List<Input> inputs, List<Metric> metrics) {
        checkName(name);
        if (label != null && label.length() > MAX_NAME) {
            throw new StoreException("label longer than " + MAX_NAME + " characters");
        }
        long now = System.currentTimeMillis();
        long runId = write("saving baseline '" + name + "'", c -> {
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
                ps.setString(4, source == null ? "" : source);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO run_inputs"
                    + " (run_id, position, name, kind, size_bytes, content) VALUES (?, ?, ?, ?, ?, ?)")) {
                int pos = 0;
                for (Input in : inputs) {
                    ps.setLong(1, id);
                    ps.setInt(2, pos++);
                    ps.setString(3, in.name());
                    ps.setString(4, in.kind());
                    ps.setLong(5, in.content().length);
                    ps.setBytes(6, in.content());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO run_metrics"
                    + " (run_id, position, name, unit, value_list) VALUES (?, ?, ?, ?, ?)")) {
                int pos = 0;
                for (Metric m : metrics) {
                    ps.setLong(1, id);
                    ps.setInt(2, pos++);
                    ps.setString(3, m.name());
                    ps.setString(4, m.unit());
                    ps.setString(5, encode(m.values()));
                    ps.addBatch();
                    if (pos % 1000 == 0) {
                        ps.executeBatch(); // in batches: a million benchmarks are a million rows
                    }
                }
                ps.executeBatch();
            }
            if (beforeCommit != null) {
                beforeCommit.run();
            }
            return id;
        });
        return history(name, Integer.MAX_VALUE, runId).get(0);
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
        return history(name, n, -1);
    }

    private List<Run> history(String name, int n, long onlyRun) {
        checkName(name);
        if (n <= 0) {
            return List.of();
        }
        return read("reading baseline '" + name + "'", c -> {
            Map<Long, Run> runs = new LinkedHashMap<>();
            String sql = "SELECT r.id, r.created_at, r.label, r.source FROM runs r JOIN baselines b"
                    + " ON b.id = r.baseline_id WHERE b.name = ?" + (onlyRun >= 0 ? " AND r.id = ?" : "")
                    + " ORDER BY r.id DESC LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, name);
                if (onlyRun >= 0) {
                    ps.setLong(i++, onlyRun);
                }
                ps.setInt(i, n);
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

    /** The bytes of a stored input of a run, empty when there is none at that position. */
    public Optional<byte[]> content(long runId, int position) {
        return read("reading run " + runId, c -> {
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
        return read("listing baselines", c -> {
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
        return write("deleting baseline '" + name + "'", c -> {
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
        StringBuilder sb = new StringBuilder();
        for (Double v : values) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(v);
        }
        return sb.toString();
    }

    static List<Double> decode(String s) {
        List<Double> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        // values separated by spaces (no regular expression: a baseline may hold millions of lists)
        for (int i = 0, n = s.length(); i < n; ) {
            int end = s.indexOf(' ', i);
            end = end < 0 ? n : end;
            if (end > i) {
                out.add(Double.parseDouble(s.substring(i, end)));
            }
            i = end + 1;
        }
        return out;
    }

    @Override
    public void close() {
        pool.close();
    }
}
