package dev.godiag.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The connection to the baseline database: a HikariCP pool over SQLite (xerial, embedded; the
 * default) or PostgreSQL, with the schema brought up to date by Flyway migrations
 * ({@code db/migration}) when it is opened. Thread-safe and meant to live long: a daemon opens it
 * once and runs any number of concurrent requests over it; a command line opens it for one run.
 * The queries are {@link BaselineRepository}'s.
 *
 * <p>SQLite runs in WAL mode with a busy timeout and takes the write lock at the start of each write
 * transaction, so several processes can save and read the same file at once. A SQLite file this
 * process cannot write, or in a directory it cannot write to (a shared, read-only copy), is opened
 * read-only, as it is: reads work, writes fail with one line. Every problem is a {@link StoreException} with a one-line
 * message.
 */
public final class Database implements AutoCloseable {
    /** How long a SQLite write waits for another writer's lock before failing (ms); the property is for tests. */
    static int busyTimeoutMs() {
        return Integer.getInteger("godiag.db.busyTimeoutMs", 30_000);
    }

    private final StoreLocation location;
    private final HikariDataSource pool;
    private final boolean readOnly;

    private Database(StoreLocation location, HikariDataSource pool, boolean readOnly) {
        this.location = location;
        this.pool = pool;
        this.readOnly = readOnly;
    }

    /** Opens (creating when needed) the database and brings its schema up to date. */
    public static Database open(StoreLocation location) {
        boolean ro = location.sqlite() && readOnlyFile(location.sqliteFile());
        return new Database(location, connect(location, ro), ro);
    }

    /** A database file this process may read but not write, or one in a directory it cannot write to. */
    private static boolean readOnlyFile(Path file) {
        Path dir = file.getParent();
        return dir != null && Files.isDirectory(dir) && !Files.isWritable(dir)
                || Files.isRegularFile(file) && Files.isReadable(file) && !Files.isWritable(file);
    }

    public StoreLocation location() {
        return location;
    }

    /** Whether writes are refused: a SQLite file in a directory this process cannot write to. */
    public boolean readOnly() {
        return readOnly;
    }

    private static HikariDataSource connect(StoreLocation loc, boolean ro) {
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
                    if (loc.createDirectory()) {
                        Files.createDirectories(dir);
                    } else {
                        throw new StoreException(loc.display() + ": the directory " + dir + " does not exist");
                    }
                }
                // SQLite writes its WAL and shared-memory files beside the database, even to read it
                if (ro && !Files.exists(loc.sqliteFile())) {
                    throw new StoreException(loc.display() + ": no such database, and the directory " + dir
                            + " is read-only");
                }
                Path wal = Path.of(loc.sqliteFile() + "-wal");
                if (ro && Files.exists(wal) && Files.size(wal) > 0) {
                    // the file is read as it is on disk: changes still in the log would be missed
                    throw new StoreException(loc.display() + ": read-only, and its write-ahead log " + wal
                            + " holds changes not yet in it (open it once where it can be written)");
                }
                c.setDataSource(ro ? readOnlySqlite(loc.sqliteFile()) : sqlite(loc.sqliteFile()));
                c.setReadOnly(ro);
            } else {
                c.setDriverClassName("org.postgresql.Driver");
                c.setJdbcUrl(loc.jdbcUrl());
                c.addDataSourceProperty("connectTimeout", "10");
                c.addDataSourceProperty("ApplicationName", "godiag");
            }
            ds = new HikariDataSource(c);
            if (ro) {
                checkSchema(ds, loc);
            } else {
                migrate(ds, loc);
            }
            return ds;
        } catch (StoreException e) {
            closeQuietly(ds);
            throw e;
        } catch (Exception e) {
            closeQuietly(ds);
            throw new StoreException(loc.display() + ": " + reason(e), e);
        }
    }

    private static SQLiteDataSource sqlite(Path file) {
        SQLiteConfig sc = new SQLiteConfig();
        sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sc.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sc.setBusyTimeout(busyTimeoutMs());
        sc.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sc.enforceForeignKeys(true);
        SQLiteDataSource sds = new SQLiteDataSource(sc);
        sds.setUrl("jdbc:sqlite:" + file);
        return sds;
    }

    /**
     * A file nobody here can write beside: opened as immutable (SQLite then neither locks it nor
     * looks for a WAL file it could not create), which reads the file as it is on disk.
     */
    private static SQLiteDataSource readOnlySqlite(Path file) throws URISyntaxException {
        SQLiteConfig sc = new SQLiteConfig();
        sc.setReadOnly(true);
        SQLiteDataSource sds = new SQLiteDataSource(sc);
        sds.setUrl("jdbc:sqlite:" + new URI("file", null, file.toString(), "immutable=1", null).toASCIIString());
        return sds;
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

    private static Flyway flyway(HikariDataSource ds, StoreLocation loc) {
        Map<String, String> placeholders = loc.sqlite()
                ? Map.of("id", "INTEGER PRIMARY KEY AUTOINCREMENT", "blob", "BLOB")
                : Map.of("id", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "blob", "BYTEA");
        return Flyway.configure(Database.class.getClassLoader())
                .dataSource(ds)
                .locations("classpath:db/migration")
                .placeholders(placeholders)
                .table("godiag_schema_history")
                .load();
    }

    /**
     * Runs the migrations; several processes opening a new database at once may race on creating
     * Flyway's history table, so a failure is retried a few times (the loser then finds it done).
     */
    private static void migrate(HikariDataSource ds, StoreLocation loc) {
        Flyway flyway = flyway(ds, loc);
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

    /** A database that cannot be migrated must already have this godiag's schema. */
    private static void checkSchema(HikariDataSource ds, StoreLocation loc) {
        if (flyway(ds, loc).info().pending().length > 0) {
            throw new StoreException(loc.display() + ": read-only, and its schema is older than this godiag's"
                    + " (open it once where it can be written)");
        }
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

    // ---- units of work for the repositories

    /** Work on one connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs reads on a pooled connection in auto-commit mode. */
    <T> T read(String what, Work<T> w) {
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
    <T> T write(String what, Work<T> w) {
        if (readOnly) {
            Path dir = location.sqliteFile() == null ? null : location.sqliteFile().getParent();
            throw new StoreException(location.display() + ": " + what + ": read-only (this process cannot write to "
                    + (Files.isWritable(dir) ? location.sqliteFile() : dir) + "); it can be read, not"
                    + " changed");
        }
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

    @Override
    public void close() {
        pool.close();
    }
}
