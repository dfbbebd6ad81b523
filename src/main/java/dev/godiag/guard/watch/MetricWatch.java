package dev.godiag.guard.watch;

import dev.godiag.guard.config.MetricRule;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One metric of one target: its baseline window (closed buckets as median and maximum, the open
 * bucket's raw values), the streak over the threshold with the values it holds back, and the open
 * alert. Values over the threshold never enter the window while they may be a leak: they are held
 * during a streak (and added only if the streak breaks: it was noise), dropped when the streak
 * becomes an alert, and nothing enters while the alert is open.
 */
final class MetricWatch {
    /** A closed bucket: the median and the highest of its readings. */
    record Bucket(double median, double max) {
    }

    final Metric metric;
    final ArrayDeque<Bucket> buckets = new ArrayDeque<>();
    double[] open = new double[4];
    int openCount;
    double[] held = new double[4];
    int heldCount;
    int over;
    Instant overSince;
    int under;
    Alert alert;
    double last = Double.NaN;
    private boolean summarised;
    private OptionalDouble baseline;
    private OptionalDouble ceiling;

    MetricWatch(Metric metric) {
        this.metric = metric;
    }

    /** Feeds one value read at {@code at}, adding what it changed to {@code events}. */
    void observe(Target target, Instant at, double value, MetricRule rule, Stage stage, WatchSettings settings,
                 List<WatchEvent> events) {
        last = value;
        if (!evaluated(rule)) {
            if (alert != null) {
                events.add(new WatchEvent.Resolved(alert.resolved(at, value), WatchEvent.Resolved.RULE_OFF));
                alert = null;
            }
            endStreak(settings);
            addToWindow(value, settings);
            return;
        }
        int needed = Math.max(1, rule.consecutive());
        if (alert != null) {
            observeFiring(at, value, needed, settings, events);
            return;
        }
        if (buckets.isEmpty()) {
            addToWindow(value, settings);
            return;
        }
        double baseline = baseline().getAsDouble();
        double threshold = Math.max(rule.threshold(baseline), ceiling().getAsDouble());
        if (value <= threshold) {
            endStreak(settings);
            addToWindow(value, settings);
            return;
        }
        if (over == 0) {
            overSince = at;
        }
        over++;
        if (over < needed) {
            hold(value);
            return;
        }
        alert = new Alert(alertId(target, metric, overSince), target, metric, AlertState.FIRING, overSince, null,
                value, baseline, threshold, stage, null);
        events.add(new WatchEvent.Opened(alert));
        heldCount = 0;
        over = 0;
        overSince = null;
    }

    private void observeFiring(Instant at, double value, int needed, WatchSettings settings, List<WatchEvent> events) {
        under = value <= alert.threshold() ? under + 1 : 0;
        if (under >= needed) {
            events.add(new WatchEvent.Resolved(alert.resolved(at, value), WatchEvent.Resolved.BACK_UNDER));
            alert = null;
            under = 0;
            addToWindow(value, settings);
        } else if (value != alert.value()) {
            alert = alert.withValue(value);
            events.add(new WatchEvent.Updated(alert));
        }
    }

    /** The process was replaced: the open alert ends with it, and the window starts again. */
    void restart(Instant at, double latest, List<WatchEvent> events) {
        if (alert != null) {
            double value = Double.isNaN(latest) ? alert.value() : latest;
            events.add(new WatchEvent.Resolved(alert.resolved(at, value), WatchEvent.Resolved.RESTARTED));
        }
        buckets.clear();
        summarised = false;
        openCount = 0;
        heldCount = 0;
        over = 0;
        overSince = null;
        under = 0;
        alert = null;
    }

    /** Stable and unique per target and metric as long as reading times increase: {@code job/address/metric/since}. */
    static String alertId(Target target, Metric metric, Instant since) {
        return target.key() + "/" + metric.key() + "/" + since;
    }

    /** The median of the closed buckets' medians, once one bucket closed. */
    OptionalDouble baseline() {
        summarise();
        return baseline;
    }

    /**
     * The highest reading in the baseline's window, leaving out the highest bucket once there are
     * three: peaks that recur (a GC sawtooth, bursts of load) are never an alert, while one burst
     * does not hide a leak for a whole window.
     */
    OptionalDouble ceiling() {
        summarise();
        return ceiling;
    }

    /** Baseline and ceiling change only when a bucket closes or leaves: computed then, not per reading. */
    private void summarise() {
        if (summarised) {
            return;
        }
        summarised = true;
        if (buckets.isEmpty()) {
            baseline = OptionalDouble.empty();
            ceiling = OptionalDouble.empty();
            return;
        }
        baseline = OptionalDouble.of(median(buckets.stream().mapToDouble(Bucket::median).toArray()));
        double[] maxima = buckets.stream().mapToDouble(Bucket::max).sorted().toArray();
        ceiling = OptionalDouble.of(maxima[maxima.length >= 3 ? maxima.length - 2 : maxima.length - 1]);
    }

    TargetStatus.MetricStatus status() {
        return new TargetStatus.MetricStatus(metric, Double.isNaN(last) ? OptionalDouble.empty() : OptionalDouble.of(last),
                baseline(), ceiling(), over, under, alert);
    }

    private static boolean evaluated(MetricRule rule) {
        return rule != null && rule.enabled() && (rule.overBaseline() != null || rule.overRatio() != null);
    }

    /** A streak that broke before becoming an alert was noise: its values belong to the window. */
    private void endStreak(WatchSettings settings) {
        for (int i = 0; i < heldCount; i++) {
            addToWindow(held[i], settings);
        }
        heldCount = 0;
        over = 0;
        overSince = null;
    }

    private void hold(double value) {
        if (heldCount == held.length) {
            held = Arrays.copyOf(held, held.length * 2);
        }
        held[heldCount++] = value;
    }

    void addToWindow(double value, WatchSettings settings) {
        if (openCount == open.length) {
            open = Arrays.copyOf(open, open.length * 2);
        }
        open[openCount++] = value;
        if (openCount >= settings.bucketReadings()) {
            double[] values = Arrays.copyOf(open, openCount);
            buckets.addLast(new Bucket(median(values), Arrays.stream(values).max().getAsDouble()));
            summarised = false;
            openCount = 0;
            trim(settings);
        }
    }

    void restoreBucket(double median, double max) {
        buckets.addLast(new Bucket(median, max));
        summarised = false;
    }

    void trim(WatchSettings settings) {
        while (buckets.size() > settings.buckets()) {
            buckets.removeFirst();
            summarised = false;
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
