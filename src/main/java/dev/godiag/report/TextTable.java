package dev.godiag.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A text table of cells that may span columns, each with a left margin and an alignment, laid out
 * as benchstat's texttab lays out its tables: single-column cells size their columns, then spanning
 * cells widen the non-shrinking columns they cover, widest first; blank cells print nothing.
 */
final class TextTable {
    enum Align { LEFT, CENTER, RIGHT }

    /** A cell; its width in code points counted once. */
    private record Cell(int row, int col, int span, String value, String margin, Align align, int width) {
    }

    private final List<Cell> cells = new ArrayList<>();
    private final List<Boolean> shrink = new ArrayList<>();
    private int cols;
    private int curRow;
    private int curCol;

    TextTable row() {
        if (!cells.isEmpty()) {
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
        cells.add(new Cell(curRow, curCol, n, value, m, align, len(value)));
        curCol += n;
        cols = Math.max(cols, curCol);
        return this;
    }

    void setShrink(int c) {
        while (shrink.size() <= c) {
            shrink.add(false);
        }
        shrink.set(c, true);
    }

    private boolean shrinks(int c) {
        return c < shrink.size() && shrink.get(c);
    }

    private static void spaces(StringBuilder out, int n) {
        for (int i = 0; i < n; i++) {
            out.append(' ');
        }
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }

    String format() {
        int[] lmargin = new int[cols];
        for (Cell c : cells) {
            lmargin[c.col] = Math.max(lmargin[c.col], len(c.margin));
        }
        int[] ws = new int[cols];
        List<Cell> bySpan = new ArrayList<>(cells);
        bySpan.sort(Comparator.comparingInt(Cell::span)); // stable, as Go's sort.Slice is not; spans rarely tie in effect
        for (Cell c : bySpan) {
            int w = c.width + lmargin[c.col];
            if (c.span == 1) {
                ws[c.col] = Math.max(ws[c.col], w);
                continue;
            }
            int tw = 0;
            for (int k = c.col; k < c.col + c.span; k++) {
                tw += ws[k];
            }
            if (tw >= w) {
                continue;
            }
            List<Integer> spanCols = new ArrayList<>();
            for (int k = c.col; k < c.col + c.span; k++) {
                if (shrinks(k)) {
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
        int[] offs = new int[cols + 1];
        int off = 0;
        for (int i = 0; i < cols; i++) {
            offs[i] = off;
            off += ws[i];
        }
        offs[cols] = off;
        List<Cell> byPos = new ArrayList<>(cells);
        byPos.sort(Comparator.comparingInt(Cell::row).thenComparingInt(Cell::col));
        StringBuilder out = new StringBuilder();
        int row = 0;
        off = 0;
        for (Cell c : byPos) {
            if (c.value.isBlank() && c.margin.isBlank()) {
                continue;
            }
            while (c.row > row) {
                out.append('\n');
                row++;
                off = 0;
            }
            int spaces = offs[c.col] - off;
            spaces(out, spaces);
            spaces(out, lmargin[c.col] - len(c.margin));
            out.append(c.margin);
            off += spaces + lmargin[c.col];
            int tw = offs[c.col + c.span] - offs[c.col] - lmargin[c.col];
            int pad = switch (c.align) {
                case LEFT -> 0;
                case CENTER -> Math.max(0, (tw - c.width) / 2);
                case RIGHT -> Math.max(0, tw - c.width);
            };
            spaces(out, pad);
            out.append(c.value);
            off += pad + c.width;
        }
        if (!cells.isEmpty()) {
            out.append('\n');
        }
        return out.toString();
    }
}
