package dev.godiag.server;

import dev.godiag.store.UploadRepository;
import dev.godiag.store.UploadRepository.GateRow;
import dev.godiag.store.UploadRepository.HistoryQuery;
import dev.godiag.store.UploadRepository.MetricPoint;
import dev.godiag.store.UploadRepository.Status;
import dev.godiag.store.UploadRepository.Upload;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The service pages: {@code /services} (every service with its latest state) and
 * {@code /services/{name}} (its history, trend charts and source link template, set by a form
 * posted to {@code /services/{name}/settings}). The form carries a per-server CSRF token that must
 * match the {@code godiag_csrf} cookie (SameSite=Strict, HttpOnly), on top of the origin check every
 * write passes ({@link ServeServer}).
 */
final class ServicePages {
    static final String CSRF_COOKIE = "godiag_csrf";
    static final String CSRF_FIELD = "csrf";
    static final int HISTORY = 50;
    static final int TREND_UPLOADS = 100;
    static final int TREND_GATES = 100;
    private static final int MAX_TEMPLATE = 2_000;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ServicePages() {
    }

    static void register(RoutesConfig routes, ServeContext sc) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String csrf = HexFormat.of().formatHex(random);
        routes.get("/services", ctx -> list(ctx, sc));
        routes.get("/services/{name}", ctx -> service(ctx, sc, csrf, null, null));
        routes.post("/services/{name}/settings", ctx -> settings(ctx, sc, csrf));
    }

    // ---- /services

    private static void list(Context ctx, ServeContext sc) {
        UploadRepository repo = sc.platform().uploads();
        List<UploadRepository.Service> services = repo.services();
        StringBuilder b = new StringBuilder(4096);
        b.append("<h1>Services</h1>");
        if (services.isEmpty()) {
            b.append("<p class=\"muted\">No service yet. An upload names its service with the <code>service</code>"
                    + " field (<code>curl -F file=@cpu.pprof -F service=orders …/api/uploads</code>), and CI's gate"
                    + " results with <code>POST /api/services/{name}/gates</code>.</p>");
            Page.send(ctx, 200, "Services", "/services", b.toString());
            return;
        }
        b.append("<div class=\"table-wrap\"><table class=\"services\"><thead><tr><th>Service</th><th>Uploads</th>")
                .append("<th>Last upload</th><th>Latest findings</th><th>Latest gate</th></tr></thead><tbody>");
        for (UploadRepository.Service s : services) {
            Optional<Upload> latest = repo.history(new HistoryQuery(s.name(), null, null, null, null, null,
                    Status.DONE, null, 1)).stream().findFirst();
            Optional<GateRow> gate = repo.gates(s.name(), 1).stream().findFirst();
            b.append("<tr><td><a href=\"").append(href(s.name())).append("\">").append(Page.esc(s.name()))
                    .append("</a></td><td>").append(s.uploads()).append("</td><td>")
                    .append(s.lastUpload() == null ? "<span class=\"muted\">none</span>" : time(s.lastUpload()))
                    .append("</td><td>");
            if (latest.isEmpty()) {
                b.append("<span class=\"muted\">no analysis yet</span>");
            } else {
                Upload u = latest.get();
                b.append("<a href=\"/uploads/").append(Page.esc(u.id())).append("\">").append(findings(u)).append("</a>");
            }
            b.append("</td><td>").append(gate.map(ServicePages::gateCell).orElse("<span class=\"muted\">none</span>"))
                    .append("</td></tr>");
        }
        b.append("</tbody></table></div>");
        Page.send(ctx, 200, "Services", "/services", b.toString());
    }

    private static String findings(Upload u) {
        Integer n = u.findingCount();
        if (n == null || n == 0 || u.worstSeverity() == null) {
            return "<span class=\"sev-ok\">ok</span> <span class=\"muted\">no findings</span>";
        }
        return severity(u.worstSeverity()) + " <span class=\"muted\">" + n + (n == 1 ? " finding" : " findings")
                + "</span>";
    }

    static String severity(String s) {
        String known = switch (s) {
            case "critical", "warning", "info", "ok" -> s;
            default -> "info";
        };
        return "<span class=\"sev-" + known + "\">" + Page.esc(s) + "</span>";
    }

    private static String gateCell(GateRow g) {
        return (g.passed() ? "<span class=\"sev-ok\">pass</span>" : "<span class=\"sev-critical\">fail</span>")
                + " <span class=\"muted\">" + (g.version() == null ? "" : Page.esc(g.version()) + " · ")
                + time(g.createdAt()) + "</span>";
    }

    // ---- /services/{name}

    private static void service(Context ctx, ServeContext sc, String csrf, String formError, String formValue) {
        String name = ctx.pathParam("name");
        UploadRepository repo = sc.platform().uploads();
        Optional<UploadRepository.Service> found = repo.service(name);
        if (found.isEmpty()) {
            Page.send(ctx, 404, "No such service", "/services", "<h1>No such service</h1><p>There is no service named <code>"
                    + Page.esc(name) + "</code>. <a href=\"/services\">All services</a></p>");
            return;
        }
        UploadRepository.Service s = found.get();
        String before = Http.param(ctx, "before");
        List<Upload> history = repo.history(new HistoryQuery(name, null, null, null, null, null, null, before,
                HISTORY + 1));
        boolean more = history.size() > HISTORY;
        if (more) {
            history = history.subList(0, HISTORY);
        }
        StringBuilder b = new StringBuilder(16384);
        b.append("<p class=\"crumbs\"><a href=\"/services\">Services</a> /</p><h1 class=\"service-name\">")
                .append(Page.esc(name)).append("</h1><p class=\"muted\">").append(s.uploads())
                .append(s.uploads() == 1 ? " upload" : " uploads");
        if (s.lastUpload() != null) {
            b.append(" · last ").append(time(s.lastUpload()));
        }
        b.append("</p>");

        b.append("<section id=\"trends\"><h2>Trends</h2>");
        trends(b, repo.serviceMetrics(name, null, TREND_UPLOADS), repo.gates(name, TREND_GATES));
        b.append("</section>");

        b.append("<section id=\"history\"><h2>History</h2>");
        if (history.isEmpty()) {
            b.append("<p class=\"muted\">No uploads").append(before == null ? "" : " older than that").append(".</p>");
        } else {
            historyTable(b, history);
        }
        if (more) {
            b.append("<p><a class=\"older\" href=\"").append(href(name)).append("?before=")
                    .append(Page.esc(url(history.get(history.size() - 1).id()))).append("#history\">Older uploads</a></p>");
        }
        b.append("</section>");

        b.append("<section id=\"source\"><h2>Source links</h2>");
        sourceForm(b, sc, s, csrf, formError, formValue);
        b.append("</section>");

        // the token the form must echo: readable only by this site's pages (HttpOnly, never sent cross-site)
        ctx.res().addHeader("Set-Cookie", CSRF_COOKIE + "=" + csrf + "; Path=/; SameSite=Strict; HttpOnly");
        ctx.header("Cache-Control", "no-store");
        Page.send(ctx, formError == null ? 200 : 400, name + " · service", "/services", b.toString());
    }

    private static void historyTable(StringBuilder b, List<Upload> history) {
        // the result before the inputs and labels: what a narrow screen shows without scrolling
        b.append("<div class=\"table-wrap\"><table class=\"history\"><thead><tr><th>Uploaded</th><th>Version</th>")
                .append("<th>Result</th><th>Inputs</th><th>Labels</th></tr></thead><tbody>");
        for (Upload u : history) {
            b.append("<tr data-upload=\"").append(Page.esc(u.id())).append("\"><td><a href=\"/uploads/")
                    .append(Page.esc(u.id())).append("\">").append(time(u.createdAt())).append("</a></td><td>")
                    .append(u.version() == null ? "<span class=\"muted\">–</span>" : "<code>" + Page.esc(u.version()) + "</code>")
                    .append("</td><td>");
            switch (u.status()) {
                case DONE -> b.append(findings(u));
                case PENDING -> b.append("<span class=\"muted\">analysing…</span>");
                case FAILED -> b.append("<span class=\"sev-critical\">failed</span> <span class=\"muted\">")
                        .append(Page.esc(u.error())).append("</span>");
            }
            b.append("</td><td>").append(Page.esc(String.join(", ", u.kinds()))).append("</td><td>");
            for (Map.Entry<String, String> l : new java.util.TreeMap<>(u.labels()).entrySet()) {
                b.append("<span class=\"label\">").append(Page.esc(l.getKey())).append('=').append(Page.esc(l.getValue()))
                        .append("</span> ");
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table></div>");
    }

    // ---- trend charts

    /** A metric name of a function's CPU share: {@code cpu_share:} then the function. */
    private static final String CPU_SHARE = "cpu_share:";
    static final int CPU_FUNCTIONS = TrendCharts.COLOURS;

    private static void trends(StringBuilder b, List<MetricPoint> points, List<GateRow> gatesNewestFirst) {
        // the uploads in time order (points come oldest first), each with its numbers by name
        Map<String, TrendCharts.Upload> uploads = new LinkedHashMap<>();
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        for (MetricPoint p : points) {
            uploads.putIfAbsent(p.uploadId(), new TrendCharts.Upload(p.uploadId(), p.at(), p.version()));
            values.computeIfAbsent(p.uploadId(), k -> new LinkedHashMap<>()).put(p.name(), p.value());
        }
        b.append("<div class=\"charts\">");
        single(b, "trend-goroutines", "Goroutines", TrendCharts.Unit.COUNT, "goroutines", uploads, values,
                "a goroutine dump or profile");
        single(b, "trend-heap", "Heap in use", TrendCharts.Unit.BYTES, "heap_inuse_bytes", uploads, values,
                "a heap profile, gctrace log or /debug/vars");
        cpu(b, uploads, values);
        if (gatesNewestFirst.isEmpty()) {
            empty(b, "Gate results", "No gate results yet: CI posts <code>godiag gate --format json</code> output to"
                    + " <code>POST /api/services/{name}/gates</code>.");
        } else {
            List<TrendCharts.Gate> gates = new ArrayList<>();
            for (int i = gatesNewestFirst.size() - 1; i >= 0; i--) {
                GateRow g = gatesNewestFirst.get(i);
                gates.add(new TrendCharts.Gate(g.createdAt(), g.version(), g.passed(), g.summary()));
            }
            b.append(TrendCharts.gates("trend-gates", gates));
        }
        b.append("</div>");
    }

    private static void single(StringBuilder b, String id, String what, TrendCharts.Unit unit, String metric,
                               Map<String, TrendCharts.Upload> uploads, Map<String, Map<String, Double>> values,
                               String needs) {
        List<TrendCharts.Upload> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Map.Entry<String, TrendCharts.Upload> u : uploads.entrySet()) {
            Double v = values.get(u.getKey()).get(metric);
            if (v != null) {
                xs.add(u.getValue());
                ys.add(v);
            }
        }
        if (xs.isEmpty()) {
            empty(b, what, "No numbers yet: upload " + needs + ".");
            return;
        }
        b.append(TrendCharts.lines(id, what, unit, xs, List.of(new TrendCharts.Series(what, ys))));
    }

    /** The CPU share of the functions that weigh most over the service's CPU profiles, one line each. */
    private static void cpu(StringBuilder b, Map<String, TrendCharts.Upload> uploads,
                            Map<String, Map<String, Double>> values) {
        Predicate<String> isShare = n -> n.startsWith(CPU_SHARE);
        List<TrendCharts.Upload> xs = new ArrayList<>();
        Map<String, Double> weight = new LinkedHashMap<>();
        for (Map.Entry<String, TrendCharts.Upload> u : uploads.entrySet()) {
            Map<String, Double> v = values.get(u.getKey());
            if (v.keySet().stream().noneMatch(isShare)) {
                continue;
            }
            xs.add(u.getValue());
            v.forEach((n, share) -> {
                if (isShare.test(n)) {
                    weight.merge(n, share, Double::sum);
                }
            });
        }
        if (xs.isEmpty()) {
            empty(b, "CPU share of the top functions", "No numbers yet: upload a CPU profile.");
            return;
        }
        List<String> top = weight.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(CPU_FUNCTIONS).map(Map.Entry::getKey).toList();
        List<TrendCharts.Series> series = new ArrayList<>();
        for (String metric : top) {
            List<Double> ys = new ArrayList<>();
            for (TrendCharts.Upload u : xs) {
                // absent: the function was not among that profile's top functions, which is not 0%
                ys.add(values.get(u.id()).get(metric));
            }
            series.add(new TrendCharts.Series(metric.substring(CPU_SHARE.length()), ys));
        }
        b.append(TrendCharts.lines("trend-cpu", "CPU share of the top functions (flat)", TrendCharts.Unit.SHARE, xs,
                series));
    }

    private static void empty(StringBuilder b, String what, String why) {
        b.append("<figure class=\"trend empty\"><figcaption>").append(Page.esc(what)).append("</figcaption><p class=\"muted\">")
                .append(why).append("</p></figure>");
    }

    // ---- source link template

    private static void sourceForm(StringBuilder b, ServeContext sc, UploadRepository.Service s, String csrf,
                                   String error, String value) {
        String current = s.sourceUrl();
        b.append("<p>Findings link to their source line with the service's template. Placeholders: <code>{version}</code>"
                + " the upload's version (<code>HEAD</code> when it has none), <code>{file}</code> the source file's"
                + " path as the profile records it, <code>{line}</code> the line number. For example"
                + " <code>https://git.example.com/org/repo/blob/{version}/{file}#L{line}</code>. It applies to"
                + " analyses from now on; re-analyse an upload to relink it.</p>");
        b.append("<p>Now: ").append(current == null ? "<span class=\"muted\">no template</span>"
                : "<code class=\"current-template\">" + Page.esc(current) + "</code>").append("</p>");
        if (sc.readOnly()) {
            b.append("<p class=\"muted\">This server is read-only.</p>");
            return;
        }
        if (error != null) {
            b.append("<p class=\"form-error\" role=\"alert\">").append(Page.esc(error)).append("</p>");
        }
        b.append("<form class=\"settings\" method=\"post\" action=\"").append(href(s.name())).append("/settings\">")
                .append("<input type=\"hidden\" name=\"").append(CSRF_FIELD).append("\" value=\"").append(csrf).append("\">")
                .append("<label for=\"source_url\">Link template</label><div class=\"row\">")
                .append("<input id=\"source_url\" name=\"source_url\" type=\"text\" inputmode=\"url\" spellcheck=\"false\"")
                .append(" autocomplete=\"off\" placeholder=\"https://git.example.com/org/repo/blob/{version}/{file}#L{line}\"")
                .append(" value=\"").append(Page.esc(value != null ? value : current)).append("\">")
                .append("<button type=\"submit\">Save</button></div><p class=\"muted help\">Empty removes the links.");
        if (sc.authToken() != null) {
            b.append(" This server needs its token for writes, which a form cannot send: set the template with"
                    + " <code>PUT /api/services/{name}</code> and <code>Authorization: Bearer TOKEN</code>.");
        }
        b.append("</p></form>");
    }

    private static void settings(Context ctx, ServeContext sc, String csrf) {
        String name = ctx.pathParam("name");
        String field = ctx.formParam(CSRF_FIELD);
        String cookie = ctx.cookie(CSRF_COOKIE);
        if (field == null || cookie == null || !same(field, cookie) || !same(field, csrf)) {
            throw new Http.ClientError(403, "the form's CSRF token does not match its cookie: reload the service page"
                    + " and submit again");
        }
        if (sc.platform().uploads().service(name).isEmpty()) {
            throw new Http.ClientError(404, "no service " + name);
        }
        String raw = ctx.formParam("source_url");
        String template = raw == null ? "" : raw.strip();
        String problem = template.isEmpty() ? null : templateProblem(template);
        if (problem != null) {
            service(ctx, sc, csrf, problem, template);
            return;
        }
        sc.platform().uploads().setSourceUrl(name, template.isEmpty() ? null : template);
        ctx.status(303).header("Location", href(name) + "#source");
    }

    /** What is wrong with a link template, or null: an http(s) URL with a host that contains {file}. */
    static String templateProblem(String template) {
        if (template.length() > MAX_TEMPLATE) {
            return "the link template is " + template.length() + " characters, over the limit of " + MAX_TEMPLATE;
        }
        if (template.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return "the link template must not contain spaces or control characters";
        }
        if (!template.contains("{file}")) {
            return "the link template must contain {file} (and usually {line}), e.g."
                    + " https://git.example.com/org/repo/blob/{version}/{file}#L{line}";
        }
        String sample = template.replace("{version}", "v1").replace("{file}", "dir/file.go").replace("{line}", "1");
        try {
            URI u = new URI(sample);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "the link template must start with http:// or https://, not " + oneLine(template);
            }
            if (u.getHost() == null || u.getHost().isEmpty()) {
                return "the link template has no host: " + oneLine(template);
            }
        } catch (URISyntaxException e) {
            return "the link template is not a URL: " + e.getReason() + " at index " + e.getIndex();
        }
        return null;
    }

    private static String oneLine(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    // ---- helpers

    /** The page of a service: its name as one path segment. */
    static String href(String service) {
        return "/services/" + Page.esc(url(service));
    }

    static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String time(Instant t) {
        return "<time datetime=\"" + t + "\">" + TIME.format(t) + "</time>";
    }
}
