package dev.godiag.analysis.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CI gate's verdict logic: per metric, baseline and candidate samples compared as benchstat
 * does ({@link BenchStats}: medians with confidence intervals, Mann-Whitney U), and a regression
 * only when the change is both significant (p &lt; alpha) and beyond the metric's threshold in the
 * worse direction. A metric with a single value on either side cannot be tested; its threshold
 * alone decides, and the result says so. The memory trend rule looks at heap.live across runs.
 */
public final class GateEvaluation {
    /** The live-heap growth per step (percent) above which the trend rule counts a step. */
    public static final double TREND_GROWTH_PERCENT = 10;
    /** How many consecutive growing steps fail the trend rule. */
    public static final int TREND_STEPS = 3;
    public static final String HEAP_LIVE = "heap.live";

    private GateEvaluation() {
    }

    /** Which way is better for a metric. */
    public enum Better {
        LOWER, HIGHER;

        public String label() {
            return this == LOWER ? "lower is better" : "higher is better";
        }
    }

    /** A sample's summary: the median and its confidence interval, and the number of values. */
    public record Stats(double median, double low, double high, int n) {
    }

    /**
     * One metric compared.
     *
     * @param name         the benchmark ("BenchmarkEncode-8") or the metric name ("gc.pause.p95")
     * @param p            the Mann-Whitney p-value, NaN when not tested (a single value on a side)
     * @param significant  p &lt; alpha (for single values: true, the threshold alone decides)
     * @param singleSample whether a side had one value, so no test was possible
     * @param note         a short explanation for the reports (e.g. "single sample: threshold only")
     */
    public record Metric(String name, String unit, Better better, Stats baseline, Stats candidate,
                         double deltaPercent, double p, boolean significant, boolean singleSample,
                         double thresholdPercent, boolean regression, boolean improvement, String note) {
    }

    /** The memory trend rule: heap.live medians, oldest first, the growth of each step, and whether it fired. */
    public record Trend(List<Double> values, List<Double> growthPercents, boolean failed) {
        public Trend {
            values = List.copyOf(values);
            growthPercents = List.copyOf(growthPercents);
        }
    }

    /** A whole gate: the metrics compared, those found on one side only, the trend (null without history). */
    public record Result(List<Metric> metrics, List<String> baselineOnly, List<String> candidateOnly, Trend trend,
                         double alpha) {
        public Result {
            metrics = List.copyOf(metrics);
            baselineOnly = List.copyOf(baselineOnly);
            candidateOnly = List.copyOf(candidateOnly);
        }

        public boolean pass() {
            return metrics.stream().noneMatch(Metric::regression) && (trend == null || !trend.failed());
        }

        public List<Metric> regressions() {
            return metrics.stream().filter(Metric::regression).toList();
        }

        public List<Metric> improvements() {
            return metrics.stream().filter(Metric::improvement).toList();
        }
    }

    /**
     * The better direction of a metric: a {@code Unit ... better=higher|lower} line wins; benchmark
     * throughput units (B/s, anything per second) are higher-is-better; everything else (sec/op,
     * B/op, allocs/op, custom costs, every profile-derived metric) is lower-is-better.
     */
    public static Better direction(String unit, String betterMetadata) {
        if ("higher".equals(betterMetadata)) {
            return Better.HIGHER;
        }
        if ("lower".equals(betterMetadata)) {
            return Better.LOWER;
        }
        return unit != null && unit.endsWith("/s") ? Better.HIGHER : Better.LOWER;
    }

    /** Compares one metric's samples (values in any order). */
    public static Metric compare(String name, String unit, Better better, double[] baseline, double[] candidate,
                                 double thresholdPercent, double alpha, double confidence) {
        return compare(name, unit, better, baseline, candidate, thresholdPercent, alpha, confidence, 0);
    }

    /**
     * Compares one metric's samples; resolution is the smallest change its source can show (a
     * gctrace percentage is a whole number: 1), the noise band of single values: a change of the
     * medians within it is no regression or improvement, whatever its percentage.
     */
    public static Metric compare(String name, String unit, Better better, double[] baseline, double[] candidate,
                                 double thresholdPercent, double alpha, double confidence, double resolution) {
        if (baseline.length == 0 || candidate.length == 0) {
            throw new IllegalArgumentException("empty sample for " + name);
        }
        Stats b = stats(baseline, confidence);
        Stats c = stats(candidate, confidence);
        double delta = b.median() == c.median() ? 0
                : b.median() == 0 ? Math.copySign(Double.POSITIVE_INFINITY, c.median())
                : (c.median() / b.median() - 1) * 100;
        boolean single = baseline.length < 2 || candidate.length < 2;
        double p = Double.NaN;
        boolean significant;
        String note = "";
        if (single && Math.abs(c.median() - b.median()) <= resolution) {
            significant = false;
            note = "single sample: within the measurement's resolution (" + dev.godiag.util.GoFormat.general(
                    resolution, 6) + unit + ")";
        } else if (single) {
            significant = true;
            note = "single sample: threshold only, no significance test";
        } else {
            p = BenchStats.compare(baseline, candidate, alpha).p();
            significant = p < alpha;
            if (!significant) {
                note = "not significant";
            }
        }
        boolean worse = better == Better.LOWER ? delta > 0 : delta < 0;
        boolean beyond = Math.abs(delta) > thresholdPercent;
        boolean regression = significant && beyond && worse;
        boolean improvement = significant && beyond && !worse && delta != 0;
        if (!single && significant && !beyond && delta != 0) {
            note = "within threshold";
        } else if (single && !beyond && delta != 0) {
            note = note + "; within threshold";
        }
        return new Metric(name, unit, better, b, c, delta, p, significant, single, thresholdPercent, regression,
                improvement, note);
    }

    /** The median with benchstat's distribution-free interval; a single value is its own interval. */
    public static Stats stats(double[] values, double confidence) {
        double[] s = values.clone();
        Arrays.sort(s);
        if (s.length == 1) {
            return new Stats(s[0], s[0], s[0], 1);
        }
        BenchStats.Summary m = BenchStats.median(s, confidence);
        return new Stats(m.center(), m.lo(), m.hi(), s.length);
    }

    /** The median of values. */
    public static double median(List<Double> values) {
        return stats(values.stream().mapToDouble(Double::doubleValue).toArray(), BenchStats.DEFAULT_CONFIDENCE).median();
    }

    /**
     * The memory trend rule over heap.live values of successive runs, oldest first (the recorded
     * runs, then the candidate when it has heap.live): it fails when each of the last
     * {@link #TREND_STEPS} steps grew by more than {@link #TREND_GROWTH_PERCENT}%; null when there are
     * too few runs to judge.
     */
    public static Trend memoryTrend(List<Double> values) {
        if (values.size() < TREND_STEPS + 1) {
            return null;
        }
        List<Double> window = values.subList(values.size() - TREND_STEPS - 1, values.size());
        List<Double> growth = new ArrayList<>();
        boolean all = true;
        for (int i = 1; i < window.size(); i++) {
            double prev = window.get(i - 1);
            double g = prev == 0 ? (window.get(i) > 0 ? Double.POSITIVE_INFINITY : 0) : (window.get(i) / prev - 1) * 100;
            growth.add(g);
            all &= g > TREND_GROWTH_PERCENT;
        }
        return new Trend(window, growth, all);
    }
}
