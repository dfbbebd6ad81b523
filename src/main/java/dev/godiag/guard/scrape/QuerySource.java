package dev.godiag.guard.scrape;

import dev.godiag.guard.config.Durations;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Target;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Item 7b: the counts of a whole fleet from a Prometheus-compatible query API (Prometheus, Thanos,
 * Mimir, VictoriaMetrics: {@code <url>/api/v1/query}) instead of scraping every target. One
 * instant query per series, all at the same evaluation time and concurrently:
 * {@code up}, {@code go_goroutines}, {@code go_memstats_heap_inuse_bytes}, {@code process_open_fds}
 * and {@code process_start_time_seconds}, each selected by {@code {job="<QuerySd.job>"}}; the
 * series are grouped by their {@code instance} label, one {@link Reading} (source {@code query})
 * per instance, its target's address the instance and its labels the series' other labels
 * (without {@code __name__}, {@code job} and {@code instance}). An instance whose {@code up} is 0
 * is a failed reading ("down in the query source (up=0)"), as is one with none of the three
 * values. Each answer is bounded by {@link ScrapeLimits#maxScrapeBytes} and the whole read by the
 * job's {@code scrape_timeout}.
 */
public final class QuerySource implements AutoCloseable {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build()).build();
    private static final String UP = "up";
    private static final String START = "process_start_time_seconds";
    private static final Map<String, Metric> SERIES = Map.of(
            "go_goroutines", Metric.GOROUTINES,
            "go_memstats_heap_inuse_bytes", Metric.HEAP,
            "process_open_fds", Metric.FDS);

    private final ScrapeLimits limits;
    private final Fetcher fetcher;

    public QuerySource(ScrapeLimits limits, String userAgent) {
        this.limits = limits;
        this.fetcher = new Fetcher(userAgent);
    }

    /** One series of an instant vector: its labels and its value. */
    record Sample(Map<String, String> labels, double value) {
    }

    /**
     * The readings of every instance the query API knows for {@code sd.job()} at {@code at}, as
     * targets of {@code job} (whose name they carry and whose timeout bounds the read).
     *
     * @throws QuerySourceException when any of the queries fails: the fleet's counts are then
     *                              unknown (not down: the daemon keeps its state, as for a down target)
     */
    public List<Reading> read(ScrapeJob job, ScrapeJob.QuerySd sd, Instant at) throws QuerySourceException {
        long start = System.nanoTime();
        List<String> names = new ArrayList<>(List.of(UP, START));
        names.addAll(SERIES.keySet());
        Map<String, List<Sample>> results = new HashMap<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<List<Sample>>> futures = new LinkedHashMap<>();
            for (String name : names) {
                futures.put(name, threads.submit(() -> query(job, sd, name, at)));
            }
            for (var e : futures.entrySet()) {
                results.put(e.getKey(), e.getValue().get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QuerySourceException q) {
                throw q;
            }
            throw new QuerySourceException(sd.url() + ": " + BadInputException.oneLine(String.valueOf(e.getCause())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuerySourceException(sd.url() + ": interrupted");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return readings(job, results, at, took);
    }

    private static List<Reading> readings(ScrapeJob job, Map<String, List<Sample>> results, Instant at, Duration took) {
        Map<String, Map<String, String>> labels = new TreeMap<>();
        Map<String, Double> up = new HashMap<>();
        Map<String, Double> starts = new HashMap<>();
        Map<String, Map<Metric, Double>> values = new HashMap<>();
        for (Sample s : results.get(UP)) {
            String instance = s.labels().get("instance");
            labels.put(instance, targetLabels(s.labels()));
            up.putIfAbsent(instance, s.value());
        }
        for (var e : SERIES.entrySet()) {
            for (Sample s : results.get(e.getKey())) {
                String instance = s.labels().get("instance");
                labels.putIfAbsent(instance, targetLabels(s.labels()));
                if (Double.isFinite(s.value()) && s.value() >= 0) {
                    values.computeIfAbsent(instance, k -> new EnumMap<>(Metric.class)).putIfAbsent(e.getValue(), s.value());
                }
            }
        }
        for (Sample s : results.get(START)) {
            if (Double.isFinite(s.value())) {
                starts.putIfAbsent(s.labels().get("instance"), s.value());
            }
        }
        List<Reading> out = new ArrayList<>(labels.size());
        for (var e : labels.entrySet()) {
            String instance = e.getKey();
            Target target = new Target(job.name(), instance, e.getValue());
            Map<Metric, Double> v = values.getOrDefault(instance, Map.of());
            Double u = up.get(instance);
            if (u != null && u == 0) {
                out.add(Reading.failed(target, at, took, "down in the query source (up=0)"));
            } else if (v.isEmpty()) {
                out.add(Reading.failed(target, at, took, "no go_goroutines, heap or fds series in the query source"));
            } else {
                Double s = starts.get(instance);
                out.add(new Reading(target, at, took, null, v, s == null ? OptionalDouble.empty() : OptionalDouble.of(s),
                        "query"));
            }
        }
        return out;
    }

    private static Map<String, String> targetLabels(Map<String, String> series) {
        Map<String, String> l = new TreeMap<>(series);
        l.remove("__name__");
        l.remove("job");
        l.remove("instance");
        return l;
    }

    private List<Sample> query(ScrapeJob job, ScrapeJob.QuerySd sd, String name, Instant at) throws QuerySourceException {
        String promql = name + "{job=\"" + sd.job().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        String base = sd.url().endsWith("/") ? sd.url().substring(0, sd.url().length() - 1) : sd.url();
        String time = at.getEpochSecond() + "." + String.format("%03d", at.getNano() / 1_000_000);
        URI uri;
        try {
            uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                    + "&time=" + time);
        } catch (IllegalArgumentException e) {
            throw new QuerySourceException("bad query source URL \"" + BadInputException.oneLine(sd.url()) + "\"");
        }
        String what = "query " + promql + " at " + base;
        Fetcher.Response r;
        try {
            r = fetcher.get(uri, sd.http() == null ? dev.godiag.guard.config.HttpSettings.NONE : sd.http(),
                    "application/json", job.scrapeTimeout(), limits.maxScrapeBytes(), false);
        } catch (FetchException e) {
            throw new QuerySourceException(what + ": "
                    + (e.timedOut() ? "timeout after " + Durations.format(job.scrapeTimeout()) : e.getMessage()));
        }
        try {
            return parse(r.body(), r.status());
        } catch (BadInputException e) {
            throw new QuerySourceException(what + ": " + e.getMessage());
        }
    }

    /**
     * An instant vector from the API's answer ({@code {"status":"success","data":{"resultType":
     * "vector","result":[{"metric":{...},"value":[t,"v"]}]}}}); an error answer's type and message.
     */
    static List<Sample> parse(byte[] body, int status) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notApi(status);
            }
            String state = null;
            String errorType = null;
            String error = null;
            String resultType = null;
            List<Sample> result = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "status" -> state = p.getValueAsString();
                    case "errorType" -> errorType = p.getValueAsString();
                    case "error" -> error = p.getValueAsString();
                    case "data" -> {
                        if (t != JsonToken.START_OBJECT) {
                            throw new BadInputException("data is not an object");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if (f.equals("resultType")) {
                                resultType = p.getValueAsString();
                            } else if (f.equals("result") && v == JsonToken.START_ARRAY) {
                                result = vector(p);
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if ("error".equals(state) || status / 100 != 2) {
                throw new BadInputException("HTTP " + status + (errorType == null ? "" : ", " + errorType)
                        + (error == null ? "" : ": " + error));
            }
            if (!"success".equals(state) || result == null) {
                throw notApi(status);
            }
            if (!"vector".equals(resultType)) {
                throw new BadInputException("expected an instant vector, got " + resultType);
            }
            return result;
        } catch (IOException e) {
            if (status / 100 != 2) {
                throw new BadInputException("HTTP " + status);
            }
            throw notApi(status);
        }
    }

    private static BadInputException notApi(int status) {
        return new BadInputException(status / 100 != 2 ? "HTTP " + status
                : "the answer is not a Prometheus query API answer");
    }

    private static List<Sample> vector(JsonParser p) throws IOException {
        List<Sample> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Map<String, String> labels = new LinkedHashMap<>();
            double value = Double.NaN;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if (f.equals("metric") && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        labels.put(k, p.getValueAsString());
                    }
                } else if (f.equals("value") && t == JsonToken.START_ARRAY) {
                    p.nextToken(); // the evaluation time
                    p.nextToken();
                    value = number(p.getValueAsString());
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (labels.get("instance") != null) {
                out.add(new Sample(labels, value));
            }
        }
        return out;
    }

    /** A sample value as the API writes it: a string of Go's float format, NaN and ±Inf included. */
    private static double number(String s) {
        if (s == null) {
            return Double.NaN;
        }
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    yield Double.NaN;
                }
            }
        };
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
