package dev.godiag.testutil;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for tests: initdb into a temp directory, pg_ctl start on a free
 * port (as the postgres user when the tests run as root), one database, stopped and deleted by
 * {@link #close}. Debian's postgresql package provides the binaries ({@link Tools#postgresBin()};
 * .ci/run installs it); without them the tests are skipped, except in CI where they fail.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final List<String> asUser;
    private final int port;
    private final String database;

    private PostgresServer(Path dir, Path bin, List<String> asUser, int port, String database) {
        this.dir = dir;
        this.bin = bin;
        this.asUser = asUser;
        this.port = port;
        this.database = database;
    }

    public static PostgresServer start(String database) {
        Path bin = Tools.postgresBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asUser = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
        try {
            Path dir = Files.createTempDirectory("godiag-pg");
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()), "chown");
            }
            Path data = dir.resolve("data");
            run(cmd(asUser, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "godiag",
                    "--auth=trust", "-E", "UTF8", "--no-sync"), "initdb");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            run(cmd(asUser, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
                    "start"), "pg_ctl start");
            PostgresServer server = new PostgresServer(dir, bin, asUser, port, database);
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                    + "/postgres?user=godiag"); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                server.close();
                throw new AssertionError("cannot create the test database: " + e.getMessage(), e);
            }
            return server;
        } catch (IOException e) {
            throw new AssertionError("cannot start PostgreSQL: " + e, e);
        }
    }

    private static List<String> cmd(List<String> prefix, String... args) {
        List<String> c = new ArrayList<>(prefix);
        c.addAll(List.of(args));
        return c;
    }

    private static void run(List<String> cmd, String what) {
        Peers.Result r = Peers.run(cmd, null);
        if (r.exitCode() != 0) {
            throw new AssertionError(what + " failed (" + r.exitCode() + "): " + r.stdout() + r.stderr());
        }
    }

    /** The JDBC URL of the test database. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=godiag";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        Peers.run(cmd(asUser, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                "-m", "immediate", "-w", "stop"), null);
        try (Stream<Path> w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files
        }
    }
}
