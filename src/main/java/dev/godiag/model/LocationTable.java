package dev.godiag.model;

/**
 * The locations of a profile, columnar. Location {@code i} owns lines
 * {@code lineStart[i] .. lineStart[i+1]-1}; line 0 of a location is the innermost (inlined)
 * frame and the last one its outermost caller, as in profile.proto.
 */
public final class LocationTable {
    public final long[] id;
    /** Index into {@link Profile#mappings}, or -1. */
    public final int[] mapping;
    public final long[] address;
    public final boolean[] folded;
    public final int[] lineStart;
    /** Index into {@link Profile#functions} per line, or -1 when the line names no function. */
    public final int[] lineFunction;
    public final long[] lineNumber;
    public final long[] lineColumn;

    public LocationTable(long[] id, int[] mapping, long[] address, boolean[] folded, int[] lineStart,
                         int[] lineFunction, long[] lineNumber, long[] lineColumn) {
        int n = id.length;
        if (mapping.length != n || address.length != n || folded.length != n || lineStart.length != n + 1) {
            throw new IllegalArgumentException("location columns differ in length");
        }
        int lines = lineStart[n];
        if (lineFunction.length != lines || lineNumber.length != lines || lineColumn.length != lines) {
            throw new IllegalArgumentException("line columns differ in length");
        }
        this.id = id;
        this.mapping = mapping;
        this.address = address;
        this.folded = folded;
        this.lineStart = lineStart;
        this.lineFunction = lineFunction;
        this.lineNumber = lineNumber;
        this.lineColumn = lineColumn;
    }

    public int size() {
        return id.length;
    }

    public int lineCount(int loc) {
        return lineStart[loc + 1] - lineStart[loc];
    }
}
