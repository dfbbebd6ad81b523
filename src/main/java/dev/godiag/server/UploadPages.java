package dev.godiag.server;

import dev.godiag.analysis.profile.ProfileDiff;
import dev.godiag.report.DiffView;
import dev.godiag.store.UploadRepository;
import dev.godiag.store.UploadRepository.Status;
import dev.godiag.store.UploadRepository.Upload;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The web pages of uploads: {@code /} (drop files, see the analysis start, the latest uploads),
 * {@code /uploads} (the history, searched and paged, two rows ticked for a compare),
 * {@code /uploads/{id}} (an upload's permalink: its metadata and the stored diagnose page embedded)
 * and {@code /compare} (gainers and losers of two uploads and their diff flame graph). The stored
 * report pages are embedded as frames of the API's own answers, sandboxed (scripts, no origin).
 * The pages' behaviour is in {@code static/upload.js}; without it they still show everything, and
 * the search and compare forms (plain GETs) still work.
 */
final class UploadPages {
    private static final int LATEST = 10;
    private static final int PAGE_SIZE = 50;
    private static final int MAX_PAGE = 500;
    private static final int CHOICES = 100;
    /** Up to this many files are listed open on an upload's page. */
    private static final int FILES_OPEN = 3;

    private UploadPages() {
    }

    static void register(RoutesConfig routes, ServeContext sc) {
        routes.get("/", ctx -> page(ctx, "Upload", "/", () -> uploadPage(sc)));
        routes.get("/uploads", ctx -> page(ctx, "History", "/uploads", () -> historyPage(ctx, sc)));
        routes.get("/uploads/{id}", ctx -> page(ctx, "Upload " + ctx.pathParam("id"), "/uploads",
                () -> reportPage(ctx, sc)));
        routes.get("/compare", ctx -> compare(ctx, sc));
    }

    private interface Body {
        String html();
    }

    /** A page, or the same shell with the one-line error when the request was wrong. */
    private static void page(Context ctx, String title, String active, Body body) {
        String html;
        try {
            html = body.html();
        } catch (Http.ClientError e) {
            Page.send(ctx, e.status, "Error", active, errorLine(e.getMessage()));
            return;
        }
        Page.send(ctx, 200, title, active, html);
    }

    private static String errorLine(String message) {
        return "<p class=\"error-line\" role=\"alert\">" + Page.esc(message) + "</p>";
    }

    private static String script() {
        return "<script src=\"/static/upload.js\" defer></script>";
    }

    // ---- /

    private static String uploadPage(ServeContext sc) {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<h1>Upload</h1>");
        if (sc.readOnly()) {
            sb.append("<p class=\"error-line\" id=\"read-only\">this server is read-only: it takes no uploads</p>");
        } else {
            uploadForm(sb, sc);
        }
        List<Upload> latest = sc.platform().uploads().history(UploadRepository.HistoryQuery.all(LATEST));
        sb.append("<h2>Latest uploads</h2>").append(UploadTable.render(sc, latest, false))
                .append("<p><a href=\"/uploads\" id=\"full-history\">Full history →</a></p>")
                .append(script());
        return sb.toString();
    }

    private static void uploadForm(StringBuilder sb, ServeContext sc) {
        sb.append("<form id=\"upload-form\" class=\"upload\" action=\"/api/uploads\" method=\"post\"")
                .append(" enctype=\"multipart/form-data\">")
                .append("<div id=\"drop\" class=\"drop\">")
                .append("<p><strong>Drop profiles or a capture here</strong></p>")
                .append("<p class=\"muted\">pprof profiles, goroutine dumps, gctrace logs, /debug/vars, /metrics,")
                .append(" benchmarks; several files, or a .zip / .tar.gz of a capture directory</p>")
                .append("<label class=\"button\">Choose files<input id=\"files\" type=\"file\" name=\"file\"")
                .append(" multiple></label>")
                .append("<ul id=\"picked\" class=\"picked\"></ul></div>")
                .append("<div class=\"fields\">")
                .append("<label>Service <input name=\"service\" id=\"service\" maxlength=\"200\" list=\"services\"")
                .append(" autocomplete=\"off\"></label>")
                .append("<label>Version <input name=\"version\" id=\"version\" maxlength=\"200\"></label>")
                .append("<label>Labels <input name=\"labels\" id=\"labels\" placeholder=\"env=prod,team=checkout\">")
                .append("</label></div>")
                .append(servicesList(sc))
                .append("<div id=\"token-box\" class=\"token-box\" hidden><label>This server needs its token for")
                .append(" uploads <input type=\"password\" id=\"token\" autocomplete=\"off\"></label>")
                .append("<button type=\"button\" id=\"token-save\">Save and retry</button></div>")
                .append("<div class=\"send\"><button type=\"submit\" id=\"upload-button\" class=\"primary\">")
                .append("Upload and analyse</button>")
                .append("<progress id=\"upload-progress\" max=\"1\" value=\"0\" hidden></progress>")
                .append("<span id=\"upload-text\" role=\"status\" aria-live=\"polite\"></span></div>")
                .append("<p id=\"upload-error\" class=\"error-line\" role=\"alert\" hidden></p>")
                .append("</form>");
    }

    private static String servicesList(ServeContext sc) {
        StringBuilder sb = new StringBuilder("<datalist id=\"services\">");
        for (UploadRepository.Service s : sc.platform().uploads().services()) {
            sb.append("<option value=\"").append(Page.esc(s.name())).append("\"></option>");
        }
        return sb.append("</datalist>").toString();
    }

    // ---- /uploads

    private static final List<String> FILTERS = List.of("service", "label", "kind", "rule", "since", "until", "status",
            "limit");

    private static String historyPage(Context ctx, ServeContext sc) {
        String status = Http.param(ctx, "status");
        Status st = null;
        if (status != null) {
            try {
                st = Status.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Http.ClientError(400, "status must be pending, done or failed, not " + status);
            }
        }
        String before = Http.param(ctx, "before");
        UploadRepository.HistoryQuery q = new UploadRepository.HistoryQuery(Http.param(ctx, "service"),
                Http.param(ctx, "label"), Http.param(ctx, "kind"), Http.param(ctx, "rule"),
                Http.timeParam(ctx, "since"), Http.timeParam(ctx, "until"), st, before,
                Http.intParam(ctx, "limit", PAGE_SIZE, 1, MAX_PAGE));
        List<Upload> found = sc.platform().uploads().history(q);

        StringBuilder sb = new StringBuilder(16384);
        sb.append("<h1>History</h1>");
        sb.append("<form class=\"filters\" id=\"filters\" method=\"get\" action=\"/uploads\">");
        filter(sb, ctx, "service", "services", "");
        filter(sb, ctx, "label", null, "env or env=prod");
        filter(sb, ctx, "kind", "kinds", "cpu, heap, goroutines…");
        filter(sb, ctx, "rule", null, "cpu.hotspot");
        filter(sb, ctx, "since", null, "2026-12-01");
        filter(sb, ctx, "until", null, "2026-12-01T10:00:00Z");
        sb.append("<label>status <select name=\"status\"><option value=\"\">any</option>");
        for (Status s : Status.values()) {
            sb.append("<option").append(s == st ? " selected" : "").append('>').append(s.key()).append("</option>");
        }
        sb.append("</select></label><button type=\"submit\">Search</button>")
                .append(" <a href=\"/uploads\">clear</a></form>")
                .append(servicesList(sc)).append("<datalist id=\"kinds\">");
        for (String k : knownKinds()) {
            sb.append("<option value=\"").append(k).append("\"></option>");
        }
        sb.append("</datalist>");

        sb.append("<form id=\"compare-form\" method=\"get\" action=\"/compare\">")
                .append("<p class=\"compare-bar\"><button type=\"submit\" id=\"compare-ticked\">Compare the two")
                .append(" ticked</button> <span class=\"muted\" id=\"compare-hint\">tick two analysed uploads</span>")
                .append("</p>")
                .append(UploadTable.render(sc, found, true)).append("</form>");
        sb.append("<p class=\"pager\">");
        if (before != null) {
            sb.append("<a href=\"/uploads").append(query(ctx, null)).append("\">← newest</a> ");
        }
        if (found.size() == q.limit()) {
            sb.append("<a id=\"older\" href=\"/uploads").append(query(ctx, found.get(found.size() - 1).id()))
                    .append("\">older →</a>");
        }
        sb.append("</p>").append(script());
        return sb.toString();
    }

    /** The kinds a search may name: every input kind of a diagnosis. */
    private static List<String> knownKinds() {
        return java.util.Arrays.stream(dev.godiag.diagnosis.DiagnosisInput.Kind.values())
                .map(dev.godiag.diagnosis.DiagnosisInput.Kind::id).toList();
    }

    private static void filter(StringBuilder sb, Context ctx, String name, String list, String hint) {
        String v = Http.param(ctx, name);
        sb.append("<label>").append(name).append(" <input name=\"").append(name)
                .append("\" value=\"").append(Page.esc(v)).append('"');
        if (list != null) {
            sb.append(" list=\"").append(list).append('"');
        }
        if (!hint.isEmpty()) {
            sb.append(" placeholder=\"").append(Page.esc(hint)).append('"');
        }
        sb.append("></label>");
    }

    /** The history's query string with its filters kept and {@code before} set (null: dropped). */
    private static String query(Context ctx, String before) {
        StringBuilder sb = new StringBuilder();
        for (String f : FILTERS) {
            String v = Http.param(ctx, f);
            if (v != null) {
                sb.append(sb.isEmpty() ? '?' : '&').append(f).append('=').append(url(v));
            }
        }
        if (before != null) {
            sb.append(sb.isEmpty() ? '?' : '&').append("before=").append(url(before));
        }
        return Page.esc(sb.toString());
    }

    private static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- /uploads/{id}

    private static String reportPage(Context ctx, ServeContext sc) {
        Upload u = UploadApi.found(sc, ctx);
        UploadRepository repo = sc.platform().uploads();
        String id = Page.esc(u.id());
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<div class=\"report-head\" id=\"upload\" data-id=\"").append(id).append("\" data-status=\"")
                .append(u.status().key()).append("\">");
        sb.append("<h1>").append(u.service() == null ? "Upload" : Page.esc(u.service()))
                .append(u.version() == null ? "" : " <span class=\"muted\">" + Page.esc(u.version()) + "</span>")
                .append(' ').append(UploadTable.status(u)).append("</h1>");
        if (u.status() == Status.FAILED) {
            sb.append("<div class=\"error-box\" id=\"upload-failed\" role=\"alert\"><strong>")
                    .append("This upload could not be analysed</strong><p class=\"error-text\">")
                    .append(Page.esc(u.error())).append("</p></div>");
        }

        sb.append("<dl class=\"meta\">");
        meta(sb, "upload", "<code>" + id + "</code>");
        meta(sb, "service", u.service() == null ? "<span class=\"muted\">none</span>"
                : "<a href=\"/services/" + Page.esc(url(u.service()).replace("+", "%20")) + "\">"
                + Page.esc(u.service()) + "</a>");
        meta(sb, "version", u.version() == null ? "<span class=\"muted\">none</span>" : Page.esc(u.version()));
        if (!u.labels().isEmpty()) {
            meta(sb, "labels", UploadTable.labels(u.labels()));
        }
        meta(sb, "uploaded", UploadTable.time(u.createdAt()));
        meta(sb, "origin", Page.esc(u.origin()));
        List<UploadRepository.StoredFile> stored = repo.files(u.id());
        StringBuilder files = new StringBuilder();
        if (stored.size() > FILES_OPEN) {
            // a whole capture: listed on demand, so the report stays near the top of the page
            files.append("<details><summary>").append(stored.size()).append(" files, ")
                    .append(size(stored.stream().mapToLong(UploadRepository.StoredFile::sizeBytes).sum()))
                    .append("</summary>");
        }
        files.append("<ul class=\"files\">");
        for (UploadRepository.StoredFile f : stored) {
            files.append("<li><a href=\"/api/uploads/").append(id).append("/files/").append(f.position())
                    .append("\" download>").append(Page.esc(f.name())).append("</a> <span class=\"muted\">")
                    .append(Page.esc(f.kind())).append(", ").append(size(f.sizeBytes())).append("</span></li>");
        }
        files.append("</ul>").append(stored.size() > FILES_OPEN ? "</details>" : "");
        meta(sb, "files", files.toString());
        if (u.analysedAt() != null) {
            meta(sb, "analysed", UploadTable.time(u.analysedAt())
                    + (u.analysisMs() == null ? "" : " in " + seconds(u.analysisMs()))
                    + (u.godiagVersion() == null ? "" : " by " + Page.esc(u.godiagVersion())));
        }
        if (u.status() == Status.DONE) {
            meta(sb, "findings", UploadTable.findings(u,
                    repo.findingCounts(List.of(u.id())).getOrDefault(u.id(), java.util.Map.of())));
        }
        sb.append("</dl>");

        sb.append("<div class=\"actions\">");
        if (u.status() == Status.DONE) {
            sb.append("<span class=\"formats\">report as");
            for (String f : Platform.REPORT_FORMATS) {
                sb.append(" <a class=\"format\" href=\"/api/uploads/").append(id).append("/report?format=").append(f)
                        .append("\">").append(f.equals("json") ? "JSON" : f.equals("html") ? "HTML" : f).append("</a>");
            }
            sb.append("</span>");
            if (u.kinds().contains(Platform.TRACE_PAGE)) {
                sb.append(" <a class=\"format\" id=\"trace-page\" href=\"/api/uploads/").append(id)
                        .append("/report?format=").append(Platform.TRACE_PAGE).append("\">trace page</a>");
            }
        }
        if (u.status() != Status.PENDING && !sc.readOnly()) {
            sb.append("<form id=\"reanalyse-form\" class=\"inline\" method=\"post\" action=\"/api/uploads/").append(id)
                    .append("/reanalyse\"><button type=\"submit\" id=\"reanalyse\">Analyse again</button></form>");
        }
        if (u.status() == Status.DONE) {
            sb.append(compareWith(sc, u));
        }
        sb.append("</div><p id=\"action-error\" class=\"error-line\" role=\"alert\" hidden></p>");
        sb.append("<div id=\"token-box\" class=\"token-box\" hidden><label>This server needs its token for writes")
                .append(" <input type=\"password\" id=\"token\" autocomplete=\"off\"></label>")
                .append("<button type=\"button\" id=\"token-save\">Save and retry</button></div>");
        sb.append("</div>");

        if (u.status() == Status.PENDING) {
            String progress = sc.platform().progress(u.id());
            sb.append("<p class=\"progress-line\"><progress id=\"analysis-progress\"></progress> <span")
                    .append(" id=\"progress\" role=\"status\" aria-live=\"polite\">")
                    .append(Page.esc(progress == null ? "waiting for the analysis" : progress))
                    .append("</span></p><p class=\"muted\">This page shows the report when the analysis ends.</p>");
        } else if (u.status() == Status.DONE) {
            sb.append("<iframe id=\"report-frame\" class=\"report-frame\" title=\"diagnosis\" sandbox=\"")
                    .append(Page.REPORT_SANDBOX).append("\" referrerpolicy=\"no-referrer\" src=\"/api/uploads/").append(id)
                    .append("/report?format=html\"></iframe>");
        }
        sb.append(script());
        return sb.toString();
    }

    private static void meta(StringBuilder sb, String name, String html) {
        sb.append("<div class=\"m-").append(name).append("\"><dt>").append(name).append("</dt><dd>").append(html)
                .append("</dd></div>");
    }

    /**
     * "compare with…": the other analysed uploads of the same service (any service when it has none);
     * both go as picks, so the compare takes the older as its base.
     */
    private static String compareWith(ServeContext sc, Upload u) {
        List<Upload> others = sc.platform().uploads().history(new UploadRepository.HistoryQuery(u.service(), null,
                null, null, null, null, Status.DONE, null, CHOICES)).stream()
                .filter(o -> !o.id().equals(u.id())).toList();
        if (others.isEmpty()) {
            return "<span class=\"muted\">no other analysed upload"
                    + (u.service() == null ? "" : " of " + Page.esc(u.service())) + " to compare with</span>";
        }
        StringBuilder sb = new StringBuilder("<form class=\"inline\" id=\"compare-with\" method=\"get\"")
                .append(" action=\"/compare\"><input type=\"hidden\" name=\"pick\" value=\"").append(Page.esc(u.id()))
                .append("\"><label>compare with <select name=\"pick\" id=\"compare-other\">");
        for (Upload o : others) {
            sb.append(option(o, false));
        }
        return sb.append("</select></label> <button type=\"submit\">Compare</button></form>").toString();
    }

    private static String option(Upload o, boolean selected) {
        return "<option value=\"" + Page.esc(o.id()) + "\"" + (selected ? " selected" : "") + ">"
                + Page.esc(describe(o)) + "</option>";
    }

    /** An upload in one line for a choice: time, service and version, kinds. */
    private static String describe(Upload o) {
        StringBuilder sb = new StringBuilder(UploadTable.time(o.createdAt()));
        if (o.service() != null) {
            sb.append(" · ").append(o.service());
        }
        if (o.version() != null) {
            sb.append(' ').append(o.version());
        }
        if (!o.labels().isEmpty()) {
            sb.append(" · ");
            new java.util.TreeMap<>(o.labels()).forEach((k, v) -> sb.append(k).append('=').append(v).append(' '));
            sb.setLength(sb.length() - 1);
        }
        return sb.append(" · ").append(String.join(",", o.kinds())).append(" · ").append(o.id()).toString();
    }

    private static String size(long bytes) {
        if (bytes >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
        if (bytes >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return bytes + " B";
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    // ---- /compare

    private static void compare(Context ctx, ServeContext sc) {
        String baseId = Http.param(ctx, "base");
        String newId = Http.param(ctx, "new");
        List<String> picked = ctx.queryParams("pick").stream().filter(s -> !s.isBlank()).map(String::strip).toList();
        String error = null;
        int status = 200;
        if (!picked.isEmpty()) {
            if (picked.size() != 2) {
                error = "tick exactly two uploads to compare (" + picked.size() + " ticked)";
                status = 400;
            } else {
                // the older is the base
                List<Upload> two = new ArrayList<>();
                for (String p : picked) {
                    two.add(sc.platform().uploads().upload(p).orElse(null));
                }
                if (two.contains(null)) {
                    error = "no upload " + (two.get(0) == null ? picked.get(0) : picked.get(1));
                    status = 404;
                } else {
                    two.sort(Comparator.comparing(Upload::createdAt).thenComparing(Upload::id));
                    baseId = two.get(0).id();
                    newId = two.get(1).id();
                }
            }
        }
        String kind = Http.param(ctx, "kind");
        UploadApi.Comparison c = null;
        if (error == null && baseId != null && newId != null) {
            try {
                c = UploadApi.comparison(sc, baseId, newId, kind, false);
            } catch (Http.ClientError e) {
                error = e.getMessage();
                status = e.status;
            }
        } else if (error == null && (baseId != null || newId != null)) {
            error = "pick both uploads: base and new";
            status = 400;
        }

        StringBuilder sb = new StringBuilder(16384);
        sb.append("<h1>Compare</h1>");
        List<Upload> recent = sc.platform().uploads().history(new UploadRepository.HistoryQuery(null, null, null,
                null, null, null, Status.DONE, null, CHOICES));
        sb.append("<form class=\"filters compare-pick\" id=\"compare-pick\" method=\"get\" action=\"/compare\">")
                .append(choice("base", baseId, recent, sc)).append(choice("new", newId, recent, sc))
                .append("<label>kind <select name=\"kind\" id=\"kind\"><option value=\"\">first in common</option>");
        for (String k : UploadApi.COMPARABLE) {
            sb.append("<option").append(k.equals(c == null ? kind : c.kind()) ? " selected" : "").append('>')
                    .append(k).append("</option>");
        }
        sb.append("</select></label><button type=\"submit\">Compare</button></form>");
        if (error != null) {
            sb.append(errorLine(error));
        } else if (c == null) {
            sb.append("<p class=\"muted\">Pick two analysed uploads: what grew and shrank from base to new, and")
                    .append(" the diff flame graph (red grew, blue shrank).</p>");
        } else {
            sb.append(comparison(c, baseId, newId));
        }
        sb.append(script());
        Page.send(ctx, status, "Compare", "/compare", sb.toString());
    }

    /** A select of the recent analysed uploads, the chosen one added when it is older than they are. */
    private static String choice(String name, String chosen, List<Upload> recent, ServeContext sc) {
        StringBuilder sb = new StringBuilder("<label>").append(name).append(" <select name=\"").append(name)
                .append("\" id=\"pick-").append(name).append("\"><option value=\"\">—</option>");
        boolean listed = false;
        for (Upload u : recent) {
            boolean sel = u.id().equals(chosen);
            listed |= sel;
            sb.append(option(u, sel));
        }
        if (chosen != null && !listed) {
            sc.platform().uploads().upload(chosen).ifPresentOrElse(u -> sb.append(option(u, true)),
                    () -> sb.append("<option value=\"").append(Page.esc(chosen)).append("\" selected>")
                            .append(Page.esc(chosen)).append("</option>"));
        }
        return sb.append("</select></label>").toString();
    }

    private static String comparison(UploadApi.Comparison c, String baseId, String newId) {
        DiffView v = c.result().view();
        StringBuilder sb = new StringBuilder(16384);
        sb.append("<div class=\"diff-head\" id=\"diff-head\"><p><strong>").append(Page.esc(c.kind()))
                .append("</strong>: <a href=\"/uploads/").append(Page.esc(baseId)).append("\">")
                .append(Page.esc(baseId)).append("</a> → <a href=\"/uploads/").append(Page.esc(newId)).append("\">")
                .append(Page.esc(newId)).append("</a></p><ul class=\"diff-header\">");
        for (String line : v.header()) {
            sb.append("<li>").append(Page.esc(line)).append("</li>");
        }
        sb.append("</ul></div>");
        String api = "/api/compare?base=" + url(baseId) + "&new=" + url(newId) + "&kind=" + url(c.kind());
        sb.append("<p class=\"formats\">as <a href=\"").append(Page.esc(api)).append("&amp;format=json\">JSON</a> <a")
                .append(" href=\"").append(Page.esc(api)).append("&amp;format=markdown\">markdown</a> <a href=\"")
                .append(Page.esc(api)).append("&amp;format=text\">text</a> <a href=\"").append(Page.esc(api))
                .append("&amp;format=html\">diff flame graph</a></p>");
        sb.append("<div class=\"diff-tables\">");
        for (int i = 0; i < v.sections().size(); i++) {
            DiffView.Section s = v.sections().get(i);
            if (i == 2) {
                sb.append("</div><details class=\"by-cum\"><summary>by cum (with callees)</summary>")
                        .append("<div class=\"diff-tables\">");
            }
            sb.append(section(s));
        }
        sb.append("</div></details>");
        sb.append("<h2>Diff flame graph</h2><iframe id=\"diff-frame\" class=\"report-frame\" title=\"diff flame graph\"")
                .append(" sandbox=\"").append(Page.REPORT_SANDBOX).append("\" referrerpolicy=\"no-referrer\" src=\"")
                .append(Page.esc(api)).append("&amp;format=html\"></iframe>");
        return sb.toString();
    }

    private static String section(DiffView.Section s) {
        String key = s.title().toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "-");
        StringBuilder sb = new StringBuilder("<section class=\"diff-section\" data-section=\"").append(key)
                .append("\"><h3>").append(Page.esc(s.title())).append("</h3>");
        if (s.lines().isEmpty()) {
            return sb.append("<p class=\"muted\">none</p></section>").toString();
        }
        sb.append("<div class=\"table-wrap\"><table class=\"diff\"><thead><tr><th>function</th><th class=\"num\">base")
                .append("</th><th class=\"num\">new</th><th class=\"num\">delta</th><th class=\"num\">%</th></tr>")
                .append("</thead><tbody>");
        for (DiffView.Line l : s.lines()) {
            ProfileDiff.Row r = l.row();
            String only = r.onlyIn() == null ? "" : " <span class=\"only\">only in " + Page.esc(r.onlyIn()) + "</span>";
            sb.append("<tr><td class=\"fn\"><code>").append(Page.esc(r.name())).append("</code>").append(only)
                    .append("</td><td class=\"num\">").append(Page.esc(l.base())).append("</td><td class=\"num\">")
                    .append(Page.esc(l.neu())).append("</td><td class=\"num delta\">").append(Page.esc(l.delta()))
                    .append("</td><td class=\"num\">").append(Page.esc(l.relative())).append("</td></tr>");
        }
        return sb.append("</tbody></table></div></section>").toString();
    }
}
