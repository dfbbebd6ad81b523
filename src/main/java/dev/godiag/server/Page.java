package dev.godiag.server;

import io.javalin.http.Context;

/**
 * The shell of every web page: the navigation, the theme (light, dark, or the system's), the one
 * stylesheet and script served by this server, and a Content-Security-Policy that lets nothing
 * else in (no inline script, nothing from the network). Page bodies are built with {@link #esc}
 * around every string that came from a profile or a request.
 */
final class Page {
    /** Nothing but this server's own files; frames only of this server's own reports. */
    static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

    /**
     * What the stored report pages may do: run their own scripts, and open a link to the source in a
     * new tab (outside the sandbox, so the repository's page works); never this server's origin.
     */
    static final String REPORT_SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox";

    /**
     * The stored report pages (diagnose, diff flame graph) served whole by the API: their own inline
     * script and style, in a sandbox (an opaque origin, so even opened directly they cannot use this
     * server's origin: its API, the token kept in its storage), framed only by this server's pages.
     */
    static final String REPORT_CSP = "sandbox " + Page.REPORT_SANDBOX + "; default-src 'none'; style-src 'unsafe-inline';"
            + " script-src 'unsafe-inline'; img-src data:; frame-src about:; frame-ancestors 'self'";

    /** The sections of the navigation: path and label. */
    private static final String[][] NAV = {
            {"/", "Upload"}, {"/uploads", "History"}, {"/services", "Services"}, {"/compare", "Compare"},
            {"/kb", "Knowledge base"}, {"/guard", "Guard"}};

    private Page() {
    }

    /**
     * Answers a whole page.
     *
     * @param active the navigation path to mark as the current section
     * @param body   the page's HTML, every untrusted string already escaped
     */
    static void send(Context ctx, int status, String title, String active, String body) {
        ctx.status(status).contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "SAMEORIGIN")
                .result(render(title, active, body));
    }

    static String render(String title, String active, String body) {
        StringBuilder sb = new StringBuilder(body.length() + 2048);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · godiag</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/godiag.css\">")
                .append("<script src=\"/static/godiag.js\" defer></script></head><body>")
                .append("<header class=\"top\"><a class=\"brand\" href=\"/\">godiag</a><nav>");
        for (String[] n : NAV) {
            sb.append("<a href=\"").append(n[0]).append('"').append(n[0].equals(active) ? " aria-current=\"page\"" : "")
                    .append('>').append(n[1]).append("</a>");
        }
        sb.append("</nav><button type=\"button\" class=\"theme\" id=\"theme-toggle\" title=\"light or dark\">◐</button>")
                .append("</header><main>").append(body).append("</main></body></html>\n");
        return sb.toString();
    }

    /** Text for HTML content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
