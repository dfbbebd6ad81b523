package dev.godiag.server;

import dev.godiag.store.UploadRepository;
import dev.godiag.store.UploadRepository.Upload;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table of uploads the upload page (the latest few) and the history page (a page of a search)
 * share: time, service, version, labels, kinds, findings by severity, status; each row links to its
 * report. On the history page each row has a box to tick for a compare.
 */
final class UploadTable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final List<String> SEVERITIES = List.of("critical", "warning", "info");

    private UploadTable() {
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** The rows as a table; {@code pick}: a checkbox per row named {@code pick} for the compare form. */
    static String render(ServeContext sc, List<Upload> uploads, boolean pick) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<div class=\"table-wrap\"><table class=\"uploads\"><thead><tr>");
        if (pick) {
            sb.append("<th><span class=\"sr-only\">compare</span></th>");
        }
        sb.append("<th>time</th><th>service</th><th>version</th><th>labels</th><th>kinds</th><th>findings</th>")
                .append("<th>status</th></tr></thead><tbody>");
        Map<String, Map<String, Integer>> counts = sc.platform().uploads().findingCounts(
                uploads.stream().map(Upload::id).toList());
        for (Upload u : uploads) {
            String link = "/uploads/" + Page.esc(u.id());
            sb.append("<tr data-id=\"").append(Page.esc(u.id())).append("\" data-status=\"").append(u.status().key())
                    .append("\">");
            if (pick) {
                sb.append("<td><input type=\"checkbox\" name=\"pick\" class=\"pick\" value=\"").append(Page.esc(u.id()))
                        .append("\" aria-label=\"compare ").append(Page.esc(u.id())).append("\"")
                        .append(u.status() == UploadRepository.Status.DONE ? "" : " disabled").append("></td>");
            }
            sb.append("<td class=\"when\"><a href=\"").append(link).append("\">").append(time(u.createdAt()))
                    .append("</a></td>");
            sb.append("<td class=\"service\">").append(u.service() == null ? "<span class=\"muted\">—</span>"
                    : Page.esc(u.service())).append("</td>");
            sb.append("<td class=\"version\">").append(Page.esc(u.version())).append("</td>");
            sb.append("<td class=\"labels\">").append(labels(u.labels())).append("</td>");
            sb.append("<td class=\"kinds\">").append(Page.esc(String.join(", ", u.kinds()))).append("</td>");
            sb.append("<td class=\"findings\">").append(findings(u, counts.getOrDefault(u.id(), Map.of())))
                    .append("</td>");
            sb.append("<td class=\"status\">").append(status(u)).append("</td></tr>");
        }
        if (uploads.isEmpty()) {
            sb.append("<tr><td colspan=\"").append(pick ? 8 : 7).append("\" class=\"muted\">no uploads</td></tr>");
        }
        return sb.append("</tbody></table></div>").toString();
    }

    /** Labels as chips, by name. */
    static String labels(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> l : new TreeMap<>(labels).entrySet()) {
            sb.append("<span class=\"chip\">").append(Page.esc(l.getKey())).append('=').append(Page.esc(l.getValue()))
                    .append("</span> ");
        }
        return sb.toString().strip();
    }

    static String status(Upload u) {
        return "<span class=\"badge status-" + u.status().key() + "\">" + u.status().key() + "</span>";
    }

    /** "1 critical 2 warning" of the last analysis; empty while pending or when it failed. */
    static String findings(Upload u, Map<String, Integer> bySeverity) {
        if (u.status() != UploadRepository.Status.DONE) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String severity : SEVERITIES) {
            int n = bySeverity.getOrDefault(severity, 0);
            if (n > 0) {
                sb.append("<span class=\"count sev-").append(severity).append("\">").append(n).append(' ')
                        .append(severity).append("</span> ");
            }
        }
        return sb.isEmpty() ? "<span class=\"muted\">none</span>" : sb.toString().strip();
    }
}
