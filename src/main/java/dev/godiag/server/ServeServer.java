package dev.godiag.server;

import dev.godiag.guard.GuardServer;
import dev.godiag.store.StoreException;
import dev.godiag.util.BadInputException;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code godiag serve}'s HTTP surface on Javalin (Jetty, a virtual thread per request): the REST
 * API under {@code /api}, the web pages, {@code /health} and {@code /metrics}, and guard's API when
 * guard runs inside. Every error is {@code {"error": "one line"}}. Writes pass one gate first:
 * refused on a read-only server, bearing the token when one is set, and never from another site's
 * page (the browser's Origin and Sec-Fetch-Site say so: the CSRF defence for form posts and scripts).
 */
public final class ServeServer implements AutoCloseable {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Javalin app;
    private ServeServer(Javalin app) {
        this.app = app;
    }

    /**
     * Serves on {@code host:port} (port 0: any free port).
     *
     * @param tempDir where multipart bodies too large for memory wait while they are read
     */
    public static ServeServer start(ServeContext sc, String host, int port, Path tempDir, Consumer<String> log) {
        ServeMetrics metrics = new ServeMetrics(sc);
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.jetty.multipartConfig.cacheDirectory(tempDir.toString());
            config.jetty.multipartConfig.maxFileSize(sc.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(sc.maxUploadBytes() + 64 * 1024, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            RoutesConfig routes = config.routes;
            routes.before(ctx -> {
                ctx.attribute("godiag.start", System.nanoTime());
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                guardWrite(ctx, sc);
            });
            routes.after(ctx -> metrics.observe(ctx));
            routes.get("/health", ctx -> health(ctx, sc));
            routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.render() + (sc.guard() == null ? "" : GuardServer.metrics(sc.guard()))));
            routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json; charset=utf-8")
                    .result(openApi()));
            routes.get("/static/{file}", ServeServer::staticFile);
            UploadApi.register(routes, sc);
            CaptureApi.register(routes, sc);
            ServiceApi.register(routes, sc);
            BaselineApi.register(routes, sc);
            CardApi.register(routes, sc);
            ServicePages.register(routes, sc);
            KnowledgePages.register(routes, dev.godiag.diagnosis.KnowledgeBase.shipped(),
                    dev.godiag.diagnosis.Diagnoser.withRegisteredRules());
            GuardPages.register(routes, sc);
            UploadPages.register(routes, sc);
            if (sc.guard() != null) {
                GuardServer.routes(routes, sc.guard());
            }
            routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !(type.startsWith("application/json") || type.startsWith("text/html"))) {
                    Http.error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
            routes.error(405, ctx -> Http.error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()));
            routes.exception(Http.ClientError.class, (e, ctx) -> Http.error(ctx, e.status, e.getMessage()));
            routes.exception(Platform.Busy.class, (e, ctx) -> {
                ctx.header("Retry-After", "10");
                Http.error(ctx, 503, e.getMessage());
            });
            routes.exception(BadInputException.class, (e, ctx) -> Http.error(ctx, 400, e.getMessage()));
            routes.exception(StoreException.class, (e, ctx) -> {
                log.accept("level=error msg=\"store\" path=" + ctx.path() + " error=\"" + e.getMessage() + "\"");
                Http.error(ctx, 503, "the store is unavailable: " + e.getMessage());
            });
            routes.exception(Exception.class, (e, ctx) -> {
                log.accept("level=error msg=\"request failed\" path=" + ctx.path() + " error=\"" + e + "\"");
                Http.error(ctx, 500, "internal error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            });
        });
        app.start();
        return new ServeServer(app);
    }

    public int port() {
        return app.port();
    }

    /** The routes this server answers, as "METHOD /path" ({name} for a path parameter): the OpenAPI document is held to them. */
    java.util.List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path).toList();
    }

    /** The gate every write passes: read-only, the token, the origin; and an upload's declared size. */
    private static void guardWrite(Context ctx, ServeContext sc) {
        String method = ctx.method().name();
        if (!WRITES.contains(method)) {
            return;
        }
        if (sc.readOnly()) {
            throw new Http.ClientError(403, "this server is read-only");
        }
        if (crossSite(ctx)) {
            throw new Http.ClientError(403, "a write from another site's page is refused (Origin "
                    + String.valueOf(ctx.header("Origin")) + ")");
        }
        if (sc.authToken() != null && !bears(ctx, sc.authToken())) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"godiag\"");
            throw new Http.ClientError(401, "writes need the server's token: Authorization: Bearer TOKEN");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > sc.maxUploadBytes() + 64 * 1024) {
            // refused before a byte of the body is read
            ctx.header("Connection", "close");
            throw new Http.ClientError(413, "the request body of " + declared + " bytes is larger than the limit of "
                    + sc.maxUploadBytes() + " bytes");
        }
    }

    /** A browser's request from another origin: its Sec-Fetch-Site, or an Origin that is not this server. */
    static boolean crossSite(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && site.equalsIgnoreCase("cross-site")) {
            return true;
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return false; // not a browser, or a same-origin GET-like request: curl and CI scripts send none
        }
        if (origin.equals("null")) {
            return true; // sandboxed frames and file: pages
        }
        try {
            String from = URI.create(origin).getAuthority();
            // behind a reverse proxy the browser's host is the forwarded one (a page cannot set that header)
            for (String host : new String[] {ctx.header("Host"), ctx.header("X-Forwarded-Host")}) {
                if (from != null && host != null && from.equalsIgnoreCase(host.strip())) {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static boolean bears(Context ctx, String token) {
        String auth = ctx.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(auth.substring(7).strip().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static void health(Context ctx, ServeContext sc) {
        var counts = sc.platform().uploads().countByStatus(); // a store that cannot answer makes this a 503
        Http.json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("status", "ok");
            g.writeStringField("version", sc.platform().options().godiagVersion());
            g.writeStringField("started", sc.startedAt().toString());
            g.writeBooleanField("read_only", sc.readOnly());
            g.writeBooleanField("guard", sc.guard() != null);
            g.writeObjectFieldStart("uploads");
            for (var e : counts.entrySet()) {
                g.writeNumberField(e.getKey().key(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("analysis_queue", sc.platform().queued());
            g.writeNumberField("analyses_running", sc.platform().running());
            g.writeEndObject();
        });
    }

    /** The pages' own files, by name: nothing else under /static is served. */
    private static final java.util.Map<String, String> STATIC = java.util.Map.of(
            "godiag.css", "text/css; charset=utf-8", "godiag.js", "text/javascript; charset=utf-8",
            "kb.js", "text/javascript; charset=utf-8", "upload.js", "text/javascript; charset=utf-8");

    private static void staticFile(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        String type = STATIC.get(name);
        if (type == null) {
            throw new Http.ClientError(404, "no such file: /static/" + name);
        }
        try (InputStream in = ServeServer.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("static/" + name + " is missing from the jar");
            }
            ctx.contentType(type).header("Cache-Control", "public, max-age=300").result(in.readAllBytes());
        }
    }

    private static volatile String openApi;

    private static String openApi() {
        String doc = openApi;
        if (doc == null) {
            try (InputStream in = ServeServer.class.getResourceAsStream("openapi.json")) {
                if (in == null) {
                    throw new IllegalStateException("openapi.json is missing from the jar");
                }
                doc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            openApi = doc;
        }
        return doc;
    }

    @Override
    public void close() {
        app.stop();
    }
}
