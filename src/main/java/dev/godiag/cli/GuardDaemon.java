package dev.godiag.cli;

import dev.godiag.guard.Guard;
import dev.godiag.guard.GuardServer;
import dev.godiag.guard.config.Durations;
import dev.godiag.guard.config.GuardConfigException;
import dev.godiag.guard.config.Shards;
import dev.godiag.store.Database;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.StoreException;
import dev.godiag.store.StoreLocation;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code godiag guard} as a daemon: opens the store, starts the guard and its HTTP server, reloads
 * on SIGHUP, and stops cleanly on SIGTERM/SIGINT (scrapes stopped, the last readings written, the
 * database closed). Log lines go to standard error.
 */
final class GuardDaemon {
    static final String DEFAULT_LISTEN = "127.0.0.1:9817";

    private GuardDaemon() {
    }

    static int run(ParsedArgs a, Terminal term, Path configFile, Shards.Shard shard) {
        Path dataDir = Stores.dataDir(a, term, "guard");
        String[] listen = hostPort(a.string("listen", DEFAULT_LISTEN), a);
        Duration retention;
        try {
            retention = Durations.parse(a.string("retention", "24h"));
        } catch (IllegalArgumentException e) {
            throw a.usage("--retention: " + e.getMessage());
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new BadInputException("--data-dir " + dataDir + ": cannot create it: " + e.getMessage());
        }
        StoreLocation location;
        try {
            location = StoreLocation.parse(a.string("db", null), dataDir.resolve("guard.db"));
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
        Database db;
        try {
            db = Database.open(location);
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
        if (db.readOnly()) {
            db.close();
            throw new BadInputException(location.display() + ": read-only; guard needs to write its state");
        }
        Guard guard;
        Clock clock = Clock.systemUTC();
        try {
            GuardRepository repository = new GuardRepository(db, "guard-" + shard, GuardRepository.DEFAULT_LEASE,
                    clock);
            guard = Guard.start(new Guard.Options(configFile, dataDir, shard, retention,
                    a.string("external-url", "")), repository, term.engine(), clock, term::warn);
        } catch (GuardConfigException e) {
            db.close();
            e.problems().forEach(term::warn);
            return Main.BAD_INPUT;
        }
        GuardServer server;
        try {
            server = GuardServer.start(guard, listen[0], Integer.parseInt(listen[1]));
        } catch (RuntimeException e) {
            guard.close();
            db.close();
            throw new BadInputException("--listen " + String.join(":", listen) + ": cannot serve there: "
                    + rootMessage(e));
        }
        term.warn("ts=" + clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + " level=info msg=listening url=http://" + listen[0] + ":"
                + server.port());
        CountDownLatch stopped = new CountDownLatch(1);
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> guard.reload());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            guard.close();
            db.close();
            stopped.countDown();
        }, "guard-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.OK;
    }

    /** "host:port", ":port" (every interface) or "[v6]:port". */
    static String[] hostPort(String spec, ParsedArgs a) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            throw a.usage("--listen " + spec + ": want HOST:PORT or :PORT");
        }
        String host = spec.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = spec.substring(colon + 1);
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw a.usage("--listen " + spec + ": the port must be a number from 0 to 65535");
        }
        return new String[] {host.isEmpty() ? "0.0.0.0" : host, port};
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
