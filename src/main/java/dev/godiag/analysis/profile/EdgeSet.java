package dev.godiag.analysis.profile;

import java.util.Arrays;

/** A set of edges seen within one sample; cleared per sample in O(1) by generation stamps. */
final class EdgeSet {
    private long[] keys = new long[256];
    private int[] stamp = new int[256];
    private int gen = 1;
    private int size;

    void clear() {
        gen++;
        size = 0;
        if (gen == Integer.MAX_VALUE) {
            Arrays.fill(stamp, 0);
            gen = 1;
        }
    }

    /** Adds the edge; false if it was already in the set. */
    boolean add(int src, int dst) {
        if (size * 2 >= keys.length) {
            grow();
        }
        long k = EdgeTable.key(src, dst);
        int mask = keys.length - 1;
        int i = EdgeTable.hash(k, mask);
        while (stamp[i] == gen) {
            if (keys[i] == k) {
                return false;
            }
            i = (i + 1) & mask;
        }
        stamp[i] = gen;
        keys[i] = k;
        size++;
        return true;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldStamp = stamp;
        keys = new long[oldKeys.length * 2];
        stamp = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldStamp[j] != gen) {
                continue;
            }
            int i = EdgeTable.hash(oldKeys[j], mask);
            while (stamp[i] == gen) {
                i = (i + 1) & mask;
            }
            stamp[i] = gen;
            keys[i] = oldKeys[j];
        }
    }
}
