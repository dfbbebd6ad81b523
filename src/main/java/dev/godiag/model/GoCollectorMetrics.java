package dev.godiag.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * client_golang's Go and process collector metrics picked out of a {@link PromMetrics}; a metric the
 * exposition lacks is NaN ({@code goVersion} null).
 *
 * @param memstats            every {@code go_memstats_*} sample without labels, by name
 * @param gcDurationQuantiles {@code go_gc_duration_seconds{quantile=...}}: quantile to seconds
 */
public record GoCollectorMetrics(double goroutines, double threads, String goVersion, double gcGogcPercent,
                                 double gcGomemlimitBytes, Map<Double, Double> gcDurationQuantiles,
                                 double gcDurationSumSeconds, double gcDurationCount, Map<String, Double> memstats,
                                 double openFds, double maxFds, double residentMemoryBytes,
                                 double virtualMemoryBytes, double cpuSecondsTotal, double startTimeSeconds) {
    public GoCollectorMetrics {
        gcDurationQuantiles = java.util.Collections.unmodifiableMap(new TreeMap<>(gcDurationQuantiles));
        memstats = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(memstats));
    }

    /** A go_memstats_* value by its full name, NaN if absent. */
    public double memstat(String name) {
        Double v = memstats.get(name);
        return v == null ? Double.NaN : v;
    }

    public static GoCollectorMetrics of(PromMetrics m) {
        Map<Double, Double> quantiles = new TreeMap<>();
        Map<String, Double> mem = new LinkedHashMap<>();
        String version = null;
        for (PromMetrics.Family f : m.families()) {
            for (PromMetrics.Sample s : f.samples()) {
                if (s.name().equals("go_gc_duration_seconds") && s.labels().containsKey("quantile")) {
                    try {
                        quantiles.put(Double.parseDouble(s.labels().get("quantile")), s.value());
                    } catch (NumberFormatException e) {
                        // not a quantile: ignored
                    }
                } else if (s.name().startsWith("go_memstats_") && s.labels().isEmpty()) {
                    mem.putIfAbsent(s.name(), s.value());
                } else if (s.name().equals("go_info") && version == null) {
                    version = s.labels().get("version");
                }
            }
        }
        return new GoCollectorMetrics(v(m, "go_goroutines"), v(m, "go_threads"), version, v(m, "go_gc_gogc_percent"),
                v(m, "go_gc_gomemlimit_bytes"), quantiles, v(m, "go_gc_duration_seconds_sum"),
                v(m, "go_gc_duration_seconds_count"), mem, v(m, "process_open_fds"), v(m, "process_max_fds"),
                v(m, "process_resident_memory_bytes"), v(m, "process_virtual_memory_bytes"),
                v(m, "process_cpu_seconds_total"), v(m, "process_start_time_seconds"));
    }

    private static double v(PromMetrics m, String name) {
        return m.value(name).orElse(Double.NaN);
    }
}
