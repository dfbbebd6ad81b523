package dev.godiag.store;

import dev.godiag.testutil.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store on a real PostgreSQL server, started privately for these tests. */
class PostgresBaselineStoreTest extends StoreContract {
    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start("godiag_store");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String db() {
        return server.url();
    }

    @Test
    void aMissingDatabaseIsAOneLineError() {
        assertThatThrownBy(() -> open("jdbc:postgresql://127.0.0.1:" + server.port()
                + "/nosuchdb?user=godiag")).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("nosuchdb").doesNotContain("\n"));
    }
}
