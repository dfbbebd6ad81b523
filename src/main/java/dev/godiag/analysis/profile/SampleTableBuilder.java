package dev.godiag.analysis.profile;

import dev.godiag.model.SampleTable;
import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

import java.util.ArrayList;
import java.util.List;

/** Builds a new {@link SampleTable} from (parts of) existing samples, for filters and merges. */
final class SampleTableBuilder {
    private final int valueCount;
    private final LongList values;
    private final IntList locStart = new IntList();
    private final IntList locations;
    private final IntList labelStart = new IntList();
    private final List<String> labelKey = new ArrayList<>();
    private final List<String> labelStr = new ArrayList<>();
    private final LongList labelNum = new LongList();
    private final List<String> labelUnit = new ArrayList<>();

    SampleTableBuilder(int valueCount, int sampleHint, int locationHint) {
        this.valueCount = valueCount;
        this.values = new LongList(Math.max(16, sampleHint * valueCount));
        this.locations = new IntList(Math.max(16, locationHint));
        locStart.add(0);
        labelStart.add(0);
    }

    void addLocation(int loc) {
        locations.add(loc);
    }

    /** Adds locations [from, to) of the source sample table's location array. */
    void addLocations(SampleTable src, int from, int to) {
        for (int i = from; i < to; i++) {
            locations.add(src.locations[i]);
        }
    }

    /** Copies the labels of sample s, skipping string labels with the given key (null: none). */
    void copyLabels(SampleTable src, int s, String skipKey) {
        for (int i = src.labelStart[s]; i < src.labelStart[s + 1]; i++) {
            if (skipKey != null && src.labelStr[i] != null && src.labelKey[i].equals(skipKey)) {
                continue;
            }
            labelKey.add(src.labelKey[i]);
            labelStr.add(src.labelStr[i]);
            labelNum.add(src.labelNum[i]);
            labelUnit.add(src.labelUnit[i]);
        }
    }

    void addLabel(String key, String value) {
        labelKey.add(key);
        labelStr.add(value);
        labelNum.add(0);
        labelUnit.add(null);
    }

    void addNumLabel(String key, long value, String unit) {
        labelKey.add(key);
        labelStr.add(null);
        labelNum.add(value);
        labelUnit.add(unit);
    }

    /** Closes the current sample with values copied from sample s of src. */
    void endSample(SampleTable src, int s) {
        int base = s * src.valueCount;
        for (int i = 0; i < valueCount; i++) {
            values.add(src.values[base + i]);
        }
        close();
    }

    void endSample(long[] sampleValues) {
        for (long v : sampleValues) {
            values.add(v);
        }
        close();
    }

    private void close() {
        locStart.add(locations.size());
        labelStart.add(labelKey.size());
    }

    /** Copies sample s of src whole: locations, labels and values. */
    void copy(SampleTable src, int s) {
        addLocations(src, src.locStart[s], src.locStart[s + 1]);
        copyLabels(src, s, null);
        endSample(src, s);
    }

    SampleTable build() {
        return new SampleTable(valueCount, values.toArray(), locStart.toArray(), locations.toArray(),
                labelStart.toArray(), labelKey.toArray(String[]::new), labelStr.toArray(String[]::new),
                labelNum.toArray(), labelUnit.toArray(String[]::new));
    }
}
