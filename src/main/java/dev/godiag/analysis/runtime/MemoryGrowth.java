package dev.godiag.analysis.runtime;

import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.analysis.profile.NodeGraph;
import dev.godiag.analysis.profile.NodeInfo;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.SampleFilter;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.util.Units;

import dev.godiag.model.Profile;
import dev.godiag.model.ValueType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether memory comes back: a series of live-heap measurements (heap profiles, memstats
 * snapshots, the live heap after each GC) fitted with a straight line, a verdict, and for heap
 * profiles the allocation sites whose live bytes grow.
 */
public final class MemoryGrowth {
    private MemoryGrowth() {
    }

    public enum Verdict {
        STABLE("stable"), GROWING("growing"), LEAKING("leaking"), UNKNOWN("unknown");

        private final String id;

        Verdict(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * One measurement.
     *
     * @param timeSeconds seconds since some origin common to the series; NaN when unknown
     * @param liveBytes   the live heap
     * @param objects     live objects, NaN when unknown
     */
    public record Point(String label, double timeSeconds, double liveBytes, double objects) {
    }

    /**
     * A least-squares line through the points, with the 95% confidence interval of its slope.
     *
     * @param perSecond the x axis is seconds (else the snapshot index)
     */
    public record Fit(double slope, double intercept, double slopeLow, double slopeHigh, double r2, int n,
                      boolean perSecond) {
    }

    /**
     * An allocation site's live heap per snapshot.
     *
     * @param inuseBytes   per snapshot
     * @param inuseObjects per snapshot
     * @param shareOfGrowth its growth over the growth of the whole heap (first to last snapshot)
     */
    public record Site(String function, String file, long line, long[] inuseBytes, long[] inuseObjects,
                       double shareOfGrowth, boolean onlyGrows) {
        public long growth() {
            return inuseBytes[inuseBytes.length - 1] - inuseBytes[0];
        }
    }

    public record Result(List<Point> points, Fit fit, Verdict verdict, String reason, List<Site> growingSites,
                         String objectSizeHint) {
    }

    /** Series this long (the live heap after each GC) are checked for growth that is only warm-up. */
    static final int WARM_UP_MIN_POINTS = 8;
    /**
     * Settling within the first quarter of the series (time, else points) is warm-up: the leaking
     * service of the corpus settles only at 37%, when its load stops; a healthy one filling its
     * cache at start-up, by 10-15%.
     */
    static final double WARM_UP_SHARE = 0.25;
    /** Settling within the first four GC cycles is warm-up whatever the time (see above). */
    static final int WARM_UP_CYCLES = 4;

    /** Growth below this share of the mean live heap over the series is "stable". */
    static final double STABLE_SHARE = 0.10;

    /**
     * The profiler's own allocations (the buffers and compressors of the profile being written):
     * they come and go with each capture, so they are not the program's growth.
     */
    static final Pattern PROFILER_FRAMES = Pattern.compile("^(runtime/pprof|net/http/pprof)\\.");

    /**
     * A series of heap profiles in time order (each with inuse_space, as Go writes them). The
     * profiler's own allocations are left out of every snapshot, and so are the snapshots taken
     * before the first GC when later ones were not: until a GC has run, Go's heap profile counts
     * every allocation as live (nothing freed), which no later snapshot can be compared with.
     */
    public static Result ofHeapProfiles(List<String> labels, List<Profile> profiles, NodeOptions granularity) {
        List<String> keptLabels = new ArrayList<>();
        List<Profile> kept = new ArrayList<>();
        List<String> beforeGc = new ArrayList<>();
        for (int s = 0; s < profiles.size(); s++) {
            if (index(profiles.get(s), "inuse_space") < 0) {
                throw new IllegalArgumentException(labels.get(s) + ": not a heap profile (no inuse_space)");
            }
            if (beforeFirstGc(profiles.get(s))) {
                beforeGc.add(labels.get(s));
            } else {
                keptLabels.add(labels.get(s));
                kept.add(SampleFilter.byName(profiles.get(s), null, PROFILER_FRAMES, null, null).profile());
            }
        }
        if (kept.isEmpty()) { // every snapshot before the first GC: allocations are all there is
            beforeGc.clear();
            keptLabels = labels;
            for (Profile p : profiles) {
                kept.add(SampleFilter.byName(p, null, PROFILER_FRAMES, null, null).profile());
            }
        }
        Result r = sites(keptLabels, kept, granularity);
        if (beforeGc.isEmpty()) {
            return r;
        }
        String note = String.join(", ", beforeGc) + (beforeGc.size() == 1 ? " was" : " were")
                + " left out: taken before the first GC, when a heap profile counts every allocation as live";
        return new Result(r.points(), r.fit(), r.verdict(), r.reason() + "; " + note, r.growingSites(),
                r.objectSizeHint());
    }

    /**
     * Until the first GC Go's heap profile holds every allocation since start and none freed
     * (inuse equals alloc at every site); after one, something has always been freed.
     */
    static boolean beforeFirstGc(Profile p) {
        int inuse = index(p, "inuse_space");
        int alloc = index(p, "alloc_space");
        if (alloc < 0) {
            return false;
        }
        long allocated = SampleIndex.total(p, alloc);
        return allocated > 0 && allocated == SampleIndex.total(p, inuse);
    }

    private static Result sites(List<String> labels, List<Profile> profiles, NodeOptions granularity) {
        int n = profiles.size();
        List<Point> points = new ArrayList<>();
        long t0 = profiles.get(0).timeNanos();
        boolean timed = profiles.stream().allMatch(p -> p.timeNanos() != 0);
        Map<String, long[][]> sites = new LinkedHashMap<>();
        Map<String, String[]> names = new HashMap<>();
        Map<String, Long> lines = new HashMap<>();
        for (int s = 0; s < n; s++) {
            Profile p = profiles.get(s);
            int space = index(p, "inuse_space");
            int objects = index(p, "inuse_objects");
            long live = SampleIndex.total(p, space);
            double objs = objects < 0 ? Double.NaN : SampleIndex.total(p, objects);
            points.add(new Point(labels.get(s), timed ? (p.timeNanos() - t0) / 1e9 : Double.NaN, live, objs));
            NodeGraph g = NodeGraph.build(p, space, granularity);
            NodeGraph go = objects < 0 ? null : NodeGraph.build(p, objects, granularity);
            for (int node = 0; node < g.size(); node++) {
                long flat = g.flatValue(node);
                long flatObjects = go == null ? 0 : go.flatValue(node);
                if (flat == 0 && flatObjects == 0) {
                    continue;
                }
                NodeInfo info = g.node(node);
                String key = info.printableName();
                long[][] v = sites.computeIfAbsent(key, k -> new long[2][n]);
                v[0][s] += flat;
                v[1][s] += flatObjects;
                names.putIfAbsent(key, new String[]{info.name(), info.file()});
                lines.putIfAbsent(key, info.lineno());
            }
        }
        Result base = ofSeries(points);
        double heapGrowth = points.get(n - 1).liveBytes() - points.get(0).liveBytes();
        List<Site> growing = new ArrayList<>();
        for (var e : sites.entrySet()) {
            long[] bytes = e.getValue()[0];
            if (n < 2 || bytes[n - 1] <= bytes[0]) {
                continue;
            }
            String[] nm = names.get(e.getKey());
            growing.add(new Site(nm[0], nm[1], lines.get(e.getKey()), bytes, e.getValue()[1],
                    heapGrowth > 0 ? (bytes[n - 1] - bytes[0]) / heapGrowth : Double.NaN,
                    GoroutineVerdicts.onlyGrows(bytes)));
        }
        growing.sort(Comparator.comparingLong(Site::growth).reversed().thenComparing(Site::function));
        return decide(points, base.fit(), growing, true);
    }

    private static int index(Profile p, String type) {
        List<ValueType> types = p.sampleTypes();
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).type().equals(type)) {
                return i;
            }
        }
        return -1;
    }

    /** A series without allocation sites (memstats snapshots, the live heap after each GC). */
    public static Result ofSeries(List<Point> points) {
        return decide(points, fit(points), List.of(), false);
    }

    static Fit fit(List<Point> points) {
        int n = points.size();
        boolean perSecond = points.stream().allMatch(p -> !Double.isNaN(p.timeSeconds()))
                && points.stream().mapToDouble(Point::timeSeconds).distinct().count() == n;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = perSecond ? points.get(i).timeSeconds() : i;
            y[i] = points.get(i).liveBytes();
        }
        if (n < 2) {
            return new Fit(Double.NaN, n == 1 ? y[0] : Double.NaN, Double.NaN, Double.NaN, Double.NaN, n, perSecond);
        }
        double mx = mean(x);
        double my = mean(y);
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
            syy += (y[i] - my) * (y[i] - my);
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double r2 = syy == 0 ? 1 : sxy * sxy / (sxx * syy);
        if (n == 2) {
            return new Fit(slope, intercept, Double.NaN, Double.NaN, r2, n, perSecond);
        }
        double sse = Math.max(0, syy - slope * sxy);
        double se = Math.sqrt(sse / (n - 2) / sxx);
        double t = tQuantile975(n - 2);
        return new Fit(slope, intercept, slope - t * se, slope + t * se, r2, n, perSecond);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    /** Student's t, two-sided 95% (the 0.975 quantile), by degrees of freedom. */
    static double tQuantile975(int df) {
        double[] table = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
                2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
                2.052, 2.048, 2.045, 2.042};
        if (df <= 0) {
            return Double.NaN;
        }
        if (df <= table.length) {
            return table[df - 1];
        }
        return df <= 60 ? 2.000 : df <= 120 ? 1.980 : 1.960;
    }

    private static Result decide(List<Point> points, Fit fit, List<Site> growing, boolean sitesKnown) {
        int n = points.size();
        Site top = growing.isEmpty() ? null : growing.get(0);
        String hint = objectSizeHint(points, top);
        if (n < 3) {
            return new Result(points, fit, Verdict.UNKNOWN, n == 1 ? "one snapshot: a trend needs three or more"
                    : "two snapshots: a trend needs three or more to tell growth from noise", growing, hint);
        }
        double meanLive = points.stream().mapToDouble(Point::liveBytes).average().orElse(0);
        double span = fit.perSecond() ? points.get(n - 1).timeSeconds() - points.get(0).timeSeconds() : n - 1;
        double fitted = fit.slope() * span;
        String unit = fit.perSecond() ? "s" : "snapshot";
        String heap = String.format(java.util.Locale.ROOT, "the live heap's fitted slope is %s (95%% interval %s"
                        + " to %s, R² %.2f), %s over the series (mean %s)", signed(fit.slope(), unit),
                signed(fit.slopeLow(), unit), signed(fit.slopeHigh(), unit), fit.r2(),
                signedBytes(fitted), Units.bytes(Math.round(meanLive)));
        // one allocation site that only grows and carries most of the growth is a leak even when
        // the whole heap is noisy (transient buffers at one snapshot, GC timing)
        boolean significant = fit.slopeLow() > 0 && fitted >= STABLE_SHARE * meanLive;
        // with only three snapshots and no significant growth of the heap itself, one growing site
        // may be a cache still filling: not enough to call a leak (four or more snapshots are)
        boolean siteLeak = top != null && top.onlyGrows() && top.shareOfGrowth() >= 0.5
                && top.growth() >= STABLE_SHARE * meanLive && (n >= 4 || significant);
        if (siteLeak) {
            return new Result(points, fit, Verdict.LEAKING, top.function() + " (" + top.file() + ":" + top.line()
                    + ") holds more live memory at every snapshot (" + series(top.inuseBytes()) + "), "
                    + shareOfGrowth(top.shareOfGrowth())
                    + ": memory allocated and never released; " + heap, growing, hint);
        }
        if (significant && !sitesKnown && n >= WARM_UP_MIN_POINTS) {
            // a dense series (the live heap after every GC) climbs while caches and pools fill at
            // start-up, then levels off: if it was already near its final level early on, that is
            // warm-up, not growth
            double settled = warmUpEnd(points, fit.perSecond());
            int settledAt = warmUpIndex(points);
            // a heap filled at start-up is seen only when the GC next runs, which may be late in a
            // short run: settling within the first cycles counts as warm-up too
            if (settled <= WARM_UP_SHARE || settledAt >= 0 && settledAt < WARM_UP_CYCLES) {
                return new Result(points, fit, Verdict.STABLE, heap + String.format(java.util.Locale.ROOT,
                        "; but the heap reached 90%% of its final level by point %d of %d (%.0f%% into the series)"
                                + " and stayed there: warm-up (caches, pools filling), not growth", settledAt + 1,
                        points.size(), 100 * settled),
                        growing, hint);
            }
        }
        if (significant && fit.r2() >= 0.9 && nonDecreasingAfterFirst(points)) {
            return new Result(points, fit, Verdict.LEAKING, heap + ", rising at every snapshot: memory that is"
                    + " not released", growing, hint);
        }
        if (significant) {
            return new Result(points, fit, Verdict.GROWING, heap + (growing.isEmpty() && !sitesKnown
                    ? "; heap profiles taken over time would show which allocation sites grow"
                    : "; no single site grows steadily: it may still be warming up (caches, pools); take more"
                    + " snapshots"), growing, hint);
        }
        return new Result(points, fit, Verdict.STABLE, heap + ": no significant growth", growing, hint);
    }

    /** A site's share of the heap's net growth in words; above all of it when other memory shrank meanwhile. */
    public static String shareOfGrowth(double share) {
        if (share > 1.005) {
            return "more than the heap's net growth (other live memory shrank meanwhile)";
        }
        return Math.round(100 * share) + "% of the heap's net growth";
    }

    /** Byte counts as "0 → 1.06MB → 2.66MB": how reasons and reports show a site's series. */
    public static String series(long[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            sb.append(i == 0 ? "" : " → ").append(Units.bytes(bytes[i]));
        }
        return sb.toString();
    }

    private static String signedBytes(double v) {
        return (v < 0 ? "-" : "+") + Units.bytes(Math.round(Math.abs(v)));
    }

    /**
     * How far into the series (0-1, by time or by index) the live heap first reached 90% of its
     * last value and never fell below 80% of it afterwards; 1 when it never settled.
     */
    static double warmUpEnd(List<Point> points, boolean perSecond) {
        int n = points.size();
        int i = warmUpIndex(points);
        if (i < 0) {
            return 1;
        }
        if (perSecond) {
            double t0 = points.get(0).timeSeconds();
            double span = points.get(n - 1).timeSeconds() - t0;
            return span <= 0 ? 1 : (points.get(i).timeSeconds() - t0) / span;
        }
        return (double) i / (n - 1);
    }

    /** The first point at 90% of the last value after which it never falls below 80%; -1 if none. */
    static int warmUpIndex(List<Point> points) {
        int n = points.size();
        double last = points.get(n - 1).liveBytes();
        for (int i = 0; i < n; i++) {
            if (points.get(i).liveBytes() < 0.9 * last) {
                continue;
            }
            boolean stays = true;
            for (int j = i; j < n && stays; j++) {
                stays = points.get(j).liveBytes() >= 0.8 * last;
            }
            if (stays) {
                return i;
            }
        }
        return -1;
    }

    private static boolean nonDecreasingAfterFirst(List<Point> points) {
        for (int i = 2; i < points.size(); i++) {
            if (points.get(i).liveBytes() < points.get(i - 1).liveBytes()) {
                return false;
            }
        }
        return true;
    }

    private static String signed(double v, String unit) {
        if (Double.isNaN(v)) {
            return "?";
        }
        return (v < 0 ? "-" : "+") + Units.bytes(Math.round(Math.abs(v))) + "/" + unit;
    }

    /** Many small objects or a few big ones: the average size of what the top site (or the heap) added. */
    private static String objectSizeHint(List<Point> points, Site top) {
        int n = points.size();
        double bytes;
        double objects;
        if (top != null && top.inuseObjects()[n - 1] > top.inuseObjects()[0]) {
            bytes = top.growth();
            objects = top.inuseObjects()[n - 1] - top.inuseObjects()[0];
        } else if (n >= 2 && !Double.isNaN(points.get(0).objects()) && !Double.isNaN(points.get(n - 1).objects())) {
            bytes = points.get(n - 1).liveBytes() - points.get(0).liveBytes();
            objects = points.get(n - 1).objects() - points.get(0).objects();
        } else {
            return null;
        }
        if (bytes <= 0 || objects <= 0) {
            return null;
        }
        long avg = Math.round(bytes / objects);
        return (top != null ? top.function() + " added " : "the heap added ") + Math.round(objects) + " objects of "
                + Units.bytes(avg) + " on average: " + (avg >= 8192
                ? "a few big objects (large buffers or slices kept)" : "many small objects (maps, nodes, strings kept)");
    }
}
