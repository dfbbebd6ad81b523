package dev.godiag.guard.watch;

import dev.godiag.guard.config.Rules;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Everything guard knows about one target between readings: per metric a robust baseline, the
 * streak over its threshold and the open alert (see {@link MetricWatch}), and the process start
 * time that tells a deploy. Pure logic: the daemon feeds it each {@link Reading} (whose time is
 * the clock) and acts on the events it returns; {@link #toJson()} and {@link #fromJson} carry it
 * over a restart. Thread-safe: a scrape thread observes while /metrics reads the status.
 */
public final class TargetWatch {
    private static final double RESTART_TOLERANCE_SECONDS = 0.5;

    private Target target;
    private final WatchSettings settings;
    final EnumMap<Metric, MetricWatch> metrics = new EnumMap<>(Metric.class);
    Instant lastReadingAt;
    boolean up = true;
    String lastError;
    double processStart = Double.NaN;
    int readingsSinceStart;

    public TargetWatch(Target target, WatchSettings settings) {
        this.target = Objects.requireNonNull(target, "target");
        this.settings = Objects.requireNonNull(settings, "settings");
        for (Metric m : Metric.values()) {
            metrics.put(m, new MetricWatch(m));
        }
    }

    /** A watch with the {@link WatchSettings#DEFAULT} settings (a job scraped every 30 s). */
    public TargetWatch(Target target) {
        this(target, WatchSettings.DEFAULT);
    }

    /** The target as its latest reading named it (labels follow discovery; the key never changes). */
    public synchronized Target target() {
        return target;
    }

    public WatchSettings settings() {
        return settings;
    }

    /**
     * Feeds one scrape of this target with its job's current rules and stage; returns what changed,
     * in order (a baseline reset first, with the alerts the restart resolved). A failed reading
     * only marks the target down: streaks and alerts stay as they were (a target that stops
     * answering has not recovered). A reading not after the previous one is ignored, so a reading
     * replayed after a restart counts once. Values that are not finite are ignored.
     */
    public synchronized List<WatchEvent> observe(Reading reading, Rules rules, Stage stage) {
        if (!reading.target().key().equals(target.key())) {
            throw new IllegalArgumentException("reading of " + reading.target().key() + " fed to the watch of " + target.key());
        }
        if (lastReadingAt != null && !reading.at().isAfter(lastReadingAt)) {
            return List.of();
        }
        // new labels from discovery apply to later alerts; an open alert keeps the labels it was
        // delivered with (Alertmanager tells alerts apart by their labels)
        target = reading.target();
        lastReadingAt = reading.at();
        up = reading.up();
        lastError = reading.error();
        if (!reading.up()) {
            return List.of();
        }
        List<WatchEvent> events = new ArrayList<>();
        OptionalDouble start = reading.processStartSeconds();
        if (start.isPresent() && Double.isFinite(start.getAsDouble())) {
            double now = start.getAsDouble();
            if (!Double.isNaN(processStart) && Math.abs(now - processStart) > RESTART_TOLERANCE_SECONDS) {
                events.add(new WatchEvent.BaselineReset(target, reading.at(), processStart, now));
                for (MetricWatch w : metrics.values()) {
                    w.restart(reading.at(), finite(reading.value(w.metric)), events);
                }
                readingsSinceStart = 0;
            }
            processStart = now;
        }
        readingsSinceStart = Math.min(readingsSinceStart + 1, Integer.MAX_VALUE - 1);
        boolean warmingUp = readingsSinceStart <= settings.warmupReadings();
        for (MetricWatch w : metrics.values()) {
            double value = finite(reading.value(w.metric));
            if (Double.isNaN(value)) {
                continue;
            }
            if (warmingUp) {
                w.last = value;
            } else {
                w.observe(target, reading.at(), value, rules.of(w.metric), stage, settings, events);
            }
        }
        return events;
    }

    /**
     * Attaches what was captured for the open alert {@code alertId} (capture runs after the alert
     * opened): later events carry it and the JSON state keeps it. False when no open alert has
     * that id (it resolved, or the process restarted, before the capture finished).
     */
    public synchronized boolean attachEvidence(String alertId, AlertEvidence evidence) {
        for (MetricWatch w : metrics.values()) {
            if (w.alert != null && w.alert.id().equals(alertId)) {
                w.alert = w.alert.withEvidence(evidence);
                return true;
            }
        }
        return false;
    }

    /** The current baselines, streaks and alerts, for /metrics and the targets API. */
    public synchronized TargetStatus status() {
        Map<Metric, TargetStatus.MetricStatus> m = new EnumMap<>(Metric.class);
        metrics.forEach((metric, w) -> m.put(metric, w.status()));
        return new TargetStatus(target, up, lastError, lastReadingAt,
                Double.isNaN(processStart) ? OptionalDouble.empty() : OptionalDouble.of(processStart),
                readingsSinceStart <= settings.warmupReadings(), m);
    }

    /** Past warm-up with a baseline learned for at least one metric: a quiet reference for "before" evidence. */
    public synchronized boolean ready() {
        return readingsSinceStart > settings.warmupReadings()
                && metrics.values().stream().anyMatch(w -> w.baseline().isPresent());
    }

    /** Whether any metric has an open alert. */
    public synchronized boolean anyFiring() {
        return metrics.values().stream().anyMatch(w -> w.alert != null);
    }

    /** The metric's baseline, empty until learned. */
    public synchronized OptionalDouble baseline(Metric metric) {
        return metrics.get(metric).baseline();
    }

    /** Whether the metric has an open alert. */
    public synchronized boolean firing(Metric metric) {
        return metrics.get(metric).alert != null;
    }

    /** The whole state as a JSON object (the store keeps it per target); see docs/json.md. */
    public synchronized String toJson() {
        return WatchStateJson.write(this);
    }

    /**
     * The watch of {@code target} continuing from {@code json} (written by {@link #toJson()}), with
     * {@code settings} applied (a smaller window drops the oldest buckets). Open alerts come back
     * with the labels and evidence they had.
     *
     * @throws dev.godiag.util.BadInputException one line naming the target and the problem
     */
    public static TargetWatch fromJson(Target target, String json) {
        return fromJson(target, WatchSettings.DEFAULT, json);
    }

    /** {@link #fromJson(Target, String)} with these settings. */
    public static TargetWatch fromJson(Target target, WatchSettings settings, String json) {
        TargetWatch w = new TargetWatch(target, settings);
        WatchStateJson.read(json, w);
        return w;
    }

    private static double finite(OptionalDouble v) {
        return v.isPresent() && Double.isFinite(v.getAsDouble()) ? v.getAsDouble() : Double.NaN;
    }
}
