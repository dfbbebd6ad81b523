package dev.godiag.server;

import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.store.Database;
import dev.godiag.store.StoreLocation;
import dev.godiag.store.UploadRepository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A godiag serve in this JVM for tests: the platform over a database (a SQLite file in a temporary
 * directory, or the JDBC URL given, e.g. a test PostgreSQL) and the HTTP server on a free loopback
 * port, with a small HTTP client for the API.
 */
public final class TestServer implements AutoCloseable {
    /** The version the CLI prints (Main.version()), so reports compare byte for byte. */
    public static final String VERSION = "godiag " + java.util.Objects.requireNonNullElse(
            dev.godiag.cli.Main.class.getPackage().getImplementationVersion(), "dev");

    public final Path dataDir;
    public final Database db;
    public final Platform platform;
    public final ServeServer server;
    public final String base;
    public final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Settings a test may change: token, read-only, upload limit, workers, guard. */
    public record Settings(String jdbcUrl, String authToken, boolean readOnly, long maxUploadBytes, int analysisThreads,
                           List<String> captureAllow, dev.godiag.guard.Guard guard) {
        public static Settings sqlite() {
            return new Settings(null, null, false, 64L << 20, 2, List.of(), null);
        }

        public Settings withCaptureAllow(List<String> patterns) {
            return new Settings(jdbcUrl, authToken, readOnly, maxUploadBytes, analysisThreads, patterns, guard);
        }

        public Settings withGuard(dev.godiag.guard.Guard g) {
            return new Settings(jdbcUrl, authToken, readOnly, maxUploadBytes, analysisThreads, captureAllow, g);
        }

        public Settings withToken(String token) {
            return new Settings(jdbcUrl, token, readOnly, maxUploadBytes, analysisThreads, captureAllow, guard);
        }

        public Settings withReadOnly() {
            return new Settings(jdbcUrl, authToken, true, maxUploadBytes, analysisThreads, captureAllow, guard);
        }

        public Settings withMaxUpload(long bytes) {
            return new Settings(jdbcUrl, authToken, readOnly, bytes, analysisThreads, captureAllow, guard);
        }

        public Settings withDatabase(String url) {
            return new Settings(url, authToken, readOnly, maxUploadBytes, analysisThreads, captureAllow, guard);
        }
    }

    private TestServer(Settings s) throws IOException {
        this(s, Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 2));
    }

    private TestServer(Settings s, long memoryBudgetBytes) throws IOException {
        dataDir = Files.createTempDirectory("godiag-serve-test");
        db = Database.open(StoreLocation.parse(s.jdbcUrl(), dataDir.resolve("godiag.db")));
        Clock clock = Clock.systemUTC();
        platform = new Platform(new Engine(EngineContext.of(VERSION)), new UploadRepository(db, clock),
                new Platform.Options(s.maxUploadBytes(), UploadArchives.Limits.defaults(), s.analysisThreads(), VERSION,
                        memoryBudgetBytes),
                clock, log::add, "test:" + dataDir).start();
        Path tmp = Files.createDirectories(dataDir.resolve("tmp"));
        server = ServeServer.start(new ServeContext(platform, s.authToken(), s.readOnly(), s.maxUploadBytes(),
                LiveCapture.allowing(s.captureAllow()), new dev.godiag.store.BaselineRepository(db), s.guard(),
                Instant.now()), "127.0.0.1", 0, tmp, log::add);
        base = "http://127.0.0.1:" + server.port();
    }

    public static TestServer start(Settings s) {
        try {
            return new TestServer(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server whose uploads may hold at most {@code memoryBudgetBytes} in memory at once. */
    public static TestServer start(Settings s, long memoryBudgetBytes) {
        try {
            return new TestServer(s, memoryBudgetBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestServer start() {
        return start(Settings.sqlite());
    }

    /** An answer: status, body as text, and a header. */
    public record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Answer post(String path, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    /** A multipart/form-data POST: files as (field name, file name, bytes), then text fields. */
    public Answer postMultipart(String path, List<MultipartPart> parts, String... headers) {
        String boundary = "----godiag" + UUID.randomUUID();
        var out = new java.io.ByteArrayOutputStream();
        for (MultipartPart p : parts) {
            StringBuilder h = new StringBuilder("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                    .append(p.field()).append('"');
            if (p.fileName() != null) {
                h.append("; filename=\"").append(p.fileName()).append("\"\r\nContent-Type: application/octet-stream");
            }
            h.append("\r\n\r\n");
            out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(p.data());
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post(path, out.toByteArray(), "multipart/form-data; boundary=" + boundary, headers);
    }

    public record MultipartPart(String field, String fileName, byte[] data) {
        public static MultipartPart file(String fileName, byte[] data) {
            return new MultipartPart("file", fileName, data);
        }

        public static MultipartPart field(String name, String value) {
            return new MultipartPart(name, null, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    public Answer send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        platform.close();
        db.close();
    }
}
