package dev.godiag.analysis.profile;

import dev.godiag.util.BadInputException;
import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A profile made fit for Go's profile-guided optimization (go build -pgo=FILE, default.pgo).
 *
 * <p>The compiler (cmd/internal/pgo FromPProf) reads a CPU profile as a weighted call-edge map
 * only: it takes the first sample type that is "samples/count" or "cpu/nanoseconds", builds
 * internal/profile's graph from the two leaf-most locations of each sample (inlined lines
 * included, nodes keyed by function name, start line, line and address) and sums, per edge
 * (caller name, call-site line minus the caller's start_line, callee name), the values of the
 * samples that hold it; the total weight is the sum of all edge weights. This class computes that
 * map the same way.
 *
 * <p>Without pruning the CPU samples are kept whole (other sample types and all labels go, equal
 * stacks are summed): the compiler sees exactly the input's edges. With pruning only the
 * hottest edges holding the given share of the total edge weight are kept, and the result is
 * written as one two-frame sample per kept edge (callee leaf, caller at the call-site line), so
 * that the compiler sees exactly those edges with their original weights.
 */
public final class PgoProfile {
    private PgoProfile() {
    }

    /** One call edge as the compiler keys it. */
    public record Edge(String caller, long callSiteOffset, String callee) {
    }

    /** The edge map of a profile, as Go's compiler computes it. */
    public record EdgeMap(List<Edge> byWeight, Map<Edge, long[]> weights, int valueIndex, long totalWeight,
                          boolean seenStartLine, long weightWithoutStartLine) {
        /** The weight Go uses (the value of its sample index). */
        public long weight(Edge e) {
            return weights.get(e)[valueIndex];
        }
    }

    private record NodeKey(String name, long address, long startLine, long lineno) {
    }

    /** What the compiler reads of a node, and the function it came from (-1: none). */
    private record Node(NodeKey key, int function) {
    }

    /** First seen functions of an edge's ends, to write it back. */
    private record Ends(int callerFunction, int calleeFunction) {
    }

    /**
     * @param keepPercent keep the hottest call edges holding this share of the edge weight (100: all stacks)
     * @param warnings    where to add warnings (one line each)
     */
    public static Profile prepare(Profile p, double keepPercent, List<String> warnings) {
        if (!(keepPercent > 0 && keepPercent <= 100)) {
            throw new BadInputException("--pgo-keep must be a percentage above 0 and at most 100, not " + keepPercent);
        }
        List<Integer> cpuTypes = cpuTypes(p);
        if (cpuTypes.isEmpty()) {
            throw new BadInputException("PGO needs a CPU profile (sample types samples/count or cpu/nanoseconds),"
                    + " not " + p.sampleTypes());
        }
        Map<Edge, Ends> ends = new HashMap<>();
        EdgeMap edges = edgeMap(p, cpuTypes, ends);
        if (!edges.seenStartLine()) {
            // Go: "profile missing Function.start_line data"; go build -pgo and go tool preprofile fail
            throw new BadInputException("the profile has no Function.start_line (written by Go before 1.20?):"
                    + " the Go compiler rejects it for PGO; profile a binary built with Go 1.20 or later");
        }
        if (edges.weightWithoutStartLine() != 0 && edges.totalWeight() != 0) {
            warnings.add(String.format(Locale.ROOT, "%.1f%% of the PGO call-edge weight comes from functions without"
                            + " Function.start_line (profiles of Go before 1.20): the compiler cannot match those call sites",
                    100.0 * edges.weightWithoutStartLine() / edges.totalWeight()));
        }
        List<ValueType> types = cpuTypes.stream().map(i -> p.sampleTypes().get(i)).toList();
        if (keepPercent >= 100) {
            return allStacks(p, cpuTypes, types);
        }
        return hottestEdges(p, types, edges, ends, keepPercent);
    }

    /** The sample types the compiler accepts, in profile order (it takes the first). */
    private static List<Integer> cpuTypes(Profile p) {
        List<Integer> cpuTypes = new ArrayList<>();
        for (int i = 0; i < p.sampleTypes().size(); i++) {
            ValueType t = p.sampleTypes().get(i);
            if (t.type().equals("samples") && t.unit().equals("count")
                    || t.type().equals("cpu") && t.unit().equals("nanoseconds")) {
                cpuTypes.add(i);
            }
        }
        return cpuTypes;
    }

    /** The compiler's edge map of a CPU profile (null if it is none). */
    public static EdgeMap edgeMap(Profile p) {
        List<Integer> cpuTypes = cpuTypes(p);
        return cpuTypes.isEmpty() ? null : edgeMap(p, cpuTypes, new HashMap<>());
    }

    /**
     * internal/profile.NewGraph + cmd/internal/pgo.createNamedEdgeMap: weights per CPU type
     * (indexed like cpuTypes), ordered by the compiler's value index (the first CPU type).
     */
    private static EdgeMap edgeMap(Profile p, List<Integer> cpuTypes, Map<Edge, Ends> ends) {
        SampleTable s = p.samples();
        LocationTable l = p.locations();
        FunctionTable f = p.functions();
        int k = cpuTypes.size();
        Node[][] nodes = new Node[l.size()][];
        Map<Edge, long[]> weights = new LinkedHashMap<>();
        boolean seenStartLine = false;
        long total = 0;
        long withoutStartLine = 0;
        List<NodeKey> seenNode = new ArrayList<>();
        List<NodeKey[]> seenEdge = new ArrayList<>();
        long[] v = new long[k];
        for (int i = 0; i < s.size(); i++) {
            for (int j = 0; j < k; j++) {
                v[j] = s.value(i, cpuTypes.get(j));
            }
            if (v[0] == 0) {
                continue; // NewGraph skips samples whose value is 0
            }
            seenNode.clear();
            seenEdge.clear();
            Node parent = null;
            int depth = s.depth(i);
            // only the two leaf-most locations make edges (NewGraph: "Count only the last two frames")
            for (int fr = Math.min(1, depth - 1); fr >= 0; fr--) {
                int loc = s.locations[s.locStart[i] + fr];
                Node[] locNodes = nodes[loc];
                if (locNodes == null) {
                    locNodes = nodes[loc] = nodesOf(l, f, loc);
                }
                for (int ni = locNodes.length - 1; ni >= 0; ni--) {
                    Node n = locNodes[ni];
                    boolean sawNode = seenNode.contains(n.key());
                    if (!sawNode) {
                        seenNode.add(n.key());
                        seenStartLine |= n.key().startLine() != 0;
                    }
                    if (parent != null && !n.key().equals(parent.key())
                            && (!sawNode || !contains(seenEdge, n.key(), parent.key()))) {
                        seenEdge.add(new NodeKey[] {n.key(), parent.key()});
                        NodeKey c = parent.key();
                        Edge e = new Edge(c.name(), c.lineno() - c.startLine(), n.key().name());
                        long[] w = weights.computeIfAbsent(e, x -> new long[k]);
                        for (int j = 0; j < k; j++) {
                            w[j] += v[j];
                        }
                        total += v[0];
                        if (c.startLine() == 0 && parent.function() >= 0) {
                            withoutStartLine += v[0];
                        }
                        ends.putIfAbsent(e, new Ends(parent.function(), n.function()));
                    }
                    parent = n;
                }
            }
        }
        List<Edge> byWeight = new ArrayList<>(weights.keySet());
        byWeight.sort((a, b) -> {
            long wa = weights.get(a)[0];
            long wb = weights.get(b)[0];
            if (wa != wb) {
                return Long.compare(wb, wa);
            }
            int c = goCompare(a.caller(), b.caller());
            if (c != 0) {
                return c;
            }
            c = goCompare(a.callee(), b.callee());
            return c != 0 ? c : Long.compare(a.callSiteOffset(), b.callSiteOffset());
        });
        return new EdgeMap(List.copyOf(byWeight), weights, 0, total, seenStartLine, withoutStartLine);
    }

    private static boolean contains(List<NodeKey[]> seenEdge, NodeKey n, NodeKey parent) {
        for (NodeKey[] e : seenEdge) {
            if (e[0].equals(n) && e[1].equals(parent)) {
                return true;
            }
        }
        return false;
    }

    /** Go compares strings by their UTF-8 bytes. */
    private static int goCompare(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The graph nodes of a location, one per line (innermost first), as internal/profile's nodeInfo makes them. */
    private static Node[] nodesOf(LocationTable l, FunctionTable f, int loc) {
        int from = l.lineStart[loc];
        int to = l.lineStart[loc + 1];
        if (from == to) {
            return new Node[] {new Node(new NodeKey("", l.address[loc], 0, 0), -1)};
        }
        Node[] out = new Node[to - from];
        for (int i = from; i < to; i++) {
            int fn = l.lineFunction[i];
            out[i - from] = fn < 0
                    ? new Node(new NodeKey("", l.address[loc], 0, 0), -1)
                    : new Node(new NodeKey(f.name[fn], l.address[loc], f.startLine[fn], l.lineNumber[i]), fn);
        }
        return out;
    }

    private static Profile allStacks(Profile p, List<Integer> cpuTypes, List<ValueType> types) {
        SampleTable s = p.samples();
        int k = cpuTypes.size();
        SampleTableBuilder out = new SampleTableBuilder(k, s.size(), s.locations.length);
        long[] vals = new long[k];
        for (int i = 0; i < s.size(); i++) {
            for (int j = 0; j < k; j++) {
                vals[j] = s.value(i, cpuTypes.get(j));
            }
            out.addLocations(s, s.locStart[i], s.locStart[i + 1]);
            out.endSample(vals); // no labels: the compiler does not read them
        }
        Profile cpu = p.withHeader(types, "", out.build());
        // equal stacks summed, all-zero samples, unused functions and locations gone
        return ProfileMerger.merge(List.of(cpu));
    }

    /** One two-frame sample per kept edge: the callee as leaf, the caller at the call-site line. */
    private static Profile hottestEdges(Profile p, List<ValueType> types, EdgeMap edges, Map<Edge, Ends> ends,
                                        double keepPercent) {
        FunctionTable f = p.functions();
        ProfileBuilder b = new ProfileBuilder(p.kind()).sampleTypes(types)
                .period(p.periodType(), p.period()).time(p.timeNanos()).duration(p.durationNanos());
        p.comments().forEach(b::comment);
        b.dropFrames(p.dropFrames()).keepFrames(p.keepFrames()).docUrl(p.docUrl());
        Map<Integer, Integer> functions = new HashMap<>();
        Map<Long, Integer> locations = new HashMap<>(); // (function, line) -> location
        long[] nextAddress = {0x1000};
        double limit = edges.totalWeight() * keepPercent / 100.0;
        long kept = 0;
        for (Edge e : edges.byWeight()) {
            long w = edges.weight(e);
            if (kept >= limit || w <= 0) {
                break;
            }
            kept += w;
            Ends end = ends.get(e);
            int caller = end.callerFunction();
            int callee = end.calleeFunction();
            long callerLine = caller < 0 ? 0 : f.startLine[caller] + e.callSiteOffset();
            long calleeLine = callee < 0 ? 0 : f.startLine[callee];
            if (callee >= 0 && caller >= 0 && e.caller().equals(e.callee()) && calleeLine == callerLine) {
                calleeLine++; // a recursive call on the function's first line: keep the two nodes apart
            }
            int leaf = location(b, f, callee, calleeLine, functions, locations, nextAddress);
            int site = location(b, f, caller, callerLine, functions, locations, nextAddress);
            b.addSampleLocation(leaf);
            b.addSampleLocation(site);
            b.endSample(edges.weights().get(e).clone());
        }
        return b.build();
    }

    private static int location(ProfileBuilder b, FunctionTable f, int fn, long line, Map<Integer, Integer> functions,
                                Map<Long, Integer> locations, long[] nextAddress) {
        if (fn < 0) {
            // a frame without function: its node is its address, so each gets its own
            int loc = b.locationCount();
            return b.endLocation(loc + 1, -1, nextAddress[0]++, false);
        }
        int out = functions.computeIfAbsent(fn, x -> b.addFunction(b.functionCount() + 1, f.name[fn],
                f.systemName[fn], f.filename[fn], f.startLine[fn]));
        long key = ((long) out << 32) ^ (line & 0xffffffffL);
        Integer loc = locations.get(key);
        if (loc == null) {
            b.addLine(out, line, 0);
            loc = b.endLocation(b.locationCount() + 1, -1, 0, false);
            locations.put(key, loc);
        }
        return loc;
    }
}
