package dev.godiag.server;

import dev.godiag.guard.Guard;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.store.GuardRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * guard's dashboard at {@code /guard} when guard runs inside the server: its targets (up or down,
 * the last scrape, the last values against their baselines) and its alerts, firing first, then the
 * recently resolved, each with its captured evidence files and diagnosis. When guard does not run
 * here, the page says how to start it.
 */
final class GuardPages {
    static final int RESOLVED_SHOWN = 20;
    private static final java.time.format.DateTimeFormatter SECONDS = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    private GuardPages() {
    }

    static void register(RoutesConfig routes, ServeContext sc) {
        routes.get("/guard", ctx -> page(ctx, sc.guard()));
    }

    private static void page(Context ctx, Guard guard) {
        if (guard == null) {
            Page.send(ctx, 200, "Guard", "/guard", notRunning());
            return;
        }
        List<Guard.TargetSnapshot> targets = guard.snapshots();
        GuardRepository repo = guard.repository();
        List<Alert> firing = new ArrayList<>(repo.firing());
        firing.sort((a, b) -> b.since().compareTo(a.since()));
        List<Alert> resolved = repo.alerts(AlertState.RESOLVED, RESOLVED_SHOWN);
        long up = targets.stream().filter(t -> t.last() != null && t.last().up()).count();
        StringBuilder b = new StringBuilder(16384);
        b.append("<h1>Guard</h1><p class=\"muted guard-summary\">").append(targets.size())
                .append(targets.size() == 1 ? " target" : " targets").append(" · ").append(up).append(" up · ")
                .append("<span class=\"").append(firing.isEmpty() ? "sev-ok" : "sev-critical").append("\">")
                .append(firing.size()).append(" firing</span> · configuration <code>")
                .append(Page.esc(guard.options().configFile().toString())).append("</code></p>");

        b.append("<section id=\"targets\"><h2>Targets</h2>");
        if (targets.isEmpty()) {
            b.append("<p class=\"muted\">The configuration names no target (or its discovery found none yet).</p>");
        } else {
            targets(b, targets);
        }
        b.append("</section>");

        b.append("<section id=\"alerts\"><h2>Alerts</h2>");
        if (firing.isEmpty() && resolved.isEmpty()) {
            b.append("<p class=\"muted\">No alert yet: an alert opens when a metric stays over its baseline for the"
                    + " rule's number of scrapes.</p>");
        }
        for (Alert a : firing) {
            alert(b, a, repo);
        }
        if (!resolved.isEmpty()) {
            b.append("<h3>Recently resolved</h3>");
            for (Alert a : resolved) {
                alert(b, a, repo);
            }
        }
        b.append("</section>");
        ctx.header("Cache-Control", "no-store");
        Page.send(ctx, 200, "Guard", "/guard", b.toString());
    }

    private static String notRunning() {
        return "<h1>Guard</h1><p>guard is not running in this server. guard watches live Go services (goroutines,"
                + " heap in use and open files against baselines it learns), and when a metric leaves its baseline"
                + " it captures the evidence (goroutine dumps, profiles), diagnoses it and notifies. Run it inside"
                + " the server with a configuration file:</p>"
                + "<pre class=\"code\"><code>godiag serve --data-dir DIR --guard-config guard.yml</code></pre>"
                + "<p>A small <code>guard.yml</code>, in Prometheus' style:</p>"
                + "<pre class=\"code\"><code>scrape_configs:\n"
                + "  - job_name: orders\n"
                + "    stage: capture          # observe, capture (store evidence) or notify\n"
                + "    static_configs:\n"
                + "      - targets: ['10.0.0.5:6060']   # a service with /metrics or /debug/pprof\n"
                + "</code></pre>"
                + "<p>Its targets and alerts then show here, and its API under <code>/api/guard/</code>. guard also"
                + " runs on its own: <code>godiag guard --config guard.yml</code>.</p>";
    }

    private static void targets(StringBuilder b, List<Guard.TargetSnapshot> targets) {
        b.append("<div class=\"table-wrap\"><table class=\"guard-targets\"><thead><tr><th>Job</th><th>Target</th>")
                .append("<th>State</th><th>Last scrape</th>");
        for (Metric m : Metric.values()) {
            b.append("<th>").append(label(m)).append(" <span class=\"muted\">now / baseline</span></th>");
        }
        b.append("</tr></thead><tbody>");
        for (Guard.TargetSnapshot t : targets) {
            Reading last = t.last();
            b.append("<tr data-target=\"").append(Page.esc(t.target().key())).append("\"><td>")
                    .append(Page.esc(t.target().job())).append(" <span class=\"muted\">").append(t.stage().key())
                    .append("</span></td><td><code>").append(Page.esc(t.target().address())).append("</code>");
            for (Map.Entry<String, String> l : t.target().labels().entrySet()) {
                b.append(" <span class=\"label\">").append(Page.esc(l.getKey())).append('=')
                        .append(Page.esc(l.getValue())).append("</span>");
            }
            b.append("</td><td>");
            if (last == null) {
                b.append("<span class=\"muted\">not scraped yet</span>");
            } else if (last.up()) {
                b.append("<span class=\"sev-ok\">up</span>").append(t.warmingUp() ? " <span class=\"muted\">learning</span>" : "");
            } else {
                b.append("<span class=\"sev-critical\">down</span> <span class=\"muted\">").append(Page.esc(last.error()))
                        .append("</span>");
            }
            b.append("</td><td class=\"when\">").append(last == null ? "" : "<time datetime=\"" + last.at() + "\">"
                    + SECONDS.format(last.at()) + "</time>").append("</td>");
            for (Metric m : Metric.values()) {
                b.append("<td class=\"num\" data-metric=\"").append(m.key()).append("\">");
                if (last != null && last.value(m).isPresent()) {
                    b.append(value(m, last.value(m).getAsDouble()));
                } else {
                    b.append("<span class=\"muted\">–</span>");
                }
                Double base = t.baselines().get(m);
                b.append(" <span class=\"muted\">/ ").append(base == null ? "–" : value(m, base)).append("</span></td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table></div>");
    }

    private static void alert(StringBuilder b, Alert a, GuardRepository repo) {
        Metric m = a.metric();
        b.append("<article class=\"alert ").append(a.firing() ? "firing" : "resolved").append("\" id=\"alert-")
                .append(Page.esc(a.id())).append("\"><h3>").append(a.firing()
                        ? "<span class=\"sev-critical\">firing</span> " : "<span class=\"sev-ok\">resolved</span> ")
                .append(label(m)).append(" on <code>").append(Page.esc(a.target().key())).append("</code></h3>")
                .append("<p>").append(value(m, a.value())).append(a.firing() ? " now" : " at the end").append(", baseline ")
                .append(value(m, a.baseline())).append(", threshold ").append(value(m, a.threshold()))
                .append(" · since ").append(ServicePages.time(a.since()));
        if (a.resolvedAt() != null) {
            b.append(" · resolved ").append(ServicePages.time(a.resolvedAt()));
        }
        b.append(" · <a href=\"/api/guard/alerts/").append(Page.esc(ServicePages.url(a.id()))).append("\">JSON</a></p>");
        AlertEvidence e = a.evidence();
        if (e == null) {
            b.append("<p class=\"muted\">").append(a.stage().captures() ? "No evidence captured (the capture failed or"
                    + " is still running)." : "No evidence: the job's stage is observe.").append("</p></article>");
            return;
        }
        if (!e.findings().isEmpty()) {
            b.append("<h4>Diagnosis</h4><ul class=\"findings\">");
            for (AlertEvidence.FindingSummary f : e.findings()) {
                b.append("<li>").append(ServicePages.severity(f.severity())).append(" <strong>")
                        .append(Page.esc(f.title())).append("</strong>");
                if (f.location() != null && !f.location().isEmpty() && !f.title().contains(f.location())) {
                    b.append(" <code>").append(Page.esc(f.location())).append("</code>");
                }
                b.append(" <a href=\"/kb/").append(Page.esc(ServicePages.url(f.rule()))).append("\" class=\"muted\">")
                        .append(Page.esc(f.rule())).append("</a>");
                if (f.fix() != null && !f.fix().isBlank()) {
                    b.append("<p class=\"fix\">").append(Page.esc(f.fix())).append("</p>");
                }
                b.append("</li>");
            }
            b.append("</ul>");
        }
        if (!e.buckets().isEmpty()) {
            b.append("<h4>Goroutines that grew</h4><div class=\"table-wrap\"><table class=\"buckets\"><thead><tr>")
                    .append("<th>Function</th><th>Where</th><th>State</th><th>Now</th><th>Before</th><th>Verdict</th>")
                    .append("</tr></thead><tbody>");
            for (AlertEvidence.GrowingBucket g : e.buckets()) {
                b.append("<tr><td><code>").append(Page.esc(g.function())).append("</code></td><td><code>")
                        .append(Page.esc(g.file())).append(g.line() > 0 ? ":" + g.line() : "").append("</code></td><td>")
                        .append(Page.esc(g.state())).append("</td><td class=\"num\">").append(g.count())
                        .append("</td><td class=\"num\">").append(g.baselineCount()).append("</td><td>")
                        .append(Page.esc(g.verdict())).append("</td></tr>");
            }
            b.append("</tbody></table></div>");
        }
        List<GuardRepository.StoredFile> files = repo.evidenceFiles(e.captureId());
        b.append("<h4>Evidence</h4><p class=\"muted\">Captured ").append(ServicePages.time(e.capturedAt()))
                .append("</p><ul class=\"evidence\">");
        if (files.isEmpty()) {
            b.append("<li class=\"muted\">no stored file</li>");
        }
        for (GuardRepository.StoredFile f : files) {
            b.append("<li><a href=\"/api/guard/evidence/").append(Page.esc(ServicePages.url(e.captureId()))).append('/')
                    .append(Page.esc(ServicePages.url(f.name()))).append("\"><code>").append(Page.esc(f.name()))
                    .append("</code></a> <span class=\"muted\">").append(TrendCharts.bytes(f.sizeBytes()))
                    .append("</span></li>");
        }
        b.append("</ul></article>");
    }

    private static String label(Metric m) {
        return switch (m) {
            case GOROUTINES -> "Goroutines";
            case HEAP -> "Heap in use";
            case FDS -> "Open files";
        };
    }

    private static String value(Metric m, double v) {
        return Page.esc(m == Metric.HEAP ? TrendCharts.bytes(v) : TrendCharts.Unit.COUNT.format(Math.rint(v)));
    }
}
