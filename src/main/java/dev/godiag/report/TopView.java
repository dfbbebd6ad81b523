package dev.godiag.report;

import dev.godiag.analysis.profile.TopTable;
import dev.godiag.util.Units;
import dev.godiag.model.Profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a top report shows, computed once: header lines as pprof writes them and rows with
 * raw and formatted values. Renderers (text, JSON) only lay it out.
 *
 * @param legend      pprof's header lines: profile labels, active filters, "Showing nodes...",
 *                    "Dropped...", "Showing top..."
 * @param sampleType  the sample type shown
 * @param sampleUnit  the sample type's unit
 * @param outputUnit  the unit values are printed in
 * @param warnings    notes for stderr (filters that matched nothing)
 */
public record TopView(String kind, List<String> legend, String sampleType, String sampleUnit, String outputUnit,
                      long total, long shownTotal, int droppedNodes, long nodeCutoff, int nodesAfterCutoff,
                      List<String> filters, List<Line> rows, List<String> warnings) {

    /** One row with its raw values and pprof's formatted columns. */
    public record Line(TopTable.Row row, long flatSum, String flat, String flatPercent, String sumPercent, String cum,
                       String cumPercent) {
    }

    /**
     * @param p          the profile as reported (after merging, before filters)
     * @param sampleIdx  index of the sample type shown
     * @param mean       values are means (pprof's -mean): the type is shown as "mean_TYPE"
     * @param filters    "key=value" of the active filters
     * @param nodeFraction pprof's node fraction, for the "Dropped" line
     * @param compactLabels leave out the profile's header lines (pprof's -compact_labels)
     */
    public static TopView of(Profile p, int sampleIdx, boolean mean, TopTable.Result r, List<String> filters,
                             double nodeFraction, boolean compactLabels, List<String> warnings) {
        String sampleType = (mean ? "mean_" : "") + p.sampleTypes().get(sampleIdx).type();
        String sampleUnit = p.sampleTypes().get(sampleIdx).unit();
        String unit = r.outputUnit();
        double ratio = r.ratio();
        java.util.function.LongFunction<String> fmt = ratio > 0 && ratio != 1
                ? v -> Units.scaledLabel((long) ((double) v * ratio), sampleUnit, unit)
                : v -> Units.scaledLabel(v, sampleUnit, unit);
        long total = r.total();
        List<String> legend = new ArrayList<>(compactLabels ? List.of()
                : ProfileLegend.lines(p, sampleType, sampleUnit, total, fmt));
        if (!filters.isEmpty()) {
            legend.add("Active filters:");
            for (String f : filters) {
                legend.add("   " + truncate(f));
            }
        }
        legend.add("Showing nodes accounting for " + fmt.apply(r.shownTotal()) + ", "
                + Units.percentage(r.shownTotal(), total).strip() + " of " + fmt.apply(total) + " total");
        long cutoff = Math.abs((long) ((double) total * nodeFraction));
        if (total != 0) {
            if (r.droppedNodes() > 0) {
                legend.add("Dropped " + r.droppedNodes() + " node" + (r.droppedNodes() > 1 ? "s" : "")
                        + " (cum <= " + fmt.apply(cutoff) + ")");
            }
            int shown = r.rows().size();
            if (shown > 0 && shown < r.origCount()) {
                legend.add("Showing top " + shown + " nodes out of " + r.origCount());
            }
        }
        List<Line> lines = new ArrayList<>(r.rows().size());
        long flatSum = 0;
        for (TopTable.Row row : r.rows()) {
            flatSum += row.flat();
            lines.add(new Line(row, flatSum, fmt.apply(row.flat()), Units.percentage(row.flat(), total),
                    Units.percentage(flatSum, total), fmt.apply(row.cum()), Units.percentage(row.cum(), total)));
        }
        return new TopView(p.kind(), List.copyOf(legend), sampleType, sampleUnit, unit, total, r.shownTotal(),
                r.droppedNodes(), cutoff, r.origCount(), List.copyOf(filters), List.copyOf(lines),
                List.copyOf(warnings));
    }

    /** pprof cuts long filter expressions at 80 bytes and appends an ellipsis. */
    private static String truncate(String f) {
        byte[] b = f.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length <= 80) {
            return f;
        }
        return new String(b, 0, 80, java.nio.charset.StandardCharsets.UTF_8) + "…";
    }
}
