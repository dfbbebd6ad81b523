package dev.godiag.util;

import java.util.Arrays;

/** A growable long array: the building block of the columnar model, with no boxing. */
public final class LongList {
    private long[] data;
    private int size;

    public LongList() {
        this(16);
    }

    public LongList(int capacity) {
        data = new long[Math.max(4, capacity)];
    }

    public void add(long v) {
        if (size == data.length) {
            grow(size + 1);
        }
        data[size++] = v;
    }

    public long get(int i) {
        return data[i];
    }

    public void set(int i, long v) {
        data[i] = v;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    private void grow(int min) {
        long next = Math.max((long) min, data.length + (data.length >> 1) + 16L);
        if (next > Integer.MAX_VALUE - 16) {
            if (min > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("array too large");
            }
            next = Integer.MAX_VALUE - 16;
        }
        data = Arrays.copyOf(data, (int) next);
    }

    /** The elements, trimmed to size (a copy unless already exact). */
    public long[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
