package dev.godiag.model;

/**
 * The samples of a profile, columnar. Sample {@code s} has values
 * {@code values[s*valueCount .. s*valueCount+valueCount-1]}, locations
 * {@code locations[locStart[s] .. locStart[s+1]-1]} (leaf first, as indexes into the
 * {@link LocationTable}) and labels {@code labelStart[s] .. labelStart[s+1]-1}.
 * A label is a string label when {@code labelStr} is non-null, else numeric
 * ({@code labelNum}, with an optional {@code labelUnit}).
 */
public final class SampleTable {
    public final int valueCount;
    public final long[] values;
    public final int[] locStart;
    public final int[] locations;
    public final int[] labelStart;
    public final String[] labelKey;
    public final String[] labelStr;
    public final long[] labelNum;
    public final String[] labelUnit;

    public SampleTable(int valueCount, long[] values, int[] locStart, int[] locations, int[] labelStart,
                       String[] labelKey, String[] labelStr, long[] labelNum, String[] labelUnit) {
        int n = locStart.length - 1;
        if (n < 0 || labelStart.length != n + 1 || (long) n * valueCount != values.length) {
            throw new IllegalArgumentException("sample columns differ in length");
        }
        int labels = labelStart[n];
        if (labelKey.length != labels || labelStr.length != labels || labelNum.length != labels
                || labelUnit.length != labels) {
            throw new IllegalArgumentException("label columns differ in length");
        }
        this.valueCount = valueCount;
        this.values = values;
        this.locStart = locStart;
        this.locations = locations;
        this.labelStart = labelStart;
        this.labelKey = labelKey;
        this.labelStr = labelStr;
        this.labelNum = labelNum;
        this.labelUnit = labelUnit;
    }

    public int size() {
        return locStart.length - 1;
    }

    public long value(int sample, int index) {
        return values[sample * valueCount + index];
    }

    public int depth(int sample) {
        return locStart[sample + 1] - locStart[sample];
    }

    public boolean hasLabels() {
        return labelKey.length > 0;
    }

    /** True if the sample carries the string label key=value. */
    public boolean hasLabel(int sample, String key, String value) {
        for (int i = labelStart[sample]; i < labelStart[sample + 1]; i++) {
            if (labelStr[i] != null && labelKey[i].equals(key) && labelStr[i].equals(value)) {
                return true;
            }
        }
        return false;
    }
}
