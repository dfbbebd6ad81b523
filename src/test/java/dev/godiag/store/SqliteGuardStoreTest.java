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
}
