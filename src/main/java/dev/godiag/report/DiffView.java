package dev.godiag.report;

import dev.godiag.analysis.profile.ProfileDiff;
import dev.godiag.util.Units;
import dev.godiag.util.GoFormat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything a diff report shows, computed once: the header and four sections (gainers and losers
 * by flat and by cum) with raw and formatted values. Renderers only lay it out.
 *
 * @param baseName   BASE as given on the command line
 * @param newName    NEW as given
 * @param outputUnit the unit the formatted values are in
 * @param header     the header lines of the text report
 * @param sections   gainers by flat, losers by flat, gainers by cum, losers by cum
 * @param rows       the rows of all sections, each once, in the result's order (for JSON)
 */
public record DiffView(ProfileDiff.Result result, String baseName, String newName, String outputUnit,
                       List<String> header, List<Section> sections, List<ProfileDiff.Row> rows) {

    /** One list of rows: "Top gainers by flat"... */
    public record Section(String title, boolean cum, List<Line> lines) {
    }

    /** A row as shown in a section: the section's measure (flat or cum) formatted. */
    public record Line(ProfileDiff.Row row, String base, String neu, String delta, String relative) {
    }

    /**
     * @param nodeCount  rows per section at most (0: all)
     * @param outputUnit "minimum" (choose as top does) or a unit name
     */
    public static DiffView of(ProfileDiff.Result r, String baseName, String newName, int nodeCount,
                              String outputUnit) {
        List<ProfileDiff.Row> gf = ProfileDiff.top(r.rows(), false, true, nodeCount);
        List<ProfileDiff.Row> lf = ProfileDiff.top(r.rows(), false, false, nodeCount);
        List<ProfileDiff.Row> gc = ProfileDiff.top(r.rows(), true, true, nodeCount);
        List<ProfileDiff.Row> lc = ProfileDiff.top(r.rows(), true, false, nodeCount);
        Set<ProfileDiff.Row> inAny = new LinkedHashSet<>();
        inAny.addAll(gf);
        inAny.addAll(lf);
        inAny.addAll(gc);
        inAny.addAll(lc);
        List<Long> shown = new ArrayList<>();
        for (ProfileDiff.Row row : gf) {
            shown.addAll(List.of(row.baseFlat(), row.newFlat(), row.flatDelta()));
        }
        for (ProfileDiff.Row row : lf) {
            shown.addAll(List.of(row.baseFlat(), row.newFlat(), row.flatDelta()));
        }
        for (ProfileDiff.Row row : gc) {
            shown.addAll(List.of(row.baseCum(), row.newCum(), row.cumDelta()));
        }
        for (ProfileDiff.Row row : lc) {
            shown.addAll(List.of(row.baseCum(), row.newCum(), row.cumDelta()));
        }
        String unit = ProfileDiff.outputUnit(shown.stream().mapToLong(Long::longValue).toArray(), r.baseTotal(),
                r.newTotal(), r.unit(), outputUnit);
        List<Section> sections = List.of(
                section("Top gainers by flat", false, gf, r.unit(), unit),
                section("Top losers by flat", false, lf, r.unit(), unit),
                section("Top gainers by cum", true, gc, r.unit(), unit),
                section("Top losers by cum", true, lc, r.unit(), unit));
        List<String> header = new ArrayList<>();
        header.add("Type: " + r.sampleType());
        header.add("Base: " + baseName + ", total " + Units.scaledLabel(r.baseTotal(), r.unit(), unit));
        String newLine = "New:  " + newName + ", total " + Units.scaledLabel(r.newTotalRaw(), r.unit(), unit);
        if (r.normalized()) {
            newLine += ", normalized to the base's total (x" + factor(r.scale()) + ")";
        }
        header.add(newLine);
        long change = r.newTotalRaw() - r.baseTotal();
        header.add("Total change: " + sign(Units.scaledLabel(change, r.unit(), unit)) + " ("
                + relative(change, r.baseTotal(), r.newTotalRaw()) + "), " + r.rows().size() + " nodes changed"
                + (r.normalized() ? " (values of NEW below are normalized; --normalize=false for absolute)" : ""));
        List<ProfileDiff.Row> rows = r.rows().stream().filter(inAny::contains).toList();
        return new DiffView(r, baseName, newName, unit, List.copyOf(header), sections, rows);
    }

    private static Section section(String title, boolean cum, List<ProfileDiff.Row> rows, String sampleUnit,
                                   String unit) {
        List<Line> lines = new ArrayList<>();
        for (ProfileDiff.Row row : rows) {
            long b = cum ? row.baseCum() : row.baseFlat();
            long n = cum ? row.newCum() : row.newFlat();
            lines.add(new Line(row, Units.scaledLabel(b, sampleUnit, unit), Units.scaledLabel(n, sampleUnit, unit),
                    sign(Units.scaledLabel(n - b, sampleUnit, unit)), relative(n - b, b, n)));
        }
        return new Section(title, cum, List.copyOf(lines));
    }

    private static String sign(String label) {
        return label.startsWith("-") || label.equals("0") ? label : "+" + label;
    }

    /** The change in percent of base: "+12.5%", "-100%" never (that is "gone"), "new" when base is 0. */
    public static String relative(long delta, long base, long neu) {
        if (base == 0) {
            return neu == 0 ? "0%" : "new";
        }
        if (neu == 0) {
            return "gone";
        }
        String s = GoFormat.fixed((double) delta / (double) base * 100, 1);
        if (s.endsWith(".0")) {
            s = s.substring(0, s.length() - 2);
        }
        return (delta > 0 ? "+" : "") + s + "%";
    }

    /** The change in percent of base as a number, null when base is 0 (rounded to four decimals). */
    public static Double percent(long delta, long base) {
        if (base == 0) {
            return null;
        }
        return Math.round((double) delta / (double) base * 100 * 10000.0) / 10000.0;
    }

    private static String factor(double scale) {
        return String.format(Locale.ROOT, "%.4g", scale);
    }
}
