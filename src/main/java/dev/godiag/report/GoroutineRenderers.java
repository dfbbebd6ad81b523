package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.goroutine.GoroutineAnalysis.Row;
import dev.godiag.analysis.goroutine.GoroutineBuckets.Bucket;
import dev.godiag.analysis.goroutine.GoroutineVerdicts.Verdict;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.StackFrame;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The goroutine report as text, JSON (the documented contract) and markdown. */
public final class GoroutineRenderers {
    /** Frames printed per stack in text and markdown; JSON has them all. */
    static final int FRAMES_SHOWN = 12;

    private GoroutineRenderers() {
    }

    /**
     * @param names   the snapshots' display names, in input order
     * @param details print every bucket's stack and reason, not only those that need a look
     */
    public static String text(GoroutineAnalysis.Result r, List<String> names, List<Row> rows, boolean details) {
        StringBuilder sb = new StringBuilder();
        summary(sb, r, names, rows);
        sb.append('\n');
        boolean multi = r.totals().length > 1;
        String[] header = multi
                ? new String[]{"verdict", "count", "counts", "change", "state", "wait", "blocked at", "function"}
                : new String[]{"verdict", "count", "state", "wait", "blocked at", "function"};
        String[][] cells = new String[rows.size() + 1][];
        cells[0] = header;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Bucket b = row.bucket();
            StackFrame at = row.assessment().blockedAt();
            String state = b.state().isEmpty() ? "-" : b.state() + (b.leaked() > 0 ? " [leaked]" : "");
            String where = at == null ? "-" : at.location();
            String fn = b.frames().isEmpty() ? "(no stack)" : b.frames().get(b.frames().size() - 1).function();
            cells[i + 1] = multi
                    ? new String[]{row.assessment().verdict().id(), Long.toString(row.last()), counts(row.counts()),
                    change(row.change()), state, wait(b), where, fn}
                    : new String[]{row.assessment().verdict().id(), Long.toString(row.last()), state, wait(b), where,
                    fn};
        }
        table(sb, cells, multi ? new boolean[]{false, true, true, false, false, true, false, false}
                : new boolean[]{false, true, false, true, false, false});
        int n = 0;
        for (Row row : rows) {
            if (!details && row.assessment().verdict() == Verdict.BENIGN) {
                continue;
            }
            sb.append('\n').append(++n).append(". ").append(row.assessment().verdict().id()).append(": ")
                    .append(row.last()).append(row.last() == 1 ? " goroutine" : " goroutines");
            if (!row.bucket().state().isEmpty()) {
                sb.append(" in '").append(row.bucket().state()).append('\'');
            }
            sb.append('\n');
            sb.append("   ").append(row.assessment().reason()).append('\n');
            stack(sb, row.bucket(), "   ");
        }
        for (GoroutineDump d : r.snapshots()) {
            for (String w : d.warnings()) {
                sb.append("\nwarning: ").append(d.source()).append(": ").append(w);
            }
        }
        if (r.snapshots().stream().anyMatch(d -> !d.warnings().isEmpty())) {
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void summary(StringBuilder sb, GoroutineAnalysis.Result r, List<String> names, List<Row> shown) {
        Map<Verdict, long[]> byVerdict = new EnumMap<>(Verdict.class);
        for (Row row : r.rows()) {
            long[] v = byVerdict.computeIfAbsent(row.assessment().verdict(), k -> new long[2]);
            v[0]++;
            v[1] += row.last();
        }
        sb.append("Goroutines: ").append(r.total());
        if (r.totals().length == 1) {
            sb.append(" in ").append(names.get(0));
        }
        sb.append(", ").append(r.rows().size()).append(r.rows().size() == 1 ? " bucket" : " buckets");
        if (shown.size() != r.rows().size()) {
            sb.append(" (").append(shown.size()).append(" shown)");
        }
        sb.append('\n');
        if (r.totals().length > 1) {
            long delta = r.totals()[r.totals().length - 1] - r.totals()[0];
            sb.append("Snapshots: ").append(names.size()).append(", goroutines ").append(counts(r.totals()))
                    .append(" (").append(delta >= 0 ? "+" : "").append(delta).append(")\n");
            for (int i = 0; i < names.size(); i++) {
                sb.append("  ").append(i + 1).append(". ").append(names.get(i)).append('\n');
            }
        }
        sb.append("Verdicts:");
        boolean first = true;
        for (Verdict v : Verdict.values()) {
            long[] c = byVerdict.get(v);
            if (c != null) {
                sb.append(first ? " " : ", ").append(v.id()).append(' ').append(c[1]).append(" in ").append(c[0])
                        .append(c[0] == 1 ? " bucket" : " buckets");
                first = false;
            }
        }
        sb.append('\n');
    }

    private static void stack(StringBuilder sb, Bucket b, String indent) {
        List<StackFrame> frames = b.frames();
        if (frames.isEmpty()) {
            sb.append(indent).append("(no stack)\n");
        }
        for (int i = 0; i < frames.size() && i < FRAMES_SHOWN; i++) {
            StackFrame f = frames.get(i);
            sb.append(indent).append(f.function()).append('\n');
            if (!f.location().isEmpty()) {
                sb.append(indent).append("    ").append(f.location()).append('\n');
            }
        }
        if (frames.size() > FRAMES_SHOWN) {
            sb.append(indent).append("...").append(frames.size() - FRAMES_SHOWN).append(" more frames\n");
        }
        if (b.createdBy() != null) {
            sb.append(indent).append("created by ").append(b.createdBy().function());
            if (b.creatorCount() == 1) {
                sb.append(" in goroutine ").append(b.creators().get(0));
            } else if (b.creatorCount() > 1) {
                sb.append(" in ").append(b.creatorCount()).append(" goroutines");
            }
            sb.append('\n');
            if (!b.createdBy().location().isEmpty()) {
                sb.append(indent).append("    ").append(b.createdBy().location()).append('\n');
            }
        }
        if (!b.labels().isEmpty()) {
            sb.append(indent).append("labels: ");
            int shown = 0;
            for (var e : b.labels().entrySet()) {
                if (shown++ == 3) {
                    sb.append(", ...");
                    break;
                }
                sb.append(shown > 1 ? ", " : "").append(e.getKey()).append(" x").append(e.getValue());
            }
            sb.append('\n');
        }
    }

    static String counts(long[] c) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.length; i++) {
            sb.append(i == 0 ? "" : " → ").append(c[i]);
        }
        return sb.toString();
    }

    static String change(GoroutineAnalysis.Change c) {
        return switch (c) {
            case SINGLE -> "";
            case NEW -> "new";
            case VANISHED -> "vanished";
            case ONLY_GROWS -> "only grows";
            case GREW -> "grew";
            case SHRANK -> "shrank";
            case STEADY -> "steady";
        };
    }

    static String wait(Bucket b) {
        if (b.maxWait() < 0) {
            return "-";
        }
        if (b.maxWait() == 0) {
            return "<1m";
        }
        return b.minWait() == b.maxWait() ? b.maxWait() + "m" : b.minWait() + "-" + b.maxWait() + "m";
    }

    /** Columns padded to their widest cell; right-aligned where asked. */
    private static void table(StringBuilder sb, String[][] cells, boolean[] right) {
        int[] w = new int[cells[0].length];
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                w[c] = Math.max(w[c], row[c].length());
            }
        }
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(w[c] - row[c].length());
                line.append(right[c] ? pad + row[c] : c == row.length - 1 ? row[c] : row[c] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    public static String markdown(GoroutineAnalysis.Result r, List<String> names, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("### Goroutines\n\n");
        StringBuilder summary = new StringBuilder();
        summary(summary, r, names, rows);
        for (String line : summary.toString().split("\n")) {
            sb.append("- ").append(md(line)).append('\n');
        }
        boolean multi = r.totals().length > 1;
        sb.append('\n').append(multi ? "| verdict | count | counts | change | state | blocked at | function |\n"
                + "|---|---:|---|---|---|---|---|\n" : "| verdict | count | state | wait | blocked at | function |\n"
                + "|---|---:|---|---:|---|---|\n");
        for (Row row : rows) {
            Bucket b = row.bucket();
            StackFrame at = row.assessment().blockedAt();
            String fn = b.frames().isEmpty() ? "(no stack)" : b.frames().get(b.frames().size() - 1).function();
            sb.append("| ").append(row.assessment().verdict().id()).append(" | ").append(row.last()).append(" | ");
            if (multi) {
                sb.append(counts(row.counts())).append(" | ").append(change(row.change())).append(" | ");
            }
            sb.append(md(b.state())).append(" | ");
            if (!multi) {
                sb.append(wait(b)).append(" | ");
            }
            sb.append(at == null ? "" : "`" + md(at.location()) + "`").append(" | `").append(md(fn)).append("` |\n");
        }
        int n = 0;
        for (Row row : rows) {
            if (row.assessment().verdict() == Verdict.BENIGN || row.assessment().verdict() == Verdict.UNKNOWN) {
                continue;
            }
            sb.append("\n<details><summary>").append(++n).append(". ").append(row.assessment().verdict().id())
                    .append(": ").append(row.last()).append(" in ").append(html(row.bucket().state())).append("</summary>\n\n");
            sb.append(md(row.assessment().reason())).append("\n\n```\n");
            StringBuilder st = new StringBuilder();
            stack(st, row.bucket(), "");
            sb.append(st).append("```\n\n</details>\n");
        }
        return sb.toString();
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static String json(GoroutineAnalysis.Result r, List<String> names, List<Row> rows) {
        boolean multi = r.totals().length > 1;
        return Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("snapshots");
            for (int i = 0; i < names.size(); i++) {
                GoroutineDump d = r.snapshots().get(i);
                g.writeStartObject();
                g.writeStringField("source", names.get(i));
                g.writeStringField("format", d.format());
                g.writeNumberField("total", r.totals()[i]);
                g.writeArrayFieldStart("warnings");
                for (String w : d.warnings()) {
                    g.writeString(w);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("total", r.total());
            g.writeNumberField("bucketCount", r.rows().size());
            g.writeArrayFieldStart("buckets");
            for (Row row : rows) {
                bucket(g, row, multi);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void bucket(JsonGenerator g, Row row, boolean multi) throws IOException {
        Bucket b = row.bucket();
        g.writeStartObject();
        g.writeNumberField("count", row.last());
        if (multi) {
            g.writeArrayFieldStart("counts");
            for (long c : row.counts()) {
                g.writeNumber(c);
            }
            g.writeEndArray();
            g.writeStringField("change", change(row.change()));
        }
        g.writeStringField("state", b.state());
        g.writeObjectFieldStart("waitMinutes");
        writeWait(g, "min", b.minWait());
        writeWait(g, "max", b.maxWait());
        g.writeEndObject();
        g.writeStringField("verdict", row.assessment().verdict().id());
        g.writeStringField("reason", row.assessment().reason());
        g.writeFieldName("blockedAt");
        frame(g, row.assessment().blockedAt(), false);
        g.writeNumberField("leaked", b.leaked());
        g.writeNumberField("lockedToThread", b.lockedToThread());
        g.writeStringField("code", b.kind().name().toLowerCase(java.util.Locale.ROOT));
        g.writeArrayFieldStart("frames");
        for (StackFrame f : b.frames()) {
            frame(g, f, true);
        }
        g.writeEndArray();
        g.writeFieldName("createdBy");
        frame(g, b.createdBy(), false);
        g.writeNumberField("creatorGoroutines", b.creatorCount());
        g.writeArrayFieldStart("ids");
        for (long id : b.ids()) {
            g.writeNumber(id);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("labels");
        for (var e : b.labels().entrySet()) {
            g.writeStartObject();
            g.writeObjectFieldStart("labels");
            for (var l : e.getKey().entrySet()) {
                g.writeStringField(l.getKey(), l.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("count", e.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeWait(JsonGenerator g, String field, int minutes) throws IOException {
        if (minutes < 0) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, minutes);
        }
    }

    private static void frame(JsonGenerator g, StackFrame f, boolean args) throws IOException {
        if (f == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("function", f.function());
        g.writeStringField("file", f.file());
        g.writeNumberField("line", f.line());
        if (args && f.args() != null) {
            g.writeStringField("args", f.args());
        }
        g.writeEndObject();
    }
}
