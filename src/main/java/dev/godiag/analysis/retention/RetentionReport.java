package dev.godiag.analysis.retention;

import dev.godiag.model.Profile;
import dev.godiag.model.heap.HeapGraph;

import java.util.List;

/**
 * What a heap dump's roots retain.
 *
 * @param roots            roots retaining anything, most bytes first
 * @param profile          the retention profile (retained_objects, retained_space)
 * @param info             what the dump says about itself
 * @param objects          objects in the dump, reachable or not
 * @param heapBytes        their bytes
 * @param reachableObjects objects reachable from a root
 * @param reachableBytes   their bytes
 */
public record RetentionReport(List<RootRetention> roots, Profile profile, HeapGraph.Info info, long objects,
                              long heapBytes, long reachableObjects, long reachableBytes) {

    /** A root (type: a global's Go type, or null) and what would be freed without it. */
    public record RootRetention(String name, String kind, String type, long bytes, long objects) {
    }
}
