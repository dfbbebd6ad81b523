package dev.godiag.analysis.retention;

import dev.godiag.model.Profile;
import dev.godiag.model.heap.HeapGraph;

import java.util.List;

/**
 * What a heap dump's roots retain.
 *
 * @param roots            roots retaining anything, most bytes first
 * @param profile          the retention profile (retained_objects, retained_space); null when not asked for
 * @param info             what the dump says about itself
 * @param objects          objects in the dump, reachable or not
 * @param heapBytes        their bytes
 * @param reachableObjects objects reachable from a root
 * @param reachableBytes   their bytes
 */
public record RetentionReport(List<RootRetention> roots, Profile profile, HeapGraph.Info info, long objects,
                              long heapBytes, long reachableObjects, long reachableBytes) {

    /**
     * A root (type: a global's Go type, or null) and what would be freed without it; {@code parts}:
     * what those bytes are, by object type (else allocation site), most bytes first, at most
     * {@link Retention#MAX_PARTS}.
     */
    public record RootRetention(String name, String kind, String type, long bytes, long objects, List<Part> parts) {
        public RootRetention {
            parts = List.copyOf(parts);
        }

        /** A root without its parts told. */
        public RootRetention(String name, String kind, String type, long bytes, long objects) {
            this(name, kind, type, bytes, objects, List.of());
        }
    }

    /**
     * Objects of one type ("[...]uint8", "main.session"; {@code typed}) or, untyped, of one
     * allocation site ("main.main", or {@link Retention#UNKNOWN_SITE}) that a root retains.
     */
    public record Part(String what, boolean typed, long bytes, long objects) {
        /** "7.8 MiB in 200 [...]uint8", "4.0 MiB in 1 object allocated in main.holdBuffer". */
        public String summary() {
            String n = String.format(java.util.Locale.ROOT, "%,d", objects);
            String s = objects == 1 ? "" : "s";
            String of = typed ? n + " " + what : what.equals(Retention.UNKNOWN_SITE)
                    ? n + " object" + s + " of unknown type and site" : n + " object" + s + " allocated in " + what;
            return dev.godiag.util.Units.bytes(bytes) + " in " + of;
        }
    }
}
