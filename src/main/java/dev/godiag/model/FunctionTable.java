package dev.godiag.model;

/**
 * The functions of a profile, columnar: entry {@code i} is described by {@code id[i]},
 * {@code name[i]}, ... Arrays are shared, never mutated after construction.
 */
public final class FunctionTable {
    public final long[] id;
    public final String[] name;
    public final String[] systemName;
    public final String[] filename;
    public final long[] startLine;

    public FunctionTable(long[] id, String[] name, String[] systemName, String[] filename, long[] startLine) {
        int n = id.length;
        if (name.length != n || systemName.length != n || filename.length != n || startLine.length != n) {
            throw new IllegalArgumentException("function columns differ in length");
        }
        this.id = id;
        this.name = name;
        this.systemName = systemName;
        this.filename = filename;
        this.startLine = startLine;
    }

    public int size() {
        return id.length;
    }
}
