package dev.godiag.server;

import dev.godiag.store.UploadRepository;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's own metrics in Prometheus' text format: requests by route (the matched path, never
 * the raw URL, so ids do not make new series) and status, their latency as a histogram, uploads by
 * status, the analysis queue, and the JVM's heap.
 */
final class ServeMetrics {
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final ServeContext sc;
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();

    ServeMetrics(ServeContext sc) {
        this.sc = sc;
    }

    private static final class Histogram {
        final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
        final DoubleAdder sum = new DoubleAdder();
    }

    void observe(Context ctx) {
        Long start = ctx.attribute("godiag.start");
        String route = route(ctx);
        String key = ctx.method().name() + "\u0000" + route + "\u0000" + ctx.statusCode();
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (start != null) {
            double seconds = (System.nanoTime() - start) / 1e9;
            Histogram h = latency.computeIfAbsent(route, k -> new Histogram());
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            h.counts.incrementAndGet(i);
            h.sum.add(seconds);
        }
    }

    private static String route(Context ctx) {
        try {
            Endpoint e = ctx.endpoints().matchedHttpEndpoint();
            return e == null ? "unmatched" : e.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP godiag_serve_http_requests_total HTTP requests answered, by method, route and status.\n");
        sb.append("# TYPE godiag_serve_http_requests_total counter\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(requests).entrySet()) {
            String[] k = e.getKey().split("\u0000", -1);
            sb.append("godiag_serve_http_requests_total{method=\"").append(k[0]).append("\",route=\"")
                    .append(escape(k[1])).append("\",code=\"").append(k[2]).append("\"} ")
                    .append(e.getValue().sum()).append('\n');
        }
        sb.append("# HELP godiag_serve_http_request_duration_seconds Time to answer an HTTP request, by route.\n");
        sb.append("# TYPE godiag_serve_http_request_duration_seconds histogram\n");
        for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
            String route = escape(e.getKey());
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += e.getValue().counts.get(i);
                sb.append("godiag_serve_http_request_duration_seconds_bucket{route=\"").append(route).append("\",le=\"")
                        .append(i == BUCKETS.length ? "+Inf" : number(BUCKETS[i])).append("\"} ").append(cumulative)
                        .append('\n');
            }
            sb.append("godiag_serve_http_request_duration_seconds_sum{route=\"").append(route).append("\"} ")
                    .append(number(e.getValue().sum.sum())).append('\n');
            sb.append("godiag_serve_http_request_duration_seconds_count{route=\"").append(route).append("\"} ")
                    .append(cumulative).append('\n');
        }
        Platform p = sc.platform();
        sb.append("# HELP godiag_serve_uploads Uploads stored, by status.\n# TYPE godiag_serve_uploads gauge\n");
        for (Map.Entry<UploadRepository.Status, Long> e : p.uploads().countByStatus().entrySet()) {
            sb.append("godiag_serve_uploads{status=\"").append(e.getKey().key()).append("\"} ").append(e.getValue())
                    .append('\n');
        }
        long[] contents = p.uploads().storedContents();
        gauge(sb, "godiag_serve_stored_contents", "Distinct upload contents stored (deduplicated).", contents[0]);
        gauge(sb, "godiag_serve_stored_content_bytes", "Bytes of the distinct upload contents stored.", contents[1]);
        gauge(sb, "godiag_serve_analysis_queue", "Uploads waiting for an analysis worker.", p.queued());
        gauge(sb, "godiag_serve_analyses_running", "Analyses running now.", p.running());
        gauge(sb, "godiag_serve_analysis_threads", "Analysis workers.", p.options().analysisThreads());
        sb.append("# HELP godiag_serve_analyses_total Analyses finished since the start, by result.\n")
                .append("# TYPE godiag_serve_analyses_total counter\n")
                .append("godiag_serve_analyses_total{result=\"done\"} ").append(p.analysedTotal()).append('\n')
                .append("godiag_serve_analyses_total{result=\"failed\"} ").append(p.failedTotal()).append('\n');
        sb.append("# HELP godiag_serve_analysis_seconds_total Time spent analysing since the start.\n")
                .append("# TYPE godiag_serve_analysis_seconds_total counter\n")
                .append("godiag_serve_analysis_seconds_total ").append(number(p.analysisSecondsTotal())).append('\n');
        gauge(sb, "godiag_serve_memory_budget_bytes", "What uploads being read and unpacked may hold at once.",
                p.options().memoryBudgetBytes());
        gauge(sb, "godiag_serve_memory_budget_free_bytes", "The part of that budget free now.", p.memoryFree());
        gauge(sb, "godiag_serve_uploads_reading", "Uploads being read and stored now.",
                Platform.UPLOAD_SLOTS - p.uploadSlots().availablePermits());
        Runtime rt = Runtime.getRuntime();
        gauge(sb, "godiag_serve_jvm_heap_used_bytes", "JVM heap in use.", rt.totalMemory() - rt.freeMemory());
        gauge(sb, "godiag_serve_jvm_heap_max_bytes", "JVM heap limit.", rt.maxMemory());
        gauge(sb, "godiag_serve_start_time_seconds", "When the server started, seconds since the epoch.",
                sc.startedAt().getEpochSecond());
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, double value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(number(value)).append('\n');
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
