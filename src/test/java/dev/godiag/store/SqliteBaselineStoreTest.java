package dev.godiag.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store on the embedded database: a SQLite file in WAL mode. */
class SqliteBaselineStoreTest extends StoreContract {
    @TempDir
    static Path dir;

    @Override
    String db() {
        return "sqlite:" + dir.resolve("godiag.db");
    }

    @Test
    void theFileIsInWalModeAndTheUrlFormsAreRead() throws Exception {
        try (Database d = Database.open(StoreLocation.parse("jdbc:sqlite:" + dir.resolve("godiag.db"), null))) {
            BaselineRepository s = new BaselineRepository(d);
            assertThat(d.location().sqlite()).isTrue();
            s.list();
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("godiag.db"));
             java.sql.ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
        Path home = Path.of("/home/u");
        assertThat(StoreLocation.parse(null, StoreLocation.defaultFile(null, home)).sqliteFile())
                .isEqualTo(home.resolve(".godiag/godiag.db"));
        assertThat(StoreLocation.parse("", StoreLocation.defaultFile("/srv/godiag", home)).sqliteFile())
                .isEqualTo(Path.of("/srv/godiag/godiag.db"));
        assertThat(StoreLocation.parse("postgres://db.example/godiag", null).jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.example/godiag");
    }

    @Test
    void badLocationsAreOneLineErrors() {
        assertThatThrownBy(() -> open("mysql://localhost/x")).isInstanceOf(StoreException.class)
                .hasMessageContaining("not a database URL");
        assertThatThrownBy(() -> open("sqlite:")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> open("sqlite:" + dir.resolve("missing/dir/x.db")))
                .isInstanceOf(StoreException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> open("jdbc:postgresql://127.0.0.1:1/x?user=u&password=secret"))
                .isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("refused").doesNotContain("secret")
                        .doesNotContain("\n"));
    }

    @Test
    void aFileThatIsNoDatabaseIsRefused() throws Exception {
        Path f = dir.resolve("notes.txt");
        java.nio.file.Files.writeString(f, "not a database, just words that are long enough to fill a header\n".repeat(20));
        assertThatThrownBy(() -> open("sqlite:" + f)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not a database");
    }

    @Test
    void aLockHeldTooLongIsAOneLineErrorAndLosesNothing() throws Exception {
        Path file = dir.resolve("locked.db");
        String db = "sqlite:" + file;
        try (Database d = open(db)) {
            BaselineRepository s = new BaselineRepository(d);
            s.save("locked", "before", "x", inputs("BenchmarkL 1 1 ns/op\n"), metrics(1));
        }
        System.setProperty("godiag.db.busyTimeoutMs", "300");
        try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Database d = open(db)) {
            BaselineRepository s = new BaselineRepository(d);
            other.createStatement().execute("BEGIN IMMEDIATE"); // another process holds the write lock
            assertThatThrownBy(() -> s.save("locked", "blocked", "y", inputs("x"), metrics(2)))
                    .isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("locked").doesNotContain("\n"));
            // readers are not blocked by a writer in WAL mode
            assertThat(s.history("locked", 10)).extracting(BaselineRepository.Run::label).containsExactly("before");
            other.createStatement().execute("ROLLBACK");
            s.save("locked", "after", "z", inputs("x"), metrics(3));
            assertThat(s.history("locked", 10)).extracting(BaselineRepository.Run::label).containsExactly("after", "before");
        } finally {
            System.clearProperty("godiag.db.busyTimeoutMs");
        }
    }

    /**
     * A save waits for another writer instead of failing: the lock is let go while the save waits
     * (or, on a machine too slow for the save to get there first, before it asks: it then never
     * waits, and the test still holds). The busy timeout is far beyond either.
     */
    @Test
    void aSaveWaitsForAnotherWriterToLetGo() throws Exception {
        Path file = dir.resolve("waiting.db");
        String db = "sqlite:" + file;
        try (Database d = open(db)) {
            new BaselineRepository(d).save("waiting", "before", "x", inputs("BenchmarkW 1 1 ns/op\n"), metrics(1));
        }
        System.setProperty("godiag.db.busyTimeoutMs", "600000");
        try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Database d = open(db)) {
            BaselineRepository s = new BaselineRepository(d);
            other.createStatement().execute("BEGIN IMMEDIATE");
            java.util.concurrent.CompletableFuture<BaselineRepository.Run> save = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> s.save("waiting", "after", "y", inputs("x"), metrics(2)));
            Thread.sleep(300); // lets the save reach the lock; not a measure of anything
            other.createStatement().execute("ROLLBACK");
            assertThat(save.get().label()).isEqualTo("after");
            assertThat(s.history("waiting", 10)).extracting(BaselineRepository.Run::label).containsExactly("after", "before");
        } finally {
            System.clearProperty("godiag.db.busyTimeoutMs");
        }
    }

    @Test
    void valuesKeepTheirBits() {
        List<Double> v = List.of(0.1, 1e-300, 123456789.123, -0.0, Double.NaN, Double.POSITIVE_INFINITY);
        assertThat(BaselineRepository.decode(BaselineRepository.encode(v))).isEqualTo(v);
        assertThat(BaselineRepository.decode("")).isEmpty();
    }
}
