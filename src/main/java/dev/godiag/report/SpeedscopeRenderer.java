package dev.godiag.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.profile.NodeInfo;
import dev.godiag.analysis.profile.Stacks;
import dev.godiag.model.ValueType;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json): the frames shared
 * by all profiles, and one "sampled" profile per sample type, each sample a stack of frame indexes
 * root first with its weight. Streamed, so a large profile never sits in memory as text.
 */
public final class SpeedscopeRenderer {
    public static final String SCHEMA = "https://www.speedscope.app/file-format-schema.json";
    private static final JsonFactory FACTORY = new JsonFactory();

    private SpeedscopeRenderer() {
    }

    /**
     * @param types  the profile's sample types: one speedscope profile each
     * @param active the index of the profile speedscope opens first (the chosen sample index)
     * @param name   the file's name shown by speedscope
     * @param mean   pprof's -mean: each stack's value over its sample count
     */
    public static void write(Stacks stacks, List<ValueType> types, int active, String name, boolean mean,
                             String exporter, OutputStream os) throws IOException {
        try (JsonGenerator g = UnicodeJson.of(FACTORY.createGenerator(os, JsonEncoding.UTF8))) {
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeObjectFieldStart("shared");
            g.writeArrayFieldStart("frames");
            for (int n = 0; n < stacks.nodeCount(); n++) {
                NodeInfo info = stacks.node(n);
                g.writeStartObject();
                // the function name, with file and line apart (speedscope shows them), unless the
                // node is an address or has no name: then pprof's whole row name
                boolean plain = !info.name().isEmpty() && info.address() == 0;
                g.writeStringField("name", plain ? info.name() : info.printableName());
                if (plain && !info.file().isEmpty()) {
                    g.writeStringField("file", info.file());
                }
                if (plain && info.lineno() != 0) {
                    g.writeNumberField("line", info.lineno());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("profiles");
            for (int t = 0; t < types.size(); t++) {
                long total = 0;
                for (int i = 0; i < stacks.size(); i++) {
                    total += stacks.value(i, t, mean);
                }
                g.writeStartObject();
                g.writeStringField("type", "sampled");
                g.writeStringField("name", types.get(t).type());
                g.writeStringField("unit", unit(types.get(t).unit()));
                g.writeNumberField("startValue", 0);
                g.writeNumberField("endValue", total);
                g.writeArrayFieldStart("samples");
                for (int i = 0; i < stacks.size(); i++) {
                    if (stacks.value(i, t, mean) != 0) {
                        int[] frames = stacks.frames(i);
                        g.writeArray(frames, 0, frames.length);
                    }
                }
                g.writeEndArray();
                g.writeArrayFieldStart("weights");
                for (int i = 0; i < stacks.size(); i++) {
                    long v = stacks.value(i, t, mean);
                    if (v != 0) {
                        g.writeNumber(v);
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("name", name);
            g.writeNumberField("activeProfileIndex", active);
            g.writeStringField("exporter", exporter);
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    /** speedscope's units: nanoseconds, microseconds, milliseconds, seconds, bytes, none. */
    public static String unit(String pprofUnit) {
        return switch (pprofUnit) {
            case "nanoseconds", "ns" -> "nanoseconds";
            case "microseconds", "us" -> "microseconds";
            case "milliseconds", "ms" -> "milliseconds";
            case "seconds", "s" -> "seconds";
            case "bytes", "B" -> "bytes";
            default -> "none";
        };
    }
}
