package dev.godiag.guard.scrape;

import dev.godiag.guard.config.Durations;
import dev.godiag.format.InputKind;
import dev.godiag.format.Inputs;
import dev.godiag.format.goroutine.GoroutineCountReader;
import dev.godiag.format.runtime.ExpvarReader;
import dev.godiag.format.runtime.PrometheusTextReader;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Target;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.PromMetrics;
import dev.godiag.util.BadInputException;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Scrapes guard's targets over HTTP (virtual threads; thread-safe: one scraper serves every job
 * and target concurrently, each call blocking only its own thread).
 *
 * <p>{@link #scrape} reads the cheap counts within the job's {@code scrape_timeout}: from the
 * job's {@code metrics_path} in Prometheus text ({@code go_goroutines},
 * {@code go_memstats_heap_inuse_bytes}, {@code process_open_fds}, {@code process_start_time_seconds});
 * when the target has no such endpoint (or it lacks {@code go_goroutines}), from
 * {@code <pprof_path>/goroutine?debug=1} (the total on its first line, only that line is read) and
 * {@code /debug/vars} (memstats.HeapInuse). It never throws: a failure is a
 * {@link Reading#failed} with one line saying why.
 *
 * <p>{@link #capture} fetches the expensive evidence from the job's {@code pprof_path}.
 */
public final class TargetScraper implements AutoCloseable {
    /** Where Go's expvar package serves its variables; there is no config key for it. */
    static final String EXPVAR_PATH = "/debug/vars";
    private static final String ACCEPT_PROMETHEUS = "text/plain;version=0.0.4;q=1,*/*;q=0.1";
    /** Enough for "goroutine profile: total N" and its line end. */
    private static final int COUNT_HEAD = 256;

    private final ScrapeLimits limits;
    private final Clock clock;
    private final Fetcher fetcher;

    public TargetScraper(ScrapeLimits limits, Clock clock, String userAgent) {
        this.limits = limits;
        this.clock = clock;
        this.fetcher = new Fetcher(userAgent);
    }

    /** Default limits, the system clock, User-Agent {@code godiag-guard}. */
    public TargetScraper() {
        this(ScrapeLimits.DEFAULT, Clock.systemUTC(), "godiag-guard");
    }

    /** One scrape of {@code target} within the job's timeout: the values it serves, or why it failed. */
    public Reading scrape(ScrapeJob job, Target target) {
        Instant at = clock.instant();
        long start = System.nanoTime();
        long deadline = start + job.scrapeTimeout().toNanos();
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        List<String> sources = new ArrayList<>(2);
        OptionalDouble processStart = OptionalDouble.empty();
        try {
            String metricsProblem;
            Fetcher.Response m = get(job, target, job.metricsPath(), ACCEPT_PROMETHEUS, remaining(deadline, job),
                    limits.maxScrapeBytes(), false);
            if (m.ok()) {
                PromMetrics pm = PrometheusTextReader.read(new ByteArrayInputStream(m.body()), job.metricsPath());
                metricsProblem = notPrometheus(pm, job.metricsPath());
                if (metricsProblem == null) {
                    put(values, Metric.GOROUTINES, pm.value("go_goroutines"));
                    put(values, Metric.HEAP, pm.value("go_memstats_heap_inuse_bytes"));
                    put(values, Metric.FDS, pm.value("process_open_fds"));
                    processStart = finite(pm.value("process_start_time_seconds"));
                    if (!values.isEmpty()) {
                        sources.add("metrics");
                    }
                    if (!values.containsKey(Metric.GOROUTINES)) {
                        metricsProblem = "no go_goroutines in " + job.metricsPath();
                    }
                }
            } else if (m.status() == 404) {
                metricsProblem = "no " + job.metricsPath() + " (HTTP 404)";
            } else {
                return failed(target, at, start, "HTTP " + m.status() + " from " + job.metricsPath());
            }
            if (metricsProblem != null) {
                String countPath = pprofPath(job) + "/goroutine?debug=1";
                Fetcher.Response g = get(job, target, countPath, null, remaining(deadline, job), COUNT_HEAD, true);
                OptionalDouble total = g.ok() ? goroutineTotal(g.body()) : OptionalDouble.empty();
                if (total.isEmpty()) {
                    return failed(target, at, start, metricsProblem + ", and " + countPath + " "
                            + (g.ok() ? "has no goroutine total" : "answered HTTP " + g.status()));
                }
                values.put(Metric.GOROUTINES, total.getAsDouble());
                sources.add("pprof");
                if (!values.containsKey(Metric.HEAP)) {
                    heapFromExpvar(job, target, deadline, values, sources);
                }
            }
        } catch (FetchException e) {
            // a timeout names the job's budget, not what was left of it for the last request
            return failed(target, at, start,
                    e.timedOut() ? "timeout after " + Durations.format(job.scrapeTimeout()) : e.getMessage());
        }
        return new Reading(target, at, Duration.ofNanos(System.nanoTime() - start), null, values, processStart,
                String.join(",", sources));
    }

    /**
     * The heap in use from expvar's memstats, when served: a target without expvar (or whose expvar
     * fails) has no heap value, and its goroutine count still counts.
     */
    private void heapFromExpvar(ScrapeJob job, Target target, long deadline, Map<Metric, Double> values,
                                List<String> sources) {
        Fetcher.Response v;
        try {
            v = get(job, target, EXPVAR_PATH, "application/json", remaining(deadline, job), limits.maxScrapeBytes(),
                    false);
        } catch (FetchException e) {
            return;
        }
        if (!v.ok()) {
            return;
        }
        try {
            ExpvarSnapshot vars = ExpvarReader.read(new ByteArrayInputStream(v.body()), EXPVAR_PATH);
            if (vars.memstats() != null && vars.memstats().heapInuse() >= 0) {
                values.put(Metric.HEAP, (double) vars.memstats().heapInuse());
                sources.add("expvar");
            }
        } catch (BadInputException e) {
            // not expvar JSON: the heap stays unknown
        }
    }

    /** The capture of every kind of {@link Capture.Evidence}. */
    public Capture capture(ScrapeJob job, Target target) {
        return capture(job, target, EnumSet.allOf(Capture.Evidence.class));
    }

    /**
     * Fetches the chosen evidence one file after the other (a struggling target is not asked for
     * four expensive answers at once), each within the capture timeout (at least the job's scrape
     * timeout) and {@link ScrapeLimits#maxEvidenceBytes}. A file the target does not serve (404,
     * e.g. goroutineleak before Go 1.26) or that is not what its endpoint should serve is a
     * problem line, not an error.
     */
    public Capture capture(ScrapeJob job, Target target, Set<Capture.Evidence> evidence) {
        Instant at = clock.instant();
        long start = System.nanoTime();
        Duration timeout = job.scrapeTimeout().compareTo(limits.captureTimeout()) > 0
                ? job.scrapeTimeout() : limits.captureTimeout();
        List<Capture.CapturedFile> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Capture.Evidence e : Capture.Evidence.values()) {
            if (!evidence.contains(e)) {
                continue;
            }
            try {
                Fetcher.Response r = get(job, target, pprofPath(job) + e.path(), null, timeout,
                        limits.maxEvidenceBytes(), false);
                if (r.status() == 404) {
                    problems.add(e.label() + ": not served (HTTP 404)");
                } else if (!r.ok()) {
                    problems.add(e.label() + ": HTTP " + r.status());
                } else if (!looksLike(e, r.body())) {
                    problems.add(e.label() + ": the answer is not " + expected(e));
                } else {
                    files.add(new Capture.CapturedFile(e, e.fileName(), r.body()));
                }
            } catch (FetchException x) {
                problems.add(e.label() + ": " + x.getMessage());
                if (x.getMessage().equals("connection refused") || x.getMessage().equals("unknown host")) {
                    break; // nothing more will be served
                }
            }
        }
        return new Capture(target, at, Duration.ofNanos(System.nanoTime() - start), files, problems);
    }

    private static boolean looksLike(Capture.Evidence e, byte[] body) {
        InputKind kind = Inputs.detect(body.length > Inputs.SNIFF ? java.util.Arrays.copyOf(body, Inputs.SNIFF) : body);
        return switch (e) {
            case GOROUTINE_DUMP, GOROUTINE_COUNTS -> kind == InputKind.GOROUTINES;
            case HEAP, GOROUTINE_LEAK -> kind == InputKind.PROFILE;
        };
    }

    private static String expected(Capture.Evidence e) {
        return switch (e) {
            case GOROUTINE_DUMP -> "a goroutine dump";
            case GOROUTINE_COUNTS -> "a goroutine profile in debug=1 text";
            case HEAP, GOROUTINE_LEAK -> "a pprof profile";
        };
    }

    private Fetcher.Response get(ScrapeJob job, Target target, String path, String accept, Duration timeout,
                                 long max, boolean truncate) throws FetchException {
        URI uri;
        try {
            uri = URI.create(job.scheme() + "://" + target.address() + path);
        } catch (IllegalArgumentException e) {
            throw new FetchException("bad target address \"" + BadInputException.oneLine(target.address()) + "\"");
        }
        if (uri.getHost() == null) {
            throw new FetchException("bad target address \"" + BadInputException.oneLine(target.address()) + "\"");
        }
        return fetcher.get(uri, job.http(), accept, timeout, max, truncate);
    }

    /** What is left of the scrape's time; the first request's timeout is the job's, as written. */
    private static Duration remaining(long deadline, ScrapeJob job) throws FetchException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new FetchException("timeout", true);
        }
        return Duration.ofNanos(left);
    }

    private static String pprofPath(ScrapeJob job) {
        String p = job.pprofPath();
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Null if the body holds Prometheus samples, else why it is not Prometheus text. */
    private static String notPrometheus(PromMetrics pm, String path) {
        boolean samples = pm.families().stream().anyMatch(f -> !f.samples().isEmpty());
        if (samples) {
            return null;
        }
        if (pm.warnings().isEmpty()) {
            return pm.families().isEmpty() ? path + " is empty" : "no go_goroutines in " + path;
        }
        return path + " is not Prometheus text (" + pm.warnings().get(0) + ")";
    }

    /** The total of a debug=1 goroutine profile's first line, from the head of the body. */
    static OptionalDouble goroutineTotal(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8).stripLeading();
        int eol = text.indexOf('\n');
        if (eol < 0 || !GoroutineCountReader.sniff(text)) {
            return OptionalDouble.empty();
        }
        String line = text.substring(0, eol).strip();
        try {
            long total = Long.parseLong(line.substring(line.indexOf("total ") + 6).strip());
            return total < 0 ? OptionalDouble.empty() : OptionalDouble.of(total);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    private static void put(Map<Metric, Double> values, Metric metric, OptionalDouble v) {
        OptionalDouble f = finite(v);
        if (f.isPresent() && f.getAsDouble() >= 0) {
            values.put(metric, f.getAsDouble());
        }
    }

    private static OptionalDouble finite(OptionalDouble v) {
        return v.isPresent() && Double.isFinite(v.getAsDouble()) ? v : OptionalDouble.empty();
    }

    /** A failed reading; what it quotes from the target (a garbage line) cannot break the line. */
    private Reading failed(Target target, Instant at, long start, String error) {
        return Reading.failed(target, at, Duration.ofNanos(System.nanoTime() - start), BadInputException.oneLine(error));
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
