package dev.godiag.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A text table of cells that may span columns, each with a left margin and an alignment, laid out
 * as benchstat's texttab lays out its tables: single-column cells size their columns, then spanning
 * cells widen the non-shrinking columns they cover, widest first; blank cells print nothing.
 *
 * <p>The table is never held: its rows are emitted twice, once to measure the columns and once to
 * write them, so a table of millions of rows costs its column widths, not its cells.
 */
final class TextTable {
    enum Align { LEFT, CENTER, RIGHT }

    /** Emits the table's rows and cells; called once per pass, and must emit the same cells each time. */
    interface Rows {
        void emit(TextTable t);
    }

    /** A cell spanning several columns, as measured: sized after the single-column cells. */
    private record Spanning(int col, int span, int width) {
    }

    /** Measures the rows, then writes them to out. */
    static void write(Rows rows, Appendable out) throws IOException {
        TextTable t = new TextTable();
        rows.emit(t);
        t.layout();
        t.out = out;
        t.restart();
        try {
            rows.emit(t);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (t.any) {
            out.append('\n');
        }
    }

    // measuring: per column the widest single-column cell (-1 for none) and the widest left margin
    private int[] single = new int[0];
    private int[] lmargin = new int[0];
    private boolean[] shrink = new boolean[0];
    private final List<Spanning> spanning = new ArrayList<>();
    private int cols;
    // writing: the layout, and where the writing stands
    private Appendable out;
    private int[] offs;
    private int writtenRow;
    private int off;
    // both passes: the position of the next cell
    private boolean any;
    private int curRow;
    private int curCol;

    private TextTable() {
    }

    private void restart() {
        any = false;
        curRow = 0;
        curCol = 0;
        writtenRow = 0;
        off = 0;
    }

    TextTable row() {
        if (any) {
            curRow++;
        }
        curCol = 0;
        return this;
    }

    TextTable col(int c) {
        if (c < curCol) {
            throw new IllegalStateException("column " + c + " before " + curCol);
        }
        curCol = c;
        return this;
    }

    int curCol() {
        return curCol;
    }

    TextTable cell(String value, Align align, String margin) {
        return span(1, value, align, margin);
    }

    TextTable cell(String value) {
        return span(1, value, Align.LEFT, null);
    }

    TextTable span(int n, String value, Align align, String margin) {
        String m = margin != null ? margin : (curCol == 0 || value.isEmpty() ? "" : " ");
        int width = len(value);
        if (out == null) {
            measure(n, width, len(m));
        } else {
            try {
                print(n, value, width, m, align);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        any = true;
        curCol += n;
        return this;
    }

    void setShrink(int c) {
        if (out == null) {
            grow(c + 1);
            shrink[c] = true;
        }
    }

    private void grow(int n) {
        if (n > single.length) {
            int old = single.length;
            int size = Math.max(n, old * 2);
            single = Arrays.copyOf(single, size);
            Arrays.fill(single, old, size, -1);
            lmargin = Arrays.copyOf(lmargin, size);
            shrink = Arrays.copyOf(shrink, size);
        }
        cols = Math.max(cols, n);
    }

    private void measure(int n, int width, int marginLen) {
        grow(curCol + n);
        lmargin[curCol] = Math.max(lmargin[curCol], marginLen);
        if (n == 1) {
            single[curCol] = Math.max(single[curCol], width);
        } else {
            spanning.add(new Spanning(curCol, n, width));
        }
    }

    /** Column offsets: single-column cells first, then spanning cells by span (stable), as texttab does. */
    private void layout() {
        int[] ws = new int[cols];
        for (int c = 0; c < cols; c++) {
            ws[c] = single[c] < 0 ? 0 : single[c] + lmargin[c];
        }
        List<Spanning> bySpan = new ArrayList<>(spanning);
        bySpan.sort(Comparator.comparingInt(Spanning::span)); // stable, as Go's sort.Slice is not; spans rarely tie in effect
        for (Spanning s : bySpan) {
            int w = s.width + lmargin[s.col];
            int tw = 0;
            for (int k = s.col; k < s.col + s.span; k++) {
                tw += ws[k];
            }
            if (tw >= w) {
                continue;
            }
            List<Integer> spanCols = new ArrayList<>();
            for (int k = s.col; k < s.col + s.span; k++) {
                if (shrink[k]) {
                    w -= ws[k];
                } else {
                    spanCols.add(k);
                }
            }
            spanCols.sort((a, b) -> Integer.compare(ws[b], ws[a]));
            int span = spanCols.size();
            for (int k : spanCols) {
                int avg = (w + span - 1) / span; // Go truncates toward zero
                ws[k] = Math.max(ws[k], avg);
                w -= ws[k];
                span--;
            }
        }
        offs = new int[cols + 1];
        int o = 0;
        for (int i = 0; i < cols; i++) {
            offs[i] = o;
            o += ws[i];
        }
        offs[cols] = o;
    }

    private void print(int n, String value, int width, String margin, Align align) throws IOException {
        if (value.isBlank() && margin.isBlank()) {
            return;
        }
        while (curRow > writtenRow) {
            out.append('\n');
            writtenRow++;
            off = 0;
        }
        int marginLen = len(margin);
        spaces(offs[curCol] - off); // none when the row already runs past the column
        spaces(lmargin[curCol] - marginLen);
        out.append(margin);
        off = offs[curCol] + lmargin[curCol];
        int tw = offs[curCol + n] - offs[curCol] - lmargin[curCol];
        int pad = switch (align) {
            case LEFT -> 0;
            case CENTER -> Math.max(0, (tw - width) / 2);
            case RIGHT -> Math.max(0, tw - width);
        };
        spaces(pad);
        out.append(value);
        off += pad + width;
    }

    private void spaces(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            out.append(' ');
        }
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
