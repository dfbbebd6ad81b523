package dev.godiag.analysis.profile;

import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.util.GoPaths;
import dev.godiag.util.IntList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BiFunction;

/**
 * Samples folded onto report nodes, with flat and cum exactly as pprof's graph package computes
 * them: a node's cum counts each sample once however often the node recurs in it; flat goes to
 * the leaf-most frame. Frames map to nodes through a per-location table, so the sample pass
 * touches only primitive arrays.
 */
public final class NodeGraph {
    final Profile profile;
    final int sampleIndex;
    /** pprof's -mean: the value index whose sums divide flat and cum (0, the count), or -1. */
    final int divisorIndex;
    /** Distinct nodes, by id. */
    final NodeInfo[] nodes;
    /** Nodes of location l: locNodes[locNodeStart[l] .. locNodeStart[l+1]-1], innermost first. */
    final int[] locNodeStart;
    final int[] locNodes;
    final long[] flat;
    final long[] cum;
    final long[] flatDiv;
    final long[] cumDiv;

    /** The node with this id. */
    public NodeInfo node(int id) {
        return nodes[id];
    }

    private NodeGraph(Profile profile, int sampleIndex, int divisorIndex, NodeInfo[] nodes, int[] locNodeStart,
                      int[] locNodes) {
        this.profile = profile;
        this.sampleIndex = sampleIndex;
        this.divisorIndex = divisorIndex;
        this.nodes = nodes;
        this.locNodeStart = locNodeStart;
        this.locNodes = locNodes;
        this.flat = new long[nodes.length];
        this.cum = new long[nodes.length];
        this.flatDiv = divisorIndex < 0 ? null : new long[nodes.length];
        this.cumDiv = divisorIndex < 0 ? null : new long[nodes.length];
    }

    public static NodeGraph build(Profile p, int sampleIndex, NodeOptions options) {
        return build(p, sampleIndex, -1, options);
    }

    /**
     * @param divisorIndex with pprof's -mean, the value (0: the count) that divides: a node's mean is
     *                     the sum of its values over the sum of the divisor; -1 for plain sums
     */
    public static NodeGraph build(Profile p, int sampleIndex, int divisorIndex, NodeOptions options) {
        NodeGraph graph = mapped(p, sampleIndex, divisorIndex, options);
        graph.accumulate();
        return graph;
    }

    /** The nodes of p's frames without their values: how frames map to nodes, for other folds. */
    static NodeGraph frames(Profile p, NodeOptions options) {
        return mapped(p, 0, -1, options);
    }

    private static NodeGraph mapped(Profile p, int sampleIndex, int divisorIndex, NodeOptions options) {
        Map<NodeInfo, Integer> ids = new HashMap<>();
        List<NodeInfo> infos = new ArrayList<>();
        LocationTable locs = p.locations();
        FunctionTable fns = p.functions();
        int n = locs.size();
        int[] starts = new int[n + 1];
        IntList nodeIds = new IntList(locs.lineFunction.length + n);
        Granularity g = options.granularity();
        boolean keepAll = g == Granularity.ADDRESSES && !options.noInlines();
        boolean keepName = g != Granularity.FILES;
        boolean keepFile = g != Granularity.FUNCTIONS;
        boolean keepLine = g == Granularity.LINES || g == Granularity.ADDRESSES;
        boolean keepColumn = keepAll || keepLine && options.showColumns();
        boolean keepAddress = g == Granularity.ADDRESSES;
        Map<String, String> cleanFiles = new HashMap<>();
        for (int l = 0; l < n; l++) {
            starts[l] = nodeIds.size();
            int m = locs.mapping[l];
            String objfile = m >= 0 ? p.mappings().get(m).file() : "";
            long address = keepAddress ? locs.address[l] : 0;
            int first = locs.lineStart[l];
            int last = locs.lineStart[l + 1];
            if (options.noInlines() && last - first > 1) {
                first = last - 1;
            }
            if (first == last) {
                nodeIds.add(intern(new NodeInfo("", "", address, "", 0, 0, 0, objfile), ids, infos));
                continue;
            }
            for (int i = first; i < last; i++) {
                int f = locs.lineFunction[i];
                String name = "";
                String file = "";
                long startLine = 0;
                if (f >= 0) {
                    name = keepName ? fns.name[f] : "";
                    String raw = keepFile ? fns.filename[f] : "";
                    if (!raw.isEmpty()) {
                        file = cleanFiles.computeIfAbsent(raw, r -> GoPaths.clean(trimPath(r, options.trimPath())));
                    }
                    startLine = fns.startLine[f];
                }
                long line = keepLine ? locs.lineNumber[i] : 0;
                long column = keepColumn ? locs.lineColumn[i] : 0;
                NodeInfo info = f < 0 ? new NodeInfo("", "", address, "", 0, 0, 0, objfile)
                        : name.isEmpty() ? new NodeInfo("", "", address, file, startLine, line, column, objfile)
                        : new NodeInfo(name, "", address, file, 0, line, column, "");
                nodeIds.add(intern(info, ids, infos));
            }
        }
        starts[n] = nodeIds.size();
        return new NodeGraph(p, sampleIndex, divisorIndex, infos.toArray(NodeInfo[]::new), starts, nodeIds.toArray());
    }

    private static int intern(NodeInfo info, Map<NodeInfo, Integer> ids, List<NodeInfo> infos) {
        Integer id = ids.get(info);
        if (id == null) {
            id = infos.size();
            ids.put(info, id);
            infos.add(info);
        }
        return id;
    }

    /** pprof's trimPath with no source path: configured prefixes, then /proc/self/cwd. */
    static String trimPath(String path, String trimPath) {
        List<String> prefixes = new ArrayList<>();
        if (!trimPath.isEmpty()) {
            for (String t : trimPath.split(":")) {
                prefixes.add(t);
            }
        }
        prefixes.add("/proc/self/cwd/./");
        prefixes.add("/proc/self/cwd/");
        for (String t : prefixes) {
            String prefix = t.endsWith("/") ? t : t + "/";
            if (path.startsWith(prefix)) {
                return path.substring(prefix.length());
            }
        }
        return path;
    }

    /**
     * Profiles with fewer samples are folded on one thread: starting threads would cost more. The
     * tests set it to 1 (system property godiag.parallelMinSamples), so the parity tests against
     * pprof run the parallel path.
     */
    private static final int PARALLEL_MIN_SAMPLES = Integer.getInteger("godiag.parallelMinSamples", 50_000);

    /**
     * Runs work over [0, samples) split in contiguous slices, one per core, and returns each
     * slice's result in slice order.
     */
    static <T> List<T> slices(int samples, BiFunction<Integer, Integer, T> work) {
        int threads = samples < PARALLEL_MIN_SAMPLES ? 1
                : Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (threads == 1) {
            return List.of(work.apply(0, samples));
        }
        List<FutureTask<T>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) samples * t / threads);
            int to = (int) ((long) samples * (t + 1) / threads);
            var task = new FutureTask<>(() -> work.apply(from, to));
            tasks.add(task);
            if (t > 0) {
                Thread.ofPlatform().daemon().start(task);
            }
        }
        tasks.get(0).run(); // the first slice on this thread
        List<T> out = new ArrayList<>();
        for (var task : tasks) {
            try {
                out.add(task.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Folds the samples: cum once per node per sample, flat to the leaf node. */
    private void accumulate() {
        for (long[][] part : slices(profile.samples().size(), this::accumulate)) {
            for (int n = 0; n < nodes.length; n++) {
                flat[n] += part[0][n];
                cum[n] += part[1][n];
                if (flatDiv != null) {
                    flatDiv[n] += part[2][n];
                    cumDiv[n] += part[3][n];
                }
            }
        }
    }

    /** Flat and cum of samples [from, to). */
    private long[][] accumulate(int from, int to) {
        SampleTable s = profile.samples();
        int k = s.valueCount;
        long[] flatPart = new long[nodes.length];
        long[] cumPart = new long[nodes.length];
        long[] flatDivPart = divisorIndex < 0 ? null : new long[nodes.length];
        long[] cumDivPart = divisorIndex < 0 ? null : new long[nodes.length];
        int[] seen = new int[nodes.length];
        int gen = 0;
        int[] locations = s.locations;
        long[] values = s.values;
        for (int i = from; i < to; i++) {
            long w = values[i * k + sampleIndex];
            long dw = divisorIndex < 0 ? 0 : values[i * k + divisorIndex];
            if (w == 0 && dw == 0) {
                continue;
            }
            gen++;
            int leaf = -1;
            for (int li = s.locStart[i + 1] - 1, lfrom = s.locStart[i]; li >= lfrom; li--) {
                int loc = locations[li];
                for (int ni = locNodeStart[loc + 1] - 1, nfrom = locNodeStart[loc]; ni >= nfrom; ni--) {
                    int node = locNodes[ni];
                    if (seen[node] != gen) {
                        seen[node] = gen;
                        cumPart[node] += w;
                        if (cumDivPart != null) {
                            cumDivPart[node] += dw;
                        }
                    }
                    leaf = node;
                }
            }
            if (leaf >= 0) {
                flatPart[leaf] += w;
                if (flatDivPart != null) {
                    flatDivPart[leaf] += dw;
                }
            }
        }
        return new long[][] {flatPart, cumPart, flatDivPart, cumDivPart};
    }

    public int size() {
        return nodes.length;
    }

    /** The node's flat value: the sum, or with -mean the sum over the divisor's sum. */
    public long flatValue(int node) {
        return flatDiv == null || flatDiv[node] == 0 ? flat[node] : flat[node] / flatDiv[node];
    }

    /** The node's cum value: the sum, or with -mean the sum over the divisor's sum. */
    public long cumValue(int node) {
        return cumDiv == null || cumDiv[node] == 0 ? cum[node] : cum[node] / cumDiv[node];
    }

    /**
     * Inline markers of the given nodes as pprof's text report derives them: from the graph built
     * over {@code kept} nodes (null: all), whose edges lighter than {@code edgeCutoff} are trimmed.
     * Returns per node 0 (no marker), 1 "(inline)" or 2 "(partial-inline)".
     */
    byte[] inlineMarkers(boolean[] kept, boolean[] shown, long edgeCutoff) {
        List<EdgeTable> parts = slices(profile.samples().size(), (from, to) -> edges(kept, shown, from, to));
        EdgeTable edges = parts.get(0);
        for (EdgeTable part : parts.subList(1, parts.size())) {
            part.forEach(edges::add);
        }
        byte[] inlineIn = new byte[nodes.length];
        edges.forEach((src, dst, weight, inline) -> {
            if (Math.abs(weight) < edgeCutoff) {
                return;
            }
            inlineIn[dst] |= (byte) (inline ? 1 : 2);
        });
        byte[] markers = new byte[nodes.length];
        for (int n = 0; n < nodes.length; n++) {
            markers[n] = switch (inlineIn[n]) {
                case 1 -> 1;
                case 3 -> 2;
                default -> 0;
            };
        }
        return markers;
    }

    /** The edges into shown nodes of the graph over kept nodes, from samples [from, to). */
    private EdgeTable edges(boolean[] kept, boolean[] shown, int from, int to) {
        EdgeTable edges = new EdgeTable();
        SampleTable s = profile.samples();
        int k = s.valueCount;
        EdgeSet seenEdges = new EdgeSet();
        for (int i = from; i < to; i++) {
            long w = s.values[i * k + sampleIndex];
            if (w == 0 && (divisorIndex < 0 || s.values[i * k + divisorIndex] == 0)) {
                continue;
            }
            seenEdges.clear();
            int parent = -1;
            for (int li = s.locStart[i + 1] - 1, lfrom = s.locStart[i]; li >= lfrom; li--) {
                int loc = s.locations[li];
                int nfrom = locNodeStart[loc];
                int nlast = locNodeStart[loc + 1] - 1;
                for (int ni = nlast; ni >= nfrom; ni--) {
                    int node = locNodes[ni];
                    if (kept != null && !kept[node]) {
                        continue; // pprof bridges dropped nodes with residual edges
                    }
                    if (parent >= 0 && node != parent && shown[node] && seenEdges.add(parent, node)) {
                        edges.add(parent, node, w, ni != nlast);
                    }
                    parent = node;
                }
            }
        }
        return edges;
    }
}
