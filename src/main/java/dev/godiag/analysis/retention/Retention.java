package dev.godiag.analysis.retention;

import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;
import dev.godiag.model.heap.HeapGraph;
import dev.godiag.util.BadInputException;
import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each root of a heap graph retains: the bytes and objects that would be freed if the root's
 * references went away, i.e. its subtree in the dominator tree of the graph under a virtual
 * super-root pointing at every root. An object reachable from two roots is retained by neither
 * and counts only towards the reachable total; a finalizer retains its object only when no other
 * root reaches it.
 *
 * <p>The profile has one frame per root, then one per object on the dominator path below it (at
 * most {@value #MAX_PATH} deep; deeper objects count as flat in their deepest shown ancestor).
 * An object whose type {@link ObjectTypes} infers from the binary's DWARF is named "STEP TYPE":
 * the field path from its dominator to it when the dominator (a typed global or object) points at
 * it directly (".data", "[].elem", array indices collapsed, none for a slice's data) and its type
 * ("main.session", "[...]uint8" for an array). Other objects are named by their allocation site
 * (the first function outside the runtime in the stack the dump records for it, when the program
 * sampled it: {@code runtime.MemProfileRate}), else {@value #UNKNOWN_SITE}; a typed object's
 * site, when known, is its frame's file name. The line is the field step: one plus the byte
 * offset at which its dominator points at it, 0 when the dominator is a root, reaches it only
 * through other objects or is an array (larger than {@value #MAX_FIELD_OBJECT} bytes); pprof's
 * {@code -lines} shows it. A frame's cum is the bytes that object retains.
 */
public final class Retention {
    /** Object frames shown below a root. */
    public static final int MAX_PATH = 8;
    /**
     * An object larger than this is taken for an array or a table: the steps into it are elements,
     * not told apart, so that a slice of a million pointers gives one frame and not a million.
     */
    public static final int MAX_FIELD_OBJECT = 4096;
    /** The parts of a root's retained bytes told in its report. */
    public static final int MAX_PARTS = 3;
    /** The root frame of objects no single root retains. */
    public static final String SHARED = "(reachable from several roots)";
    /** The frame of an object whose allocation site the dump does not have. */
    public static final String UNKNOWN_SITE = "(allocation site unknown)";

    private Retention() {
    }

    /** What each root retains, with the retention profile. */
    public static RetentionReport compute(HeapGraph g) {
        return compute(g, true);
    }

    /**
     * What each root retains; the profile (a frame per object on every dominator path, the most
     * costly part after the tree) only when {@code withProfile}, else {@code null}.
     */
    public static RetentionReport compute(HeapGraph g, boolean withProfile) {
        int roots = g.roots().size();
        int objects = g.objectCount();
        int firstObject = 1 + roots;
        long nodes = (long) firstObject + objects;
        long edges = (long) roots + g.rootEdgeStart()[roots] + g.edgeStart()[objects];
        if (nodes > Integer.MAX_VALUE - 8 || edges > Integer.MAX_VALUE - 8) {
            throw new BadInputException("heap graph too large: " + nodes + " nodes and " + edges + " edges");
        }
        int n = (int) nodes;

        // one graph: 0 the super-root, then the roots, then the objects
        int[] start = new int[n + 1];
        int[] succ = new int[(int) edges];
        int e = 0;
        start[0] = 0;
        for (int r = 0; r < roots; r++) {
            succ[e++] = 1 + r;
        }
        boolean[] strong = strongReach(g);
        for (int r = 0; r < roots; r++) {
            start[1 + r] = e;
            boolean finalizer = g.roots().get(r).kind() == HeapGraph.RootKind.FINALIZER;
            for (int k = g.rootEdgeStart()[r]; k < g.rootEdgeStart()[r + 1]; k++) {
                if (!finalizer || !strong[g.rootEdgeTarget()[k]]) {
                    succ[e++] = firstObject + g.rootEdgeTarget()[k];
                }
            }
        }
        strong = null;
        for (int o = 0; o < objects; o++) {
            start[firstObject + o] = e;
            for (int k = g.edgeStart()[o]; k < g.edgeStart()[o + 1]; k++) {
                succ[e++] = firstObject + g.edgeTarget()[k];
            }
        }
        start[n] = e;

        Dominators.Tree tree = Dominators.compute(n, 0, start, succ);
        succ = null;
        int[] order = tree.preorder();
        int[] idom = tree.idom();

        long[] retainedBytes = new long[n];
        long[] retainedCount = new long[n];
        long reachableBytes = 0;
        long reachableObjects = 0;
        for (int v : order) {
            if (v >= firstObject) {
                retainedBytes[v] = g.size()[v - firstObject];
                retainedCount[v] = 1;
                reachableBytes += retainedBytes[v];
                reachableObjects++;
            }
        }
        for (int i = order.length - 1; i > 0; i--) {
            int v = order[i];
            retainedBytes[idom[v]] += retainedBytes[v];
            retainedCount[idom[v]] += retainedCount[v];
        }

        ObjectTypes types = ObjectTypes.compute(g);
        List<List<RetentionReport.Part>> parts = parts(g, order, idom, firstObject, types);
        List<RetentionReport.RootRetention> top = new ArrayList<>();
        for (int r = 0; r < roots; r++) {
            if (retainedBytes[1 + r] > 0) {
                HeapGraph.Root root = g.roots().get(r);
                top.add(new RetentionReport.RootRetention(root.name(), root.kind().label(), root.type(),
                        retainedBytes[1 + r], retainedCount[1 + r], parts.get(r)));
            }
        }
        top.sort(Comparator.comparingLong(RetentionReport.RootRetention::bytes).reversed()
                .thenComparing(RetentionReport.RootRetention::name));

        long heapBytes = 0;
        for (long s : g.size()) {
            heapBytes += s;
        }
        Profile profile = withProfile ? profile(g, order, idom, firstObject, types) : null;
        return new RetentionReport(top, profile, g.info(), objects, heapBytes, reachableObjects, reachableBytes);
    }

    /**
     * Per root, what its retained objects are: their bytes and count by type (else allocation site,
     * else unknown), the {@value #MAX_PARTS} largest. One pass in dominator-tree preorder.
     */
    private static List<List<RetentionReport.Part>> parts(HeapGraph g, int[] order, int[] idom, int firstObject,
                                                          ObjectTypes types) {
        int roots = g.roots().size();
        int[] rootOf = new int[idom.length]; // 1-based root, 0 for none (reachable from several)
        Map<String, Integer> labels = new HashMap<>();
        List<String> names = new ArrayList<>();
        Map<Long, long[]> sums = new HashMap<>(); // root << 32 | label -> bytes, objects
        for (int v : order) {
            if (v == 0) {
                continue;
            }
            if (v < firstObject) {
                rootOf[v] = v;
                continue;
            }
            rootOf[v] = rootOf[idom[v]];
            if (rootOf[v] == 0) {
                continue;
            }
            int o = v - firstObject;
            String what = types.display(o);
            // a type is told from a site by its first character in the key: T or S
            what = what != null ? "T" + what : "S" + (g.site()[o] >= 0 ? g.sites().get(g.site()[o]) : UNKNOWN_SITE);
            int label = labels.computeIfAbsent(what, k -> {
                names.add(k);
                return names.size() - 1;
            });
            long[] sum = sums.computeIfAbsent(((long) rootOf[v] << 32) | label, k -> new long[2]);
            sum[0] += g.size()[o];
            sum[1]++;
        }
        List<List<RetentionReport.Part>> out = new ArrayList<>(roots);
        for (int r = 0; r < roots; r++) {
            out.add(new ArrayList<>());
        }
        sums.forEach((key, sum) -> out.get((int) (key >>> 32) - 1).add(
                new RetentionReport.Part(names.get((int) (long) key).substring(1),
                        names.get((int) (long) key).charAt(0) == 'T', sum[0], sum[1])));
        for (int r = 0; r < roots; r++) {
            List<RetentionReport.Part> l = out.get(r);
            l.sort(Comparator.comparingLong(RetentionReport.Part::bytes).reversed()
                    .thenComparing(RetentionReport.Part::what));
            out.set(r, List.copyOf(l.subList(0, Math.min(MAX_PARTS, l.size()))));
        }
        return out;
    }

    private static Profile profile(HeapGraph g, int[] order, int[] idom, int firstObject, ObjectTypes types) {
        int n = idom.length;
        int[] stackOf = new int[n];
        int[] depth = new int[n];
        IntList stackParent = new IntList();
        IntList stackFrame = new IntList();
        Map<Long, Integer> stackIndex = new HashMap<>();
        Frames frames = new Frames();
        int[] step = steps(g, idom, firstObject);
        Map<Integer, String> rootPath = rootPaths(g, idom, firstObject, types);
        LongList bytes = new LongList();
        LongList count = new LongList();

        for (int v : order) {
            if (v == 0) {
                continue;
            }
            if (v < firstObject) { // a root
                stackOf[v] = intern(-1, frames.frame(g.roots().get(v - 1).name(), "", 0), stackParent,
                        stackFrame, stackIndex, bytes, count);
                continue;
            }
            int p = idom[v];
            // an object dominated by the super-root is reachable from several roots: it has a frame of its own
            int parentStack = p == 0 ? intern(-1, frames.frame(SHARED, "", 0), stackParent, stackFrame,
                    stackIndex, bytes, count) : stackOf[p];
            depth[v] = depth[p] + 1;
            int o = v - firstObject;
            if (depth[v] > MAX_PATH) {
                stackOf[v] = stackOf[p];
            } else {
                String site = g.site()[o] >= 0 ? g.sites().get(g.site()[o]) : null;
                String typed = types.display(o);
                String name;
                if (typed == null) {
                    name = site != null ? site : UNKNOWN_SITE;
                    site = null;
                } else {
                    String path = p < firstObject ? rootPath.get(o) : directPath(g, p - firstObject, o, types);
                    name = path == null || path.isEmpty() ? typed : path + " " + typed;
                }
                stackOf[v] = intern(parentStack, frames.frame(name, site == null ? "" : site, step[o]),
                        stackParent, stackFrame, stackIndex, bytes, count);
            }
            bytes.set(stackOf[v], bytes.get(stackOf[v]) + g.size()[o]);
            count.set(stackOf[v], count.get(stackOf[v]) + 1);
        }

        ProfileBuilder b = new ProfileBuilder("pprof");
        b.sampleType("retained_objects", "count").sampleType("retained_space", "bytes")
                .period(new ValueType("space", "bytes"), 1).defaultSampleType("retained_space");
        Map<String, Integer> functions = new HashMap<>();
        for (int f = 0; f < frames.names.size(); f++) {
            String name = frames.names.get(f);
            String file = frames.files.get(f);
            int fn = functions.computeIfAbsent(name + "\n" + file,
                    k -> b.addFunction(b.functionCount() + 1, name, name, file, 0));
            b.addLine(fn, frames.lines.get(f), 0);
            b.endLocation(f + 1, -1, 0, false);
        }
        for (int s = 0; s < bytes.size(); s++) {
            if (count.get(s) == 0) {
                continue;
            }
            for (int x = s; x >= 0; x = stackParent.get(x)) {
                b.addSampleLocation(stackFrame.get(x));
            }
            b.endSample(count.get(s), bytes.get(s));
        }
        return b.build();
    }

    /**
     * The field path from a typed object u to its child o, when u points at o directly (the first
     * such pointer); null otherwise or when u is untyped.
     */
    private static String directPath(HeapGraph g, int u, int o, ObjectTypes types) {
        if (types.type(u) < 0) {
            return null;
        }
        for (int k = g.edgeStart()[u]; k < g.edgeStart()[u + 1]; k++) {
            if (g.edgeTarget()[k] == o) {
                return types.pathFrom(g, u, g.edgeOffset()[k]);
            }
        }
        return null;
    }

    /**
     * Per object a global root dominates directly: the field path in the global's type to the
     * pointer (the first one that global has to it); null for the others.
     */
    private static Map<Integer, String> rootPaths(HeapGraph g, int[] idom, int firstObject, ObjectTypes types) {
        Map<Integer, String> path = new HashMap<>();
        for (int r = 0; r < g.roots().size(); r++) {
            int t = g.roots().get(r).typeId();
            if (t < 0) {
                continue;
            }
            for (int k = g.rootEdgeStart()[r]; k < g.rootEdgeStart()[r + 1]; k++) {
                int o = g.rootEdgeTarget()[k];
                if (idom[firstObject + o] == 1 + r) {
                    path.putIfAbsent(o, types.pathIn(t, g.rootEdgeOffset()[k]));
                }
            }
        }
        return path;
    }

    /**
     * Per object, its field step: one plus the byte offset at which its immediate dominator points
     * at it; 0 when the dominator is a root, reaches it only through other objects, or is larger
     * than {@value #MAX_FIELD_OBJECT} bytes. One pass over the edges.
     */
    private static int[] steps(HeapGraph g, int[] idom, int firstObject) {
        int[] step = new int[g.objectCount()];
        for (int u = 0; u < g.objectCount(); u++) {
            if (g.size()[u] > MAX_FIELD_OBJECT) {
                continue;
            }
            for (int k = g.edgeStart()[u]; k < g.edgeStart()[u + 1]; k++) {
                int w = g.edgeTarget()[k];
                if (step[w] == 0 && idom[firstObject + w] == firstObject + u) {
                    step[w] = g.edgeOffset()[k] + 1;
                }
            }
        }
        return step;
    }

    /**
     * The objects reachable from the roots other than finalizers. A finalizer retains its object
     * only when nothing else does: an object a global also holds would not be freed without its
     * finalizer, so that edge is left out rather than making the object shared by two roots.
     */
    private static boolean[] strongReach(HeapGraph g) {
        int objects = g.objectCount();
        boolean[] seen = new boolean[objects];
        int[] queue = new int[objects];
        int tail = 0;
        for (int r = 0; r < g.roots().size(); r++) {
            if (g.roots().get(r).kind() == HeapGraph.RootKind.FINALIZER) {
                continue;
            }
            for (int k = g.rootEdgeStart()[r]; k < g.rootEdgeStart()[r + 1]; k++) {
                int o = g.rootEdgeTarget()[k];
                if (!seen[o]) {
                    seen[o] = true;
                    queue[tail++] = o;
                }
            }
        }
        for (int head = 0; head < tail; head++) {
            int v = queue[head];
            for (int k = g.edgeStart()[v]; k < g.edgeStart()[v + 1]; k++) {
                int w = g.edgeTarget()[k];
                if (!seen[w]) {
                    seen[w] = true;
                    queue[tail++] = w;
                }
            }
        }
        return seen;
    }

    /** Distinct frames: a name (root, step and type, or allocation site), a file (a typed object's site) and a line (the field step). */
    private static final class Frames {
        final List<String> names = new ArrayList<>();
        final List<String> files = new ArrayList<>();
        final LongList lines = new LongList();
        private final Map<String, Map<Long, Integer>> index = new HashMap<>();

        int frame(String name, String file, long line) {
            return index.computeIfAbsent(name + "\n" + file, k -> new HashMap<>()).computeIfAbsent(line, k -> {
                names.add(name);
                files.add(file);
                lines.add(line);
                return names.size() - 1;
            });
        }
    }

    private static int intern(int parent, int frame, IntList stackParent, IntList stackFrame, Map<Long, Integer> index,
                              LongList bytes, LongList count) {
        long key = ((long) parent << 32) | (frame & 0xffffffffL);
        Integer s = index.get(key);
        if (s == null) {
            s = stackParent.size();
            stackParent.add(parent);
            stackFrame.add(frame);
            bytes.add(0);
            count.add(0);
            index.put(key, s);
        }
        return s;
    }
}
