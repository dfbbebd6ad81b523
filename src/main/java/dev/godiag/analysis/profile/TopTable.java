package dev.godiag.analysis.profile;

import dev.godiag.util.Units;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rows of a top report, selected, trimmed and ordered exactly as pprof's text report does:
 * nodes whose |cum| falls below nodeFraction of the total are dropped, the rest sorted by flat
 * (or cum) then name, the first nodeCount kept, and the output unit chosen from the smallest
 * value shown.
 */
public final class TopTable {
    /** One row: the node, its printable name, values and pprof's inline marker. */
    public record Row(NodeInfo info, String name, long flat, long cum, String inlineLabel) {
    }

    /**
     * @param total        the report total (pprof's rpt.total: before focus, diff-base aware)
     * @param shownTotal   sum of flat over the rows shown
     * @param droppedNodes nodes dropped for falling below the node fraction
     * @param origCount    nodes left after that, before the node count limit
     * @param outputUnit   the unit values are shown in (resolved from "minimum")
     * @param ratio        values are shown multiplied by this
     */
    public record Result(List<Row> rows, long total, long shownTotal, int droppedNodes, int origCount,
                         String outputUnit, double ratio) {
    }

    /**
     * @param nodeCount    rows to show at most (0: all)
     * @param nodeFraction drop nodes with |cum| below this share of the graph total
     * @param edgeFraction drop edges below this share (affects only inline markers)
     * @param cumSort      order by cum instead of flat
     * @param dropNegative leave out nodes with negative values (diff profiles)
     * @param outputUnit   "minimum" (pprof's default: choose), or a unit name
     * @param ratio        values are shown multiplied by this (pprof's 1/-divide_by)
     */
    public record Options(int nodeCount, double nodeFraction, double edgeFraction, boolean cumSort,
                          boolean dropNegative, String outputUnit, double ratio) {
        public static final Options PPROF_TOP = new Options(0, 0.005, 0.001, false, false, "minimum", 1);
    }

    private TopTable() {
    }

    public static Result compute(NodeGraph g, long total, String sampleUnit, Options o) {
        int n = g.size();
        String[] names = new String[n];
        // the graph: nodes with any value (and non-negative ones if asked)
        boolean[] inGraph = new boolean[n];
        long totalValue = 0;
        for (int i = 0; i < n; i++) {
            if (g.cum[i] == 0 && g.flat[i] == 0) {
                continue;
            }
            if (o.dropNegative() && isNegative(g.flat[i], g.cum[i])) {
                continue;
            }
            inGraph[i] = true;
            totalValue += g.flat[i];
        }
        long nodeCutoff = Math.abs((long) ((double) totalValue * o.nodeFraction()));
        long edgeCutoff = Math.abs((long) ((double) totalValue * o.edgeFraction()));

        boolean[] kept = null; // null: the graph was built over all nodes
        int droppedNodes = 0;
        List<Integer> selected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (inGraph[i]) {
                selected.add(i);
            }
        }
        if (nodeCutoff > 0) {
            List<Integer> above = new ArrayList<>();
            for (int i : selected) {
                if (Math.abs(g.cum[i]) >= nodeCutoff) {
                    above.add(i);
                }
            }
            if (above.size() != selected.size()) {
                droppedNodes = selected.size() - above.size();
                selected = above;
                kept = mark(n, selected);
            }
        }
        int origCount = selected.size();
        for (int i : selected) {
            names[i] = g.nodes[i].printableName();
        }
        Comparator<Integer> order = o.cumSort() ? cumOrder(g, names) : flatOrder(g, names);
        selected.sort(order);
        if (o.nodeCount() > 0 && o.nodeCount() < selected.size()) {
            selected = new ArrayList<>(selected.subList(0, o.nodeCount()));
            kept = mark(n, selected);
        }
        boolean[] shown = mark(n, selected);
        byte[] markers = g.inlineMarkers(kept, shown, edgeCutoff);
        List<Row> rows = new ArrayList<>(selected.size());
        long shownTotal = 0;
        for (int i : selected) {
            String inl = markers[i] == 1 ? "(inline)" : markers[i] == 2 ? "(partial-inline)" : "";
            // sorted and trimmed by the sums, shown as values (means, with -mean), as pprof does
            rows.add(new Row(g.nodes[i], names[i], g.flatValue(i), g.cumValue(i), inl));
            shownTotal += g.flatValue(i);
        }
        return new Result(List.copyOf(rows), total, shownTotal, droppedNodes, origCount,
                selectOutputUnit(rows, total, sampleUnit, o.outputUnit(), o.ratio()), o.ratio());
    }

    private static boolean[] mark(int n, List<Integer> nodes) {
        boolean[] m = new boolean[n];
        for (int i : nodes) {
            m[i] = true;
        }
        return m;
    }

    private static boolean isNegative(long flat, long cum) {
        return flat < 0 || flat == 0 && cum < 0;
    }

    /*
     * pprof's orders: |flat| (or |cum|), then printed name, then the other value, then the
     * NodeInfo's Sprint. Two different nodes with the same printed name (at -files, one per
     * function start line in a file) are never ordered by pprof: its name comparison calls them
     * neither equal nor less, so the sort leaves them in the order its node map was iterated,
     * which Go randomizes on every run. Here such rows follow the remaining keys, so that the
     * output is the same every time; their set and their place in the table are pprof's.
     */
    private static Comparator<Integer> flatOrder(NodeGraph g, String[] names) {
        return (a, b) -> {
            long fa = Math.abs(g.flat[a]);
            long fb = Math.abs(g.flat[b]);
            if (fa != fb) {
                return fa > fb ? -1 : 1;
            }
            int c = NodeInfo.comparePrintable(g.nodes[a], names[a], g.nodes[b], names[b]);
            if (c != 0) {
                return c;
            }
            long ca = Math.abs(g.cum[a]);
            long cb = Math.abs(g.cum[b]);
            if (ca != cb) {
                return ca > cb ? -1 : 1;
            }
            return dev.godiag.util.GoFormat.compareGo(g.nodes[a].goSprint(), g.nodes[b].goSprint());
        };
    }

    private static Comparator<Integer> cumOrder(NodeGraph g, String[] names) {
        return (a, b) -> {
            long ca = Math.abs(g.cum[a]);
            long cb = Math.abs(g.cum[b]);
            if (ca != cb) {
                return ca > cb ? -1 : 1;
            }
            int c = NodeInfo.comparePrintable(g.nodes[a], names[a], g.nodes[b], names[b]);
            if (c != 0) {
                return c;
            }
            long fa = Math.abs(g.flat[a]);
            long fb = Math.abs(g.flat[b]);
            if (fa != fb) {
                return fa > fb ? -1 : 1;
            }
            return dev.godiag.util.GoFormat.compareGo(g.nodes[a].goSprint(), g.nodes[b].goSprint());
        };
    }

    /** pprof's selectOutputUnit: the unit of the smallest shown value, unless that is 100x below the total. */
    static String selectOutputUnit(List<Row> rows, long total, String sampleUnit, String outputUnit, double ratio) {
        if (!outputUnit.equals("minimum") || rows.isEmpty()) {
            return outputUnit;
        }
        long minValue = 0;
        for (Row r : rows) {
            long nodeMin = Math.abs(r.flat());
            if (nodeMin == 0) {
                nodeMin = Math.abs(r.cum());
            }
            if (nodeMin > 0 && (minValue == 0 || nodeMin < minValue)) {
                minValue = nodeMin;
            }
        }
        long maxValue = total;
        if (minValue == 0) {
            minValue = maxValue;
        }
        if (ratio > 0 && ratio != 1) {
            minValue = (long) ((double) minValue * ratio);
            maxValue = (long) ((double) maxValue * ratio);
        }
        String minUnit = Units.scale(minValue, sampleUnit, "minimum").unit();
        String maxUnit = Units.scale(maxValue, sampleUnit, "minimum").unit();
        String unit = minUnit;
        if (!minUnit.equals(maxUnit) && minValue * 100 < maxValue) {
            unit = Units.scale(100 * minValue, sampleUnit, "minimum").unit();
        }
        return unit.isEmpty() ? sampleUnit : unit;
    }
}
