package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.diagnosis.Advice;
import dev.godiag.diagnosis.Advice.CardRef;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.scan.ScanFinding;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * godiag diagnose's reports: text for a terminal, JSON (the contract in docs/json.md), markdown
 * for pull-request and incident comments, and a self-contained HTML page.
 */
public final class DiagnosisRenderers {
    private DiagnosisRenderers() {
    }

    /** How many findings the report opens with as the things to fix first. */
    static final int TOP = 3;

    /**
     * One input: its name, as what it was read ("cpu", "heap"... or "skipped"), details, why it was
     * not used (null when used), and its place in its kind's series (-1 when not used).
     */
    public record InputRow(String name, String kind, String detail, String note, int order) {
        public boolean used() {
            return !kind.equals("skipped") && note == null;
        }
    }

    /**
     * A finding with what was resolved around it: its source line and link, and what its cards say
     * (the explanation, fix and example come from the knowledge base, not from the finding).
     */
    public record Item(Finding finding, String sourceLine, String sourceUrl, Advice advice, String id,
                       List<Related> related, SourceWindow source, List<ScanFinding> inSource) {
        public Item {
            related = List.copyOf(related);
            inSource = List.copyOf(inSource);
        }

        /** A finding alone: no other evidence at its place, no source pane, no scan of the source. */
        public Item(Finding finding, String sourceLine, String sourceUrl, Advice advice) {
            this(finding, sourceLine, sourceUrl, advice, idOf(finding), List.of(), null, List.of());
        }

        List<CardRef> cards() {
            return advice.cards();
        }

        /** The finding and the related ones: every rule that pointed here. */
        List<Finding> findings() {
            List<Finding> all = new java.util.ArrayList<>();
            all.add(finding);
            related.forEach(r -> all.add(r.finding()));
            return all;
        }

        /**
         * A stable anchor for a finding (the page's {@code #finding-<id>}): its rule and function,
         * letters, digits and {@code . _ -} only; the caller makes duplicates unique.
         */
        public static String idOf(Finding f) {
            String base = f.rule() + (f.location() != null && f.location().function() != null
                    && !f.location().function().isEmpty() ? "-" + f.location().function() : "");
            String id = base.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("_+", "_");
            return id.length() > 120 ? id.substring(0, 120) : id;
        }
    }

    /** Another rule's finding at the same place: further evidence of the same cause, with its own advice. */
    public record Related(Finding finding, Advice advice) {
    }

    /**
     * The source around a finding's line (or its function's declaration), for the page's source pane.
     *
     * @param first the number of the first line shown
     * @param mark  the line the finding points at
     */
    public record SourceWindow(String file, long first, long mark, List<String> lines) {
        public SourceWindow {
            lines = List.copyOf(lines);
        }
    }

    /**
     * The health of one area at a glance, whether or not anything was found there.
     *
     * @param area     goroutines, heap, gc, contention or cpu
     * @param status   ok, info, warning or critical (the worst finding of the area), or unknown (no input)
     * @param text     what was measured, in words ("steady 7 → 13 over 5 snapshots")
     * @param series   the measured series for a small chart (empty when there is none)
     * @param unit     the series' unit ("goroutines", "bytes")
     */
    public record Health(String area, String status, String text, List<Double> series, String unit) {
        public Health {
            series = List.copyOf(series);
        }
    }

    /**
     * @param items  the findings shown, ranked
     * @param hidden how many findings --min-severity left out
     */
    public record Report(List<InputRow> inputs, List<Item> items, int rules, int hidden, String minSeverity,
                         List<Health> health) {
        public Report {
            health = List.copyOf(health);
        }

        public Report(List<InputRow> inputs, List<Item> items, int rules, int hidden, String minSeverity) {
            this(inputs, items, rules, hidden, minSeverity, List.of());
        }

        /** What to fix first: the three highest-ranked findings at warning or above. */
        List<Item> top() {
            return items.stream().filter(i -> i.finding().severity().compareTo(Severity.WARNING) >= 0).limit(TOP)
                    .toList();
        }

        Map<Severity, Integer> counts() {
            Map<Severity, Integer> m = new EnumMap<>(Severity.class);
            for (Severity s : List.of(Severity.CRITICAL, Severity.WARNING, Severity.INFO)) {
                m.put(s, 0);
            }
            for (Item i : items) {
                m.merge(i.finding().severity(), 1, Integer::sum);
            }
            return m;
        }

        long used() {
            return inputs.stream().filter(InputRow::used).count();
        }
    }

    // ---- text

    public static String text(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("godiag diagnose: ").append(r.used()).append(" of ").append(r.inputs().size())
                .append(" inputs used, ").append(r.rules()).append(" rules\n");
        sb.append(countsLine(r)).append("\n");
        textHealth(sb, r);
        textTop(sb, r);
        if (r.items().isEmpty()) {
            sb.append("\nNo findings").append(r.hidden() > 0 ? " at or above " + r.minSeverity() : "").append(".\n");
        }
        for (Item it : r.items()) {
            Finding f = it.finding();
            sb.append('\n').append('[').append(f.severity().id()).append(' ').append(f.score()).append("] ")
                    .append(f.title()).append('\n');
            if (!f.summary().isEmpty()) {
                indent(sb, "  ", f.summary());
            }
            if (f.location() != null) {
                sb.append("  at ").append(where(f.location())).append('\n');
                if (it.sourceLine() != null) {
                    sb.append("    ").append(f.location().line()).append(" | ").append(it.sourceLine().strip())
                            .append('\n');
                }
                if (it.sourceUrl() != null) {
                    sb.append("    ").append(it.sourceUrl()).append('\n');
                }
            }
            for (ScanFinding s : it.inSource()) {
                sb.append("  in the source: ").append(s.file()).append(':').append(s.line()).append(' ')
                        .append(s.check().id()).append(": ").append(s.message()).append('\n');
            }
            textEvidence(sb, "  ", f);
            if (!it.advice().fix().isEmpty()) {
                sb.append("  fix:\n");
                indent(sb, "    ", it.advice().fix());
            }
            for (Related rel : it.related()) {
                Finding o = rel.finding();
                sb.append("  also here: [").append(o.severity().id()).append(' ').append(o.score()).append("] ")
                        .append(o.title()).append(" (").append(o.rule()).append(")\n");
                if (!o.summary().isEmpty()) {
                    indent(sb, "    ", o.summary());
                }
                textEvidence(sb, "    ", o);
                if (!rel.advice().fix().isEmpty() && !rel.advice().fix().equals(it.advice().fix())) {
                    sb.append("    fix:\n");
                    indent(sb, "      ", rel.advice().fix());
                }
            }
            if (!allCards(it).isEmpty()) {
                for (CardRef c : allCards(it)) {
                    sb.append("  card: ").append(c.id()).append(c.title() == null ? "" : " (" + c.title() + ")")
                            .append('\n');
                    for (String v : c.verify()) {
                        sb.append("    verify: ").append(v).append('\n');
                    }
                }
            }
        }
        sb.append("\nInputs:\n");
        int w = r.inputs().stream().mapToInt(i -> i.kind().length()).max().orElse(0);
        int forms = 0;
        for (InputRow i : r.inputs()) {
            if (!i.used() && !i.kind().equals("skipped")) {
                forms++;
                continue;
            }
            sb.append("  ").append(i.kind()).append(" ".repeat(w - i.kind().length() + 2)).append(i.name());
            if (!i.detail().isEmpty()) {
                sb.append("  (").append(i.detail()).append(')');
            }
            if (i.note() != null) {
                sb.append("  ").append(i.note());
            }
            sb.append('\n');
        }
        if (forms > 0) {
            sb.append("  (").append(forms).append(forms == 1 ? " input" : " inputs")
                    .append(" not used: other forms of the same snapshots; --format json lists them)\n");
        }
        return sb.toString();
    }

    private static void textEvidence(StringBuilder sb, String indent, Finding f) {
        if (f.evidence().isEmpty()) {
            return;
        }
        sb.append(indent).append("evidence:\n");
        for (EvidenceText.Line l : EvidenceText.lines(f)) {
            sb.append(indent).append("  ").append(l.label()).append(": ").append(l.text()).append('\n');
        }
    }

    private static void textHealth(StringBuilder sb, Report r) {
        if (r.health().isEmpty()) {
            return;
        }
        sb.append("\nHealth:\n");
        int w = r.health().stream().mapToInt(h -> h.area().length()).max().orElse(0);
        for (Health h : r.health()) {
            sb.append("  ").append(h.area()).append(" ".repeat(w - h.area().length() + 2))
                    .append(h.status()).append(" ".repeat(Math.max(1, 10 - h.status().length()))).append(h.text())
                    .append('\n');
        }
    }

    private static void textTop(StringBuilder sb, Report r) {
        List<Item> top = r.top();
        if (top.isEmpty()) {
            if (!r.items().isEmpty()) {
                sb.append("\nNothing to fix at warning or above; the findings below are hints.\n");
            }
            return;
        }
        sb.append("\nFix first:\n");
        for (int k = 0; k < top.size(); k++) {
            Item it = top.get(k);
            Finding f = it.finding();
            sb.append("  ").append(k + 1).append(". [").append(f.severity().id()).append("] ").append(f.title());
            if (f.location() != null) {
                Finding.Location l = f.location();
                boolean named = l.function() != null && !l.function().isEmpty() && f.title().contains(l.function());
                if (!named) {
                    sb.append(" at ").append(where(l));
                } else if (l.file() != null && !l.file().isEmpty() && !f.title().contains(l.file())) {
                    sb.append(" (").append(l.file()).append(l.line() > 0 ? ":" + l.line() : "").append(')');
                }
            }
            sb.append('\n');
            String first = firstSentence(it.advice().fix());
            if (!first.isEmpty()) {
                sb.append("     ").append(first).append('\n');
            }
        }
    }

    /** The first sentence of a card's fix: the gist, for the list of things to fix first. */
    static String firstSentence(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<!\\be\\.g|\\bi\\.e)[.!?](\\s|$)").matcher(t);
        return m.find() ? t.substring(0, m.start() + 1) : t;
    }

    /** The cards of a finding and of the related ones, each once, the lead's first. */
    static List<CardRef> allCards(Item it) {
        java.util.LinkedHashMap<String, CardRef> m = new java.util.LinkedHashMap<>();
        it.cards().forEach(c -> m.putIfAbsent(c.id(), c));
        it.related().forEach(rel -> rel.advice().cards().forEach(c -> m.putIfAbsent(c.id(), c)));
        return List.copyOf(m.values());
    }

    private static String countsLine(Report r) {
        Map<Severity, Integer> c = r.counts();
        return "critical: " + c.get(Severity.CRITICAL) + "   warning: " + c.get(Severity.WARNING) + "   info: "
                + c.get(Severity.INFO) + (r.hidden() > 0 ? "   (" + r.hidden() + " below " + r.minSeverity()
                + " not shown)" : "");
    }

    private static void indent(StringBuilder sb, String prefix, String text) {
        for (String line : text.strip().split("\n")) {
            sb.append(prefix).append(line).append('\n');
        }
    }

    static String where(Finding.Location l) {
        String fn = l.function() == null ? "" : l.function();
        if (l.file() == null || l.file().isEmpty()) {
            return fn;
        }
        String fl = l.file() + (l.line() > 0 ? ":" + l.line() : "");
        return fn.isEmpty() ? fl : fn + " (" + fl + ")";
    }

    /** An evidence value in words: numbers without needless decimals, lists joined. */
    static String value(Object v) {
        if (v instanceof Double d || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            if (x == Math.rint(x) && Math.abs(x) < 1e15) {
                return Long.toString((long) x);
            }
            return String.format(Locale.ROOT, "%.4g", x).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
                    .replaceFirst("\\.(e|$)", "$1");
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            for (Object o : l) {
                sb.append(sb.isEmpty() ? "" : ", ").append(value(o));
            }
            return sb.toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append('=').append(value(e.getValue()));
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }

    // ---- markdown

    public static String markdown(Report r) {
        StringBuilder sb = new StringBuilder("## godiag diagnosis\n\n");
        Map<Severity, Integer> c = r.counts();
        sb.append("**").append(c.get(Severity.CRITICAL)).append(" critical**, **").append(c.get(Severity.WARNING))
                .append(" warning**, ").append(c.get(Severity.INFO)).append(" info")
                .append(r.hidden() > 0 ? " (" + r.hidden() + " below " + r.minSeverity() + " not shown)" : "")
                .append(" from ").append(r.used()).append(" inputs.\n");
        if (!r.health().isEmpty()) {
            sb.append("\n| area | health | measured |\n|---|---|---|\n");
            for (Health h : r.health()) {
                sb.append("| ").append(h.area()).append(" | ").append(h.status()).append(" | ")
                        .append(md(h.text()).replace("|", "\\|")).append(" |\n");
            }
        }
        List<Item> top = r.top();
        if (!top.isEmpty()) {
            sb.append("\n**Fix first:**\n\n");
            for (int k = 0; k < top.size(); k++) {
                Item it = top.get(k);
                String first = firstSentence(it.advice().fix());
                sb.append(k + 1).append(". **").append(md(it.finding().title())).append("**")
                        .append(first.isEmpty() ? "" : ": " + md(first)).append('\n');
            }
        } else if (!r.items().isEmpty()) {
            sb.append("\nNothing to fix at warning or above; the findings below are hints.\n");
        }
        if (r.items().isEmpty()) {
            sb.append("\nNo findings.\n");
        }
        for (Item it : r.items()) {
            Finding f = it.finding();
            sb.append("\n### [").append(f.severity().id()).append(' ').append(f.score()).append("] ")
                    .append(md(f.title())).append("\n\n");
            if (!f.summary().isEmpty()) {
                sb.append(md(f.summary())).append("\n\n");
            }
            if (f.location() != null) {
                String where = "`" + where(f.location()) + "`";
                sb.append("**Where:** ").append(it.sourceUrl() != null ? "[" + where + "](" + it.sourceUrl() + ")"
                        : where).append("\n\n");
                if (it.sourceLine() != null) {
                    sb.append("```go\n").append(it.sourceLine().strip()).append("\n```\n\n");
                }
            }
            for (ScanFinding s : it.inSource()) {
                sb.append("**In the source:** `").append(s.file().replace('`', '\'')).append(':').append(s.line())
                        .append("` `").append(s.check().id()).append("`: ").append(md(s.message())).append("\n\n");
            }
            markdownEvidence(sb, f);
            for (Related rel : it.related()) {
                Finding o = rel.finding();
                sb.append("**Also here:** [").append(o.severity().id()).append(' ').append(o.score()).append("] ")
                        .append(md(o.title())).append(" (`").append(o.rule()).append("`)");
                sb.append(o.summary().isEmpty() ? "\n\n" : ": " + md(o.summary()) + "\n\n");
                markdownEvidence(sb, o);
            }
            if (!it.advice().fix().isEmpty()) {
                sb.append("**Fix:** ").append(md(it.advice().fix().strip())).append("\n\n");
            }
            if (it.advice().example() != null) {
                sb.append("<details><summary>Before / after</summary>\n\n```go\n")
                        .append(it.advice().example().before().strip()).append("\n```\n\n```go\n")
                        .append(it.advice().example().after().strip()).append("\n```\n\n</details>\n\n");
            }
            List<CardRef> cards = allCards(it);
            if (!cards.isEmpty()) {
                sb.append("Cards: ");
                for (int k = 0; k < cards.size(); k++) {
                    CardRef cr = cards.get(k);
                    sb.append(k == 0 ? "" : ", ").append('`').append(cr.id()).append('`')
                            .append(cr.title() == null ? "" : " " + md(cr.title()));
                }
                sb.append("\n\n");
                for (CardRef cr : cards) {
                    for (String v : cr.verify()) {
                        sb.append("- verify: `").append(v).append("`\n");
                    }
                }
            }
        }
        sb.append("\n<details><summary>Inputs</summary>\n\n| input | kind | detail |\n|---|---|---|\n");
        for (InputRow i : r.inputs()) {
            sb.append("| `").append(i.name()).append("` | ").append(i.kind()).append(" | ")
                    .append(md(i.detail() + (i.note() == null ? "" : (i.detail().isEmpty() ? "" : "; ") + i.note()))
                            .replace("|", "\\|")).append(" |\n");
        }
        sb.append("\n</details>\n");
        return sb.toString();
    }

    private static void markdownEvidence(StringBuilder sb, Finding f) {
        if (f.evidence().isEmpty()) {
            return;
        }
        sb.append("| evidence | value |\n|---|---|\n");
        for (EvidenceText.Line l : EvidenceText.lines(f)) {
            sb.append("| ").append(md(l.label())).append(" | ").append(md(l.text()).replace("|", "\\|")).append(" |\n");
        }
        sb.append('\n');
    }

    private static String md(String s) {
        return s.replace("<", "&lt;").replace(">", "&gt;");
    }

    // ---- JSON

    public static String json(Report r, String version) {
        return Json.write(g -> body(g, r, version));
    }

    static void body(JsonGenerator g, Report r, String version) throws IOException {
        g.writeStartObject();
        fields(g, r, version);
        g.writeEndObject();
    }

    private static void fields(JsonGenerator g, Report r, String version) throws IOException {
        g.writeStringField("version", version);
        g.writeObjectFieldStart("summary");
        Map<Severity, Integer> c = r.counts();
        g.writeNumberField("critical", c.get(Severity.CRITICAL));
        g.writeNumberField("warning", c.get(Severity.WARNING));
        g.writeNumberField("info", c.get(Severity.INFO));
        g.writeNumberField("hidden", r.hidden());
        g.writeStringField("minSeverity", r.minSeverity());
        g.writeNumberField("rules", r.rules());
        g.writeEndObject();
        g.writeArrayFieldStart("inputs");
        for (InputRow i : r.inputs()) {
            g.writeStartObject();
            g.writeStringField("name", i.name());
            g.writeStringField("kind", i.kind());
            g.writeStringField("detail", i.detail());
            g.writeBooleanField("used", i.used());
            if (i.order() >= 0) {
                g.writeNumberField("order", i.order());
            }
            if (i.note() != null) {
                g.writeStringField("note", i.note());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("top");
        for (Item it : r.top()) {
            g.writeString(it.id());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("health");
        for (Health h : r.health()) {
            g.writeStartObject();
            g.writeStringField("area", h.area());
            g.writeStringField("status", h.status());
            g.writeStringField("text", h.text());
            g.writeStringField("unit", h.unit());
            g.writeFieldName("series");
            value(g, h.series());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("findings");
        for (Item it : r.items()) {
            g.writeStartObject();
            g.writeStringField("id", it.id());
            finding(g, it.finding(), it.advice(), it);
            g.writeArrayFieldStart("related");
            for (Related rel : it.related()) {
                g.writeStartObject();
                finding(g, rel.finding(), rel.advice(), null);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A finding's fields; the item's resolved source line, link and source pane with the item. */
    private static void finding(JsonGenerator g, Finding f, Advice advice, Item it) throws IOException {
        g.writeStringField("rule", f.rule());
        g.writeStringField("topic", f.topic());
        g.writeStringField("severity", f.severity().id());
        g.writeNumberField("score", f.score());
        g.writeStringField("title", f.title());
        g.writeStringField("summary", f.summary());
        if (f.location() == null) {
            g.writeNullField("location");
        } else {
            g.writeObjectFieldStart("location");
            g.writeStringField("function", f.location().function());
            g.writeStringField("file", f.location().file());
            if (f.location().line() > 0) {
                g.writeNumberField("line", f.location().line());
            } else {
                g.writeNullField("line");
            }
            if (it != null && it.sourceLine() != null) {
                g.writeStringField("source", it.sourceLine());
            }
            if (it != null && it.sourceUrl() != null) {
                g.writeStringField("url", it.sourceUrl());
            }
            if (it != null && it.source() != null) {
                g.writeObjectFieldStart("context");
                g.writeStringField("file", it.source().file());
                g.writeNumberField("first", it.source().first());
                g.writeNumberField("mark", it.source().mark());
                g.writeArrayFieldStart("lines");
                for (String l : it.source().lines()) {
                    g.writeString(l);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        if (it != null && !it.inSource().isEmpty()) {
            g.writeArrayFieldStart("inSource");
            for (ScanFinding s : it.inSource()) {
                g.writeStartObject();
                g.writeStringField("check", s.check().id());
                g.writeStringField("card", s.check().card());
                g.writeStringField("file", s.file());
                g.writeNumberField("line", s.line());
                g.writeStringField("function", s.function());
                g.writeStringField("message", s.message());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeFieldName("evidence");
        value(g, f.evidence());
        g.writeArrayFieldStart("evidenceText"); // the same values in words and units, for people
        for (EvidenceText.Line l : EvidenceText.lines(f)) {
            g.writeStartObject();
            g.writeStringField("key", l.key());
            g.writeStringField("label", l.label());
            g.writeStringField("text", l.text());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("fix", advice.fix());
        if (advice.example() == null) {
            g.writeNullField("example");
        } else {
            g.writeObjectFieldStart("example");
            g.writeStringField("before", advice.example().before());
            g.writeStringField("after", advice.example().after());
            g.writeEndObject();
        }
        g.writeArrayFieldStart("cards");
        for (CardRef cr : advice.cards()) {
            g.writeStartObject();
            g.writeStringField("id", cr.id());
            if (cr.title() != null) {
                g.writeStringField("title", cr.title());
            }
            g.writeArrayFieldStart("verify");
            for (String v : cr.verify()) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("explanation", advice.explanation());
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    g.writeNull();
                } else {
                    g.writeNumber(d);
                }
            }
            case Number n -> g.writeNumber(n.doubleValue());
            case Boolean b -> g.writeBoolean(b);
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    value(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Iterable<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    value(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeString(String.valueOf(v));
        }
    }

    // ---- HTML

    /** Writes one of the other report pages (flame graph, goroutines, gc, memory) to a stream. */
    @FunctionalInterface
    public interface PageWriter {
        void write(OutputStream os) throws IOException;
    }

    /**
     * A tab of the joined page: another self-contained report page, shown in a sandboxed iframe
     * (its {@code srcdoc}, set from the embedded data).
     *
     * @param id    flame, goroutines, gc or memory: what findings link to
     * @param label the tab's name
     * @param html  the whole page
     */
    public record Tab(String id, String label, String html) {
        public static Tab of(String id, String label, PageWriter page) throws IOException {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            page.write(out);
            return new Tab(id, label, out.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** A self-contained page listing the findings with their evidence and fixes; the JSON report is embedded. */
    public static void html(Report r, String version, OutputStream os) throws IOException {
        html(r, version, List.of(), os);
    }

    /**
     * The joined page: the findings and, as tabs, the other report pages of the same inputs. The
     * embedded data is the JSON report plus {@code "tabs": [{id, label, html}]}.
     */
    public static void html(Report r, String version, List<Tab> tabs, OutputStream os) throws IOException {
        ScriptJson.write("diagnose.html", os, g -> {
            g.writeStartObject();
            fields(g, r, version);
            g.writeArrayFieldStart("tabs");
            for (Tab t : tabs) {
                g.writeStartObject();
                g.writeStringField("id", t.id());
                g.writeStringField("label", t.label());
                g.writeStringField("html", t.html());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
