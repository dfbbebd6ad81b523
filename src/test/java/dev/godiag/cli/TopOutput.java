package dev.godiag.cli;

import java.util.ArrayList;
import java.util.List;

/** Helpers to compare pprof -top text. */
final class TopOutput {
    private TopOutput() {
    }

    /**
     * pprof's sort treats rows with equal flat and equal printed name as equal (they arise at
     * -files granularity, where one file is several nodes) and leaves them in map order, which
     * changes from run to run. Sorting the lines of each such group makes outputs comparable.
     * When the node count cuts through such a group, which of its rows pprof shows is random too,
     * so the rows of the last group are reduced to their shared part (flat and name).
     */
    static String normalizeTies(String text) {
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
        if (cut && end - header > 2 && tieKey(lines[end - 1]).equals(tieKey(lines[end - 2]))) {
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
            String key = lines[i].isEmpty() ? null : tieKey(lines[i]);
            if (key == null || !key.equals(groupKey)) {
                flush(out, group, false);
                groupKey = key;
            }
            if (key == null) {
                out.add(lines[i]);
            } else {
                group.add(lines[i]);
            }
        }
        flush(out, group, cut);
        return String.join("\n", out);
    }

    private static void flush(List<String> out, List<String> group, boolean lastOfCut) {
        if (group.size() > 1 && lastOfCut) {
            for (String l : group) {
                out.add(tieKey(l) + " (tie)");
            }
        } else {
            // sum% belongs to the position, not the row: sort the rest, keep sum% in place
            List<String> sums = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (String l : group) {
                boolean row = l.length() > 24;
                sums.add(row ? l.substring(17, 24) : "");
                rest.add(row ? l.substring(0, 17) + l.substring(24) : l);
            }
            rest.sort(null);
            for (int i = 0; i < rest.size(); i++) {
                String r = rest.get(i);
                out.add(r.length() > 17 ? r.substring(0, 17) + sums.get(i) + r.substring(17) : r);
            }
        }
        group.clear();
    }

    /** flat column and name: the part pprof's ordering looks at. */
    private static String tieKey(String row) {
        if (row.length() < 55) {
            return row;
        }
        String flat = row.substring(0, 10).strip();
        String name = row.substring(54).replace(" (inline)", "").replace(" (partial-inline)", "");
        return flat + "|" + name;
    }
}
