package dev.godiag.format.pprof.legacy;

import dev.godiag.util.IntList;

import java.nio.charset.StandardCharsets;

/** The lines of the data from an offset, split as Go's bufio.ScanLines splits them. */
final class LineIndex {
    private final byte[] data;
    private final int[] start;
    private final int[] end;

    LineIndex(byte[] data, int from) {
        this.data = data;
        IntList s = new IntList();
        IntList e = new IntList();
        int p = from;
        while (p < data.length) {
            int nl = p;
            while (nl < data.length && data[nl] != '\n') {
                nl++;
            }
            s.add(p);
            e.add(nl);
            p = nl + 1;
        }
        start = s.toArray();
        end = e.toArray();
    }

    /** A fresh cursor before the first line. */
    Lines lines() {
        return new Lines(this);
    }

    int count() {
        return start.length;
    }

    int length(int i) {
        return end[i] - start[i];
    }

    /** Line i without its "\r\n" or "\n", as ScanLines drops both. */
    String text(int i) {
        int e = end[i];
        if (e > start[i] && data[e - 1] == '\r') {
            e--;
        }
        return new String(data, start[i], e - start[i], StandardCharsets.UTF_8);
    }
}
