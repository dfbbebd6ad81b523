package dev.godiag.guard;

import dev.godiag.engine.Engine;
import dev.godiag.guard.config.ConfigReloader;
import dev.godiag.guard.config.GuardConfig;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.config.Shards;
import dev.godiag.guard.config.TargetDiscovery;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Outbox;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;
import dev.godiag.guard.notify.AlertJson;
import dev.godiag.guard.notify.Deliveries;
import dev.godiag.guard.notify.DeliveryLoop;
import dev.godiag.guard.notify.DeliveryWorker;
import dev.godiag.guard.scrape.Capture;
import dev.godiag.guard.scrape.QuerySource;
import dev.godiag.guard.scrape.QuerySourceException;
import dev.godiag.guard.scrape.ScrapeLimits;
import dev.godiag.guard.scrape.TargetScraper;
import dev.godiag.guard.watch.TargetStatus;
import dev.godiag.guard.watch.TargetWatch;
import dev.godiag.guard.watch.WatchEvent;
import dev.godiag.guard.watch.WatchSettings;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.GuardRepository.EvidenceFile;
import dev.godiag.store.GuardRepository.StoredTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guard daemon: watches the targets of a configuration, one scrape per target per interval on
 * a virtual thread (one slow target never delays another), feeds each reading to the target's
 * watch, and acts on what it says in the job's stage: a log line (observe), the evidence captured,
 * diagnosed and stored (capture), the alert delivered through the persisted outbox (notify).
 * Baselines, open alerts and undelivered notifications survive a restart. {@link #reload()}
 * re-reads the configuration; a bad one is refused and the running one kept.
 */
public final class Guard implements AutoCloseable {
    /** How often file SD targets are looked for (files are re-read only when they changed). */
    static final Duration DISCOVERY_PERIOD = Duration.ofSeconds(5);
    /** A baseline dump older than this is refreshed while no alert is open. */
    static final Duration BASELINE_DUMP_AGE = Duration.ofHours(1);
    /** Delivered or failed deliveries, and resolved alerts with their evidence, are kept this long. */
    static final Duration ALERT_HISTORY = Duration.ofDays(30);
    /** The baseline's window in buckets (each kept as its median): 5 minutes each in the default hour. */
    static final int BASELINE_BUCKETS = 12;

    /**
     * @param dataDir     where captured evidence and baseline dumps are kept as files
     * @param shard       this guard's share of the targets
     * @param retention   how long reading history is kept
     * @param externalUrl guard's address as receivers of alerts reach it ("" for relative links)
     */
    public record Options(Path configFile, Path dataDir, Shards.Shard shard, Duration retention, String externalUrl) {
        public Options {
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention must be positive");
            }
            externalUrl = externalUrl == null ? "" : externalUrl;
        }
    }

    private final Options options;
    private final ConfigReloader reloader;
    private final GuardRepository repository;
    private final EvidenceAnalysis evidence;
    private final Clock clock;
    private final GuardLog log;
    private final TargetScraper scraper;
    private final QuerySource querySource;
    private final TargetDiscovery discovery;
    private final ScheduledExecutorService timer;
    private final ExecutorService scrapes = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, TargetRunner> runners = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> querySchedules = new ConcurrentHashMap<>();
    private final AlertJson alertJson;
    private final Deliveries deliveries;
    private final DeliveryLoop deliveryLoop;
    private final ReadingWriter writer;
    private final Object configLock = new Object();
    private volatile Instant lastReload;
    private volatile boolean lastReloadOk = true;

    private Guard(Options options, ConfigReloader reloader, GuardRepository repository, Engine engine, Clock clock,
                  Consumer<String> logSink) {
        this.options = options;
        this.reloader = reloader;
        this.repository = repository;
        this.evidence = new EvidenceAnalysis(engine);
        this.clock = clock;
        this.log = new GuardLog(logSink, clock);
        String agent = "godiag-guard/" + engine.context().version();
        this.scraper = new TargetScraper(ScrapeLimits.DEFAULT, clock, agent);
        this.querySource = new QuerySource(ScrapeLimits.DEFAULT, agent);
        this.discovery = new TargetDiscovery(clock, w -> log.warn("service discovery", "problem", w));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "guard-timer");
            t.setDaemon(true);
            return t;
        });
        this.writer = new ReadingWriter(repository, log, clock);
        this.alertJson = new AlertJson(options.externalUrl());
        this.deliveries = new Deliveries(alertJson);
        DeliveryWorker worker = new DeliveryWorker(repository, DeliveryWorker.httpClient(Duration.ofSeconds(10)), clock);
        this.deliveryLoop = new DeliveryLoop(worker, deliveries, () -> reloader.current().notifications(),
                this::firingOfThisShard, line -> log.info("delivery", "outcome", line), Duration.ofSeconds(1),
                Duration.ofMinutes(1));
    }

    /**
     * The firing alerts of this shard's targets: the ones its Alertmanager refresh keeps alive. A
     * shared database holds every shard's; re-posting another's would race its resolve and fire a
     * resolved alert again in Alertmanager.
     */
    private List<Alert> firingOfThisShard() {
        return repository.firing().stream().filter(a -> options.shard().owns(a.target())).toList();
    }

    /** Reads the configuration, restores the stored state and starts watching. */
    public static Guard start(Options options, GuardRepository repository, Engine engine, Clock clock,
                              Consumer<String> logSink) {
        ConfigReloader reloader = new ConfigReloader(options.configFile());
        Guard g = new Guard(options, reloader, repository, engine, clock, logSink);
        g.lastReload = Instant.now(clock);
        int released = repository.releaseLeases();
        if (released > 0) {
            g.log.info("deliveries of an earlier run resumed", "deliveries", released);
        }
        g.apply(reloader.current());
        g.timer.scheduleWithFixedDelay(g::discover, DISCOVERY_PERIOD.toMillis(), DISCOVERY_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        g.timer.scheduleWithFixedDelay(g::prune, 1, 60, TimeUnit.MINUTES);
        g.writer.start(g.timer);
        g.deliveryLoop.start();
        g.log.info("guard started", "jobs", reloader.current().jobs().size(), "targets", g.runners.size(),
                "shard", options.shard().toString());
        return g;
    }

    public GuardConfig config() {
        return reloader.current();
    }

    public Options options() {
        return options;
    }

    public GuardRepository repository() {
        return repository;
    }

    AlertJson alertJson() {
        return alertJson;
    }

    Collection<TargetRunner> runners() {
        return runners.values();
    }

    /**
     * A watched target as a dashboard shows it: its stage, its last reading (null before the first)
     * and, per metric, the baseline once learned.
     */
    public record TargetSnapshot(Target target, Stage stage, Reading last, Map<Metric, Double> baselines,
                                 boolean warmingUp) {
        public TargetSnapshot {
            baselines = Map.copyOf(baselines);
        }
    }

    /** The targets this guard watches now, by key. */
    public List<TargetSnapshot> snapshots() {
        List<TargetSnapshot> out = new ArrayList<>();
        for (TargetRunner r : runners.values()) {
            TargetStatus st = r.watch.status();
            Map<Metric, Double> baselines = new HashMap<>();
            st.metrics().forEach((m, ms) -> ms.baseline().ifPresent(b -> baselines.put(m, b)));
            out.add(new TargetSnapshot(r.target, r.job.stage(), r.last, baselines, st.warmingUp()));
        }
        out.sort(java.util.Comparator.comparing(s -> s.target().key()));
        return out;
    }

    Instant lastReload() {
        return lastReload;
    }

    boolean lastReloadOk() {
        return lastReloadOk;
    }

    /**
     * Re-reads the configuration file (SIGHUP, {@code POST /-/reload}); a file with problems is
     * refused and the running configuration stays.
     *
     * @return the problems, one line each; empty when the file was applied (or unchanged)
     */
    public List<String> reload() {
        synchronized (configLock) {
            ConfigReloader.Result result = reloader.reload();
            if (result.outcome() == ConfigReloader.Outcome.REJECTED) {
                lastReloadOk = false;
                log.error("config reload failed; keeping the running configuration",
                        "problems", String.join("; ", result.problems()));
                return result.problems();
            }
            lastReloadOk = true;
            lastReload = Instant.now(clock);
            if (result.outcome() == ConfigReloader.Outcome.APPLIED) {
                apply(result.config());
                log.info("config reloaded", "jobs", result.config().jobs().size(), "targets", runners.size());
            } else {
                log.info("config reloaded, unchanged");
            }
            return List.of();
        }
    }

    /** Brings the running targets in line with the configuration: new ones start, gone ones stop, kept ones take the new job. */
    private void apply(GuardConfig cfg) {
        synchronized (configLock) {
            Map<String, ScrapeJob> wanted = new LinkedHashMap<>();
            Map<String, Target> targets = new LinkedHashMap<>();
            for (ScrapeJob job : cfg.jobs()) {
                if (!job.prometheusSdConfigs().isEmpty()) {
                    continue; // their targets come from the query source's series
                }
                for (Target t : discovery.targets(job)) {
                    if (Shards.owns(t, options.shard().index(), options.shard().count())) {
                        wanted.put(t.key(), job);
                        targets.put(t.key(), t);
                    }
                }
            }
            discovery.retainJobs(cfg.jobs().stream().map(ScrapeJob::name).toList());
            for (Map.Entry<String, TargetRunner> e : runners.entrySet()) {
                TargetRunner r = e.getValue();
                ScrapeJob now = cfg.job(r.job.name());
                if (!wanted.containsKey(e.getKey()) && now != null && !now.prometheusSdConfigs().isEmpty()) {
                    r.job = now; // a query source's target stays while its job does
                    continue;
                }
                if (!wanted.containsKey(e.getKey())) {
                    stop(r);
                    runners.remove(e.getKey());
                    log.info("target removed", "job", r.target.job(), "target", r.target.address());
                }
            }
            Map<String, String> stored = null;
            for (Map.Entry<String, ScrapeJob> e : wanted.entrySet()) {
                TargetRunner r = runners.get(e.getKey());
                ScrapeJob job = e.getValue();
                if (r != null) {
                    Duration before = r.job.scrapeInterval();
                    r.job = job;
                    if (!before.equals(job.scrapeInterval())) {
                        stop(r);
                        schedule(r);
                    }
                    continue;
                }
                if (stored == null) {
                    stored = storedStates();
                }
                Target t = targets.get(e.getKey());
                r = new TargetRunner(t, job, restore(t, job, stored.get(t.key())));
                runners.put(e.getKey(), r);
                schedule(r);
            }
            scheduleQuerySources(cfg);
        }
    }

    private Map<String, String> storedStates() {
        Map<String, String> out = new HashMap<>();
        for (StoredTarget st : repository.targets()) {
            if (st.watchState() != null) {
                out.put(st.target().key(), st.watchState());
            }
        }
        return out;
    }

    private TargetWatch restore(Target t, ScrapeJob job, String json) {
        WatchSettings settings = settings(job);
        if (json != null) {
            try {
                return TargetWatch.fromJson(t, settings, json);
            } catch (RuntimeException e) {
                log.warn("stored state unreadable; starting a new baseline", "target", t.key(), "error", e.getMessage());
            }
        }
        return new TargetWatch(t, settings);
    }

    /** The job's baseline times in its readings: at least 3 readings of warm-up and per bucket, twelve buckets a window. */
    static WatchSettings settings(ScrapeJob job) {
        long every = Math.max(1, job.scrapeInterval().toMillis());
        int warmup = (int) Math.clamp(job.baseline().warmup().toMillis() / every, 3, 10_000);
        int perBucket = (int) Math.clamp(job.baseline().window().toMillis() / BASELINE_BUCKETS / every, 3, 10_000);
        return new WatchSettings(warmup, perBucket, BASELINE_BUCKETS);
    }

    /** Scrapes at a fixed rate, each target at its own offset in the interval (a stable hash), so a fleet is spread evenly. */
    private void schedule(TargetRunner r) {
        long interval = r.job.scrapeInterval().toMillis();
        long offset = Math.floorMod(r.target.key().hashCode() * 0x9E3779B9L, interval);
        r.schedule = timer.scheduleAtFixedRate(() -> submit(r, interval), offset, interval, TimeUnit.MILLISECONDS);
    }

    private static void stop(TargetRunner r) {
        ScheduledFuture<?> f = r.schedule;
        if (f != null) {
            f.cancel(false);
        }
    }

    private void submit(TargetRunner r, long intervalMillis) {
        long due = System.nanoTime();
        scrapes.execute(() -> {
            if (!r.busy.compareAndSet(false, true)) {
                r.scrapesSkipped.incrementAndGet(); // the last one still runs (a capture takes longer than the interval)
                return;
            }
            try {
                if ((System.nanoTime() - due) / 1_000_000 > Math.min(1000, intervalMillis / 10)) {
                    r.scrapesLate.incrementAndGet();
                }
                if (r.backingOff(Instant.now(clock))) {
                    return;
                }
                handle(r, scraper.scrape(r.job, r.target));
            } catch (RuntimeException e) {
                log.error("scrape failed unexpectedly", "target", r.target.key(), "error", String.valueOf(e));
            } finally {
                r.busy.set(false);
            }
        });
    }

    private void scheduleQuerySources(GuardConfig cfg) {
        Set<String> keys = new java.util.HashSet<>();
        for (ScrapeJob job : cfg.jobs()) {
            if (job.prometheusSdConfigs().isEmpty()) {
                continue;
            }
            String key = job.name() + "@" + job.scrapeInterval().toMillis();
            keys.add(key);
            querySchedules.computeIfAbsent(key, k -> timer.scheduleAtFixedRate(
                    () -> scrapes.execute(() -> query(job.name())), 0, job.scrapeInterval().toMillis(),
                    TimeUnit.MILLISECONDS));
        }
        querySchedules.entrySet().removeIf(e -> {
            boolean keep = keys.contains(e.getKey());
            if (!keep) {
                e.getValue().cancel(false);
            }
            return !keep;
        });
    }

    /** One round of a query-source job: every series' instance becomes a reading of its target. */
    private void query(String jobName) {
        ScrapeJob job = config().job(jobName);
        if (job == null) {
            return;
        }
        Instant now = Instant.now(clock);
        for (ScrapeJob.QuerySd sd : job.prometheusSdConfigs()) {
            List<Reading> readings;
            try {
                readings = querySource.read(job, sd, now);
            } catch (QuerySourceException | RuntimeException e) {
                log.warn("query source failed", "job", jobName, "url", sd.url(), "error", e.getMessage());
                continue;
            }
            Map<String, String> stored = null;
            for (Reading reading : readings) {
                Target t = reading.target();
                if (!Shards.owns(t, options.shard().index(), options.shard().count())) {
                    continue;
                }
                TargetRunner r = runners.get(t.key());
                if (r == null) {
                    if (stored == null) {
                        stored = storedStates();
                    }
                    r = new TargetRunner(t, job, restore(t, job, stored.get(t.key())));
                    runners.put(t.key(), r);
                }
                r.job = job;
                TargetRunner runner = r;
                // each on its own virtual thread, as scrapes: one instance's capture never delays the others
                scrapes.execute(() -> {
                    if (!runner.busy.compareAndSet(false, true)) {
                        runner.scrapesSkipped.incrementAndGet();
                        return;
                    }
                    try {
                        handle(runner, reading);
                    } catch (RuntimeException e) {
                        log.error("reading failed unexpectedly", "target", runner.target.key(), "error", String.valueOf(e));
                    } finally {
                        runner.busy.set(false);
                    }
                });
            }
        }
        forgetVanished(job, now);
    }

    /** An instance the query source has not listed for ten intervals is gone (scaled down, moved): guard stops showing it. */
    private void forgetVanished(ScrapeJob job, Instant now) {
        Instant cutoff = now.minus(job.scrapeInterval().multipliedBy(10));
        runners.values().removeIf(r -> {
            boolean gone = r.job.name().equals(job.name()) && !job.prometheusSdConfigs().isEmpty()
                    && r.last != null && r.last.at().isBefore(cutoff) && !r.busy.get();
            if (gone) {
                log.info("target removed", "job", r.target.job(), "target", r.target.address(),
                        "reason", "not in the query source for ten intervals");
            }
            return gone;
        });
    }

    /** Applies a reading to its target's watch and acts on the events, in the job's stage. */
    private void handle(TargetRunner r, Reading reading) {
        List<WatchEvent> events;
        boolean wasUp;
        synchronized (r) {
            wasUp = r.last == null || r.last.up();
            r.account(reading, r.job.scrapeInterval());
            events = r.watch.observe(reading, r.job.rules(), r.job.stage());
        }
        if (wasUp && !reading.up()) {
            log.warn("target down", "job", r.target.job(), "target", r.target.address(), "error", reading.error());
        } else if (!wasUp && reading.up()) {
            log.info("target up again", "job", r.target.job(), "target", r.target.address());
        }
        if (r.job.stage().captures() && reading.up()) {
            takeOnsetDump(r);
        }
        for (WatchEvent e : events) {
            act(r, e);
        }
        writer.add(reading, r.watch.toJson());
        maybeRefreshBaselineDump(r, reading);
    }

    /**
     * When a condition starts (a metric's first reading over its threshold), takes a full goroutine
     * dump: with the baseline dump and the one taken when the alert opens, the engine sees three
     * snapshots, enough to tell goroutines that only grow from a burst. Dropped when the streak ends.
     */
    private void takeOnsetDump(TargetRunner r) {
        TargetStatus st = r.watch.status();
        boolean starting = false;
        boolean over = false;
        for (TargetStatus.MetricStatus m : st.metrics().values()) {
            over |= m.overStreak() > 0 || m.firing();
            starting |= m.overStreak() == 1 && !m.firing();
        }
        if (!over) {
            r.onsetDump = null;
            return;
        }
        if (starting && r.onsetDump == null) {
            Capture cap = scraper.capture(r.job, r.target, Set.of(Capture.Evidence.GOROUTINE_DUMP));
            Capture.CapturedFile dump = cap.file(Capture.Evidence.GOROUTINE_DUMP);
            r.onsetDump = dump == null ? null : dump.bytes();
        }
    }

    private void act(TargetRunner r, WatchEvent event) {
        ScrapeJob job = r.job;
        switch (event) {
            case WatchEvent.Opened o -> {
                Alert alert = o.alert();
                log.warn("alert firing", "job", alert.target().job(), "target", alert.target().address(),
                        "metric", alert.metric().key(), "value", fmt(alert.value()), "baseline", fmt(alert.baseline()),
                        "threshold", fmt(alert.threshold()), "since", alert.since(), "stage", alert.stage().key(),
                        "alert", alert.id());
                if (alert.stage().captures()) {
                    AlertEvidence ev = capture(r, alert);
                    if (ev != null && r.watch.attachEvidence(alert.id(), ev)) {
                        alert = alert.withEvidence(ev);
                    }
                }
                transition(r, alert, job);
            }
            case WatchEvent.Updated u -> repository.updateAlert(u.alert());
            case WatchEvent.Resolved res -> {
                Alert alert = res.alert();
                log.info("alert resolved", "job", alert.target().job(), "target", alert.target().address(),
                        "metric", alert.metric().key(), "value", fmt(alert.value()), "baseline", fmt(alert.baseline()),
                        "reason", res.reason(), "alert", alert.id());
                transition(r, alert, job);
            }
            case WatchEvent.BaselineReset reset -> {
                log.info("new process: learning a new baseline", "job", r.target.job(), "target", r.target.address(),
                        "process_start", fmt(reset.newStart()));
                r.baselineDumpAt = null;
                deleteBaselineDump(r.target);
            }
        }
    }

    /** Stores the transition with the watch's state and, when the alert notifies, its deliveries: one transaction, so none is lost or doubled. */
    private void transition(TargetRunner r, Alert alert, ScrapeJob job) {
        List<Outbox.Pending> pending = alert.stage().notifies()
                ? deliveries.plan(alert, config().notifications(), job) : List.of();
        repository.recordTransition(alert, pending, r.watch.toJson());
        if (!pending.isEmpty()) {
            deliveryLoop.wake();
        }
    }

    /** Takes the expensive evidence now, diagnoses it and keeps it (database and files); null when nothing could be captured. */
    private AlertEvidence capture(TargetRunner r, Alert alert) {
        Instant at = Instant.now(clock);
        AlertEvidence recent = r.lastEvidence;
        Duration shareWithin = r.job.scrapeInterval().multipliedBy(2);
        if (recent != null && Duration.between(recent.capturedAt(), at).compareTo(shareWithin) < 0) {
            return recent; // another metric of the same target opened moments ago: the same goroutines, the same heap
        }
        Capture cap = scraper.capture(r.job, r.target);
        List<String> warnings = new ArrayList<>(cap.problems());
        String captureId = captureId(alert, at);
        // the earlier dumps first, in time order, named so that `godiag diagnose` of the directory reads them in order
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] before = baselineDump(r.target);
        if (before != null) {
            files.put(EvidenceAnalysis.BASELINE_DUMP, before);
        }
        if (r.onsetDump != null) {
            files.put(EvidenceAnalysis.ONSET_DUMP, r.onsetDump);
        }
        for (Capture.CapturedFile f : cap.files()) {
            files.put(f.name(), f.bytes());
        }
        AlertEvidence ev = evidence.analyse(captureId, at, files, warnings);
        r.lastEvidence = ev;
        try {
            Path dir = options.dataDir().resolve("captures").resolve(captureId);
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
        } catch (IOException e) {
            warnings.add("writing the capture under the data directory: " + e.getMessage());
        }
        try {
            repository.saveEvidence(alert.id(), ev, files.entrySet().stream()
                    .map(f -> new EvidenceFile(f.getKey(), f.getValue())).toList());
        } catch (RuntimeException e) {
            warnings.add("storing the capture: " + e.getMessage());
        }
        for (String w : warnings) {
            log.warn("capture incomplete", "target", r.target.key(), "alert", alert.id(), "problem", w);
        }
        log.info("evidence captured", "target", r.target.key(), "alert", alert.id(), "capture", captureId,
                "files", files.size(), "grown_buckets", ev.buckets().size(), "findings", ev.findings().size());
        return ev;
    }

    static String captureId(Alert alert, Instant at) {
        String base = alert.target().key() + "-" + alert.metric().key() + "-" + at.toEpochMilli();
        return base.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /**
     * Once the baselines are learned (and every hour while no alert is open), keeps a full
     * goroutine dump of the target: the "before" an alert's grown buckets are counted from.
     */
    private void maybeRefreshBaselineDump(TargetRunner r, Reading reading) {
        if (!reading.up() || !r.job.stage().captures()) {
            return;
        }
        var status = r.watch.status();
        if (status.warmingUp() || status.metrics().values().stream().anyMatch(m -> m.firing() || m.baseline().isEmpty()
                || m.overStreak() > 0)) {
            return;
        }
        Instant last = r.baselineDumpAt;
        if (last == null) {
            last = storedBaselineDumpTime(r.target);
            r.baselineDumpAt = last;
        }
        if (last != null && Duration.between(last, reading.at()).compareTo(BASELINE_DUMP_AGE) < 0) {
            return;
        }
        r.baselineDumpAt = reading.at();
        Capture cap = scraper.capture(r.job, r.target, Set.of(Capture.Evidence.GOROUTINE_DUMP));
        Capture.CapturedFile dump = cap.file(Capture.Evidence.GOROUTINE_DUMP);
        if (dump == null) {
            log.warn("baseline dump not taken", "target", r.target.key(), "problem", String.join("; ", cap.problems()));
            return;
        }
        try {
            Path f = baselineDumpFile(r.target);
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.write(tmp, dump.bytes());
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("baseline dump not saved", "target", r.target.key(), "error", e.getMessage());
        }
    }

    private Instant storedBaselineDumpTime(Target t) {
        try {
            Path f = baselineDumpFile(t);
            return Files.exists(f) ? Files.getLastModifiedTime(f).toInstant() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] baselineDump(Target t) {
        try {
            Path f = baselineDumpFile(t);
            return Files.exists(f) ? Files.readAllBytes(f) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void deleteBaselineDump(Target t) {
        try {
            Files.deleteIfExists(baselineDumpFile(t));
        } catch (IOException e) {
            log.warn("old baseline dump not deleted", "target", t.key(), "error", e.getMessage());
        }
    }

    private Path baselineDumpFile(Target t) {
        return options.dataDir().resolve("baselines").resolve(t.key().replaceAll("[^A-Za-z0-9._-]+", "_")
                + ".goroutine.debug2.txt");
    }

    private void discover() {
        try {
            apply(config());
        } catch (RuntimeException e) {
            log.error("target discovery failed", "error", String.valueOf(e));
        }
    }

    private void prune() {
        try {
            Instant now = Instant.now(clock);
            long readings = repository.pruneReadings(now.minus(options.retention()));
            long deliveries = repository.pruneDeliveries(now.minus(ALERT_HISTORY));
            long alerts = repository.pruneResolved(now.minus(ALERT_HISTORY));
            long captures = pruneCaptureFiles(now.minus(ALERT_HISTORY));
            if (readings + deliveries + alerts + captures > 0) {
                log.info("history pruned", "readings", readings, "deliveries", deliveries, "alerts", alerts,
                        "capture_dirs", captures);
            }
        } catch (RuntimeException e) {
            log.warn("pruning history failed", "error", e.getMessage());
        }
    }

    /** Deletes the capture directories under the data directory last written before {@code before}; how many. */
    private long pruneCaptureFiles(Instant before) {
        Path dir = options.dataDir().resolve("captures");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long n = 0;
        try (var captures = Files.list(dir)) {
            for (Path c : captures.toList()) {
                if (Files.getLastModifiedTime(c).toInstant().isBefore(before)) {
                    try (var files = Files.walk(c)) {
                        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(f);
                        }
                    }
                    n++;
                }
            }
        } catch (IOException e) {
            log.warn("old captures not deleted", "dir", dir, "error", e.getMessage());
        }
        return n;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format("%.3g", v);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        scrapes.shutdownNow();
        try {
            scrapes.awaitTermination(5, TimeUnit.SECONDS);
            deliveryLoop.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        scraper.close();
        querySource.close();
        log.info("guard stopped");
    }
}
