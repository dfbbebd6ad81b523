package dev.godiag.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The measurements of one benchmark result by unit, in order: an immutable map held as the units
 * (one array shared by every result measured in the same units) and unboxed values, so a file of a
 * million results keeps a million small double arrays rather than three million boxed doubles.
 */
public final class BenchValues extends AbstractMap<String, Double> {
    private static final BenchValues EMPTY = new BenchValues(new String[0], new double[0]);

    private final String[] units;
    private final double[] values;

    /**
     * @param units  the units, no duplicates (shared: the caller must not change it)
     * @param values a value per unit
     */
    public BenchValues(String[] units, double[] values) {
        if (units.length != values.length) {
            throw new IllegalArgumentException(units.length + " units, " + values.length + " values");
        }
        this.units = units;
        this.values = values;
    }

    public static BenchValues copyOf(Map<String, Double> m) {
        if (m instanceof BenchValues b) {
            return b;
        }
        if (m.isEmpty()) {
            return EMPTY;
        }
        String[] u = new String[m.size()];
        double[] v = new double[u.length];
        int i = 0;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            u[i] = Objects.requireNonNull(e.getKey());
            v[i++] = e.getValue();
        }
        return new BenchValues(u, v);
    }

    public String unit(int i) {
        return units[i];
    }

    public double value(int i) {
        return values[i];
    }

    @Override
    public int size() {
        return units.length;
    }

    private int indexOf(Object unit) {
        for (int i = 0; i < units.length; i++) {
            if (units[i].equals(unit)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Double get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Set<Map.Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return units.length;
            }

            @Override
            public Iterator<Map.Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < units.length;
                    }

                    @Override
                    public Map.Entry<String, Double> next() {
                        if (i >= units.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, Double> e = new SimpleImmutableEntry<>(units[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }
        };
    }
}
