package dev.godiag.analysis.profile;

import dev.godiag.model.LocationTable;
import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

/**
 * Rewrites which lines each location keeps (hide, show, show_from and pruning cut inlined
 * frames out of locations), producing a new {@link LocationTable}.
 */
final class LocationLines {
    private LocationLines() {
    }

    /** Decides, per location, which of its lines survive. */
    interface LineSelector {
        /**
         * Fills {@code keep} (indexed from 0 for the location's first line) and returns true if the
         * location changed at all.
         */
        boolean select(int loc, int first, int count, boolean[] keep);
    }

    static LocationTable rewrite(LocationTable t, LineSelector selector) {
        int n = t.size();
        IntList starts = new IntList(n + 1);
        IntList fn = new IntList(t.lineFunction.length);
        LongList line = new LongList(t.lineFunction.length);
        LongList col = new LongList(t.lineFunction.length);
        boolean[] keep = new boolean[16];
        boolean changed = false;
        starts.add(0);
        for (int l = 0; l < n; l++) {
            int first = t.lineStart[l];
            int count = t.lineStart[l + 1] - first;
            if (keep.length < count) {
                keep = new boolean[count * 2];
            }
            java.util.Arrays.fill(keep, 0, count, true);
            changed |= selector.select(l, first, count, keep);
            for (int i = 0; i < count; i++) {
                if (keep[i]) {
                    fn.add(t.lineFunction[first + i]);
                    line.add(t.lineNumber[first + i]);
                    col.add(t.lineColumn[first + i]);
                }
            }
            starts.add(fn.size());
        }
        if (!changed) {
            return t;
        }
        return new LocationTable(t.id, t.mapping, t.address, t.folded, starts.toArray(), fn.toArray(),
                line.toArray(), col.toArray());
    }
}
