package dev.godiag.util;

import java.util.Arrays;

/** A growable int array: the building block of the columnar model, with no boxing. */
public final class IntList {
    private int[] data;
    private int size;

    public IntList() {
        this(16);
    }

    public IntList(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    public void add(int v) {
        if (size == data.length) {
            grow(size + 1);
        }
        data[size++] = v;
    }

    /** The backing array with room for at least min elements (for loops that fill it directly). */
    public int[] ensureCapacity(int min) {
        if (min > data.length) {
            grow(min);
        }
        return data;
    }

    /** Sets the size after elements were written into the backing array directly. */
    public void setSize(int newSize) {
        if (newSize < 0 || newSize > data.length) {
            throw new IllegalArgumentException("size " + newSize + " outside 0.." + data.length);
        }
        size = newSize;
    }

    public int get(int i) {
        return data[i];
    }

    public void set(int i, int v) {
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
    public int[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
