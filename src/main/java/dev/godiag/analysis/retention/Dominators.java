package dev.godiag.analysis.retention;

import java.util.Arrays;

/**
 * Immediate dominators of a graph in CSR form, by the semi-NCA algorithm (Lengauer-Tarjan's
 * semidominators, then each immediate dominator as the nearest common ancestor in the DFS tree;
 * Georgiadis' "SNCA"), over int arrays only and with no recursion, so that graphs of tens of
 * millions of nodes neither overflow the stack nor allocate per node.
 */
public final class Dominators {
    private Dominators() {
    }

    /**
     * The dominator tree from root.
     *
     * @param preorder the reached nodes in DFS preorder (root first); a node's immediate dominator
     *                 comes before it
     * @param idom     each node's immediate dominator; the root's is itself, unreached nodes' -1
     */
    public record Tree(int[] preorder, int[] idom) {
    }

    public static Tree compute(int n, int root, int[] start, int[] succ) {
        int[] dfn = new int[n];
        Arrays.fill(dfn, -1);
        int[] vertex = new int[n];
        int[] parent = new int[n]; // by dfs number
        int count = 0;

        // iterative DFS: a stack of nodes with the next edge to try
        int[] stack = new int[n];
        int[] next = new int[n];
        int sp = 0;
        dfn[root] = count;
        vertex[count] = root;
        parent[count] = -1;
        count++;
        stack[sp] = root;
        next[sp++] = start[root];
        while (sp > 0) {
            int v = stack[sp - 1];
            int e = next[sp - 1];
            if (e == start[v + 1]) {
                sp--;
                continue;
            }
            next[sp - 1] = e + 1;
            int w = succ[e];
            if (dfn[w] < 0) {
                dfn[w] = count;
                vertex[count] = w;
                parent[count] = dfn[v];
                count++;
                stack[sp] = w;
                next[sp++] = start[w];
            }
        }
        next = null;

        // predecessors of reached nodes, by dfs number
        int[] predStart = new int[count + 1];
        for (int i = 0; i < count; i++) {
            int v = vertex[i];
            for (int e = start[v]; e < start[v + 1]; e++) {
                int d = dfn[succ[e]];
                predStart[d + 1]++;
            }
        }
        for (int i = 0; i < count; i++) {
            predStart[i + 1] += predStart[i];
        }
        int[] pred = new int[predStart[count]];
        int[] fill = Arrays.copyOf(predStart, count);
        for (int i = 0; i < count; i++) {
            int v = vertex[i];
            for (int e = start[v]; e < start[v + 1]; e++) {
                pred[fill[dfn[succ[e]]]++] = i;
            }
        }
        fill = null;

        // semidominators, by dfs number, with an iteratively path-compressed forest
        int[] semi = new int[count];
        int[] label = new int[count];
        int[] ancestor = new int[count];
        for (int i = 0; i < count; i++) {
            semi[i] = i;
            label[i] = i;
            ancestor[i] = -1;
        }
        for (int w = count - 1; w > 0; w--) {
            for (int e = predStart[w]; e < predStart[w + 1]; e++) {
                int u = eval(pred[e], ancestor, label, semi, stack);
                if (semi[u] < semi[w]) {
                    semi[w] = semi[u];
                }
            }
            ancestor[w] = parent[w];
        }
        pred = null;

        // immediate dominators: the nearest ancestor of the DFS parent at or above the semidominator
        int[] idomDfn = new int[count];
        idomDfn[0] = 0;
        for (int w = 1; w < count; w++) {
            int d = parent[w];
            while (d > semi[w]) {
                d = idomDfn[d];
            }
            idomDfn[w] = d;
        }
        int[] idom = new int[n];
        Arrays.fill(idom, -1);
        for (int w = 0; w < count; w++) {
            idom[vertex[w]] = vertex[idomDfn[w]];
        }
        return new Tree(Arrays.copyOf(vertex, count), idom);
    }

    /** The node of least semidominator on v's path to its forest root (v itself if v is a root). */
    private static int eval(int v, int[] ancestor, int[] label, int[] semi, int[] path) {
        if (ancestor[v] < 0) {
            return v;
        }
        // compress: collect the path up to the node below the forest root, then fold top-down
        int n = 0;
        int x = v;
        while (ancestor[ancestor[x]] >= 0) {
            path[n++] = x;
            x = ancestor[x];
        }
        while (n > 0) {
            int y = path[--n];
            int a = ancestor[y];
            if (semi[label[a]] < semi[label[y]]) {
                label[y] = label[a];
            }
            ancestor[y] = ancestor[a];
        }
        return label[v];
    }
}
