package dev.godiag.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Guard's store on the embedded database: SQLite files in WAL mode. */
class SqliteGuardStoreTest extends GuardStoreContract {
    @TempDir
    static Path dir;

    @Override
    String db() {
        return "sqlite:" + dir.resolve("guard.db");
    }

    @Override
    String freshDb() {
        return "sqlite:" + dir.resolve(unique("fresh") + ".db");
    }

    @Test
    void aDamagedJsonColumnIsAOneLineErrorNamingIt() throws Exception {
        String db = freshDb();
        try (Database d = open(db)) {
            new GuardRepository(d).recordReading(reading(target("damaged", "d:1"), T0, 1, null, 1));
        }
        try (Connection c = DriverManager.getConnection("jdbc:" + db);
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE guard_targets SET labels = '{\"team\": [' WHERE target_key = 'damaged/d:1'");
        }
        try (Database d = open(db)) {
            assertThatThrownBy(() -> new GuardRepository(d).targets()).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("labels of target damaged/d:1")
                            .contains("malformed JSON").doesNotContain("\n"));
        }
    }

    /** A database made by an older godiag (baselines only) gains guard's tables and keeps its baselines. */
    @Test
    void aBaselineDatabaseOfAnOlderGodiagIsUpgraded() throws Exception {
        java.nio.file.Path file = dir.resolve(unique("v1") + ".db");
        org.flywaydb.core.Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration").table("godiag_schema_history").target("1")
                .placeholders(java.util.Map.of("id", "INTEGER PRIMARY KEY AUTOINCREMENT", "blob", "BLOB"))
                .load().migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO baselines (name, created_at) VALUES ('main', 1)");
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'guard_%'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
        try (Database d = open("sqlite:" + file)) {
            assertThat(new BaselineRepository(d).list()).extracting(BaselineRepository.Summary::name).containsExactly("main");
            GuardRepository repo = new GuardRepository(d);
            repo.recordTransition(firing("up", target("upgrade", "u:1")), pendings("up"));
            assertThat(repo.deliveries("up")).hasSize(2);
        }
    }
}
