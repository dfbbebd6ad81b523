package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.scan.CheckInfo;
import dev.godiag.diagnosis.scan.ProfileWeights;
import dev.godiag.diagnosis.scan.ScanFinding;
import dev.godiag.diagnosis.scan.ScanReport;
import dev.godiag.util.GoFormat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * godiag scan's report: text for a terminal, JSON (docs/json.md), markdown ready to post as a pull
 * request comment (each finding with its card's why, fix and example), and SARIF 2.1.0 for code
 * scanning UIs.
 */
public final class ScanRenderers {
    /** The first line of the markdown comment, which a CI job finds to update its earlier comment. */
    public static final String MARKDOWN_MARKER = "<!-- godiag-scan -->";

    private ScanRenderers() {
    }

    // ---- text

    public static String text(ScanReport r, KnowledgeBase kb) {
        StringBuilder sb = new StringBuilder();
        sb.append(headline(r)).append('\n');
        if (!r.profiles().isEmpty()) {
            sb.append("Ranked by the weight of each finding's code in ").append(String.join(", ", r.profiles()))
                    .append('\n');
        }
        for (ScanReport.Ranked f : r.findings()) {
            ScanFinding s = f.finding();
            sb.append('\n').append(String.format(Locale.ROOT, "%-8s", f.severity().id())).append(' ')
                    .append(s.file()).append(':').append(s.line()).append(':').append(s.column()).append("  ")
                    .append(s.check().id());
            if (!s.function().isEmpty()) {
                sb.append("  in ").append(s.function());
            }
            sb.append("\n  ").append(s.message()).append('\n');
            String production = production(f);
            if (production != null) {
                sb.append("  In production: ").append(production).append('\n');
            }
            sb.append("  Card: ").append(s.check().card()).append('\n');
        }
        // each card's fix once, not once per finding: fifty string += findings share one fix
        Map<String, KnowledgeBase.Card> cards = new LinkedHashMap<>();
        for (ScanReport.Ranked f : r.findings()) {
            KnowledgeBase.Card card = kb.card(f.finding().check().card());
            if (card != null) {
                cards.putIfAbsent(card.id(), card);
            }
        }
        if (!cards.isEmpty()) {
            sb.append("\nFixes, by card:\n");
            for (KnowledgeBase.Card card : cards.values()) {
                sb.append("  ").append(card.id()).append(" (").append(card.title()).append("): ")
                        .append(oneLine(card.fix())).append('\n');
            }
        }
        warnings(sb, r, "\nwarning: ");
        return sb.toString();
    }

    private static String headline(ScanReport r) {
        Map<Severity, Integer> c = r.counts();
        int n = r.findings().size();
        StringBuilder sb = new StringBuilder("godiag scan: ").append(r.files()).append(r.files() == 1 ? " file" : " files")
                .append(", ").append(r.checks().size()).append(r.checks().size() == 1 ? " check" : " checks");
        if (r.skipped() > 0) {
            sb.append(" (").append(r.skipped()).append(" generated ").append(r.skipped() == 1 ? "file" : "files")
                    .append(" skipped)");
        }
        sb.append(": ");
        if (n == 0) {
            sb.append("no findings");
        } else {
            sb.append(n).append(n == 1 ? " finding" : " findings").append(" (").append(counts(c)).append(')');
        }
        if (r.diffBase() != null) {
            sb.append(" on lines changed since ").append(r.diffBase());
        }
        return sb.toString();
    }

    private static String counts(Map<Severity, Integer> c) {
        StringBuilder sb = new StringBuilder();
        for (Severity s : new Severity[]{Severity.CRITICAL, Severity.WARNING, Severity.INFO}) {
            if (c.get(s) > 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append(c.get(s)).append(' ').append(s.id());
            }
        }
        return sb.toString();
    }

    /** "12.3% of CPU in cpu.pprof, 4.1% of allocated bytes in allocs.pprof", or null without weight. */
    static String production(ScanReport.Ranked f) {
        if (f.weights().isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        String what = f.finding().spanStart() == f.finding().spanEnd() ? "this line is "
                : "lines " + f.finding().spanStart() + "-" + f.finding().spanEnd() + " are ";
        sb.append(what);
        for (int i = 0; i < f.weights().size(); i++) {
            ProfileWeights.Weight w = f.weights().get(i);
            sb.append(i == 0 ? "" : ", ").append(percent(w.share())).append(" of ").append(w.profile().measure())
                    .append(" in ").append(w.profile().name());
        }
        return sb.toString();
    }

    static String percent(double share) {
        double p = share * 100;
        return (p >= 10 ? GoFormat.fixed(p, 1) : p >= 0.01 ? GoFormat.fixed(p, 2) : "<0.01") + "%";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }

    private static void warnings(StringBuilder sb, ScanReport r, String prefix) {
        for (String w : r.warnings()) {
            sb.append(prefix).append(w).append('\n');
            prefix = prefix.startsWith("\n") ? prefix.substring(1) : prefix;
        }
    }

    // ---- markdown: a pull request comment

    public static String markdown(ScanReport r, KnowledgeBase kb) {
        StringBuilder sb = new StringBuilder(MARKDOWN_MARKER).append('\n');
        sb.append("### ").append(md(headline(r))).append("\n\n");
        if (!r.profiles().isEmpty()) {
            sb.append("Ranked by what each finding's code costs in production: ")
                    .append(md(String.join(", ", r.profiles()))).append(".\n\n");
        }
        for (ScanReport.Ranked f : r.findings()) {
            ScanFinding s = f.finding();
            String where = s.file() + ":" + s.line();
            sb.append("#### ").append(f.severity().id()).append(" · ").append(code(s.check().id())).append(" · ")
                    .append(f.link() != null ? "[" + md(where) + "](" + f.link() + ")" : md(where));
            if (!s.function().isEmpty()) {
                sb.append(" in ").append(code(s.function()));
            }
            sb.append("\n\n").append(md(s.message())).append('\n');
            String production = production(f);
            if (production != null) {
                sb.append("\n**In production:** ").append(md(production)).append(".\n");
            }
            KnowledgeBase.Card card = kb.card(s.check().card());
            if (card != null) {
                sb.append("\n<details><summary>").append(md(card.title())).append(" (<code>").append(card.id())
                        .append("</code>)</summary>\n\n");
                sb.append("**Why:** ").append(md(oneLine(card.mechanism()))).append("\n\n");
                sb.append("**Fix:** ").append(md(oneLine(card.fix()))).append('\n');
                if (card.example() != null) {
                    sb.append("\n```go\n// before\n").append(card.example().before().stripTrailing())
                            .append("\n\n// after\n").append(card.example().after().stripTrailing()).append("\n```\n");
                }
                if (!card.references().isEmpty()) {
                    sb.append("\nSee ").append(String.join(", ", card.references())).append('\n');
                }
                sb.append("\n</details>\n");
            }
            sb.append('\n');
        }
        if (!r.warnings().isEmpty()) {
            sb.append("<details><summary>").append(r.warnings().size()).append(r.warnings().size() == 1
                    ? " warning" : " warnings").append("</summary>\n\n");
            r.warnings().forEach(w -> sb.append("- ").append(md(w)).append('\n'));
            sb.append("\n</details>\n\n");
        }
        sb.append("<sub>Silence a finding with <code>//godiag:ignore CHECK reason</code> on its line or the"
                + " line above.</sub>\n");
        return sb.toString();
    }

    /** Text from source or profiles made inert in markdown: no HTML, no emphasis or links from it. */
    static String md(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '*', '_', '[', ']', '\\', '|', '`', '#', '~' -> sb.append('\\').append(c);
                case '\n', '\r' -> sb.append(' ');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A code span of text from the source: backticks cannot close it early. */
    static String code(String s) {
        return "`" + s.replace('`', '\'').replace('\n', ' ') + "`";
    }

    // ---- JSON

    public static String json(ScanReport r, String version) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("version", version);
            g.writeObjectFieldStart("summary");
            g.writeNumberField("files", r.files());
            g.writeNumberField("skippedGenerated", r.skipped());
            g.writeNumberField("findings", r.findings().size());
            Map<Severity, Integer> c = r.counts();
            g.writeNumberField("critical", c.get(Severity.CRITICAL));
            g.writeNumberField("warning", c.get(Severity.WARNING));
            g.writeNumberField("info", c.get(Severity.INFO));
            if (r.diffBase() != null) {
                g.writeStringField("diffBase", r.diffBase());
            }
            g.writeArrayFieldStart("profiles");
            for (String p : r.profiles()) {
                g.writeString(p);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("findings");
            for (ScanReport.Ranked f : r.findings()) {
                finding(g, f);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("checks");
            for (CheckInfo ci : r.checks()) {
                g.writeStartObject();
                g.writeStringField("id", ci.id());
                g.writeStringField("card", ci.card());
                g.writeStringField("severity", ci.severity().id());
                g.writeStringField("description", ci.description());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (String w : r.warnings()) {
                g.writeString(w);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void finding(JsonGenerator g, ScanReport.Ranked f) throws IOException {
        ScanFinding s = f.finding();
        g.writeStartObject();
        g.writeStringField("check", s.check().id());
        g.writeStringField("card", s.check().card());
        g.writeStringField("severity", f.severity().id());
        g.writeStringField("file", s.file());
        g.writeNumberField("line", s.line());
        g.writeNumberField("column", s.column());
        g.writeNumberField("spanStart", s.spanStart());
        g.writeNumberField("spanEnd", s.spanEnd());
        g.writeStringField("function", s.function());
        g.writeStringField("message", s.message());
        if (f.link() != null) {
            g.writeStringField("link", f.link());
        }
        g.writeArrayFieldStart("weights");
        for (ProfileWeights.Weight w : f.weights()) {
            g.writeStartObject();
            g.writeStringField("profile", w.profile().name());
            g.writeStringField("measure", w.profile().measure());
            g.writeNumberField("value", w.value());
            g.writeNumberField("share", w.share());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    // ---- SARIF 2.1.0

    /** The SARIF log of a scan: one run, godiag's checks as rules with their cards as help. */
    public static String sarif(ScanReport r, KnowledgeBase kb, String version) {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<CheckInfo> checks = r.checks();
        for (int i = 0; i < checks.size(); i++) {
            ruleIndex.put(checks.get(i).id(), i);
        }
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            g.writeStringField("version", "2.1.0");
            g.writeArrayFieldStart("runs");
            g.writeStartObject();
            g.writeObjectFieldStart("tool");
            g.writeObjectFieldStart("driver");
            g.writeStringField("name", "godiag");
            g.writeStringField("version", version);
            g.writeArrayFieldStart("rules");
            for (CheckInfo ci : checks) {
                sarifRule(g, ci, kb.card(ci.card()));
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeArrayFieldStart("results");
            for (ScanReport.Ranked f : r.findings()) {
                sarifResult(g, f, ruleIndex.get(f.finding().check().id()));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("invocations");
            g.writeStartObject();
            g.writeBooleanField("executionSuccessful", true);
            g.writeArrayFieldStart("toolExecutionNotifications");
            for (String w : r.warnings()) {
                g.writeStartObject();
                g.writeStringField("level", "warning");
                g.writeObjectFieldStart("message");
                g.writeStringField("text", w);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void sarifRule(JsonGenerator g, CheckInfo ci, KnowledgeBase.Card card) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", ci.id());
        g.writeObjectFieldStart("shortDescription");
        g.writeStringField("text", ci.description());
        g.writeEndObject();
        if (card != null) {
            g.writeObjectFieldStart("fullDescription");
            g.writeStringField("text", card.title() + ". " + oneLine(card.mechanism()));
            g.writeEndObject();
            g.writeObjectFieldStart("help");
            g.writeStringField("text", oneLine(card.fix()));
            StringBuilder help = new StringBuilder("**Fix:** ").append(oneLine(card.fix())).append('\n');
            if (card.example() != null) {
                help.append("\n```go\n// before\n").append(card.example().before().stripTrailing())
                        .append("\n\n// after\n").append(card.example().after().stripTrailing()).append("\n```\n");
            }
            g.writeStringField("markdown", help.toString());
            g.writeEndObject();
            if (!card.references().isEmpty()) {
                g.writeStringField("helpUri", card.references().get(0));
            }
        }
        g.writeObjectFieldStart("defaultConfiguration");
        g.writeStringField("level", level(ci.severity()));
        g.writeEndObject();
        g.writeObjectFieldStart("properties");
        g.writeArrayFieldStart("tags");
        g.writeString("performance");
        g.writeString(ci.card().startsWith("goroutines.") ? "reliability" : "efficiency");
        g.writeEndArray();
        g.writeStringField("card", ci.card());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void sarifResult(JsonGenerator g, ScanReport.Ranked f, int ruleIndex) throws IOException {
        ScanFinding s = f.finding();
        g.writeStartObject();
        g.writeStringField("ruleId", s.check().id());
        g.writeNumberField("ruleIndex", ruleIndex);
        g.writeStringField("level", level(f.severity()));
        g.writeObjectFieldStart("message");
        String production = production(f);
        g.writeStringField("text", production == null ? s.message() : s.message() + " In production: " + production + ".");
        g.writeEndObject();
        g.writeArrayFieldStart("locations");
        g.writeStartObject();
        g.writeObjectFieldStart("physicalLocation");
        g.writeObjectFieldStart("artifactLocation");
        if (s.file().startsWith("/")) {
            g.writeStringField("uri", "file://" + uri(s.file()));
        } else {
            // relative to where the scan ran: a repository's top in CI
            g.writeStringField("uri", uri(s.file().startsWith("./") ? s.file().substring(2) : s.file()));
            g.writeStringField("uriBaseId", "%SRCROOT%");
        }
        g.writeEndObject();
        g.writeObjectFieldStart("region");
        g.writeNumberField("startLine", s.line());
        g.writeEndObject();
        g.writeEndObject();
        if (!s.function().isEmpty()) {
            g.writeArrayFieldStart("logicalLocations");
            g.writeStartObject();
            g.writeStringField("name", s.function());
            g.writeStringField("kind", "function");
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("partialFingerprints");
        // stable across unrelated edits that move the line: the check, the file, the function, the message
        g.writeStringField("godiag/v1", fingerprint(s.check().id() + "\0" + s.file() + "\0" + s.function()
                + "\0" + s.message().replaceAll("\\bline \\d+", "line")));
        g.writeEndObject();
        if (!f.weights().isEmpty()) {
            g.writeObjectFieldStart("properties");
            g.writeNumberField("profileShare", f.share());
            g.writeStringField("profile", f.weights().get(0).profile().name());
            g.writeStringField("measure", f.weights().get(0).profile().measure());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static String level(Severity s) {
        return switch (s) {
            case CRITICAL -> "error";
            case WARNING -> "warning";
            default -> "note";
        };
    }

    /** A relative path as a URI reference: segments percent-encoded where they must be. */
    static String uri(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }

    private static String fingerprint(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
