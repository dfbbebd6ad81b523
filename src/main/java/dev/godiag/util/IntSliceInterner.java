package dev.godiag.util;

/**
 * Gives each distinct int sequence a dense id, storing each sequence once: what folds the samples
 * of a profile into their distinct stacks without an allocation per sample.
 */
public final class IntSliceInterner {
    private final IntList data = new IntList(1 << 12);
    private final IntList starts = new IntList(1 << 10);
    private int[] table = new int[1 << 10]; // id + 1, 0 free
    private int[] hashes = new int[1 << 10];

    public IntSliceInterner() {
        starts.add(0);
    }

    /** The id of a[from..to), adding it when new. */
    public int intern(int[] a, int from, int to) {
        int h = hash(a, from, to);
        int mask = table.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int id = table[i] - 1;
            if (id < 0) {
                id = size();
                for (int j = from; j < to; j++) {
                    data.add(a[j]);
                }
                starts.add(data.size());
                table[i] = id + 1;
                hashes[i] = h;
                if (size() * 2 > table.length) {
                    rehash();
                }
                return id;
            }
            if (hashes[i] == h && equal(id, a, from, to)) {
                return id;
            }
        }
    }

    public int size() {
        return starts.size() - 1;
    }

    public int start(int id) {
        return starts.get(id);
    }

    public int end(int id) {
        return starts.get(id + 1);
    }

    /** The stored elements; sequence id is at start(id) .. end(id) - 1. */
    public int get(int index) {
        return data.get(index);
    }

    private boolean equal(int id, int[] a, int from, int to) {
        int s = starts.get(id);
        int e = starts.get(id + 1);
        if (e - s != to - from) {
            return false;
        }
        for (int j = 0; j < to - from; j++) {
            if (data.get(s + j) != a[from + j]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(int[] a, int from, int to) {
        int h = 1;
        for (int j = from; j < to; j++) {
            h = 31 * h + a[j];
        }
        return h ^ (h >>> 16);
    }

    private void rehash() {
        int[] oldTable = table;
        int[] oldHashes = hashes;
        table = new int[oldTable.length * 2];
        hashes = new int[oldTable.length * 2];
        int mask = table.length - 1;
        for (int i = 0; i < oldTable.length; i++) {
            if (oldTable[i] != 0) {
                int j = oldHashes[i] & mask;
                while (table[j] != 0) {
                    j = (j + 1) & mask;
                }
                table[j] = oldTable[i];
                hashes[j] = oldHashes[i];
            }
        }
    }
}
