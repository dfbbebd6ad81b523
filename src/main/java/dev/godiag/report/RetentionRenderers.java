package dev.godiag.report;

import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.util.BadInputException;
import dev.godiag.util.Units;

import java.util.List;
import java.util.Locale;

/** godiag retention's findings: which roots retain most of the heap, as text or JSON. */
public final class RetentionRenderers {
    private RetentionRenderers() {
    }

    /** "main.sessions (global) retains 8.1 MiB in 401 objects", one line per root, most first. */
    public static String text(RetentionReport r, int limit) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Heap dump of %s %s: %,d objects, %s",
                BadInputException.oneLine(r.info().goVersion()), BadInputException.oneLine(r.info().arch()),
                r.objects(), Units.bytes(r.heapBytes())));
        if (r.info().heapAlloc() >= 0) {
            sb.append(String.format(Locale.ROOT, " (runtime's HeapAlloc %s in %,d objects)",
                    Units.bytes(r.info().heapAlloc()), r.info().heapObjects()));
        }
        sb.append(String.format(Locale.ROOT, "%nReachable from roots: %s in %,d objects%n%n",
                Units.bytes(r.reachableBytes()), r.reachableObjects()));
        List<RetentionReport.RootRetention> roots = r.roots();
        for (RetentionReport.RootRetention root : roots.subList(0, Math.min(limit, roots.size()))) {
            sb.append(finding(root)).append('\n');
            if (!root.parts().isEmpty()) {
                sb.append("    of which ").append(parts(root)).append('\n');
            }
        }
        if (roots.size() > limit) {
            sb.append(String.format(Locale.ROOT, "... and %,d more roots retaining something%n", roots.size() - limit));
        }
        if (roots.isEmpty()) {
            sb.append("No root retains anything.\n");
        }
        return sb.toString();
    }

    /**
     * One root's finding, as a sentence: "main.sessions (global map[int]*main.session) retains 7.8
     * MiB in 404 objects"; names from the dump and the binary are escaped to one line.
     */
    public static String finding(RetentionReport.RootRetention root) {
        String kind = root.type() == null ? root.kind() : root.kind() + " " + root.type();
        return String.format(Locale.ROOT, "%s (%s) retains %s in %,d object%s",
                BadInputException.oneLine(root.name()), BadInputException.oneLine(kind), Units.bytes(root.bytes()),
                root.objects(), root.objects() == 1 ? "" : "s");
    }

    /** "7.8 MiB in 200 [...]uint8, 6.2 KiB in 200 main.session": what a root's retained bytes are, one line. */
    public static String parts(RetentionReport.RootRetention root) {
        StringBuilder sb = new StringBuilder();
        for (RetentionReport.Part p : root.parts()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(BadInputException.oneLine(p.summary()));
        }
        return sb.toString();
    }

    public static String json(RetentionReport r, int limit, String version) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("version", version);
            g.writeObjectFieldStart("dump");
            g.writeStringField("goVersion", r.info().goVersion());
            g.writeStringField("arch", r.info().arch());
            g.writeNumberField("objects", r.objects());
            g.writeNumberField("bytes", r.heapBytes());
            if (r.info().heapAlloc() >= 0) {
                g.writeNumberField("heapAlloc", r.info().heapAlloc());
                g.writeNumberField("heapObjects", r.info().heapObjects());
            }
            g.writeNumberField("reachableObjects", r.reachableObjects());
            g.writeNumberField("reachableBytes", r.reachableBytes());
            g.writeNumberField("danglingPointers", r.info().danglingPointers());
            g.writeEndObject();
            g.writeNumberField("rootsRetaining", r.roots().size());
            g.writeArrayFieldStart("roots");
            for (RetentionReport.RootRetention root : r.roots().subList(0, Math.min(limit, r.roots().size()))) {
                g.writeStartObject();
                g.writeStringField("name", root.name());
                g.writeStringField("kind", root.kind());
                if (root.type() != null) {
                    g.writeStringField("type", root.type());
                }
                g.writeNumberField("retainedBytes", root.bytes());
                g.writeNumberField("retainedObjects", root.objects());
                g.writeStringField("finding", finding(root));
                g.writeArrayFieldStart("parts");
                for (RetentionReport.Part p : root.parts()) {
                    g.writeStartObject();
                    g.writeStringField("what", p.what());
                    g.writeBooleanField("typed", p.typed());
                    g.writeNumberField("bytes", p.bytes());
                    g.writeNumberField("objects", p.objects());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
