package dev.godiag.cli;

import dev.godiag.guard.Guard;
import dev.godiag.guard.config.GuardConfigException;
import dev.godiag.guard.config.Shards;
import dev.godiag.server.LiveCapture;
import dev.godiag.server.Platform;
import dev.godiag.server.ServeContext;
import dev.godiag.server.ServeServer;
import dev.godiag.server.UploadArchives;
import dev.godiag.store.BaselineRepository;
import dev.godiag.store.Database;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.StoreException;
import dev.godiag.store.StoreLocation;
import dev.godiag.store.UploadRepository;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * godiag serve: the self-service platform (REST API, web pages, history) as a daemon. Opens the
 * store, starts the analysis workers, the HTTP server and guard when given a configuration, and
 * stops cleanly on SIGTERM/SIGINT (no acknowledged upload is lost: each is stored before its answer).
 */
final class ServeCommand implements Command {
    static final String DEFAULT_LISTEN = "127.0.0.1:7070";
    private static final long DEFAULT_MAX_UPLOAD = 256L << 20;

    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("listen", "ADDR", "serve on HOST:PORT (default " + DEFAULT_LISTEN
                    + "; :PORT for every interface; port 0 picks a free one)"),
            OptionSpec.value("data-dir", "DIR", "where the SQLite database and temporary upload files live"
                    + " (default: $GODIAG_HOME/serve, else ~/.godiag/serve)"),
            OptionSpec.value("db", "URL", "the database: sqlite:PATH or jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P"
                    + " (default: the SQLite file DIR/godiag.db); the baseline store's migrations, shared"),
            OptionSpec.value("auth-token-file", "FILE", "writes (uploads, captures, gate results, settings) need"
                    + " Authorization: Bearer <the token in FILE>; reads stay open"),
            OptionSpec.flag("read-only", "refuse every write: browse and read what is stored"),
            OptionSpec.value("max-upload", "SIZE", "the largest upload, e.g. 256MiB (default), 1GiB"),
            OptionSpec.value("analysis-threads", "N", "analyses run at once (default: half the CPUs, at least 1)"),
            OptionSpec.list("capture-allow", "PATTERNS", "hosts live captures may be taken from: host, host:port,"
                    + " *.example.com, [::1]:6060, 10.0.0.0/8 (repeatable or comma-separated; none: capture off)"),
            OptionSpec.value("guard-config", "FILE", "also run guard with this configuration (its API under"
                    + " /api/guard, its dashboard at /guard; state in the same database)"),
            OptionSpec.value("external-url", "URL", "the server's address as users reach it, for links in guard's"
                    + " alerts"),
            OptionSpec.value("max-inflate", "SIZE", "the most a compressed input may expand to (default 1GiB)"));

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "the self-service platform: upload, diagnose, compare and keep history over HTTP";
    }

    @Override
    public String usage() {
        return "godiag serve [--listen ADDR] [--data-dir DIR] [--db URL] [--auth-token-file FILE] [--guard-config FILE]";
    }

    @Override
    public String description() {
        return "Serves the REST API (described at /api/openapi.json) and the web pages: upload profiles, dumps "
                + "and whole captures (also .zip and .tar.gz), get the diagnosis with its flame graph, compare "
                + "two uploads, follow a service's history, read the knowledge base. Uploads are stored whole "
                + "(content-addressed) before they are acknowledged and analysed in a bounded pool. Runs until "
                + "SIGTERM or SIGINT.";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        if (!a.operands().isEmpty()) {
            throw a.usage("unexpected argument '" + a.operands().get(0) + "'");
        }
        Path dataDir = Stores.dataDir(a, term, "serve");
        String[] listen = GuardDaemon.hostPort(a.string("listen", DEFAULT_LISTEN), a);
        long maxUpload = a.has("max-upload") ? size(a, "max-upload") : DEFAULT_MAX_UPLOAD;
        int threads = a.integer("analysis-threads", Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        if (threads < 1 || threads > 256) {
            throw a.usage("--analysis-threads must be from 1 to 256");
        }
        String token = token(a);
        List<String> allow = new ArrayList<>();
        for (String v : a.list("capture-allow")) {
            for (String p : v.split(",")) {
                if (!p.isBlank()) {
                    allow.add(p.strip());
                }
            }
        }
        LiveCapture capture = LiveCapture.allowing(allow);
        Path guardConfig = a.has("guard-config") ? Path.of(a.string("guard-config", "")) : null;
        if (guardConfig != null && a.flag("read-only")) {
            throw a.usage("--guard-config needs a server that writes: not with --read-only");
        }
        Path tmp = dataDir.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new BadInputException("--data-dir " + dataDir + ": cannot create it: " + e.getMessage());
        }
        Database db;
        try {
            db = Database.open(StoreLocation.parse(a.string("db", null), dataDir.resolve("godiag.db")));
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
        boolean readOnly = a.flag("read-only") || db.readOnly();
        Clock clock = Clock.systemUTC();
        var engine = term.engine(a.string("max-inflate", null));
        Platform platform = new Platform(engine, new UploadRepository(db, clock), new Platform.Options(maxUpload,
                UploadArchives.Limits.defaults(), threads, Main.version()), clock, term::warn,
                claimOwner(dataDir));
        if (!readOnly) {
            platform.start(); // a read-only server analyses nothing: it could not store the result
        }
        Guard guard = null;
        if (guardConfig != null) {
            try {
                guard = Guard.start(new Guard.Options(guardConfig, dataDir.resolve("guard"), Shards.Shard.ALL,
                        Duration.ofHours(24), a.string("external-url", "")),
                        new GuardRepository(db, "serve", GuardRepository.DEFAULT_LEASE, clock), engine, clock,
                        term::warn);
            } catch (GuardConfigException e) {
                platform.close();
                db.close();
                e.problems().forEach(term::warn);
                return Main.BAD_INPUT;
            }
        }
        ServeContext sc = new ServeContext(platform, token, readOnly, maxUpload, capture, new BaselineRepository(db),
                guard, clock.instant());
        ServeServer server;
        try {
            server = ServeServer.start(sc, listen[0], Integer.parseInt(listen[1]), tmp, term::warn);
        } catch (RuntimeException e) {
            if (guard != null) {
                guard.close();
            }
            platform.close();
            db.close();
            throw new BadInputException("--listen " + String.join(":", listen) + ": cannot serve there: "
                    + GuardDaemon.rootMessage(e));
        }
        term.warn("ts=" + clock.instant().truncatedTo(ChronoUnit.MILLIS) + " level=info msg=listening url=http://"
                + (listen[0].contains(":") ? "[" + listen[0] + "]" : listen[0]) + ":" + server.port()
                + (readOnly ? " read_only=true" : "") + (token != null ? " auth=token" : ""));
        CountDownLatch stopped = new CountDownLatch(1);
        Guard g = guard;
        if (g != null) {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> g.reload());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (g != null) {
                g.close();
            }
            platform.close();
            db.close();
            stopped.countDown();
        }, "serve-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.OK;
    }

    /** This server's name on its analysis claims: its host and data directory, the same after a restart. */
    private static String claimOwner(Path dataDir) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        String owner = host + ":" + dataDir.toAbsolutePath().normalize();
        return owner.length() > 100 ? owner.substring(0, 60) + "…" + owner.substring(owner.length() - 39) : owner;
    }

    /** The token of --auth-token-file: its first line, at least 16 characters. */
    private static String token(ParsedArgs a) {
        String file = a.string("auth-token-file", null);
        if (file == null) {
            return null;
        }
        String t;
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
            t = lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("--auth-token-file " + file + ": cannot read it: " + e.getMessage());
        }
        if (t.length() < 16) {
            throw new BadInputException("--auth-token-file " + file + ": the token must be at least 16 characters"
                    + " on the first line");
        }
        return t;
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

    /** 256MiB, 1GiB, 1000000 (bytes); MB is read as MiB, as --max-inflate reads it. */
    private static long size(ParsedArgs a, String option) {
        String s = a.string(option, "").strip();
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw a.usage("--" + option + " " + s + ": want a size such as 256MiB or 1GiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        if (n < 1 || n > (Long.MAX_VALUE >> (shift + 1))) {
            throw a.usage("--" + option + " " + s + ": out of range");
        }
        return n << shift;
    }
}
