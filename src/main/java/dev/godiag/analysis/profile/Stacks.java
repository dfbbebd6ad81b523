package dev.godiag.analysis.profile;

import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.util.IntList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct stacks of a profile as report nodes (frames at the chosen granularity, inlined
 * frames expanded, root first), with the values of equal stacks summed: what flame graph formats
 * (folded stacks, speedscope) export. Each node maps frames exactly as {@link NodeGraph} does, so
 * flat (leaf frame) and cum (frame on the stack, once per stack) recomputed from these stacks
 * equal the rows of the top report.
 */
public final class Stacks {
    private final NodeInfo[] nodes;
    private final List<int[]> frames;
    private final List<long[]> values;

    private Stacks(NodeInfo[] nodes, List<int[]> frames, List<long[]> values) {
        this.nodes = nodes;
        this.frames = frames;
        this.values = values;
    }

    /** Folds the samples of p: samples with all values zero and samples without frames are left out. */
    public static Stacks of(Profile p, NodeOptions options) {
        NodeGraph g = NodeGraph.build(p, 0, options);
        SampleTable s = p.samples();
        int k = s.valueCount;
        Map<Key, Integer> index = new HashMap<>();
        List<int[]> frames = new ArrayList<>();
        List<long[]> values = new ArrayList<>();
        IntList stack = new IntList();
        for (int i = 0; i < s.size(); i++) {
            boolean zero = true;
            for (int j = 0; j < k && zero; j++) {
                zero = s.values[i * k + j] == 0;
            }
            if (zero) {
                continue;
            }
            stack.clear();
            for (int li = s.locStart[i + 1] - 1; li >= s.locStart[i]; li--) {
                int loc = s.locations[li];
                for (int ni = g.locNodeStart[loc + 1] - 1; ni >= g.locNodeStart[loc]; ni--) {
                    stack.add(g.locNodes[ni]);
                }
            }
            if (stack.size() == 0) {
                continue;
            }
            // a copy: IntList.toArray shares its buffer when full, and the buffer is reused
            Key key = new Key(Arrays.copyOf(stack.toArray(), stack.size()));
            Integer at = index.get(key);
            if (at == null) {
                at = frames.size();
                index.put(key, at);
                frames.add(key.frames);
                values.add(new long[k]);
            }
            long[] v = values.get(at);
            for (int j = 0; j < k; j++) {
                v[j] += s.values[i * k + j];
            }
        }
        return new Stacks(g.nodes, frames, values);
    }

    private record Key(int[] frames) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.equals(frames, other.frames);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(frames);
        }
    }

    /** Number of distinct stacks. */
    public int size() {
        return frames.size();
    }

    /** The frames of stack i as node ids, root first. */
    public int[] frames(int i) {
        return frames.get(i);
    }

    /** All nodes a frame may refer to, by id. */
    public int nodeCount() {
        return nodes.length;
    }

    public NodeInfo node(int id) {
        return nodes[id];
    }

    /**
     * The summed value of stack i for sample type index; with pprof's -mean, divided by the summed
     * sample count (value 0), as pprof's -mean divides each node.
     */
    public long value(int i, int index, boolean mean) {
        long[] v = values.get(i);
        if (mean && v[0] != 0) {
            return v[index] / v[0];
        }
        return v[index];
    }
}
