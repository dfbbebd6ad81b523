package dev.godiag.report;

import dev.godiag.analysis.profile.ProfileSummary;
import dev.godiag.util.Units;

/** Renders {@link ProfileSummary} as text or JSON. */
public final class InfoRenderer {
    private InfoRenderer() {
    }

    public static String text(String source, ProfileSummary s) {
        StringBuilder sb = new StringBuilder();
        sb.append(source).append('\n');
        row(sb, "format", describeKind(s.kind()));
        if (!s.mainBinary().isEmpty()) {
            row(sb, "binary", s.mainBinary() + (s.buildId().isEmpty() ? "" : " (build ID " + s.buildId() + ")"));
        }
        if (s.timeNanos() != 0) {
            row(sb, "time", ProfileLegend.formatTime(s.timeNanos()));
        }
        if (s.durationNanos() != 0) {
            row(sb, "duration", Units.label(s.durationNanos(), "nanoseconds"));
        }
        if (!s.periodType().type().isEmpty() || s.period() != 0) {
            row(sb, "period", Units.scaledLabel(s.period(), s.periodType().unit(), "auto") + " of "
                    + s.periodType().type() + (s.periodType().unit().isEmpty() ? "" : " (" + s.periodType().unit() + ")"));
        }
        sb.append("sample types:\n");
        for (int i = 0; i < s.sampleTypes().size(); i++) {
            ProfileSummary.TypeTotal t = s.sampleTypes().get(i);
            boolean isDefault = s.defaultSampleType().isEmpty() ? i == s.sampleTypes().size() - 1
                    : t.type().type().equals(s.defaultSampleType());
            sb.append(String.format("  %d  %-16s %-12s total %s%s%n", i, t.type().type(), t.type().unit(),
                    Units.scaledLabel(t.total(), t.type().unit(), "auto"), isDefault ? "  (default)" : ""));
        }
        row(sb, "samples", Integer.toString(s.samples()));
        row(sb, "locations", Integer.toString(s.locations()));
        row(sb, "functions", Integer.toString(s.functions()));
        row(sb, "mappings", Integer.toString(s.mappings()));
        row(sb, "max depth", Integer.toString(s.maxDepth()));
        if (!s.labels().isEmpty()) {
            sb.append("labels:\n");
            for (ProfileSummary.LabelKey k : s.labels()) {
                sb.append("  ").append(k.key()).append(": ");
                if (k.numeric()) {
                    sb.append("numeric");
                    if (!k.unit().isEmpty()) {
                        sb.append(" (").append(k.unit()).append(')');
                    }
                } else {
                    sb.append(k.distinctValues()).append(k.distinctValues() == 1 ? " value" : " values");
                    sb.append(", e.g. ").append(String.join(", ", k.exampleValues()));
                }
                sb.append(" on ").append(k.samples()).append(" samples\n");
            }
        }
        if (!s.dropFrames().isEmpty()) {
            String drop = s.dropFrames();
            row(sb, "drop frames", drop.length() > 100 ? drop.substring(0, 100) + "… (" + drop.length() + " chars)" : drop);
        }
        long memStats = s.comments().stream().filter(c -> c.startsWith("# ")).count();
        for (String c : s.comments()) {
            if (!c.startsWith("#")) {
                row(sb, "comment", c);
            }
        }
        if (memStats > 0) {
            row(sb, "trailer", memStats + " runtime.MemStats lines kept");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append(String.format("%-13s%s%n", k + ":", v));
    }

    static String describeKind(String kind) {
        return switch (kind) {
            case "pprof" -> "profile.proto";
            case "goroutine-text" -> "goroutine profile, debug=1 text";
            case "threadcreate-text" -> "threadcreate profile, debug=1 text";
            case "heap-text" -> "heap profile, debug=1 text";
            case "mutex-text" -> "mutex profile, debug=1 text";
            case "block-text" -> "block (contention) profile, debug=1 text";
            case "cpu-legacy" -> "legacy binary CPU profile";
            case "thread-legacy" -> "legacy thread profile";
            case "java-heap" -> "Java heap profile, legacy text";
            case "java-contention" -> "Java contention profile, legacy text";
            case "java-cpu" -> "Java CPU profile, legacy binary";
            default -> kind;
        };
    }

    public static String json(String source, ProfileSummary s) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("source", source);
            g.writeStringField("kind", s.kind());
            g.writeArrayFieldStart("sampleTypes");
            for (ProfileSummary.TypeTotal t : s.sampleTypes()) {
                g.writeStartObject();
                g.writeStringField("type", t.type().type());
                g.writeStringField("unit", t.type().unit());
                g.writeNumberField("total", t.total());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("defaultSampleType", s.defaultSampleType());
            g.writeObjectFieldStart("period");
            g.writeStringField("type", s.periodType().type());
            g.writeStringField("unit", s.periodType().unit());
            g.writeNumberField("value", s.period());
            g.writeEndObject();
            g.writeNumberField("timeNanos", s.timeNanos());
            g.writeNumberField("durationNanos", s.durationNanos());
            g.writeNumberField("samples", s.samples());
            g.writeNumberField("locations", s.locations());
            g.writeNumberField("functions", s.functions());
            g.writeNumberField("mappings", s.mappings());
            g.writeNumberField("maxDepth", s.maxDepth());
            g.writeStringField("binary", s.mainBinary());
            g.writeStringField("buildId", s.buildId());
            g.writeArrayFieldStart("labels");
            for (ProfileSummary.LabelKey k : s.labels()) {
                g.writeStartObject();
                g.writeStringField("key", k.key());
                g.writeBooleanField("numeric", k.numeric());
                if (k.numeric()) {
                    g.writeStringField("unit", k.unit());
                }
                g.writeNumberField("samples", k.samples());
                g.writeNumberField("distinctValues", k.distinctValues());
                g.writeArrayFieldStart("examples");
                for (String v : k.exampleValues()) {
                    g.writeString(v);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("comments");
            for (String c : s.comments()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeStringField("dropFrames", s.dropFrames());
            g.writeEndObject();
        });
    }
}
