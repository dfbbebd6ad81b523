package dev.godiag.cli;

import java.util.ArrayList;
import java.util.List;

/** Helpers to compare pprof -top text. */
final class TopOutput {
    /** Where the columns of a row start: flat, sum%, cum, the name. */
    private static final int SUM = 17;
    private static final int CUM = 24;
    private static final int NAME = 44;

    private TopOutput() {
    }

    /** {@link #normalizeTies(String, boolean)} for a report sorted by flat. */
    static String normalizeTies(String text) {
        return normalizeTies(text, false);
    }

    /**
     * pprof's sort compares rows by the sort column (flat, or cum with -cum), then by printed
     * name; two different nodes with the same printed name (one file is several nodes at -files
     * granularity, one per function start line) are neither less nor equal to it, so such a group
     * keeps the order pprof's node map happened to produce, which changes from run to run. Only
     * those groups are made comparable: their rows are sorted. The sum% of a row belongs to its
     * position: sorted by flat, every row of a group has the same flat and the sum% column stays;
     * sorted by cum, the rows' flats differ and only the group's last sum% is fixed.
     * When the node count cuts through such a group, which of its rows pprof shows is random too,
     * so the rows of the last group are reduced to their shared part (sort value and name).
     */
    static String normalizeTies(String text, boolean cumSort) {
        String[] lines = text.split("\n", -1);
        int header = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("      flat  flat%")) {
                header = i;
                break;
            }
        }
        if (header < 0) {
            return text;
        }
        boolean cut = text.contains("\nShowing top ");
        int end = lines.length;
        while (end > header + 1 && lines[end - 1].isEmpty()) {
            end--;
        }
        if (cut && end - header > 2 && tieKey(lines[end - 1], cumSort).equals(tieKey(lines[end - 2], cumSort))) {
            // the node count cut through a tie group: which nodes were kept is random in pprof, and the
            // inline markers of other rows depend on that choice (through residual edges)
            for (int i = header + 1; i < end; i++) {
                lines[i] = lines[i].replace(" (partial-inline)", "").replace(" (inline)", "");
            }
        }
        lines = java.util.Arrays.copyOf(lines, end);
        List<String> out = new ArrayList<>(List.of(lines).subList(0, header + 1));
        List<String> group = new ArrayList<>();
        String groupKey = null;
        for (int i = header + 1; i < lines.length; i++) {
            String key = lines[i].isEmpty() ? null : tieKey(lines[i], cumSort);
            if (key == null || !key.equals(groupKey)) {
                flush(out, group, false, cumSort);
                groupKey = key;
            }
            if (key == null) {
                out.add(lines[i]);
            } else {
                group.add(lines[i]);
            }
        }
        flush(out, group, cut, cumSort);
        return String.join("\n", out);
    }

    private static void flush(List<String> out, List<String> group, boolean lastOfCut, boolean cumSort) {
        if (group.size() > 1 && lastOfCut) {
            for (String l : group) {
                out.add(tieKey(l, cumSort) + " (tie)");
            }
        } else {
            List<String> sums = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (String l : group) {
                boolean row = l.length() > CUM;
                sums.add(row ? l.substring(SUM, CUM) : "");
                rest.add(row ? l.substring(0, SUM) + l.substring(CUM) : l);
            }
            rest.sort(null);
            for (int i = 0; i < rest.size(); i++) {
                String r = rest.get(i);
                // by cum, only the sum% after the whole group does not depend on the group's order
                String sum = cumSort && i < rest.size() - 1 ? " (tie) " : sums.get(i);
                out.add(r.length() > SUM ? r.substring(0, SUM) + sum + r.substring(SUM) : r);
            }
        }
        group.clear();
    }

    /** The sort column and the name: the part pprof's ordering looks at. */
    private static String tieKey(String row, boolean cumSort) {
        if (row.length() <= NAME) {
            return row;
        }
        String value = cumSort ? row.substring(CUM, CUM + 11).strip() : row.substring(0, 10).strip();
        String name = row.substring(NAME).replace(" (inline)", "").replace(" (partial-inline)", "");
        return value + "|" + name;
    }
}
