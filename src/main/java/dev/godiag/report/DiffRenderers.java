package dev.godiag.report;

import dev.godiag.analysis.profile.NodeInfo;
import dev.godiag.analysis.profile.ProfileDiff;
import dev.godiag.util.GoFormat;

/**
 * The diff report as text (aligned columns), JSON (raw integers, schema in docs/json.md) and
 * Markdown (tables for a pull-request comment).
 */
public final class DiffRenderers {
    private DiffRenderers() {
    }

    public static String text(DiffView v) {
        StringBuilder sb = new StringBuilder(1024);
        for (String l : v.header()) {
            sb.append(l).append('\n');
        }
        for (DiffView.Section s : v.sections()) {
            sb.append('\n').append(s.title()).append(":\n");
            if (s.lines().isEmpty()) {
                sb.append("  (none)\n");
                continue;
            }
            sb.append("      base        new      delta    delta%  name\n");
            for (DiffView.Line l : s.lines()) {
                sb.append(GoFormat.padLeft(l.base(), 10)).append(' ')
                        .append(GoFormat.padLeft(l.neu(), 10)).append(' ')
                        .append(GoFormat.padLeft(l.delta(), 10)).append(' ')
                        .append(GoFormat.padLeft(l.relative(), 9)).append("  ")
                        .append(l.row().name()).append(marker(l.row())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String marker(ProfileDiff.Row r) {
        String only = r.onlyIn();
        return only == null ? "" : only.equals("new") ? " (only in new)" : " (only in base)";
    }

    public static String markdown(DiffView v) {
        ProfileDiff.Result r = v.result();
        StringBuilder sb = new StringBuilder(1024);
        sb.append("### godiag diff: `").append(r.sampleType()).append("`\n\n");
        for (String l : v.header().subList(1, v.header().size())) {
            sb.append("- ").append(cell(l)).append('\n');
        }
        for (DiffView.Section s : v.sections()) {
            sb.append("\n**").append(s.title()).append("**\n\n");
            if (s.lines().isEmpty()) {
                sb.append("_none_\n");
                continue;
            }
            sb.append("| function | base | new | delta | delta % |\n");
            sb.append("|---|---:|---:|---:|---:|\n");
            for (DiffView.Line l : s.lines()) {
                sb.append("| `").append(cell(l.row().name()).replace("`", "'")).append('`')
                        .append(marker(l.row())).append(" | ")
                        .append(l.base()).append(" | ").append(l.neu()).append(" | ")
                        .append(l.delta()).append(" | ").append(l.relative()).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** Escapes what would break a Markdown table cell. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    public static String json(DiffView v) {
        ProfileDiff.Result r = v.result();
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("base", v.baseName());
            g.writeStringField("new", v.newName());
            g.writeStringField("sampleType", r.sampleType());
            g.writeStringField("unit", r.unit());
            g.writeStringField("outputUnit", v.outputUnit());
            g.writeBooleanField("normalized", r.normalized());
            g.writeNumberField("scale", r.scale());
            g.writeNumberField("baseTotal", r.baseTotal());
            g.writeNumberField("newTotal", r.newTotal());
            g.writeNumberField("newTotalRaw", r.newTotalRaw());
            g.writeArrayFieldStart("rows");
            for (ProfileDiff.Row row : v.rows()) {
                NodeInfo info = row.info();
                g.writeStartObject();
                g.writeStringField("name", row.name());
                g.writeStringField("function", info.name().isEmpty() ? null : info.name());
                g.writeStringField("file", info.file().isEmpty() ? null : info.file());
                if (info.lineno() != 0) {
                    g.writeNumberField("line", info.lineno());
                } else {
                    g.writeNullField("line");
                }
                g.writeNumberField("baseFlat", row.baseFlat());
                g.writeNumberField("newFlat", row.newFlat());
                g.writeNumberField("baseCum", row.baseCum());
                g.writeNumberField("newCum", row.newCum());
                g.writeNumberField("flatDelta", row.flatDelta());
                g.writeNumberField("cumDelta", row.cumDelta());
                writePercent(g, "flatDeltaPercent", DiffView.percent(row.flatDelta(), row.baseFlat()));
                writePercent(g, "cumDeltaPercent", DiffView.percent(row.cumDelta(), row.baseCum()));
                g.writeStringField("onlyIn", row.onlyIn());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void writePercent(com.fasterxml.jackson.core.JsonGenerator g, String field, Double p)
            throws java.io.IOException {
        if (p == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, p);
        }
    }
}
