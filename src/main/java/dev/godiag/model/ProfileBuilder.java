package dev.godiag.model;

import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles a {@link Profile} row by row. Readers of text formats and the transformations
 * (merge, filters) use it; references between tables are by index.
 */
public final class ProfileBuilder {
    private final String kind;
    private final List<ValueType> sampleTypes = new ArrayList<>();
    private ValueType periodType = new ValueType("", "");
    private long period;
    private long timeNanos;
    private long durationNanos;
    private final List<String> comments = new ArrayList<>();
    private String dropFrames = "";
    private String keepFrames = "";
    private String defaultSampleType = "";
    private String docUrl = "";
    private final List<Mapping> mappings = new ArrayList<>();

    private final LongList funcId = new LongList();
    private final List<String> funcName = new ArrayList<>();
    private final List<String> funcSystemName = new ArrayList<>();
    private final List<String> funcFilename = new ArrayList<>();
    private final LongList funcStartLine = new LongList();

    private final LongList locId = new LongList();
    private final IntList locMapping = new IntList();
    private final LongList locAddress = new LongList();
    private final List<Boolean> locFolded = new ArrayList<>();
    private final IntList lineStart = new IntList();
    private final IntList lineFunction = new IntList();
    private final LongList lineNumber = new LongList();
    private final LongList lineColumn = new LongList();

    private final LongList values = new LongList();
    private final IntList locStart = new IntList();
    private final IntList sampleLocs = new IntList();
    private final IntList labelStart = new IntList();
    private final List<String> labelKey = new ArrayList<>();
    private final List<String> labelStr = new ArrayList<>();
    private final LongList labelNum = new LongList();
    private final List<String> labelUnit = new ArrayList<>();

    public ProfileBuilder(String kind) {
        this.kind = kind;
        lineStart.add(0);
        locStart.add(0);
        labelStart.add(0);
    }

    public ProfileBuilder sampleType(String type, String unit) {
        sampleTypes.add(new ValueType(type, unit));
        return this;
    }

    public ProfileBuilder sampleTypes(List<ValueType> types) {
        sampleTypes.addAll(types);
        return this;
    }

    public int sampleTypeCount() {
        return sampleTypes.size();
    }

    public ProfileBuilder period(ValueType type, long value) {
        periodType = type;
        period = value;
        return this;
    }

    public ProfileBuilder time(long nanos) {
        timeNanos = nanos;
        return this;
    }

    public ProfileBuilder duration(long nanos) {
        durationNanos = nanos;
        return this;
    }

    public ProfileBuilder comment(String c) {
        comments.add(c);
        return this;
    }

    public ProfileBuilder dropFrames(String rx) {
        dropFrames = rx;
        return this;
    }

    public ProfileBuilder keepFrames(String rx) {
        keepFrames = rx;
        return this;
    }

    public ProfileBuilder defaultSampleType(String t) {
        defaultSampleType = t;
        return this;
    }

    public ProfileBuilder docUrl(String url) {
        docUrl = url;
        return this;
    }

    /** Adds a mapping and returns its index. */
    public int addMapping(Mapping m) {
        mappings.add(m);
        return mappings.size() - 1;
    }

    /** Adds a function and returns its index. */
    public int addFunction(long id, String name, String systemName, String filename, long startLine) {
        funcId.add(id);
        funcName.add(name == null ? "" : name);
        funcSystemName.add(systemName == null ? "" : systemName);
        funcFilename.add(filename == null ? "" : filename);
        funcStartLine.add(startLine);
        return funcId.size() - 1;
    }

    public int functionCount() {
        return funcId.size();
    }

    /** Adds a line to the location being built (call before {@link #endLocation}). */
    public void addLine(int functionIndex, long line, long column) {
        lineFunction.add(functionIndex);
        lineNumber.add(line);
        lineColumn.add(column);
    }

    /** Closes the location whose lines were just added; returns its index. */
    public int endLocation(long id, int mappingIndex, long address, boolean folded) {
        locId.add(id);
        locMapping.add(mappingIndex);
        locAddress.add(address);
        locFolded.add(folded);
        lineStart.add(lineFunction.size());
        return locId.size() - 1;
    }

    public int locationCount() {
        return locId.size();
    }

    /** Adds a string label to the sample being built (call before {@link #endSample}). */
    public void addLabel(String key, String value) {
        labelKey.add(key);
        labelStr.add(value);
        labelNum.add(0);
        labelUnit.add(null);
    }

    /** Adds a numeric label to the sample being built; unit may be null. */
    public void addNumLabel(String key, long value, String unit) {
        labelKey.add(key);
        labelStr.add(null);
        labelNum.add(value);
        labelUnit.add(unit);
    }

    /** Adds a location (by index, leaf first) to the sample being built. */
    public void addSampleLocation(int locationIndex) {
        sampleLocs.add(locationIndex);
    }

    /** Closes the sample whose locations and labels were just added. */
    public void endSample(long... sampleValues) {
        for (long v : sampleValues) {
            values.add(v);
        }
        locStart.add(sampleLocs.size());
        labelStart.add(labelKey.size());
    }

    /** Adds v to the values of an already closed sample (merging samples with equal stacks and labels). */
    public void addToSample(int sample, long[] v) {
        int k = v.length;
        for (int j = 0; j < k; j++) {
            values.set(sample * k + j, values.get(sample * k + j) + v[j]);
        }
    }

    public int sampleCount() {
        return locStart.size() - 1;
    }

    public Profile build() {
        int n = locId.size();
        boolean[] folded = new boolean[n];
        for (int i = 0; i < n; i++) {
            folded[i] = locFolded.get(i);
        }
        FunctionTable functions = new FunctionTable(funcId.toArray(), funcName.toArray(String[]::new),
                funcSystemName.toArray(String[]::new), funcFilename.toArray(String[]::new), funcStartLine.toArray());
        LocationTable locations = new LocationTable(locId.toArray(), locMapping.toArray(), locAddress.toArray(),
                folded, lineStart.toArray(), lineFunction.toArray(), lineNumber.toArray(), lineColumn.toArray());
        int k = sampleTypes.size();
        if ((long) sampleCount() * k != values.size()) {
            throw new IllegalStateException("samples carry " + values.size() + " values for " + sampleCount()
                    + " samples of " + k + " types");
        }
        SampleTable samples = new SampleTable(k, values.toArray(), locStart.toArray(), sampleLocs.toArray(),
                labelStart.toArray(), labelKey.toArray(String[]::new), labelStr.toArray(String[]::new),
                labelNum.toArray(), labelUnit.toArray(String[]::new));
        return new Profile(kind, sampleTypes, periodType, period, timeNanos, durationNanos, comments, dropFrames,
                keepFrames, defaultSampleType, docUrl, mappings, functions, locations, samples);
    }
}
