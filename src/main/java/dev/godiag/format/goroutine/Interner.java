package dev.godiag.format.goroutine;

import java.util.Arrays;

/**
 * Interns substrings without building them first: a lookup hashes the characters in place and
 * allocates a string only the first time a text is seen. Open addressing, grown at half load.
 * With a capacity bound it becomes a cache (direct-mapped, newest wins), for texts such as
 * argument values that repeat often but whose distinct values are unbounded.
 */
final class Interner {
    private String[] table;
    private int[] hashes;
    private int size;
    private final boolean bounded;

    /** An interner that keeps every distinct text. */
    Interner() {
        this(1 << 10, false);
    }

    private Interner(int capacity, boolean bounded) {
        table = new String[capacity];
        hashes = new int[capacity];
        this.bounded = bounded;
    }

    /** A cache of at most {@code capacity} (a power of two) texts. */
    static Interner cache(int capacity) {
        return new Interner(capacity, true);
    }

    String intern(String s) {
        return intern(s, 0, s.length());
    }

    String intern(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        int mask = table.length - 1;
        int i = mix(h) & mask;
        if (bounded) {
            String t = table[i];
            if (t != null && hashes[i] == h && t.length() == to - from && t.regionMatches(0, s, from, to - from)) {
                return t;
            }
            String n = from == 0 && to == s.length() ? s : s.substring(from, to);
            table[i] = n;
            hashes[i] = h;
            return n;
        }
        while (true) {
            String t = table[i];
            if (t == null) {
                break;
            }
            if (hashes[i] == h && t.length() == to - from && t.regionMatches(0, s, from, to - from)) {
                return t;
            }
            i = (i + 1) & mask;
        }
        String n = from == 0 && to == s.length() ? s : s.substring(from, to);
        table[i] = n;
        hashes[i] = h;
        if (++size * 2 > table.length) {
            grow();
        }
        return n;
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private void grow() {
        String[] ot = table;
        int[] oh = hashes;
        table = new String[ot.length * 2];
        hashes = new int[ot.length * 2];
        int mask = table.length - 1;
        for (int j = 0; j < ot.length; j++) {
            if (ot[j] != null) {
                int i = mix(oh[j]) & mask;
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = ot[j];
                hashes[i] = oh[j];
            }
        }
        Arrays.fill(ot, null);
    }
}
