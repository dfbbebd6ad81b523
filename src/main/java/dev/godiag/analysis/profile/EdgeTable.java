package dev.godiag.analysis.profile;

/** Call edges (src, dst) with summed weight and pprof's inline flag, in an open-addressing table. */
final class EdgeTable {
    private long[] keys;
    private long[] weights;
    private boolean[] inline;
    private boolean[] used;
    private int size;

    EdgeTable() {
        allocate(1024);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        weights = new long[capacity];
        inline = new boolean[capacity];
        used = new boolean[capacity];
    }

    static long key(int src, int dst) {
        return ((long) src << 32) | (dst & 0xffffffffL);
    }

    static int hash(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** Adds weight to the edge; the edge stays inline only while every call through it was inlined. */
    void add(int src, int dst, long w, boolean isInline) {
        if (size * 2 >= keys.length) {
            rehash();
        }
        long k = key(src, dst);
        int mask = keys.length - 1;
        int i = hash(k, mask);
        while (used[i]) {
            if (keys[i] == k) {
                weights[i] += w;
                inline[i] &= isInline;
                return;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = k;
        weights[i] = w;
        inline[i] = isInline;
        size++;
    }

    private void rehash() {
        long[] oldKeys = keys;
        long[] oldWeights = weights;
        boolean[] oldInline = inline;
        boolean[] oldUsed = used;
        allocate(keys.length * 2);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (!oldUsed[j]) {
                continue;
            }
            int i = hash(oldKeys[j], mask);
            while (used[i]) {
                i = (i + 1) & mask;
            }
            used[i] = true;
            keys[i] = oldKeys[j];
            weights[i] = oldWeights[j];
            inline[i] = oldInline[j];
        }
    }

    interface EdgeVisitor {
        void visit(int src, int dst, long weight, boolean inline);
    }

    void forEach(EdgeVisitor v) {
        for (int i = 0; i < keys.length; i++) {
            if (used[i]) {
                v.visit((int) (keys[i] >>> 32), (int) keys[i], weights[i], inline[i]);
            }
        }
    }

    int size() {
        return size;
    }
}
