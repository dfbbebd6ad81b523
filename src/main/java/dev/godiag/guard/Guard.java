package dev.godiag.guard;

import dev.godiag.engine.Engine;
import dev.godiag.guard.config.GuardConfig;
import dev.godiag.guard.config.GuardConfigLoader;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.config.Shards;
import dev.godiag.guard.config.TargetDiscovery;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Outbox;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Target;
import dev.godiag.guard.notify.Deliveries;
import dev.godiag.guard.notify.DeliveryWorker;
import dev.godiag.guard.scrape.Capture;
import dev.godiag.guard.scrape.QuerySource;
import dev.godiag.guard.scrape.TargetScraper;
import dev.godiag.guard.watch.TargetWatch;
import dev.godiag.guard.watch.WatchEvent;
import dev.godiag.store.GuardRepository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.concurrent.atomic.AtomicLong;
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
    /** How often targets from file SD are looked for, and query sources' schedules checked. */
    static final Duration DISCOVERY_PERIOD = Duration.ofSeconds(5);
    /** A baseline dump older than this is refreshed while no alert is open. */
    static final Duration BASELINE_DUMP_AGE = Duration.ofHours(1);
    /** Readings older than this are pruned from the history. */
    static final Duration HISTORY = Duration.ofDays(7);

    /**
     * @param dataDir    where captured evidence and baseline dumps are kept as files
     * @param shardIndex this guard's shard (0-based) of {@code shardCount}; 0 of 1 watches everything
     */
    public record Options(Path configFile, Path dataDir, int shardIndex, int shardCount) {
        public Options {
            if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
                throw new IllegalArgumentException("shard " + shardIndex + "/" + shardCount + ": need 0 <= i < N");
            }
        }
    }

    private final Options options;
    private final GuardRepository repository;
    private final EvidenceAnalysis evidence;
    private final Clock clock;
    private final GuardLog log;
    private final TargetScraper scraper;
    private final QuerySource querySource;
    private final TargetDiscovery discovery = new TargetDiscovery();
    private final ScheduledExecutorService timer;
    private final ExecutorService scrapes = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, TargetRunner> runners = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> querySchedules = new ConcurrentHashMap<>();
    private final DeliveryWorker deliveries;
    private final ReadingWriter writer;
    private final Object configLock = new Object();
    private volatile GuardConfig config;
    private volatile Instant lastReload;
    private volatile boolean lastReloadOk = true;
    final AtomicLong reloads = new AtomicLong();

    private Guard(Options options, GuardConfig config, GuardRepository repository, Engine engine, Clock clock,
                  Consumer<String> logSink) {
        this.options = options;
        this.config = config;
        this.repository = repository;
        this.evidence = new EvidenceAnalysis(engine);
        this.clock = clock;
        this.log = new GuardLog(logSink, clock);
        HttpClient http = HttpClient.newBuilder().executor(scrapes).connectTimeout(Duration.ofSeconds(10)).build();
        this.scraper = new TargetScraper();
        this.querySource = new QuerySource();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "guard-timer");
            t.setDaemon(true);
            return t;
        });
        this.writer = new ReadingWriter(repository, log);
        this.deliveries = new DeliveryWorker(repository, http, clock);
    }

    /** Reads the configuration, restores the stored state and starts watching. */
    public static Guard start(Options options, GuardRepository repository, Engine engine, Clock clock,
                              Consumer<String> logSink) {
        GuardConfig config = GuardConfigLoader.load(options.configFile());
        Guard g = new Guard(options, config, repository, engine, clock, logSink);
        g.lastReload = Instant.now(clock);
        g.apply(config);
        g.timer.scheduleWithFixedDelay(g::discover, DISCOVERY_PERIOD.toMillis(), DISCOVERY_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        g.timer.scheduleWithFixedDelay(g::prune, 1, 60, TimeUnit.MINUTES);
        g.writer.start(g.timer);
        g.deliveries.start();
        g.log.info("guard started", "jobs", config.jobs().size(), "targets", g.runners.size(),
                "shard", (options.shardIndex() + 1) + "/" + options.shardCount());
        return g;
    }

    public GuardConfig config() {
        return config;
    }

    public Options options() {
        return options;
    }

    public GuardRepository repository() {
        return repository;
    }

    Collection<TargetRunner> runners() {
        return runners.values();
    }

    Instant lastReload() {
        return lastReload;
    }

    boolean lastReloadOk() {
        return lastReloadOk;
    }

    DeliveryWorker deliveries() {
        return deliveries;
    }

    /**
     * Re-reads the configuration file (SIGHUP, {@code POST /-/reload}); a file with problems is
     * refused with its message and the running configuration stays.
     *
     * @return null when applied, else the problems (one line each)
     */
    public String reload() {
        synchronized (configLock) {
            GuardConfig next;
            try {
                next = GuardConfigLoader.load(options.configFile());
            } catch (RuntimeException e) {
                lastReloadOk = false;
                log.error("config reload failed; keeping the running configuration", "error", e.getMessage());
                return e.getMessage();
            }
            config = next;
            lastReloadOk = true;
            lastReload = Instant.now(clock);
            reloads.incrementAndGet();
            apply(next);
            log.info("config reloaded", "jobs", next.jobs().size(), "targets", runners.size());
            return null;
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
                    if (Shards.owns(t, options.shardIndex(), options.shardCount())) {
                        wanted.put(t.key(), job);
                        targets.put(t.key(), t);
                    }
                }
            }
            for (Map.Entry<String, TargetRunner> e : runners.entrySet()) {
                TargetRunner r = e.getValue();
                if (!wanted.containsKey(e.getKey()) && !r.job.prometheusSdConfigs().isEmpty()
                        && cfg.job(r.job.name()) != null) {
                    r.job = cfg.job(r.job.name()); // a query-source target stays while its job does
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
                    stored = repository.loadTargetStates();
                }
                r = new TargetRunner(targets.get(e.getKey()), job, restore(targets.get(e.getKey()), stored));
                runners.put(e.getKey(), r);
                schedule(r);
            }
            scheduleQuerySources(cfg);
        }
    }

    private TargetWatch restore(Target t, Map<String, String> stored) {
        String json = stored.get(t.key());
        if (json != null) {
            try {
                return TargetWatch.fromJson(t, json);
            } catch (RuntimeException e) {
                log.warn("stored state unreadable; starting a new baseline", "target", t.key(), "error", e.getMessage());
            }
        }
        return new TargetWatch(t);
    }

    /** Scrapes at a fixed rate, each target at its own offset in the interval (a stable hash), so a fleet is spread evenly. */
    private void schedule(TargetRunner r) {
        long interval = r.job.scrapeInterval().toMillis();
        long offset = Math.floorMod(r.target.key().hashCode() * 0x9E3779B9L, interval);
        r.schedule = timer.scheduleAtFixedRate(() -> submit(r, interval), offset, interval, TimeUnit.MILLISECONDS);
    }

    private void stop(TargetRunner r) {
        ScheduledFuture<?> f = r.schedule;
        if (f != null) {
            f.cancel(false);
        }
    }

    private void submit(TargetRunner r, long intervalMillis) {
        Instant due = Instant.now(clock);
        scrapes.execute(() -> {
            if (!r.busy.compareAndSet(false, true)) {
                r.scrapesSkipped.incrementAndGet(); // the last one still runs (its timeout is longer than the interval)
                return;
            }
            try {
                Instant start = Instant.now(clock);
                if (Duration.between(due, start).toMillis() > Math.min(1000, intervalMillis / 10)) {
                    r.scrapesLate.incrementAndGet();
                }
                if (r.backingOff(start)) {
                    return;
                }
                ScrapeJob job = r.job;
                Reading reading = scraper.scrape(job, r.target);
                handle(r, reading);
            } catch (RuntimeException e) {
                log.error("scrape failed unexpectedly", "target", r.target.key(), "error", String.valueOf(e));
            } finally {
                r.busy.set(false);
            }
        });
    }

    private void scheduleQuerySources(GuardConfig cfg) {
        Set<String> jobs = new HashSet<>();
        for (ScrapeJob job : cfg.jobs()) {
            if (job.prometheusSdConfigs().isEmpty()) {
                continue;
            }
            jobs.add(job.name());
            querySchedules.computeIfAbsent(job.name() + "@" + job.scrapeInterval().toMillis(), k -> {
                long every = job.scrapeInterval().toMillis();
                return timer.scheduleAtFixedRate(() -> scrapes.execute(() -> query(job.name())), 0, every,
                        TimeUnit.MILLISECONDS);
            });
        }
        querySchedules.entrySet().removeIf(e -> {
            String name = e.getKey().substring(0, e.getKey().lastIndexOf('@'));
            ScrapeJob j = cfg.job(name);
            boolean keep = j != null && jobs.contains(name)
                    && e.getKey().equals(name + "@" + j.scrapeInterval().toMillis());
            if (!keep) {
                e.getValue().cancel(false);
            }
            return !keep;
        });
    }

    /** One round of a query-source job: every series becomes a reading of its target. */
    private void query(String jobName) {
        ScrapeJob job = config.job(jobName);
        if (job == null) {
            return;
        }
        Instant now = Instant.now(clock);
        for (ScrapeJob.QuerySd sd : job.prometheusSdConfigs()) {
            List<Reading> readings;
            try {
                readings = querySource.read(sd, now);
            } catch (RuntimeException e) {
                log.warn("query source failed", "job", jobName, "url", sd.url(), "error", e.getMessage());
                continue;
            }
            for (Reading reading : readings) {
                Target t = new Target(jobName, reading.target().address(), reading.target().labels());
                if (!Shards.owns(t, options.shardIndex(), options.shardCount())) {
                    continue;
                }
                TargetRunner r = runners.computeIfAbsent(t.key(),
                        k -> new TargetRunner(t, job, restore(t, repository.loadTargetStates())));
                r.job = job;
                handle(r, reading);
            }
        }
    }

    /** Applies a reading to its target's watch and acts on the events, in the job's stage. */
    private void handle(TargetRunner r, Reading reading) {
        List<WatchEvent> events;
        synchronized (r) {
            boolean wasUp = r.last == null || r.last.up();
            r.account(reading, r.job.scrapeInterval());
            if (wasUp && !reading.up()) {
                log.warn("target down", "job", r.target.job(), "target", r.target.address(), "error", reading.error());
            } else if (!wasUp && reading.up()) {
                log.info("target up again", "job", r.target.job(), "target", r.target.address());
            }
            events = r.watch.observe(reading, r.job.rules(), r.job.stage());
            writer.add(reading, r.watch.toJson());
        }
        for (WatchEvent e : events) {
            act(r, e);
        }
        maybeRefreshBaselineDump(r, reading);
    }

    private void act(TargetRunner r, WatchEvent event) {
        ScrapeJob job = r.job;
        switch (event) {
            case WatchEvent.Opened o -> {
                Alert alert = o.alert();
                log.warn("alert firing", "job", alert.target().job(), "target", alert.target().address(),
                        "metric", alert.metric().key(), "value", fmt(alert.value()), "baseline", fmt(alert.baseline()),
                        "threshold", fmt(alert.threshold()), "since", alert.since(), "stage", job.stage().key());
                if (job.stage().captures()) {
                    alert = capture(r, alert);
                }
                transition(alert, job);
            }
            case WatchEvent.Resolved res -> {
                Alert alert = res.alert();
                log.info("alert resolved", "job", alert.target().job(), "target", alert.target().address(),
                        "metric", alert.metric().key(), "value", fmt(alert.value()), "baseline", fmt(alert.baseline()));
                transition(repository.alert(alert.id()).map(stored -> alert.withEvidence(stored.evidence())).orElse(alert),
                        job);
            }
            case WatchEvent.BaselineReset reset -> {
                log.info("new baseline", "job", r.target.job(), "target", r.target.address(), "reason", reset.reason());
                r.baselineDumpAt = null;
            }
            default -> {
            }
        }
    }

    /** Stores the transition, with its deliveries when the job notifies: one transaction, so none is lost or doubled. */
    private void transition(Alert alert, ScrapeJob job) {
        List<Outbox.Pending> pending = job.stage().notifies()
                ? Deliveries.plan(alert, config.notifications(), job) : List.of();
        repository.recordTransition(alert, pending);
        if (!pending.isEmpty()) {
            deliveries.wake();
        }
    }

    /** Takes the expensive evidence now, diagnoses it and keeps it (database and files). */
    private Alert capture(TargetRunner r, Alert alert) {
        Instant at = Instant.now(clock);
        Capture cap = scraper.capture(r.job, r.target);
        List<String> warnings = new ArrayList<>(cap.errors());
        String captureId = captureId(alert, at);
        Map<String, byte[]> files = cap.files();
        AlertEvidence ev = evidence.analyse(captureId, at, baselineDump(r.target), files, warnings);
        try {
            Path dir = options.dataDir().resolve("captures").resolve(captureId);
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
        } catch (IOException e) {
            warnings.add("writing the capture: " + e.getMessage());
        }
        repository.saveEvidence(alert.id(), ev, files);
        for (String w : warnings) {
            log.warn("capture incomplete", "target", r.target.key(), "alert", alert.id(), "problem", w);
        }
        log.info("evidence captured", "target", r.target.key(), "alert", alert.id(), "capture", captureId,
                "files", files.size(), "grown_buckets", ev.buckets().size(), "findings", ev.findings().size());
        return alert.withEvidence(ev);
    }

    static String captureId(Alert alert, Instant at) {
        String base = alert.target().key() + "-" + alert.metric().key() + "-" + at.toEpochMilli();
        return base.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /** After warm-up (and every hour while quiet), keeps a full goroutine dump of the target as the "before" of future alerts. */
    private void maybeRefreshBaselineDump(TargetRunner r, Reading reading) {
        if (!reading.up() || !r.job.stage().captures() || !r.watch.ready() || r.watch.anyFiring()) {
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
        byte[] dump = scraper.goroutineDump(r.job, r.target);
        if (dump == null) {
            return;
        }
        try {
            Path f = baselineDumpFile(r.target);
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.write(tmp, dump);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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

    private Path baselineDumpFile(Target t) {
        return options.dataDir().resolve("baselines").resolve(t.key().replaceAll("[^A-Za-z0-9._-]+", "_") + ".txt");
    }

    private void discover() {
        try {
            apply(config);
        } catch (RuntimeException e) {
            log.error("target discovery failed", "error", String.valueOf(e));
        }
    }

    private void prune() {
        try {
            repository.pruneReadings(Instant.now(clock).minus(HISTORY));
        } catch (RuntimeException e) {
            log.warn("pruning history failed", "error", e.getMessage());
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format("%.3g", v);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        deliveries.close();
        scrapes.shutdownNow();
        try {
            scrapes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        log.info("guard stopped");
    }
}
