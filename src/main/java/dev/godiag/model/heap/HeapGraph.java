package dev.godiag.model.heap;

import java.util.List;

/**
 * The object graph of a heap dump, in primitive arrays proportional to the number of objects and
 * pointers (no object contents). Objects are numbered in the dump's order; an object's outgoing
 * pointers are {@code edgeTarget[edgeStart[i] .. edgeStart[i+1])}, each with the byte offset in
 * the object of the word holding it. Roots (a global symbol, a goroutine's frame, a finalizer)
 * have edges of their own into the objects.
 *
 * @param address     each object's address
 * @param size        each object's size in bytes, as the dump gives it (its size class)
 * @param edgeStart   CSR offsets, length objects + 1
 * @param edgeTarget  the object each pointer resolves to
 * @param edgeOffset  the byte offset in the source object of that pointer
 * @param site        each object's allocation site as an index into {@code sites}, or -1
 * @param sites       allocation sites: the first function outside the runtime that allocated
 * @param roots       the roots, in the order their names were first met
 * @param rootEdgeStart CSR offsets of the roots' edges, length roots + 1
 * @param rootEdgeTarget the object each root pointer resolves to
 * @param rootEdgeOffset the byte offset of that pointer in its global's symbol; -1 for other roots
 * @param interior    the edges that point into their target past its first byte, and how far
 * @param rootInterior the same for the root edges
 * @param dynamic     the edges that are an interface's data word whose dynamic type the dump and
 *                    the binary name: the type, as a number in types
 * @param rootDynamic the same for the root edges
 * @param types       the binary's types (DWARF), {@link GoTypes#EMPTY} when it has none
 * @param info        what the dump says about itself
 */
public record HeapGraph(long[] address, long[] size, int[] edgeStart, int[] edgeTarget, int[] edgeOffset,
                        int[] site, List<String> sites, List<Root> roots, int[] rootEdgeStart,
                        int[] rootEdgeTarget, int[] rootEdgeOffset, Interior interior, Interior rootInterior,
                        EdgeTypes dynamic, EdgeTypes rootDynamic, GoTypes types, Info info) {

    /**
     * Sparse: the edges that hold an interface's data word whose dynamic type is known.
     *
     * @param edge the edges' indices, ascending
     * @param type each one's dynamic type in the graph's {@link GoTypes}
     */
    public record EdgeTypes(int[] edge, int[] type) {
        public static final EdgeTypes NONE = new EdgeTypes(new int[0], new int[0]);

        /** The dynamic type of the interface whose data word edge k is, or -1. */
        public int at(int k) {
            int i = java.util.Arrays.binarySearch(edge, k);
            return i < 0 ? -1 : type[i];
        }
    }

    /**
     * Pointers into the middle of their object (a sub-slice, a field's address, past Go 1.22's
     * malloc header), kept sparsely: most pointers point at their object's start.
     *
     * @param edge   the edges' indices, ascending
     * @param offset how far into its target each points (capped at Integer.MAX_VALUE)
     */
    public record Interior(int[] edge, int[] offset) {
        public static final Interior NONE = new Interior(new int[0], new int[0]);

        /** How far into its target edge k points: 0 for its first byte. */
        public int at(int k) {
            int i = java.util.Arrays.binarySearch(edge, k);
            return i < 0 ? 0 : offset[i];
        }
    }

    /** What holds a root pointer. */
    public enum RootKind {
        GLOBAL("global"), STACK("goroutine stack"), FINALIZER("finalizer"), OTHER("runtime root");

        private final String label;

        RootKind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * A root: "main.sessions" (GLOBAL), "goroutine 18 stack: main.holdBuffer" (STACK)...; type is
     * a global's Go type from the binary's DWARF ("map[int]*main.session"), or null; typeId the
     * same type as a number in the graph's {@link GoTypes}, or -1.
     */
    public record Root(String name, RootKind kind, String type, int typeId) {
    }

    /**
     * @param goVersion    the runtime's version, e.g. go1.27.3
     * @param arch         GOARCH
     * @param heapAlloc    MemStats.HeapAlloc at the dump, or -1 when the dump has no memstats
     * @param heapObjects  MemStats.HeapObjects at the dump, or -1
     * @param danglingPointers pointers into the heap arena that hit no dumped object (free slots)
     */
    public record Info(String goVersion, String arch, long heapAlloc, long heapObjects, long danglingPointers) {
    }

    public int objectCount() {
        return address.length;
    }

    public int edgeCount() {
        return edgeTarget.length;
    }
}
