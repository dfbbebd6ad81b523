package dev.godiag.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map in insertion order, held as two arrays: the few keys of one benchmark result
 * (its units, its configuration) cost a few dozen bytes instead of a hash table, and a map that is
 * already compact is shared, not copied (a file's results share their configuration). Lookups
 * scan the keys, which suits maps of a handful of entries.
 */
public final class CompactMap<K, V> extends AbstractMap<K, V> {
    private static final CompactMap<?, ?> EMPTY = new CompactMap<>(new Object[0], new Object[0]);

    private final Object[] keys;
    private final Object[] values;

    private CompactMap(Object[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** The map itself when it is compact already, else a compact copy (iteration order kept; no null keys). */
    @SuppressWarnings("unchecked")
    public static <K, V> Map<K, V> copyOf(Map<? extends K, ? extends V> m) {
        if (m instanceof CompactMap<?, ?> c) {
            return (Map<K, V>) c;
        }
        if (m.isEmpty()) {
            return (Map<K, V>) EMPTY;
        }
        Object[] k = new Object[m.size()];
        Object[] v = new Object[k.length];
        int i = 0;
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            k[i] = Objects.requireNonNull(e.getKey());
            v[i++] = e.getValue();
        }
        if (i != k.length) {
            throw new IllegalStateException("map changed while copied");
        }
        return new CompactMap<>(k, v);
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getOrDefault(Object key, V defaultValue) {
        int i = indexOf(key);
        return i < 0 ? defaultValue : (V) values[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(java.util.function.BiConsumer<? super K, ? super V> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept((K) keys[i], (V) values[i]);
        }
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Map.Entry<K, V> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<K, V> e = new SimpleImmutableEntry<>((K) keys[i], (V) values[i]);
                        i++;
                        return e;
                    }
                };
            }
        };
    }
}
