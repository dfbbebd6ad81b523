package dev.godiag.analysis.profile;

import dev.godiag.util.Units;

import dev.godiag.util.BadInputException;
import dev.godiag.model.Profile;
import dev.godiag.model.ValueType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two profiles of one kind compared node by node (godiag diff): flat and cum of each side from its
 * own {@link NodeGraph}, nodes matched by {@link NodeInfo}. With normalization, NEW is first scaled
 * so its totals equal BASE's, exactly as pprof's -normalize does ({@link ProfileMerger#normalize}),
 * so the deltas equal the rows of {@code pprof -top -diff_base=BASE [-normalize] NEW}.
 */
public final class ProfileDiff {
    private ProfileDiff() {
    }

    /** One node: its values on both sides (NEW's scaled when normalized). */
    public record Row(NodeInfo info, String name, long baseFlat, long newFlat, long baseCum, long newCum) {
        public long flatDelta() {
            return newFlat - baseFlat;
        }

        public long cumDelta() {
            return newCum - baseCum;
        }

        /** "base" or "new" when the node has samples on one side only, else null. */
        public String onlyIn() {
            boolean inBase = baseFlat != 0 || baseCum != 0;
            boolean inNew = newFlat != 0 || newCum != 0;
            return inBase && !inNew ? "base" : inNew && !inBase ? "new" : null;
        }
    }

    /**
     * The two profiles ready to compare: same sample types in the same units, uninteresting frames
     * dropped, NEW scaled to BASE when normalized.
     *
     * @param scales per sample type, the factor NEW was multiplied by (1 when not normalized)
     * @param newRaw NEW before normalization (for its own total)
     */
    public record Prepared(Profile base, Profile neu, Profile newRaw, boolean normalized, double[] scales) {
    }

    /**
     * @param scale      the factor NEW's values were multiplied by (1 when not normalized)
     * @param baseTotal  pprof's report total of BASE (sum of |value|)
     * @param newTotal   the same of NEW as compared (after normalization)
     * @param newTotalRaw the same of NEW as read
     * @param rows       every node whose flat or cum changed, by |flat delta|, |cum delta|, name
     */
    public record Result(String sampleType, String unit, boolean normalized, double scale, long baseTotal,
                         long newTotal, long newTotalRaw, List<Row> rows) {
    }

    /**
     * Checks that both profiles have the same sample types (units may differ within a family:
     * they are scaled to the finer one, as pprof's merge does), then normalizes NEW if asked.
     */
    public static Prepared prepare(Profile base, Profile neu, boolean normalize, boolean allFrames) {
        List<String> bt = base.sampleTypes().stream().map(ValueType::type).toList();
        List<String> nt = neu.sampleTypes().stream().map(ValueType::type).toList();
        if (!bt.equals(nt)) {
            throw new BadInputException("profiles of different kinds: sample types " + bt + " and " + nt);
        }
        for (int i = 0; i < bt.size(); i++) {
            String bu = base.sampleTypes().get(i).unit();
            String nu = neu.sampleTypes().get(i).unit();
            if (!bu.equals(nu) && !Units.sameFamily(bu, nu)) {
                throw new BadInputException("profiles of different kinds: " + bt.get(i) + " is in " + bu + " and in "
                        + nu);
            }
        }
        List<Profile> both = ProfileMerger.scaleToCommonUnits(List.of(base, neu));
        Profile b = FunctionNames.simplify(both.get(0));
        Profile n = FunctionNames.simplify(both.get(1));
        if (!allFrames) {
            b = FramePruner.removeUninteresting(b);
            n = FramePruner.removeUninteresting(n);
        }
        // pprof's Normalize; dropping frames keeps every sample and value, so it commutes with it
        double[] scales = new double[bt.size()];
        java.util.Arrays.fill(scales, 1);
        Profile scaled = n;
        if (normalize) {
            scales = ProfileMerger.normalizationRatios(n, b);
            scaled = ProfileMerger.scale(n, scales);
        }
        return new Prepared(b, scaled, n, normalize, scales);
    }


    /**
     * Compares the graphs of the two sides (built with the same options and sample index).
     *
     * @param newTotalRaw NEW's total before normalization
     */
    public static Result compare(NodeGraph base, NodeGraph neu, String sampleType, String unit, boolean normalized,
                                 double scale, long baseTotal, long newTotal, long newTotalRaw) {
        Map<NodeInfo, long[]> values = new HashMap<>();
        List<NodeInfo> order = new ArrayList<>();
        collect(base, 0, values, order);
        collect(neu, 2, values, order);
        List<Row> rows = new ArrayList<>();
        for (NodeInfo info : order) {
            long[] v = values.get(info);
            Row r = new Row(info, info.printableName(), v[0], v[2], v[1], v[3]);
            if (r.flatDelta() != 0 || r.cumDelta() != 0) {
                rows.add(r);
            }
        }
        rows.sort(Comparator.<Row>comparingLong(r -> -Math.abs(r.flatDelta()))
                .thenComparingLong(r -> -Math.abs(r.cumDelta()))
                .thenComparing(ProfileDiff::byName));
        return new Result(sampleType, unit, normalized, scale, baseTotal, newTotal, newTotalRaw, List.copyOf(rows));
    }

    private static void collect(NodeGraph g, int at, Map<NodeInfo, long[]> values, List<NodeInfo> order) {
        for (int i = 0; i < g.size(); i++) {
            if (g.flat[i] == 0 && g.cum[i] == 0) {
                continue;
            }
            long[] v = values.get(g.nodes[i]);
            if (v == null) {
                v = new long[4];
                values.put(g.nodes[i], v);
                order.add(g.nodes[i]);
            }
            v[at] += g.flat[i];
            v[at + 1] += g.cum[i];
        }
    }

    private static int byName(Row a, Row b) {
        int c = NodeInfo.comparePrintable(a.info(), a.name(), b.info(), b.name());
        return c != 0 ? c : dev.godiag.util.GoFormat.compareGo(a.info().goSprint(), b.info().goSprint());
    }

    /**
     * The n rows that grew most (gainers) or shrank most (losers) by flat or by cum; n 0 means all.
     * Only rows that changed in that direction qualify.
     */
    public static List<Row> top(List<Row> rows, boolean cum, boolean gainers, int n) {
        Comparator<Row> c = Comparator.comparingLong(r -> gainers ? -delta(r, cum) : delta(r, cum));
        List<Row> out = rows.stream()
                .filter(r -> gainers ? delta(r, cum) > 0 : delta(r, cum) < 0)
                .sorted(c.thenComparingLong(r -> -Math.abs(delta(r, !cum))).thenComparing(ProfileDiff::byName))
                .toList();
        return n > 0 && n < out.size() ? out.subList(0, n) : out;
    }

    private static long delta(Row r, boolean cum) {
        return cum ? r.cumDelta() : r.flatDelta();
    }

    /**
     * The unit values are shown in, chosen as top chooses it (pprof's selectOutputUnit): from the
     * smallest value shown, unless that is 100x below the larger total.
     *
     * @param shown the values shown (base, new and delta of each row)
     */
    public static String outputUnit(long[] shown, long baseTotal, long newTotal, String sampleUnit,
                                    String outputUnit) {
        List<TopTable.Row> rows = new ArrayList<>();
        NodeInfo none = new NodeInfo("", "", 0, "", 0, 0, 0, "");
        for (long v : shown) {
            if (v != 0) {
                rows.add(new TopTable.Row(none, "", v, v, ""));
            }
        }
        if (rows.isEmpty()) {
            long t = Math.max(baseTotal, newTotal);
            rows.add(new TopTable.Row(none, "", t, t, ""));
        }
        return TopTable.selectOutputUnit(rows, Math.max(baseTotal, newTotal), sampleUnit, outputUnit, 1);
    }
}
