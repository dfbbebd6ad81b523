package dev.godiag.analysis.profile;

import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.util.GoPaths;
import dev.godiag.util.IntList;
import dev.godiag.util.IntSliceInterner;
import dev.godiag.util.LongList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The merged stack tree of one or more profiles: what a flame graph draws. Each node is a frame
 * (a report node at the chosen granularity, inlined calls as frames of their own) under its caller,
 * with its self value (samples whose stack ends here) and total (self plus the children's totals)
 * for every value column. Frames map exactly as in {@link NodeGraph}, so per-function flat and cum
 * recomputed from the tree ({@link #functionTotals}) equal the rows of the top report.
 *
 * <p>Nodes are in preorder with children in name order: node 0 is the root, the subtree of node i
 * is i .. {@link #subtreeEnd}(i) - 1. Values are columns: with several profiles (a diff) profile s's
 * sample type t is column s * typeCount + t.
 *
 * <p>{@link #truncate} folds small nodes into explicit "other" nodes that keep their real totals
 * and know which nodes they stand for, so nothing is silently dropped.
 */
public final class CallTree {
    /** A frame nodes refer to: the report node's name, the function's file, and whether it is a label. */
    public record Frame(String name, String file, NodeInfo info, boolean label) {
    }

    private final Frame[] frames;
    private final int columns;
    private final int[] parent;
    private final int[] frame;
    private final boolean[] inline;
    private final long[] line;
    private final long[] self;
    private final long[] total;
    private final int[] end;
    private final int[] otherCount;
    private final int[][] members;
    private final CallTree source;

    private CallTree(Frame[] frames, int columns, int[] parent, int[] frame, boolean[] inline, long[] line,
                     long[] self, long[] total, int[] otherCount, int[][] members, CallTree source) {
        this.frames = frames;
        this.columns = columns;
        this.parent = parent;
        this.frame = frame;
        this.inline = inline;
        this.line = line;
        this.self = self;
        this.total = total;
        this.otherCount = otherCount; // null: no "other" nodes
        this.members = members;
        this.source = source == null ? this : source;
        this.end = subtreeEnds(parent);
    }

    /** The tree of one profile, all its sample types as columns. */
    public static CallTree of(Profile p, int lineColumn, NodeOptions options, int tagLevels) {
        return of(List.of(p), lineColumn, options, tagLevels);
    }

    /**
     * The union tree of profiles with the same number of sample types; profile s's values are
     * columns s * typeCount ...
     *
     * @param lineColumn the sample type whose weight picks each node's line
     * @param tagLevels  how many levels under the root are label frames (pprof's -tagroot keys)
     */
    public static CallTree of(List<Profile> profiles, int lineColumn, NodeOptions options, int tagLevels) {
        int types = profiles.get(0).sampleTypes().size();
        for (Profile p : profiles) {
            if (p.sampleTypes().size() != types) {
                throw new IllegalArgumentException("profiles with different numbers of sample types");
            }
        }
        return new Builder(types * profiles.size(), options, tagLevels).add(profiles, types, lineColumn).build();
    }

    /**
     * Folds the samples into distinct stacks, expands them into frames (root first), sorts them
     * by frame name and walks them in that order: stacks sharing a prefix are then adjacent, so the
     * nodes come out in preorder with no index of children, and each node's lines are all seen
     * while it is on the current path.
     */
    private static final class Builder {
        private final int columns;
        private final NodeOptions options;
        private final int tagLevels;
        private final Map<NodeInfo, Integer> frameIds = new HashMap<>();
        private final List<NodeInfo> frameInfos = new ArrayList<>();
        private final List<String> frameFiles = new ArrayList<>();
        // the distinct stacks: frame keys (frame << 1 | inlined) and lines, root first; values per column
        private final IntList keys = new IntList(1 << 12);
        private final IntList lines = new IntList(1 << 12);
        private final IntList stackStart = new IntList(1 << 10);
        private final LongList stackValues = new LongList(1 << 10);
        private final LongList stackWeight = new LongList(1 << 10);

        Builder(int columns, NodeOptions options, int tagLevels) {
            this.columns = columns;
            this.options = options;
            this.tagLevels = tagLevels;
            stackStart.add(0);
        }

        Builder add(List<Profile> profiles, int types, int lineColumn) {
            for (int s = 0; s < profiles.size(); s++) {
                addProfile(profiles.get(s), s * types, lineColumn);
            }
            return this;
        }

        private void addProfile(Profile p, int offset, int lineColumn) {
            SampleTable s = p.samples();
            int k = s.valueCount;
            // samples with equal locations first: one expansion per distinct stack
            IntSliceInterner distinct = new IntSliceInterner();
            IntList ids = new IntList(s.size());
            LongList sums = new LongList(1 << 10);
            for (int i = 0; i < s.size(); i++) {
                boolean zero = true;
                for (int j = 0; j < k && zero; j++) {
                    zero = s.values[i * k + j] == 0;
                }
                if (zero) {
                    continue;
                }
                int id = distinct.intern(s.locations, s.locStart[i], s.locStart[i + 1]);
                if (id * k == sums.size()) {
                    for (int j = 0; j < k; j++) {
                        sums.add(0);
                    }
                }
                for (int j = 0; j < k; j++) {
                    sums.set(id * k + j, sums.get(id * k + j) + s.values[i * k + j]);
                }
                ids.add(id);
            }
            NodeGraph g = NodeGraph.frames(p, options);
            LocationTable locs = p.locations();
            FunctionTable fns = p.functions();
            int[] graphToFrame = new int[g.nodes.length];
            Arrays.fill(graphToFrame, -1);
            for (int d = 0; d < distinct.size(); d++) {
                // locations are leaf first; each location's nodes innermost first
                for (int at = distinct.end(d) - 1; at >= distinct.start(d); at--) {
                    int loc = distinct.get(at);
                    int from = g.locNodeStart[loc];
                    int count = g.locNodeStart[loc + 1] - from;
                    int lineCount = locs.lineStart[loc + 1] - locs.lineStart[loc];
                    for (int kk = count - 1; kk >= 0; kk--) {
                        int node = g.locNodes[from + kk];
                        // the location's line of this node: with -noinlines only the outermost is left
                        int li = lineCount == 0 ? -1 : count == 1 ? locs.lineStart[loc + 1] - 1 : locs.lineStart[loc] + kk;
                        int fr = graphToFrame[node];
                        if (fr < 0) {
                            fr = frameOf(g.nodes[node], li, locs, fns);
                            graphToFrame[node] = fr;
                        }
                        boolean inlined = count > 1 && kk < count - 1;
                        keys.add(fr << 1 | (inlined ? 1 : 0));
                        long ln = li < 0 ? 0 : locs.lineNumber[li];
                        lines.add(ln > 0 && ln <= Integer.MAX_VALUE ? (int) ln : 0);
                    }
                }
                stackStart.add(keys.size());
                for (int c = 0; c < columns; c++) {
                    stackValues.add(c >= offset && c < offset + k ? sums.get(d * k + c - offset) : 0);
                }
                stackWeight.add(Math.abs(sums.get(d * k + lineColumn)));
            }
        }

        private int frameOf(NodeInfo info, int lineIdx, LocationTable locs, FunctionTable fns) {
            Integer id = frameIds.get(info);
            if (id != null) {
                return id;
            }
            String file = info.file();
            if (file.isEmpty() && lineIdx >= 0 && locs.lineFunction[lineIdx] >= 0) {
                String raw = fns.filename[locs.lineFunction[lineIdx]];
                file = raw.isEmpty() ? "" : GoPaths.clean(NodeGraph.trimPath(raw, options.trimPath()));
            }
            id = frameInfos.size();
            frameIds.put(info, id);
            frameInfos.add(info);
            frameFiles.add(file);
            return id;
        }

        CallTree build() {
            // frames renumbered in name order, so that key order is name order
            int f = frameInfos.size();
            String[] names = new String[f];
            Integer[] byName = new Integer[f];
            for (int i = 0; i < f; i++) {
                names[i] = frameInfos.get(i).printableName();
                byName[i] = i;
            }
            Arrays.sort(byName, (a, b) -> {
                int c = names[a].compareTo(names[b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int[] rank = new int[f];
            for (int r = 0; r < f; r++) {
                rank[byName[r]] = r;
            }
            int[] key = keys.toArray();
            for (int i = 0; i < keys.size(); i++) {
                key[i] = rank[key[i] >>> 1] << 1 | key[i] & 1;
            }
            int stacks = stackStart.size() - 1;
            int[] start = stackStart.toArray();
            Integer[] order = new Integer[stacks];
            int maxDepth = 0;
            for (int i = 0; i < stacks; i++) {
                order[i] = i;
                maxDepth = Math.max(maxDepth, start[i + 1] - start[i]);
            }
            Arrays.sort(order, (a, b) -> Arrays.compare(key, start[a], start[a + 1], key, start[b], start[b + 1]));

            int[] line = lines.toArray();
            // a first walk counts the nodes, so that the second fills arrays of the exact size
            int n = 1;
            for (int o = 0; o < stacks; o++) {
                n += start[order[o] + 1] - start[order[o]] - (o == 0 ? 0 : common(key, start, order[o - 1], order[o]));
            }
            int[] par = new int[n];
            int[] frame = new int[n];
            boolean[] inlined = new boolean[n];
            long[] bestLine = new long[n];
            long[] selfs = new long[n * columns];
            boolean[] label = new boolean[f];
            int[] path = new int[maxDepth + 1];
            LineVotes[] votes = new LineVotes[maxDepth + 1];
            for (int d = 0; d <= maxDepth; d++) {
                votes[d] = new LineVotes();
            }
            par[0] = -1;
            frame[0] = -1;
            int next = 1;
            int open = 0; // depth of the deepest node on the current path
            for (int o = 0; o < stacks; o++) {
                int s = order[o];
                int from = start[s];
                int depth = start[s + 1] - from;
                int common = o == 0 ? 0 : common(key, start, order[o - 1], s);
                for (; open > common; open--) {
                    bestLine[path[open]] = votes[open].winner();
                }
                for (int d = common + 1; d <= depth; d++) {
                    int kk = key[from + d - 1];
                    int node = next++;
                    par[node] = path[d - 1];
                    frame[node] = kk >>> 1;
                    inlined[node] = (kk & 1) != 0;
                    path[d] = node;
                    votes[d].clear();
                    if (d <= tagLevels) {
                        label[kk >>> 1] = true;
                    }
                }
                open = depth;
                long w = stackWeight.get(s);
                if (w != 0) {
                    for (int d = 1; d <= depth; d++) {
                        votes[d].add(line[from + d - 1], w);
                    }
                }
                int at = path[depth] * columns;
                for (int c = 0; c < columns; c++) {
                    selfs[at + c] += stackValues.get(s * columns + c);
                }
            }
            for (; open > 0; open--) {
                bestLine[path[open]] = votes[open].winner();
            }

            Frame[] fs = new Frame[f];
            for (int i = 0; i < f; i++) {
                int r = rank[i];
                fs[r] = new Frame(names[i], frameFiles.get(i), frameInfos.get(i), label[r]);
            }
            long[] totals = selfs.clone();
            for (int i = n - 1; i > 0; i--) {
                int to = par[i] * columns;
                int fromAt = i * columns;
                for (int c = 0; c < columns; c++) {
                    totals[to + c] += totals[fromAt + c];
                }
            }
            return new CallTree(fs, columns, par, frame, inlined, bestLine, selfs, totals, null, null, null);
        }

        /** The length of the common prefix of two stacks' keys. */
        private static int common(int[] key, int[] start, int a, int b) {
            int from = start[b];
            int aFrom = start[a];
            int limit = Math.min(start[b + 1] - from, start[a + 1] - aFrom);
            int c = 0;
            while (c < limit && key[from + c] == key[aFrom + c]) {
                c++;
            }
            return c;
        }
    }

    /** The weight of each line seen at a node on the current path; few lines per node, so a list. */
    private static final class LineVotes {
        private long[] lines = new long[8];
        private long[] weights = new long[8];
        private int size;

        void clear() {
            size = 0;
        }

        void add(long line, long weight) {
            if (line <= 0) {
                return;
            }
            for (int i = 0; i < size; i++) {
                if (lines[i] == line) {
                    weights[i] += weight;
                    return;
                }
            }
            if (size == lines.length) {
                lines = Arrays.copyOf(lines, size * 2);
                weights = Arrays.copyOf(weights, size * 2);
            }
            lines[size] = line;
            weights[size++] = weight;
        }

        /** The line with the most weight, the lowest on a tie; 0 when none. */
        long winner() {
            long best = 0;
            long bestWeight = -1;
            for (int i = 0; i < size; i++) {
                if (weights[i] > bestWeight || weights[i] == bestWeight && lines[i] < best) {
                    best = lines[i];
                    bestWeight = weights[i];
                }
            }
            return best;
        }
    }

    private static int[] subtreeEnds(int[] parent) {
        int n = parent.length;
        int[] end = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            end[i] = Math.max(end[i], i + 1);
            if (i > 0) {
                end[parent[i]] = Math.max(end[parent[i]], end[i]);
            }
        }
        return end;
    }

    /**
     * The tree with at most maxNodes frame nodes (plus "other" nodes): the nodes with the largest
     * absolute totals in column, and none below minFraction of the root's. The children a node loses
     * become one "other" child with their summed values and its {@link #members}; totals do not change.
     */
    public CallTree truncate(int maxNodes, double minFraction, int column) {
        int n = size();
        long floor = (long) Math.ceil(Math.abs(total(0, column)) * Math.max(0, minFraction));
        if (n - 1 <= maxNodes && floor <= 0) {
            return this;
        }
        boolean[] kept = largest(maxNodes, floor, column);
        // an explicit floor is the user's: only a cut by node count keeps the hot functions
        // judged against the fewest others it may keep (hot nodes take at most half), so that no
        // function held by the first cut falls out of the second
        boolean[] hot = floor > 0 ? null : hotFunctionNodes(largest(maxNodes - maxNodes / 2, floor, column),
                maxNodes, column);
        if (hot != null) {
            // room for the hot functions' nodes within maxNodes: fewer of the others, as many as fit
            int others = maxNodes - count(hot);
            kept = union(largest(Math.max(0, others), floor, column), hot);
            for (int round = 0; round < 4 && count(kept) < maxNodes; round++) {
                others += maxNodes - count(kept);
                boolean[] more = union(largest(others, floor, column), hot);
                if (count(more) > maxNodes) {
                    break;
                }
                kept = more;
            }
        }
        // emit kept nodes in preorder; a parent's "other" node follows the last of its kept subtree
        IntList order = new IntList(Math.min(n, maxNodes + 1));
        IntList otherOf = new IntList(); // for each emitted node: -1, or the source parent of an other node
        int[] stack = new int[n];
        int sp = 0;
        for (int i = 0; i < n; i++) {
            if (!kept[i]) {
                continue;
            }
            while (sp > 0 && end[stack[sp - 1]] <= i) {
                emitOther(stack[--sp], kept, order, otherOf);
            }
            order.add(i);
            otherOf.add(-1);
            stack[sp++] = i;
        }
        while (sp > 0) {
            emitOther(stack[--sp], kept, order, otherOf);
        }
        int m = order.size();
        int[] newId = new int[n];
        int[] oParent = new int[m];
        int[] oFrame = new int[m];
        boolean[] oInline = new boolean[m];
        long[] oLine = new long[m];
        long[] oSelf = new long[m * columns];
        long[] oTotal = new long[m * columns];
        int[] oCount = new int[m];
        int[][] oMembers = new int[m][];
        for (int j = 0; j < m; j++) {
            int src = order.get(j);
            if (otherOf.get(j) < 0) {
                newId[src] = j;
                oParent[j] = src == 0 ? -1 : newId[parent[src]];
                oFrame[j] = frame[src];
                oInline[j] = inline[src];
                oLine[j] = line[src];
                System.arraycopy(self, src * columns, oSelf, j * columns, columns);
                System.arraycopy(total, src * columns, oTotal, j * columns, columns);
                continue;
            }
            int p = otherOf.get(j);
            oParent[j] = newId[p];
            oFrame[j] = -1;
            IntList dropped = new IntList();
            for (int c = p + 1; c < end[p]; c = end[c]) {
                if (!kept[c]) {
                    dropped.add(c);
                    oCount[j] += end[c] - c;
                    for (int col = 0; col < columns; col++) {
                        oSelf[j * columns + col] += total[c * columns + col];
                    }
                }
            }
            System.arraycopy(oSelf, j * columns, oTotal, j * columns, columns);
            oMembers[j] = sortedByTotal(dropped, column);
        }
        return new CallTree(frames, columns, oParent, oFrame, oInline, oLine, oSelf, oTotal, oCount, oMembers, source);
    }

    private static int count(boolean[] nodes) {
        int c = 0;
        for (int i = 1; i < nodes.length; i++) {
            c += nodes[i] ? 1 : 0;
        }
        return c;
    }

    private static boolean[] union(boolean[] a, boolean[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] |= b[i];
        }
        return a;
    }

    /** The maxNodes nodes with the largest absolute totals, none below floor, with their ancestors. */
    private boolean[] largest(int maxNodes, long floor, int column) {
        int n = size();
        long[] magnitudes = new long[n - 1];
        for (int i = 1; i < n; i++) {
            magnitudes[i - 1] = Math.abs(total(i, column));
        }
        Arrays.sort(magnitudes);
        long cut = maxNodes >= n - 1 ? 0 : maxNodes <= 0 ? Long.MAX_VALUE : magnitudes[n - 1 - maxNodes];
        long threshold = Math.max(cut, floor);
        int atThreshold = maxNodes;
        for (long m : magnitudes) {
            if (m > threshold) {
                atThreshold--;
            }
        }
        boolean[] kept = new boolean[n];
        kept[0] = true;
        for (int i = 1; i < n; i++) {
            long m = Math.abs(total(i, column));
            boolean take = m > threshold || m == threshold && m >= floor && atThreshold-- > 0;
            kept[i] = take && kept[parent[i]];
        }
        return kept;
    }

    /** The functions the page's top table lists first (by flat), whose nodes truncation must not all fold away. */
    static final int HOT_FUNCTIONS = 20;
    /** Per hot function, its nodes are kept (largest self first) until they hold this share of its flat. */
    static final double HOT_KEPT_SHARE = 0.5;

    /**
     * The nodes to keep so that no function among the {@link #HOT_FUNCTIONS} with the largest flat
     * value disappears into "other" boxes (a function spread thinly over many call paths, such as
     * mallocgc, is hot in the top table but small in every single node): each such function keeps
     * its nodes with the largest self values, and their ancestors, until they hold half its flat;
     * at most half of maxNodes in all. Null when the largest totals already show every hot function.
     */
    private boolean[] hotFunctionNodes(boolean[] kept, int maxNodes, int column) {
        int n = size();
        Map<String, long[]> flat = new HashMap<>(); // name -> {flat, flat in kept nodes}
        for (int i = 1; i < n; i++) {
            if (frame[i] < 0 || frames[frame[i]].label()) {
                continue;
            }
            long[] f = flat.computeIfAbsent(frames[frame[i]].name(), k -> new long[2]);
            long v = Math.abs(self(i, column));
            f[0] += v;
            if (kept[i]) {
                f[1] += v;
            }
        }
        List<Map.Entry<String, long[]>> hot = new ArrayList<>(flat.entrySet());
        hot.removeIf(e -> e.getValue()[0] == 0);
        hot.sort((a, b) -> {
            int c = Long.compare(b.getValue()[0], a.getValue()[0]);
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        Map<String, long[]> swallowed = new HashMap<>();
        for (Map.Entry<String, long[]> e : hot.subList(0, Math.min(HOT_FUNCTIONS, hot.size()))) {
            if (e.getValue()[1] < e.getValue()[0] * HOT_KEPT_SHARE) {
                swallowed.put(e.getKey(), e.getValue());
            }
        }
        if (swallowed.isEmpty()) {
            return null;
        }
        boolean[] keep = new boolean[n];
        keep[0] = true;
        int budget = maxNodes / 2;
        // the swallowed functions' nodes, largest self first
        List<Integer> candidates = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            if (frame[i] >= 0 && swallowed.containsKey(frames[frame[i]].name()) && self(i, column) != 0) {
                candidates.add(i);
            }
        }
        candidates.sort((a, b) -> {
            int c = Long.compare(Math.abs(self(b, column)), Math.abs(self(a, column)));
            return c != 0 ? c : Integer.compare(a, b);
        });
        Map<String, Long> held = new HashMap<>();
        swallowed.forEach((k, v) -> held.put(k, 0L));
        // first a box for every swallowed function, its cheapest (fewest callers to add), hottest first
        for (Map.Entry<String, long[]> e : hot) {
            if (!swallowed.containsKey(e.getKey())) {
                continue;
            }
            int best = -1;
            int bestCost = Integer.MAX_VALUE;
            for (int i : candidates) {
                if (!frames[frame[i]].name().equals(e.getKey())) {
                    continue;
                }
                int cost = 0;
                for (int a = i; a > 0 && !keep[a]; a = parent[a]) {
                    cost++;
                }
                if (cost < bestCost) {
                    best = i;
                    bestCost = cost;
                }
            }
            if (best > 0 && bestCost <= budget) {
                for (int a = best; a > 0 && !keep[a]; a = parent[a]) {
                    keep[a] = true;
                }
                budget -= bestCost;
                held.merge(e.getKey(), Math.abs(self(best, column)), Long::sum);
            }
        }
        // then more of each, largest self first, until it holds its share
        for (int i : candidates) {
            if (keep[i]) {
                continue;
            }
            String name = frames[frame[i]].name();
            long[] f = swallowed.get(name);
            if (held.get(name) >= f[0] * HOT_KEPT_SHARE) {
                continue;
            }
            int added = 0;
            for (int a = i; a > 0 && !keep[a]; a = parent[a]) {
                added++;
            }
            if (added > budget) {
                continue;
            }
            for (int a = i; a > 0 && !keep[a]; a = parent[a]) {
                keep[a] = true;
            }
            budget -= added;
            held.merge(name, Math.abs(self(i, column)), Long::sum);
        }
        return keep;
    }

    private void emitOther(int node, boolean[] kept, IntList order, IntList otherOf) {
        for (int c = node + 1; c < end[node]; c = end[c]) {
            if (!kept[c]) {
                order.add(node);
                otherOf.add(node);
                return;
            }
        }
    }

    private int[] sortedByTotal(IntList nodes, int column) {
        Integer[] boxed = new Integer[nodes.size()];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = nodes.get(i);
        }
        Arrays.sort(boxed, (a, b) -> {
            int c = Long.compare(Math.abs(total(b, column)), Math.abs(total(a, column)));
            return c != 0 ? c : Integer.compare(a, b);
        });
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    /** Number of nodes, the root and "other" nodes included. */
    public int size() {
        return parent.length;
    }

    public int columns() {
        return columns;
    }

    /** The parent of node i; -1 for the root. */
    public int parent(int i) {
        return parent[i];
    }

    /** One past the last node of i's subtree. */
    public int subtreeEnd(int i) {
        return end[i];
    }

    /** The frame of node i; -1 for the root and "other" nodes. */
    public int frame(int i) {
        return frame[i];
    }

    public int frameCount() {
        return frames.length;
    }

    public Frame frameInfo(int f) {
        return frames[f];
    }

    /** Whether node i's frame was inlined into its parent's. */
    public boolean inlined(int i) {
        return inline[i];
    }

    /** The line of node i's frame carrying most of its weight; 0 when unknown. */
    public long line(int i) {
        return line[i];
    }

    public long self(int i, int column) {
        return self[i * columns + column];
    }

    public long total(int i, int column) {
        return total[i * columns + column];
    }

    /** For an "other" node, how many nodes (whole subtrees) it stands for; else 0. */
    public int otherCount(int i) {
        return otherCount == null ? 0 : otherCount[i];
    }

    /** For an "other" node, the folded nodes (subtree roots) as ids in {@link #source()}, largest first. */
    public int[] members(int i) {
        return members == null || members[i] == null ? new int[0] : members[i].clone();
    }

    /** The untruncated tree this one was cut from (itself when not truncated). */
    public CallTree source() {
        return source;
    }

    /** Per-function values over the tree, as the top report computes them. */
    public record FunctionTotals(long[] flat, long[] cum) {
    }

    /**
     * Flat (self summed) and cum (total of the outermost node of the frame on each path, so that
     * recursion counts once) per frame for a column. "other" nodes count for no frame.
     */
    public FunctionTotals functionTotals(int column) {
        long[] flat = new long[frames.length];
        long[] cum = new long[frames.length];
        int[] onPath = new int[frames.length];
        int[] stack = new int[size()];
        int sp = 0;
        for (int i = 0; i < size(); i++) {
            while (sp > 0 && end[stack[sp - 1]] <= i) {
                int f = frame[stack[--sp]];
                if (f >= 0) {
                    onPath[f]--;
                }
            }
            stack[sp++] = i;
            int f = frame[i];
            if (f < 0) {
                continue;
            }
            flat[f] += self(i, column);
            if (onPath[f]++ == 0) {
                cum[f] += total(i, column);
            }
        }
        return new FunctionTotals(flat, cum);
    }
}
