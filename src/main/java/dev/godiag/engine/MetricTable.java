package dev.godiag.engine;

import dev.godiag.store.BaselineRepository.Metric;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Metrics gathered value by value (a million benchmark results are millions of values), in order of
 * first appearance, each with its values in the order added: in primitive arrays and one open
 * hash table, some 50 bytes a metric instead of a map entry, a key and a list of boxed values. The
 * list view makes each {@link Metric} when it is read, so a store can write them one at a time.
 */
final class MetricTable {
    private String[] names = new String[16];
    private String[] units = new String[16];
    private int[] firstValue = new int[16];
    private int[] lastValue = new int[16];
    private int[] valueCount = new int[16];
    private int metrics;

    /** Values of all metrics, each linked to the next value of its metric (-1: none). */
    private double[] values = new double[16];
    private int[] nextValue = new int[16];
    private int valuesUsed;

    /** Open addressing: metric index + 1 per slot, 0 free; at most half full. */
    private int[] slots = new int[64];

    void add(String name, String unit, double v) {
        int m = metric(name, unit);
        if (valuesUsed == values.length) {
            values = Arrays.copyOf(values, valuesUsed * 2);
            nextValue = Arrays.copyOf(nextValue, valuesUsed * 2);
        }
        int at = valuesUsed++;
        values[at] = v;
        nextValue[at] = -1;
        if (firstValue[m] < 0) {
            firstValue[m] = at;
        } else {
            nextValue[lastValue[m]] = at;
        }
        lastValue[m] = at;
        valueCount[m]++;
    }

    void addAll(Metric m) {
        if (m.values().isEmpty()) {
            metric(m.name(), m.unit()); // a metric without values is still listed
        }
        for (double v : m.values()) {
            add(m.name(), m.unit(), v);
        }
    }

    /** The index of the metric, added when new. */
    private int metric(String name, String unit) {
        int mask = slots.length - 1;
        int h = mix(name.hashCode() * 31 + unit.hashCode()) & mask;
        while (slots[h] != 0) {
            int m = slots[h] - 1;
            if (names[m].equals(name) && units[m].equals(unit)) {
                return m;
            }
            h = (h + 1) & mask;
        }
        if (metrics == names.length) {
            int n = metrics * 2;
            names = Arrays.copyOf(names, n);
            units = Arrays.copyOf(units, n);
            firstValue = Arrays.copyOf(firstValue, n);
            lastValue = Arrays.copyOf(lastValue, n);
            valueCount = Arrays.copyOf(valueCount, n);
        }
        int m = metrics++;
        names[m] = name;
        units[m] = unit;
        firstValue[m] = -1;
        lastValue[m] = -1;
        valueCount[m] = 0;
        slots[h] = m + 1;
        if (metrics * 2 > slots.length) {
            rehash();
        }
        return m;
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int m = 0; m < metrics; m++) {
            int h = mix(names[m].hashCode() * 31 + units[m].hashCode()) & mask;
            while (bigger[h] != 0) {
                h = (h + 1) & mask;
            }
            bigger[h] = m + 1;
        }
        slots = bigger;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16) ^ (h >>> 7);
    }

    /** The metrics, each made when read. */
    List<Metric> list() {
        return new View(this);
    }

    /** The index of a metric, or -1. */
    private int find(String name, String unit) {
        int mask = slots.length - 1;
        for (int h = mix(name.hashCode() * 31 + unit.hashCode()) & mask; slots[h] != 0; h = (h + 1) & mask) {
            int m = slots[h] - 1;
            if (names[m].equals(name) && units[m].equals(unit)) {
                return m;
            }
        }
        return -1;
    }

    private double[] valuesOf(int m) {
        double[] v = new double[valueCount[m]];
        int i = 0;
        for (int at = firstValue[m]; at >= 0; at = nextValue[at]) {
            v[i++] = values[at];
        }
        return v;
    }

    private Metric get(int m) {
        Double[] v = new Double[valueCount[m]];
        int i = 0;
        for (int at = firstValue[m]; at >= 0; at = nextValue[at]) {
            v[i++] = values[at];
        }
        return new Metric(names[m], units[m], Arrays.asList(v));
    }

    /**
     * An unmodifiable view of a finished table (nothing is added to it once viewed); a gate looks
     * metrics up in it by name and unit, without making a Metric of each.
     */
    static final class View extends AbstractList<Metric> implements RandomAccess {
        private final MetricTable table;
        private final int size;

        View(MetricTable table) {
            this.table = table;
            this.size = table.metrics;
        }

        /** The index of the metric with this name and unit, or -1. */
        int find(String name, String unit) {
            int m = table.find(name, unit);
            return m < size ? m : -1;
        }

        String name(int index) {
            return table.names[index];
        }

        String unit(int index) {
            return table.units[index];
        }

        double[] values(int index) {
            return table.valuesOf(index);
        }

        @Override
        public Metric get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException(index);
            }
            return table.get(index);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
