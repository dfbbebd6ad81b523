package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.profile.CallTree;
import dev.godiag.diagnosis.RuntimeFrames;
import dev.godiag.model.ValueType;
import dev.godiag.util.GoSymbols;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The interactive flame graph page: the template {@code flame.html} (inline script and style, no
 * network) with the call tree embedded as JSON, in the form docs/flame-html.md describes, written
 * through {@link ScriptJson} so no name from a profile can end the script element it sits in.
 */
public final class FlameHtmlRenderer {
    static final String TEMPLATE = "flame.html";
    /** Members listed per "other" node; the rest are counted. */
    static final int MEMBERS_SHOWN = 50;

    private FlameHtmlRenderer() {
    }

    /**
     * What the page says about its profile.
     *
     * @param title     the input file names
     * @param legend    the header lines (type, time, duration)
     * @param types     the profile's sample types (a diff: those of each side)
     * @param type      the sample type shown first
     * @param mean      values are pprof's -mean of the shown type: only that type is written
     * @param tagLevels how many levels under the root are label frames
     */
    public record Page(String title, List<String> legend, String generator, List<ValueType> types, int type,
                       boolean mean, int tagLevels, int maxNodes, double minFraction) {
    }

    /**
     * What a diff page adds: the base side is the tree's second half of columns.
     *
     * @param scale per type, the factor that scales base values to the new profile's total (1 when absolute)
     * @param table the gainers/losers as {@code godiag diff --format json} writes them
     */
    public record Diff(String baseTitle, boolean normalize, double[] scale, String table) {
    }

    public static void write(CallTree tree, Page page, Diff diff, OutputStream os) throws IOException {
        ScriptJson.write(TEMPLATE, os, g -> writeData(tree, page, diff, g));
    }

    private static void writeData(CallTree tree, Page page, Diff diff, JsonGenerator g) throws IOException {
        int k = page.types().size();
        // with -mean only the shown type is written, as its mean over the sample count
        int[] shown = page.mean() ? new int[]{page.type()} : java.util.stream.IntStream.range(0, k).toArray();
        g.writeStartObject();
        g.writeNumberField("schema", 1);
        g.writeStringField("kind", diff == null ? "flame" : "diff");
        g.writeStringField("title", page.title());
        g.writeArrayFieldStart("legend");
        for (String line : page.legend()) {
            g.writeString(line);
        }
        g.writeEndArray();
        g.writeStringField("generator", page.generator());
        g.writeArrayFieldStart("types");
        for (int t : shown) {
            g.writeStartObject();
            g.writeStringField("name", page.types().get(t).type());
            g.writeStringField("unit", page.types().get(t).unit());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("type", page.mean() ? 0 : page.type());
        g.writeBooleanField("mean", page.mean());
        writeFrames(tree, g);
        g.writeObjectFieldStart("nodes");
        int n = tree.size();
        g.writeArrayFieldStart("parent");
        for (int i = 0; i < n; i++) {
            g.writeNumber(tree.parent(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("frame");
        for (int i = 0; i < n; i++) {
            g.writeNumber(tree.frame(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("inline");
        for (int i = 0; i < n; i++) {
            g.writeNumber(tree.inlined(i) ? 1 : 0);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("line");
        for (int i = 0; i < n; i++) {
            g.writeNumber(tree.line(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("other");
        for (int i = 0; i < n; i++) {
            g.writeNumber(tree.otherCount(i));
        }
        g.writeEndArray();
        writeValues(g, "self", tree, shown, 0, page.mean(), true);
        writeValues(g, "total", tree, shown, 0, page.mean(), false);
        g.writeEndObject();
        writeFolded(tree, shown, page.mean(), page.type(), g);
        writeTruncation(tree, page, shown, g);
        g.writeNumberField("tagLevels", page.tagLevels());
        if (diff == null) {
            g.writeNullField("diff");
        } else {
            g.writeObjectFieldStart("diff");
            g.writeStringField("baseTitle", diff.baseTitle());
            g.writeBooleanField("normalize", diff.normalize());
            g.writeArrayFieldStart("scale");
            for (int t : shown) {
                g.writeNumber(diff.scale()[t]);
            }
            g.writeEndArray();
            writeValues(g, "baseSelf", tree, shown, k, false, true);
            writeValues(g, "baseTotal", tree, shown, k, false, false);
            g.writeFieldName("table");
            ScriptJson.copy(diff.table(), g);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeFrames(CallTree tree, JsonGenerator g) throws IOException {
        int f = tree.frameCount();
        String[] pkg = new String[f];
        int[] kind = new int[f];
        for (int i = 0; i < f; i++) {
            CallTree.Frame frame = tree.frameInfo(i);
            if (frame.label()) {
                pkg[i] = frame.file();
                kind[i] = 3;
            } else if (frame.info().name().isEmpty()) {
                pkg[i] = "";
                kind[i] = 4;
            } else {
                pkg[i] = GoSymbols.packageOf(frame.info().name());
                kind[i] = GoSymbols.kindOf(pkg[i]).ordinal();
            }
        }
        g.writeObjectFieldStart("frames");
        g.writeArrayFieldStart("name");
        for (int i = 0; i < f; i++) {
            g.writeString(tree.frameInfo(i).name());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("file");
        for (int i = 0; i < f; i++) {
            g.writeString(tree.frameInfo(i).file());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("pkg");
        for (String p : pkg) {
            g.writeString(p);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("kind");
        for (int k : kind) {
            g.writeNumber(k);
        }
        g.writeEndArray();
        // runtime and standard-library frames explained: the cause they stand for
        g.writeArrayFieldStart("why");
        for (int i = 0; i < f; i++) {
            RuntimeFrames.Attribution a = kind[i] == 1 || kind[i] == 2
                    ? RuntimeFrames.explain(tree.frameInfo(i).info().name()) : null;
            g.writeString(a == null ? "" : a.text());
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Per shown type an array over nodes; offset picks the side of a diff. */
    private static void writeValues(JsonGenerator g, String field, CallTree tree, int[] shown, int offset,
                                    boolean mean, boolean self) throws IOException {
        g.writeArrayFieldStart(field);
        for (int t : shown) {
            g.writeStartArray();
            for (int i = 0; i < tree.size(); i++) {
                g.writeNumber(value(tree, i, offset + t, offset, mean, self));
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static long value(CallTree tree, int node, int column, int countColumn, boolean mean, boolean self) {
        long v = self ? tree.self(node, column) : tree.total(node, column);
        if (!mean) {
            return v;
        }
        long count = self ? tree.self(node, countColumn) : tree.total(node, countColumn);
        return count == 0 ? 0 : v / count;
    }

    private static void writeFolded(CallTree tree, int[] shown, boolean mean, int type, JsonGenerator g)
            throws IOException {
        CallTree source = tree.source();
        g.writeObjectFieldStart("folded");
        for (int i = 0; i < tree.size(); i++) {
            if (tree.otherCount(i) == 0) {
                continue;
            }
            int[] members = tree.members(i);
            int listed = Math.min(members.length, MEMBERS_SHOWN);
            g.writeObjectFieldStart(Integer.toString(i));
            g.writeArrayFieldStart("frames");
            for (int m = 0; m < listed; m++) {
                g.writeNumber(source.frame(members[m]));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("total");
            for (int t : shown) {
                g.writeStartArray();
                for (int m = 0; m < listed; m++) {
                    g.writeNumber(value(source, members[m], t, 0, mean, false));
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeNumberField("more", members.length - listed);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeTruncation(CallTree tree, Page page, int[] shown, JsonGenerator g) throws IOException {
        long nodes = 0;
        long[] totals = new long[shown.length];
        for (int i = 0; i < tree.size(); i++) {
            if (tree.otherCount(i) > 0) {
                nodes += tree.otherCount(i);
                for (int s = 0; s < shown.length; s++) {
                    totals[s] += value(tree, i, shown[s], 0, page.mean(), false);
                }
            }
        }
        if (nodes == 0) {
            g.writeNullField("truncation");
            return;
        }
        g.writeObjectFieldStart("truncation");
        g.writeNumberField("maxNodes", page.maxNodes());
        g.writeNumberField("minFraction", page.minFraction());
        g.writeNumberField("foldedNodes", nodes);
        g.writeArrayFieldStart("foldedTotal");
        for (long v : totals) {
            g.writeNumber(v);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
