package dev.godiag.guard;

import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Target;
import dev.godiag.guard.watch.TargetStatus;
import dev.godiag.store.GuardRepository;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * guard's {@code /metrics} in the Prometheus text format (0.0.4): per target its state (up, the
 * watched values and their baselines, alert state, scrape duration and counts) and guard's own
 * health (targets, late and skipped scrapes, deliveries, config reloads, its heap and CPU). A
 * target is labelled {@code target_job} and {@code target} (so a Prometheus scraping guard keeps its
 * own {@code job} and {@code instance}) plus the target's labels.
 */
final class GuardMetrics {
    private GuardMetrics() {
    }

    static String render(Guard guard) {
        List<Snap> rs = new ArrayList<>();
        for (TargetRunner r : guard.runners()) {
            rs.add(new Snap(r, r.target, r.last, r.watch.status()));
        }
        rs.sort(Comparator.comparing(r -> r.target().key()));
        StringBuilder sb = new StringBuilder(256 + rs.size() * 900);
        family(sb, "godiag_guard_up", "gauge", "Whether the last scrape of the target succeeded (1) or failed (0).",
                rs, r -> r.last() == null ? null : r.last().up() ? 1.0 : 0.0);
        for (Metric m : Metric.values()) {
            String name = valueName(m);
            family(sb, name, "gauge", "The target's " + describe(m) + " at the last scrape.", rs,
                    r -> r.last() == null ? null : boxed(r.last().value(m)));
            family(sb, name + "_baseline", "gauge", "The baseline guard learned for the target's " + describe(m) + ".",
                    rs, r -> boxed(r.status().metrics().get(m).baseline()));
        }
        sb.append("# HELP godiag_guard_alert_firing Whether an alert is firing (1) for the target's metric.\n");
        sb.append("# TYPE godiag_guard_alert_firing gauge\n");
        for (Snap r : rs) {
            for (Metric m : Metric.values()) {
                sb.append("godiag_guard_alert_firing");
                labels(sb, r.target(), "metric", m.key());
                sb.append(' ').append(firing(r, m) ? 1 : 0).append('\n');
            }
        }
        family(sb, "godiag_guard_scrape_duration_seconds", "gauge", "How long the last scrape of the target took.",
                rs, r -> r.last() == null ? null : r.last().duration().toNanos() / 1e9);
        sb.append("# HELP godiag_guard_scrapes_total Scrapes of the target by result.\n");
        sb.append("# TYPE godiag_guard_scrapes_total counter\n");
        for (Snap r : rs) {
            sb.append("godiag_guard_scrapes_total");
            labels(sb, r.target(), "result", "ok");
            sb.append(' ').append(r.runner().scrapesOk.get()).append('\n');
            sb.append("godiag_guard_scrapes_total");
            labels(sb, r.target(), "result", "error");
            sb.append(' ').append(r.runner().scrapesFailed.get()).append('\n');
        }
        single(sb, "godiag_guard_targets", "gauge", "Targets this guard watches (its shard).", rs.size());
        single(sb, "godiag_guard_scrapes_late_total", "counter",
                "Scrapes that started more than a second (or a tenth of the interval) after they were due.",
                rs.stream().mapToLong(r -> r.runner().scrapesLate.get()).sum());
        single(sb, "godiag_guard_scrapes_skipped_total", "counter",
                "Scrapes not started because the target's previous scrape was still running.",
                rs.stream().mapToLong(r -> r.runner().scrapesSkipped.get()).sum());
        single(sb, "godiag_guard_alerts_firing", "gauge", "Alerts firing now.",
                rs.stream().mapToLong(r -> java.util.Arrays.stream(Metric.values()).filter(m -> firing(r, m)).count()).sum());
        GuardRepository.OutboxCounts d = guard.repository().outboxCounts();
        sb.append("# HELP godiag_guard_deliveries Notification deliveries in the outbox by state.\n");
        sb.append("# TYPE godiag_guard_deliveries gauge\n");
        sb.append("godiag_guard_deliveries{state=\"pending\"} ").append(d.pending()).append('\n');
        sb.append("godiag_guard_deliveries{state=\"delivered\"} ").append(d.delivered()).append('\n');
        sb.append("godiag_guard_deliveries{state=\"failed\"} ").append(d.failed()).append('\n');
        single(sb, "godiag_guard_config_last_reload_successful", "gauge",
                "Whether the last configuration reload succeeded.", guard.lastReloadOk() ? 1 : 0);
        single(sb, "godiag_guard_config_last_reload_success_timestamp_seconds", "gauge",
                "When the configuration was last loaded.", guard.lastReload().toEpochMilli() / 1000.0);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        single(sb, "godiag_guard_jvm_heap_used_bytes", "gauge", "guard's own Java heap in use.", heap.getUsed());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            single(sb, "process_cpu_seconds_total", "counter", "guard's own CPU time.", os.getProcessCpuTime() / 1e9);
        }
        return sb.toString();
    }

    /** One target as of this scrape of /metrics: its status is computed once. */
    private record Snap(TargetRunner runner, Target target, Reading last, TargetStatus status) {
    }

    private static boolean firing(Snap r, Metric m) {
        TargetStatus.MetricStatus ms = r.status().metrics().get(m);
        return ms != null && ms.firing();
    }

    static String valueName(Metric m) {
        return switch (m) {
            case GOROUTINES -> "godiag_guard_goroutines";
            case HEAP -> "godiag_guard_heap_inuse_bytes";
            case FDS -> "godiag_guard_open_fds";
        };
    }

    private static String describe(Metric m) {
        return switch (m) {
            case GOROUTINES -> "goroutine count";
            case HEAP -> "heap in use (bytes)";
            case FDS -> "open file descriptors";
        };
    }

    private static Double boxed(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : null;
    }

    private static void family(StringBuilder sb, String name, String type, String help, List<Snap> rs,
                               Function<Snap, Double> value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (Snap r : rs) {
            Double v = value.apply(r);
            if (v == null) {
                continue;
            }
            sb.append(name);
            labels(sb, r.target(), null, null);
            sb.append(' ').append(number(v)).append('\n');
        }
    }

    private static void single(StringBuilder sb, String name, String type, String help, double v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        sb.append(name).append(' ').append(number(v)).append('\n');
    }

    private static void labels(StringBuilder sb, Target t, String extraKey, String extraValue) {
        sb.append("{target_job=\"").append(escape(t.job())).append("\",target=\"").append(escape(t.address()))
                .append('"');
        for (Map.Entry<String, String> l : t.labels().entrySet()) {
            String k = l.getKey();
            if (k.equals("target_job") || k.equals("target") || k.equals("metric") || k.equals("result")
                    || !k.matches("[a-zA-Z_][a-zA-Z0-9_]*") || k.startsWith("__")) {
                continue;
            }
            sb.append(',').append(k).append("=\"").append(escape(l.getValue())).append('"');
        }
        if (extraKey != null) {
            sb.append(',').append(extraKey).append("=\"").append(escape(extraValue)).append('"');
        }
        sb.append('}');
    }

    static String escape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
