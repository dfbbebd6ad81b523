package dev.godiag.util;

/**
 * A hash map from {@code long} keys to objects without boxing (open addressing, linear probing,
 * deletion by backward shift), for the hot paths that look up ids per event. Null values are not
 * stored: {@link #get} answers null for a missing key.
 */
public final class LongObjectMap<V> {
    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    public LongObjectMap() {
        this(16);
    }

    public LongObjectMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[cap];
        values = new Object[cap];
        mask = cap - 1;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private int slot(long key) {
        int i = hash(key) & mask;
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        return (V) values[slot(key)];
    }

    public boolean containsKey(long key) {
        return values[slot(key)] != null;
    }

    /** Maps {@code key} to {@code value} (not null); returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        int i = slot(key);
        Object old = values[i];
        keys[i] = key;
        values[i] = value;
        if (old == null && ++size * 2 > keys.length) {
            grow();
        }
        return (V) old;
    }

    /** Maps {@code key} to {@code value} unless it is mapped; returns the existing value, or null. */
    public V putIfAbsent(long key, V value) {
        V old = get(key);
        return old != null ? old : put(key, value);
    }

    /** Removes {@code key}; returns its value, or null. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int i = slot(key);
        Object old = values[i];
        if (old == null) {
            return null;
        }
        size--;
        // backward shift: move later entries of the probe run into the hole
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) {
                break;
            }
            int home = hash(keys[j]) & mask;
            boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!between) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
        return (V) old;
    }

    public int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                int s = slot(oldKeys[i]);
                keys[s] = oldKeys[i];
                values[s] = oldValues[i];
            }
        }
    }

    /** Calls {@code action} for every entry, in no particular order. */
    public void forEach(Entry<V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null) {
                @SuppressWarnings("unchecked")
                V v = (V) values[i];
                action.accept(keys[i], v);
            }
        }
    }

    /** One entry of {@link #forEach}. */
    public interface Entry<V> {
        void accept(long key, V value);
    }
}
