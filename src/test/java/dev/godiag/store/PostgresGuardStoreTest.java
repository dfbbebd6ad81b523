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
        admin("CREATE DATABASE guard_template");
        Database.open(StoreLocation.parse(url("guard_template"), null)).close(); // migrated once, copied per fresh database
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
        admin("CREATE DATABASE " + name + " TEMPLATE guard_template");
        return url(name);
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database + "?user=godiag";
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }
}
