package dev.godiag.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.store.UploadRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Services: what the platform knows of each (its uploads, the link template of its source lines),
 * its trend (the numbers of each analysed upload as chart series, and the gate results over time),
 * and the gate results CI posts ({@code godiag gate --format json} as it printed it).
 */
final class ServiceApi {
    /** The largest gate result accepted: a gate over thousands of benchmarks is well under 1 MiB. */
    static final long MAX_GATE_BYTES = 4L << 20;
    private static final long MAX_SETTINGS_BYTES = 16 * 1024;
    private static final int MAX_TEMPLATE = 2_000;
    private static final int LATEST_UPLOADS = 20;
    private static final String GATE = "the gate result";

    /** The numbers a trend draws besides the CPU shares, in order, with their units. */
    private static final Map<String, String> SERIES = orderedUnits();

    private static Map<String, String> orderedUnits() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("goroutines", "goroutines");
        m.put("heap_inuse_bytes", "bytes");
        m.put("cpu_seconds", "seconds");
        return m;
    }

    private static final String CPU_SHARE = "cpu_share:";

    private ServiceApi() {
    }

    static void register(RoutesConfig routes, ServeContext sc) {
        routes.get("/api/services", ctx -> list(ctx, sc));
        routes.get("/api/services/{name}", ctx -> show(ctx, sc));
        routes.put("/api/services/{name}", ctx -> settings(ctx, sc));
        routes.get("/api/services/{name}/trend", ctx -> trend(ctx, sc));
        routes.post("/api/services/{name}/gates", ctx -> postGate(ctx, sc));
        routes.get("/api/services/{name}/gates", ctx -> gates(ctx, sc));
    }

    private static void list(Context ctx, ServeContext sc) {
        List<UploadRepository.Service> services = sc.platform().uploads().services();
        Http.json(ctx, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("services");
            for (UploadRepository.Service s : services) {
                writeService(g, s);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** A service's fields, its object left open for more. */
    private static void writeService(JsonGenerator g, UploadRepository.Service s) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", s.name());
        Http.field(g, "source_url", s.sourceUrl());
        g.writeNumberField("uploads", s.uploads());
        Http.field(g, "last_upload", s.lastUpload() == null ? null : s.lastUpload().toString());
        g.writeStringField("url", "/services/" + path(s.name()));
    }

    private static void show(Context ctx, ServeContext sc) {
        UploadRepository.Service s = found(ctx, sc);
        UploadRepository repo = sc.platform().uploads();
        List<UploadRepository.Upload> latest = repo.history(new UploadRepository.HistoryQuery(s.name(), null, null,
                null, null, null, null, null, LATEST_UPLOADS));
        List<UploadRepository.GateRow> gate = repo.gates(s.name(), 1);
        String api = "/api/services/" + path(s.name());
        Http.json(ctx, g -> {
            writeService(g, s);
            g.writeArrayFieldStart("latest_uploads");
            for (UploadRepository.Upload u : latest) {
                UploadApi.writeUpload(g, sc, u, false);
            }
            g.writeEndArray();
            g.writeFieldName("latest_gate");
            if (gate.isEmpty()) {
                g.writeNull();
            } else {
                writeGate(g, gate.get(0), false);
            }
            g.writeObjectFieldStart("links");
            g.writeStringField("history", "/api/uploads?service=" + query(s.name()));
            g.writeStringField("trend", api + "/trend");
            g.writeStringField("gates", api + "/gates");
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    // ---- the source link template

    private static void settings(Context ctx, ServeContext sc) {
        String name = serviceName(ctx);
        String what = "the service settings";
        Map<String, Object> body = JsonRequest.object(JsonRequest.body(ctx, MAX_SETTINGS_BYTES), what);
        JsonRequest.onlyFields(body, List.of("source_url"), what);
        if (!body.containsKey("source_url")) {
            throw new Http.ClientError(400, what + " need source_url: a link template such as"
                    + " https://git.example.com/org/repo/blob/{version}/{file}#L{line}, or null to remove it");
        }
        String template = checkTemplate(JsonRequest.string(body, "source_url", what));
        sc.platform().uploads().setSourceUrl(name, template);
        UploadRepository.Service s = sc.platform().uploads().service(name).orElseThrow();
        Http.json(ctx, g -> {
            writeService(g, s);
            g.writeEndObject();
        });
    }

    /**
     * A source link template as the analyses use it: an http(s) URL with {file} (and optionally
     * {line} and {version}) in place of the finding's values; null or blank removes it.
     */
    static String checkTemplate(String template) {
        if (template == null || template.isBlank()) {
            return null;
        }
        String t = template.strip();
        String problem = null;
        if (t.length() > MAX_TEMPLATE) {
            problem = "is longer than " + MAX_TEMPLATE + " characters";
        } else if (t.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            problem = "has spaces or control characters";
        } else if (!t.contains("{file}")) {
            problem = "has no {file}: the link needs the finding's file";
        } else {
            String unknown = t.replaceAll("\\{(file|line|version)}", "");
            if (unknown.contains("{") || unknown.contains("}")) {
                problem = "has a placeholder other than {version}, {file} and {line}";
            } else {
                try {
                    URI u = new URI(t.replace("{file}", "f").replace("{line}", "1").replace("{version}", "v"));
                    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                    if (!scheme.equals("http") && !scheme.equals("https")) {
                        problem = "is not an http or https URL";
                    } else if (u.getHost() == null) {
                        problem = "has no host";
                    }
                } catch (URISyntaxException e) {
                    problem = "is not a URL (" + e.getReason() + ")";
                }
            }
        }
        if (problem != null) {
            throw new Http.ClientError(400, "source_url " + problem + "; give a template such as"
                    + " https://git.example.com/org/repo/blob/{version}/{file}#L{line}");
        }
        return t;
    }

    // ---- trend

    private static void trend(Context ctx, ServeContext sc) {
        UploadRepository.Service s = found(ctx, sc);
        Instant since = Http.timeParam(ctx, "since");
        int limit = Http.intParam(ctx, "limit", 200, 1, 2_000);
        UploadRepository repo = sc.platform().uploads();
        List<UploadRepository.MetricPoint> points = repo.serviceMetrics(s.name(), since, limit);
        List<UploadRepository.GateRow> gates = new ArrayList<>(repo.gates(s.name(), limit).stream()
                .filter(r -> since == null || !r.createdAt().isBefore(since)).toList());
        java.util.Collections.reverse(gates);

        Map<String, List<UploadRepository.MetricPoint>> byName = new TreeMap<>();
        List<UploadRepository.MetricPoint> uploads = new ArrayList<>();
        for (UploadRepository.MetricPoint p : points) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
            if (uploads.isEmpty() || !uploads.get(uploads.size() - 1).uploadId().equals(p.uploadId())) {
                uploads.add(p);
            }
        }
        // the functions whose CPU share was largest first: the chart's legend reads from the top
        List<String> shares = byName.keySet().stream().filter(n -> n.startsWith(CPU_SHARE))
                .sorted(Comparator.comparingDouble((String n) -> -byName.get(n).stream()
                        .mapToDouble(UploadRepository.MetricPoint::value).max().orElse(0)).thenComparing(n -> n))
                .toList();
        Http.json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("service", s.name());
            g.writeArrayFieldStart("uploads");
            for (UploadRepository.MetricPoint p : uploads) {
                g.writeStartObject();
                g.writeStringField("id", p.uploadId());
                g.writeStringField("at", p.at().toString());
                Http.field(g, "version", p.version());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("series");
            for (Map.Entry<String, String> e : SERIES.entrySet()) {
                if (byName.containsKey(e.getKey())) {
                    writeSeries(g, e.getKey(), e.getValue(), null, byName.get(e.getKey()));
                }
            }
            for (String n : shares) {
                writeSeries(g, n, "fraction", n.substring(CPU_SHARE.length()), byName.get(n));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("gates");
            for (UploadRepository.GateRow r : gates) {
                writeGate(g, r, false);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void writeSeries(JsonGenerator g, String name, String unit, String function,
                                    List<UploadRepository.MetricPoint> points) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("unit", unit);
        if (function != null) {
            g.writeStringField("function", function);
        }
        g.writeArrayFieldStart("points");
        for (UploadRepository.MetricPoint p : points) {
            g.writeStartObject();
            g.writeStringField("upload", p.uploadId());
            g.writeStringField("at", p.at().toString());
            Http.field(g, "version", p.version());
            g.writeNumberField("value", p.value());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    // ---- gate results

    /** What a posted gate result says: its verdict and the one-line summary the history shows. */
    record GateVerdict(boolean passed, String summary) {
    }

    private static void postGate(Context ctx, ServeContext sc) {
        String name = serviceName(ctx);
        String version = UploadApi.name(Http.param(ctx, "version"), "version");
        Map<String, String> labels = UploadApi.labels(Http.param(ctx, "labels"));
        byte[] body = JsonRequest.body(ctx, MAX_GATE_BYTES);
        Object parsed = JsonRequest.parse(body, GATE);
        GateVerdict v = verdict(parsed);
        // stored as JSON written here (compact, every string escaped), so it embeds safely in answers
        String content = JsonRequest.write(parsed);
        long id = sc.platform().uploads().saveGate(name, version, v.passed(), v.summary(), labels, content);
        UploadRepository.GateRow row = sc.platform().uploads().gates(name, 50).stream()
                .filter(r -> r.id() == id).findFirst().orElseThrow();
        ctx.header("Location", "/api/services/" + path(name) + "/gates");
        Http.json(ctx, 201, g -> writeGate(g, row, false));
    }

    /**
     * The verdict of {@code godiag gate --format json}'s output (GateRenderers.json): "verdict" pass
     * or fail, "metrics" each with its name and regression and improvement flags, an optional
     * "memoryTrend" with "failed". Anything else is refused, so only gate results are stored.
     */
    static GateVerdict verdict(Object parsed) {
        if (!(parsed instanceof Map<?, ?> root)) {
            throw notGate("not a JSON object");
        }
        Object verdict = root.get("verdict");
        if (!"pass".equals(verdict) && !"fail".equals(verdict)) {
            throw notGate("no \"verdict\" of \"pass\" or \"fail\"");
        }
        if (!(root.get("metrics") instanceof List<?> metrics)) {
            throw notGate("no \"metrics\" array");
        }
        int regressions = 0;
        int improvements = 0;
        for (int i = 0; i < metrics.size(); i++) {
            if (!(metrics.get(i) instanceof Map<?, ?> m)
                    || !(m.get("benchmark") instanceof String || m.get("metric") instanceof String)
                    || !(m.get("regression") instanceof Boolean r) || !(m.get("improvement") instanceof Boolean up)) {
                throw notGate("metrics[" + i + "] is not a compared metric (a \"benchmark\" or \"metric\" name with"
                        + " \"regression\" and \"improvement\" flags)");
            }
            regressions += r ? 1 : 0;
            improvements += up ? 1 : 0;
        }
        boolean trendFailed = false;
        if (root.get("memoryTrend") != null) {
            if (!(root.get("memoryTrend") instanceof Map<?, ?> t) || !(t.get("failed") instanceof Boolean f)) {
                throw notGate("\"memoryTrend\" has no \"failed\" flag");
            }
            trendFailed = f;
        }
        boolean passed = verdict.equals("pass");
        if (passed && (regressions > 0 || trendFailed)) {
            throw notGate("the verdict is pass with " + (trendFailed ? "a failed memory trend"
                    : plural(regressions, "regression")));
        }
        String summary = (passed ? "PASS: " : "FAIL: ") + plural(regressions, "regression") + ", "
                + plural(improvements, "improvement") + ", " + plural(metrics.size(), "metric")
                + (trendFailed ? ", memory trend failed" : "");
        return new GateVerdict(passed, summary);
    }

    private static Http.ClientError notGate(String problem) {
        return new Http.ClientError(400, GATE + " is not the output of godiag gate --format json: " + problem);
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static void gates(Context ctx, ServeContext sc) {
        UploadRepository.Service s = found(ctx, sc);
        List<UploadRepository.GateRow> rows = sc.platform().uploads().gates(s.name(),
                Http.intParam(ctx, "limit", 20, 1, 500));
        Http.json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("service", s.name());
            g.writeArrayFieldStart("gates");
            for (UploadRepository.GateRow r : rows) {
                writeGate(g, r, true);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** A gate result; {@code full} adds the gate's JSON as CI posted it, under "gate". */
    private static void writeGate(JsonGenerator g, UploadRepository.GateRow r, boolean full) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", r.id());
        g.writeStringField("service", r.service());
        g.writeStringField("created", r.createdAt().toString());
        Http.field(g, "version", r.version());
        g.writeBooleanField("passed", r.passed());
        g.writeStringField("summary", r.summary());
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> l : new TreeMap<>(r.labels()).entrySet()) {
            g.writeStringField(l.getKey(), l.getValue());
        }
        g.writeEndObject();
        if (full) {
            // written by JsonRequest.write when it was posted: embedded as it is
            g.writeFieldName("gate");
            g.writeRawValue(r.content());
        }
        g.writeEndObject();
    }

    // ---- helpers

    private static String serviceName(Context ctx) {
        String name = UploadApi.name(ctx.pathParam("name"), "the service name");
        if (name == null) {
            throw new Http.ClientError(400, "the service name is empty");
        }
        return name;
    }

    private static UploadRepository.Service found(Context ctx, ServeContext sc) {
        String name = serviceName(ctx);
        return sc.platform().uploads().service(name)
                .orElseThrow(() -> new Http.ClientError(404, "no service " + name));
    }

    private static String path(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
