package dev.godiag.store;

import dev.godiag.testutil.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Guard's store on a real PostgreSQL server, started privately for these tests: the database guards share. */
class PostgresGuardStoreTest extends GuardStoreContract {
    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start("godiag_guard");
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

    @Override
    String freshDb() {
        String name = unique("guard").replace('-', '_');
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port()
                + "/postgres?user=godiag"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new AssertionError("cannot create a test database: " + e.getMessage(), e);
        }
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + name + "?user=godiag";
    }
}
