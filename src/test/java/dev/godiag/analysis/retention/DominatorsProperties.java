package dev.godiag.analysis.retention;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Semi-NCA against the definition, on random graphs: d dominates v when v cannot be reached from
 * the root with d removed; the immediate dominator is the dominator of v that every other strict
 * dominator of v dominates, i.e. the one with the most dominators of its own.
 */
class DominatorsProperties {

    @Property(tries = 300)
    void immediateDominatorsMatchTheDefinition(@ForAll @IntRange(min = 1, max = 40) int n,
                                               @ForAll @IntRange(min = 0, max = 120) int edges,
                                               @ForAll long seed) {
        Random rnd = new Random(seed);
        List<List<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            adj.add(new ArrayList<>());
        }
        for (int e = 0; e < edges; e++) {
            adj.get(rnd.nextInt(n)).add(rnd.nextInt(n)); // self loops and repeats included
        }
        int[] start = new int[n + 1];
        List<Integer> flat = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            start[i] = flat.size();
            flat.addAll(adj.get(i));
        }
        start[n] = flat.size();
        int[] succ = flat.stream().mapToInt(Integer::intValue).toArray();

        Dominators.Tree t = Dominators.compute(n, 0, start, succ);

        boolean[] reach = reach(adj, n, -1);
        boolean[][] dom = new boolean[n][n]; // dom[d][v]: d dominates v
        for (int d = 0; d < n; d++) {
            boolean[] without = reach(adj, n, d);
            for (int v = 0; v < n; v++) {
                dom[d][v] = reach[v] && (d == v || !without[v]);
            }
        }
        assertThat(t.preorder().length).isEqualTo(count(reach));
        assertThat(t.idom()[0]).isZero();
        for (int v = 1; v < n; v++) {
            if (!reach[v]) {
                assertThat(t.idom()[v]).isEqualTo(-1);
                continue;
            }
            int best = -1;
            int bestCount = -1;
            for (int d = 0; d < n; d++) {
                if (d != v && dom[d][v]) {
                    int c = 0;
                    for (int x = 0; x < n; x++) {
                        c += dom[x][d] ? 1 : 0;
                    }
                    if (c > bestCount) {
                        best = d;
                        bestCount = c;
                    }
                }
            }
            assertThat(t.idom()[v]).as("idom of %d", v).isEqualTo(best);
        }
    }

    private static boolean[] reach(List<List<Integer>> adj, int n, int removed) {
        boolean[] seen = new boolean[n];
        if (removed == 0) {
            return seen;
        }
        ArrayDeque<Integer> q = new ArrayDeque<>();
        seen[0] = true;
        q.add(0);
        while (!q.isEmpty()) {
            int v = q.poll();
            for (int w : adj.get(v)) {
                if (w != removed && !seen[w]) {
                    seen[w] = true;
                    q.add(w);
                }
            }
        }
        return seen;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean x : b) {
            c += x ? 1 : 0;
        }
        return c;
    }
}
