package dev.godiag.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.engine.DiffRequest;
import dev.godiag.engine.DiffResult;
import dev.godiag.engine.FlameRequest;
import dev.godiag.format.Source;
import dev.godiag.report.DiffRenderers;
import dev.godiag.report.FlameHtmlRenderer;
import dev.godiag.store.UploadRepository;
import dev.godiag.store.UploadRepository.Status;
import dev.godiag.util.BadInputException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upload API: uploads in (multipart or a raw body), their status and files, reports in every
 * format, the history and its search, a compare of two uploads, and a new analysis of one.
 */
final class UploadApi {
    /** How long a report request waits for a pending analysis by default. */
    static final int DEFAULT_REPORT_WAIT_SECONDS = 30;
    private static final int MAX_HISTORY = 500;
    private static final int MAX_LABELS = 50;

    private UploadApi() {
    }

    static void register(RoutesConfig routes, ServeContext sc) {
        routes.post("/api/uploads", ctx -> create(ctx, sc));
        routes.get("/api/uploads", ctx -> history(ctx, sc));
        routes.get("/api/uploads/{id}", ctx -> Http.json(ctx, g -> writeUpload(g, sc, found(sc, ctx), true)));
        routes.get("/api/uploads/{id}/report", ctx -> report(ctx, sc));
        routes.get("/api/uploads/{id}/files/{position}", ctx -> file(ctx, sc));
        routes.post("/api/uploads/{id}/reanalyse", ctx -> {
            UploadRepository.Upload u = found(sc, ctx);
            sc.platform().reanalyse(u.id());
            Http.json(ctx, 202, g -> writeUpload(g, sc, sc.platform().uploads().upload(u.id()).orElseThrow(), false));
        });
        routes.get("/api/compare", ctx -> compare(ctx, sc));
    }

    // ---- in

    /** How long an upload waits for one of the platform's upload slots before it is asked to retry. */
    private static final int SLOT_WAIT_SECONDS = 60;

    private static void create(Context ctx, ServeContext sc) throws InterruptedException {
        java.util.concurrent.Semaphore slots = sc.platform().uploadSlots();
        if (!slots.tryAcquire(SLOT_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
            ctx.header("Retry-After", "10");
            throw new Http.ClientError(503, "the server is reading " + Platform.UPLOAD_SLOTS
                    + " uploads already; retry later");
        }
        try {
            long declared = ctx.req().getContentLengthLong();
            // the body is held in memory while it is read and stored: its share of the budget first
            long share = Math.min(declared > 0 ? declared : sc.maxUploadBytes(),
                    sc.platform().options().memoryBudgetBytes() / 2);
            try (Platform.Reservation body = sc.platform().reserve(share, "an upload")) {
                createAdmitted(ctx, sc);
            }
        } finally {
            slots.release();
        }
    }

    private static void createAdmitted(Context ctx, ServeContext sc) throws InterruptedException {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        List<Platform.Part> parts = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        if (contentType.startsWith("multipart/form-data")) {
            List<UploadedFile> files;
            try {
                files = ctx.uploadedFiles("file");
                for (String name : List.of("service", "version", "labels")) {
                    String v = ctx.formParam(name);
                    if (v != null) {
                        fields.put(name, v);
                    }
                }
            } catch (Exception e) { // Jetty's parser throws ServletException (undeclared, through Kotlin)
                // Jetty drops the connection after a bad multipart body: say so, or clients reuse it and fail
                ctx.header("Connection", "close");
                throw multipartProblem(e, sc);
            }
            if (files.isEmpty()) {
                throw new Http.ClientError(400, "a multipart upload needs one or more 'file' parts");
            }
            for (UploadedFile f : files) {
                try (InputStream in = f.content()) {
                    parts.add(new Platform.Part(partName(f.filename()), readBounded(in, sc.maxUploadBytes())));
                } catch (IOException e) {
                    throw new Http.ClientError(400, "the upload could not be read: " + e.getMessage());
                }
            }
        } else {
            String name = Http.param(ctx, "name");
            try (InputStream in = ctx.req().getInputStream()) {
                parts.add(new Platform.Part(partName(name == null ? "upload" : name),
                        readBounded(in, sc.maxUploadBytes())));
            } catch (IOException e) {
                throw new Http.ClientError(400, "the upload could not be read: " + e.getMessage());
            }
        }
        for (String name : List.of("service", "version", "labels")) {
            String q = Http.param(ctx, name);
            if (q != null) {
                fields.putIfAbsent(name, q);
            }
        }
        Platform.Meta meta = new Platform.Meta(name(fields.get("service"), "service"),
                name(fields.get("version"), "version"), labels(fields.get("labels")));
        ingestAndAnswer(ctx, sc, parts, meta, "upload");
    }

    /**
     * Takes the parts in and answers as POST /api/uploads does: 201 with the upload (after up to
     * {@code ?wait=} seconds of its analysis), or 422 when it was refused.
     */
    static void ingestAndAnswer(Context ctx, ServeContext sc, List<Platform.Part> parts, Platform.Meta meta,
                                String origin) throws InterruptedException {
        UploadRepository.Upload u;
        try {
            u = sc.platform().ingest(parts, meta, origin);
        } catch (Platform.RefusedUpload e) {
            refused(ctx, e);
            return;
        }
        int wait = Http.intParam(ctx, "wait", 0, 0, 300);
        if (wait > 0) {
            u = sc.platform().await(u.id(), Duration.ofSeconds(wait)).orElseThrow();
        }
        UploadRepository.Upload answer = u;
        ctx.header("Location", "/api/uploads/" + u.id());
        Http.json(ctx, 201, g -> writeUpload(g, sc, answer, false));
    }

    /** A refused upload: 422 with the error, and where its record is (it is stored as failed). */
    static void refused(Context ctx, Platform.RefusedUpload e) {
        Http.json(ctx, 422, g -> {
            g.writeStartObject();
            g.writeStringField("error", e.getMessage());
            g.writeStringField("id", e.id());
            g.writeStringField("status", Status.FAILED.key());
            g.writeStringField("url", "/uploads/" + e.id());
            g.writeEndObject();
        });
    }

    private static Http.ClientError multipartProblem(Exception e, ServeContext sc) {
        if (e instanceof Http.ClientError c) {
            return c;
        }
        String m = String.valueOf(e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            m = String.valueOf(t.getMessage());
            String lower = m.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("size") || lower.contains("exceed") || lower.contains("too large")) {
                return new Http.ClientError(413, "the upload is larger than the limit of " + sc.maxUploadBytes()
                        + " bytes");
            }
        }
        return new Http.ClientError(400, "malformed multipart body: " + m.replaceFirst("^\\d{3}: ", ""));
    }

    /** Reads at most {@code limit} bytes; more is refused, without reading the rest. */
    static byte[] readBounded(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > limit) {
                throw new Http.ClientError(413, "the upload is larger than the limit of " + limit + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** A part's file name as the user gave it, its path dropped (browsers may send C:\dir\cpu.pprof). */
    static String partName(String name) {
        if (name == null || name.isBlank()) {
            return "upload";
        }
        String n = name.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}]", "").strip();
        if (n.isEmpty() || n.equals(".") || n.equals("..")) {
            return "upload";
        }
        return n.length() > 200 ? n.substring(0, 200) : n;
    }

    /** A service or version name: null when blank; at most 200 characters without control characters. */
    static String name(String v, String what) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String s = v.strip();
        if (s.length() > 200 || s.chars().anyMatch(Character::isISOControl)) {
            throw new Http.ClientError(400, what + " must be at most 200 characters without control characters");
        }
        return s;
    }

    /** {@code k=v,k=v}: names of letters, digits and {@code . _ -}; values free text. */
    static Map<String, String> labels(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = (eq < 0 ? pair : pair.substring(0, eq)).strip();
            String v = eq < 0 ? "" : pair.substring(eq + 1).strip();
            label(out, k, v);
        }
        return out;
    }

    /** Adds one label: names of letters, digits and {@code . _ -}; values free text; at most 50 labels. */
    static void label(Map<String, String> labels, String k, String v) {
        if (!k.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new Http.ClientError(400, "labels: '" + k + "' is not a label name (letters, digits, . _ -;"
                    + " labels are k=v,k=v)");
        }
        if (v.length() > 500 || v.chars().anyMatch(Character::isISOControl)) {
            throw new Http.ClientError(400, "labels: the value of " + k
                    + " must be at most 500 characters without control characters");
        }
        labels.put(k, v);
        if (labels.size() > MAX_LABELS) {
            throw new Http.ClientError(400, "labels: at most " + MAX_LABELS + " labels");
        }
    }

    // ---- out

    static UploadRepository.Upload found(ServeContext sc, Context ctx) {
        String id = ctx.pathParam("id");
        return sc.platform().uploads().upload(id)
                .orElseThrow(() -> new Http.ClientError(404, "no upload " + id));
    }

    private static void report(Context ctx, ServeContext sc) throws InterruptedException {
        String format = Http.param(ctx, "format");
        format = format == null ? "json" : format;
        if (!Platform.REPORT_FORMATS.contains(format) && !format.equals(Platform.TRACE_PAGE)) {
            throw new Http.ClientError(400, "format must be one of " + String.join(", ", Platform.REPORT_FORMATS)
                    + " (or " + Platform.TRACE_PAGE + ", the page of an upload's execution trace), not " + format);
        }
        UploadRepository.Upload u = found(sc, ctx);
        int wait = Http.intParam(ctx, "wait", DEFAULT_REPORT_WAIT_SECONDS, 0, 300);
        if (u.status() == Status.PENDING && wait > 0) {
            u = sc.platform().await(u.id(), Duration.ofSeconds(wait)).orElseThrow();
        }
        switch (u.status()) {
            case PENDING -> {
                String progress = sc.platform().progress(u.id());
                ctx.header("Retry-After", "2");
                throw new Http.ClientError(409, "upload " + u.id() + " is not analysed yet"
                        + (progress == null ? "" : " (" + progress + ")"));
            }
            case FAILED -> throw new Http.ClientError(422, "upload " + u.id() + " failed: " + u.error());
            default -> {
            }
        }
        Optional<byte[]> body = sc.platform().uploads().report(u.id(), format);
        if (body.isEmpty()) {
            throw new Http.ClientError(404, "upload " + u.id() + " has no " + format + " report");
        }
        if (format.equals("html") || format.equals(Platform.TRACE_PAGE)) {
            ctx.header("Content-Security-Policy", Page.REPORT_CSP);
        }
        ctx.contentType(switch (format) {
            case "html", Platform.TRACE_PAGE -> "text/html; charset=utf-8";
            case "markdown" -> "text/markdown; charset=utf-8";
            case "text" -> "text/plain; charset=utf-8";
            default -> "application/json; charset=utf-8";
        }).result(body.get());
    }

    private static void file(Context ctx, ServeContext sc) {
        UploadRepository.Upload u = found(sc, ctx);
        int position;
        try {
            position = Integer.parseInt(ctx.pathParam("position"));
        } catch (NumberFormatException e) {
            throw new Http.ClientError(404, "no file " + ctx.pathParam("position") + " in upload " + u.id());
        }
        UploadRepository.StoredFile f = sc.platform().uploads().files(u.id()).stream()
                .filter(x -> x.position() == position).findFirst()
                .orElseThrow(() -> new Http.ClientError(404, "no file " + position + " in upload " + u.id()));
        byte[] data = sc.platform().uploads().fileContent(u.id(), position).orElseThrow();
        String safe = f.name().replaceAll(".*/", "").replaceAll("[^A-Za-z0-9._-]", "_");
        ctx.contentType("application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + safe + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .result(data);
    }

    private static void history(Context ctx, ServeContext sc) {
        String status = Http.param(ctx, "status");
        Status st = null;
        if (status != null) {
            try {
                st = Status.valueOf(status.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Http.ClientError(400, "status must be pending, done or failed, not " + status);
            }
        }
        UploadRepository.HistoryQuery q = new UploadRepository.HistoryQuery(Http.param(ctx, "service"),
                Http.param(ctx, "label"), Http.param(ctx, "kind"), Http.param(ctx, "rule"),
                Http.timeParam(ctx, "since"), Http.timeParam(ctx, "until"), st, Http.param(ctx, "before"),
                Http.intParam(ctx, "limit", 50, 1, MAX_HISTORY));
        List<UploadRepository.Upload> found = sc.platform().uploads().history(q);
        Http.json(ctx, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("uploads");
            for (UploadRepository.Upload u : found) {
                writeUpload(g, sc, u, false);
            }
            g.writeEndArray();
            if (found.size() == q.limit()) {
                g.writeStringField("next", "before=" + found.get(found.size() - 1).id());
            }
            g.writeEndObject();
        });
    }

    /** An upload as the API shows it; {@code full} adds its files and findings. */
    static void writeUpload(JsonGenerator g, ServeContext sc, UploadRepository.Upload u, boolean full)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("id", u.id());
        g.writeStringField("status", u.status().key());
        g.writeStringField("url", "/uploads/" + u.id());
        g.writeStringField("created", u.createdAt().toString());
        Http.field(g, "service", u.service());
        Http.field(g, "version", u.version());
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> l : new java.util.TreeMap<>(u.labels()).entrySet()) {
            g.writeStringField(l.getKey(), l.getValue());
        }
        g.writeEndObject();
        g.writeStringField("origin", u.origin());
        if (u.error() != null) {
            g.writeStringField("error", u.error());
        }
        if (u.status() == Status.PENDING) {
            Http.field(g, "progress", sc.platform().progress(u.id()));
        }
        g.writeArrayFieldStart("kinds");
        for (String k : u.kinds()) {
            g.writeString(k);
        }
        g.writeEndArray();
        if (u.analysedAt() != null) {
            g.writeObjectFieldStart("analysis");
            g.writeStringField("at", u.analysedAt().toString());
            if (u.analysisMs() != null) {
                g.writeNumberField("ms", u.analysisMs());
            }
            Http.field(g, "godiag_version", u.godiagVersion());
            if (u.findingCount() != null) {
                g.writeNumberField("findings", u.findingCount());
            }
            Http.field(g, "worst_severity", u.worstSeverity());
            g.writeEndObject();
        }
        if (u.status() == Status.DONE) {
            g.writeObjectFieldStart("reports");
            for (String f : Platform.REPORT_FORMATS) {
                g.writeStringField(f, "/api/uploads/" + u.id() + "/report?format=" + f);
            }
            g.writeEndObject();
        }
        if (full) {
            g.writeArrayFieldStart("files");
            for (UploadRepository.StoredFile f : sc.platform().uploads().files(u.id())) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                g.writeStringField("kind", f.kind());
                g.writeNumberField("bytes", f.sizeBytes());
                g.writeStringField("sha256", f.sha256());
                g.writeStringField("url", "/api/uploads/" + u.id() + "/files/" + f.position());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("findings");
            for (UploadRepository.FindingRow f : sc.platform().uploads().findings(u.id())) {
                g.writeStartObject();
                g.writeStringField("rule", f.rule());
                g.writeStringField("severity", f.severity());
                g.writeNumberField("score", f.score());
                g.writeStringField("title", f.title());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    // ---- compare

    /** The profile kinds a compare picks from, in the order it prefers them. */
    static final List<String> COMPARABLE = List.of("cpu", "heap", "allocs", "block", "mutex", "goroutines",
            "threadcreate");

    private static void compare(Context ctx, ServeContext sc) throws IOException {
        String baseId = Http.param(ctx, "base");
        String newId = Http.param(ctx, "new");
        if (baseId == null || newId == null) {
            throw new Http.ClientError(400, "compare needs base={id}&new={id}");
        }
        String format = Http.param(ctx, "format");
        format = format == null ? "json" : format;
        if (!List.of("json", "html", "markdown", "text").contains(format)) {
            throw new Http.ClientError(400, "format must be json, html, markdown or text, not " + format);
        }
        Comparison c = comparison(sc, baseId, newId, Http.param(ctx, "kind"), format.equals("html"));
        DiffResult r = c.result();
        switch (format) {
            case "html" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                FlameHtmlRenderer.write(r.flameGraph().tree(), r.flameGraph().page(), r.flameGraph().diff(), out);
                ctx.contentType("text/html; charset=utf-8").header("Content-Security-Policy", Page.REPORT_CSP)
                        .result(out.toByteArray());
            }
            case "markdown" -> ctx.contentType("text/markdown; charset=utf-8").result(DiffRenderers.markdown(r.view()));
            case "text" -> ctx.contentType("text/plain; charset=utf-8").result(DiffRenderers.text(r.view()));
            default -> ctx.contentType("application/json; charset=utf-8").result(DiffRenderers.json(r.view()));
        }
    }

    /** A diff of two uploads' profiles of one kind, and what was compared. */
    record Comparison(String kind, String baseName, String newName, DiffResult result) {
    }

    /**
     * {@code godiag diff} of the last profile of {@code kind} in each upload (when kind is null: the
     * first kind both hold, CPU first).
     */
    static Comparison comparison(ServeContext sc, String baseId, String newId, String kind, boolean page) {
        UploadRepository repo = sc.platform().uploads();
        UploadRepository.Upload base = repo.upload(baseId).orElseThrow(() -> new Http.ClientError(404,
                "no upload " + baseId));
        UploadRepository.Upload neu = repo.upload(newId).orElseThrow(() -> new Http.ClientError(404,
                "no upload " + newId));
        List<UploadRepository.StoredFile> bf = repo.files(base.id());
        List<UploadRepository.StoredFile> nf = repo.files(neu.id());
        String k = kind;
        if (k == null) {
            k = COMPARABLE.stream().filter(x -> has(bf, x) && has(nf, x)).findFirst()
                    .orElseThrow(() -> new Http.ClientError(422, "uploads " + base.id() + " and " + neu.id()
                            + " hold no profile of one kind to compare (analysed kinds: "
                            + String.join(",", base.kinds()) + " and " + String.join(",", neu.kinds()) + ")"));
        } else if (!COMPARABLE.contains(k)) {
            throw new Http.ClientError(400, "kind must be one of " + String.join(", ", COMPARABLE) + ", not " + k);
        }
        UploadRepository.StoredFile b = last(bf, k, base.id());
        UploadRepository.StoredFile n = last(nf, k, neu.id());
        Source bs = new Source.Bytes(base.id() + "/" + b.name(), repo.fileContent(base.id(), b.position()).orElseThrow());
        Source ns = new Source.Bytes(neu.id() + "/" + n.name(), repo.fileContent(neu.id(), n.position()).orElseThrow());
        DiffRequest d = DiffRequest.of(bs, ns);
        DiffRequest request = new DiffRequest(d.query(), d.nodeCount(), d.unit(), page, FlameRequest.DEFAULT_MAX_NODES,
                k + ": " + base.id() + " → " + neu.id());
        try {
            return new Comparison(k, bs.name(), ns.name(), sc.platform().engine().diff(request));
        } catch (BadInputException e) {
            throw new Http.ClientError(422, e.getMessage());
        }
    }

    private static boolean has(List<UploadRepository.StoredFile> files, String kind) {
        return files.stream().anyMatch(f -> f.kind().equals(kind));
    }

    private static UploadRepository.StoredFile last(List<UploadRepository.StoredFile> files, String kind, String id) {
        UploadRepository.StoredFile found = null;
        for (UploadRepository.StoredFile f : files) {
            if (f.kind().equals(kind)) {
                found = f;
            }
        }
        if (found == null) {
            throw new Http.ClientError(422, "upload " + id + " holds no " + kind + " profile");
        }
        return found;
    }
}
