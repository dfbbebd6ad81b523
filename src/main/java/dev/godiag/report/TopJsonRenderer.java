package dev.godiag.report;

import dev.godiag.analysis.profile.NodeInfo;
import dev.godiag.util.Units;

/**
 * The top report as JSON (schema documented in docs/json.md): raw integer values in the
 * profile's unit, percentages as numbers, and each row's identity (function, file, line).
 */
public final class TopJsonRenderer {
    private TopJsonRenderer() {
    }

    public static String render(TopView v) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("kind", v.kind());
            g.writeStringField("sampleType", v.sampleType());
            g.writeStringField("unit", v.sampleUnit());
            g.writeStringField("outputUnit", v.outputUnit());
            g.writeNumberField("total", v.total());
            g.writeNumberField("shownTotal", v.shownTotal());
            g.writeNumberField("droppedNodes", v.droppedNodes());
            g.writeNumberField("nodeCutoff", v.nodeCutoff());
            g.writeNumberField("nodesAfterCutoff", v.nodesAfterCutoff());
            g.writeArrayFieldStart("filters");
            for (String f : v.filters()) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("legend");
            for (String l : v.legend()) {
                g.writeString(l);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (TopView.Line line : v.rows()) {
                NodeInfo info = line.row().info();
                g.writeStartObject();
                g.writeStringField("name", line.row().name());
                g.writeNumberField("flat", line.row().flat());
                g.writeNumberField("flatPercent", round(Units.percent(line.row().flat(), v.total())));
                g.writeNumberField("sumPercent", round(Units.percent(line.flatSum(), v.total())));
                g.writeNumberField("cum", line.row().cum());
                g.writeNumberField("cumPercent", round(Units.percent(line.row().cum(), v.total())));
                g.writeStringField("flatText", line.flat());
                g.writeStringField("cumText", line.cum());
                if (!line.row().inlineLabel().isEmpty()) {
                    g.writeStringField("inline", line.row().inlineLabel().replaceAll("[()]", ""));
                }
                if (!info.name().isEmpty()) {
                    g.writeStringField("function", info.name());
                }
                if (!info.file().isEmpty()) {
                    g.writeStringField("file", info.file());
                }
                if (info.lineno() != 0) {
                    g.writeNumberField("line", info.lineno());
                }
                if (info.columnno() != 0) {
                    g.writeNumberField("column", info.columnno());
                }
                if (info.address() != 0) {
                    g.writeStringField("address", "0x" + Long.toHexString(info.address()));
                }
                if (!info.objfile().isEmpty()) {
                    g.writeStringField("binary", info.objfile());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (String w : v.warnings()) {
                g.writeString(w);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static double round(double percent) {
        return Math.round(percent * 10000.0) / 10000.0;
    }
}
