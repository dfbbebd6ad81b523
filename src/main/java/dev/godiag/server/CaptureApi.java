package dev.godiag.server;

import dev.godiag.util.BadInputException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Capture from a live service: {@code POST /api/captures} with {@code {"url", "service", "version",
 * "labels", "seconds"}} fetches the service's /debug/pprof/ endpoints (only from hosts on the
 * operator's allowlist, {@link LiveCapture}) and takes what it fetched in as an upload whose origin
 * is the URL. A few captures run at once: each may hold a connection for a CPU profile's seconds,
 * so more are refused rather than queued.
 */
final class CaptureApi {
    /** Captures fetching at once, per server. */
    static final int MAX_CONCURRENT = 4;
    static final int DEFAULT_CPU_SECONDS = 5;
    private static final long MAX_BODY = 64 * 1024;
    private static final int MAX_URL = 2_000;
    private static final String WHAT = "the capture request";
    private static final List<String> FIELDS = List.of("url", "service", "version", "labels", "seconds");

    private CaptureApi() {
    }

    static void register(RoutesConfig routes, ServeContext sc) {
        Semaphore fetching = new Semaphore(MAX_CONCURRENT);
        routes.post("/api/captures", ctx -> create(ctx, sc, fetching));
    }

    private static void create(Context ctx, ServeContext sc, Semaphore fetching) throws InterruptedException {
        if (!sc.capture().enabled()) {
            throw new Http.ClientError(403, "capture from a URL is disabled: the server was started without"
                    + " --capture-allow");
        }
        Map<String, Object> body = JsonRequest.object(JsonRequest.body(ctx, MAX_BODY), WHAT);
        JsonRequest.onlyFields(body, FIELDS, WHAT);
        String url = JsonRequest.string(body, "url", WHAT);
        if (url == null || url.isBlank()) {
            throw new Http.ClientError(400, WHAT + " needs a url: a /debug/pprof/ base such as"
                    + " http://host:6060/debug/pprof/, or one profile endpoint under it");
        }
        if (url.length() > MAX_URL) {
            throw new Http.ClientError(400, WHAT + ": the url is longer than " + MAX_URL + " characters");
        }
        int seconds = seconds(body.get("seconds"));
        Platform.Meta meta = new Platform.Meta(UploadApi.name(JsonRequest.string(body, "service", WHAT), "service"),
                UploadApi.name(JsonRequest.string(body, "version", WHAT), "version"), labels(body.get("labels")));

        LiveCapture.Approved approved;
        try {
            approved = sc.capture().approve(url, seconds);
        } catch (BadInputException e) {
            throw new Http.ClientError(403, e.getMessage());
        }
        if (!fetching.tryAcquire()) {
            ctx.header("Retry-After", "5");
            throw new Http.ClientError(429, MAX_CONCURRENT + " captures are running on this server; try again"
                    + " when one has finished");
        }
        List<Platform.Part> parts = new ArrayList<>();
        try {
            for (LiveCapture.Fetched f : sc.capture().fetch(approved, sc.platform().engine().context().limits())) {
                parts.add(new Platform.Part(f.name(), f.data()));
            }
        } catch (BadInputException e) {
            throw new Http.ClientError(502, "the service could not be captured: " + e.getMessage());
        } finally {
            fetching.release();
        }
        UploadApi.ingestAndAnswer(ctx, sc, parts, meta, approved.url().strip());
    }

    /** The CPU profile's length: a whole number of seconds, 0 for none, the default when absent. */
    private static int seconds(Object v) {
        if (v == null) {
            return DEFAULT_CPU_SECONDS;
        }
        if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0
                && ((Number) v).longValue() <= 300) {
            return ((Number) v).intValue();
        }
        throw new Http.ClientError(400, WHAT + ": seconds must be a whole number from 0 (no CPU profile) to 300,"
                + " not " + v);
    }

    private static Map<String, String> labels(Object v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new Http.ClientError(400, WHAT + ": labels must be an object of names to strings");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new Http.ClientError(400, WHAT + ": the label " + e.getKey() + " must have a string value");
            }
            UploadApi.label(out, String.valueOf(e.getKey()), s.strip());
        }
        return out;
    }
}
