package dev.godiag.guard.config;

import dev.godiag.guard.model.Stage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code scrape_configs} entry with defaults applied: its targets come from
 * {@code static_configs} and {@code file_sd_configs} (re-read when the files change) or, for a
 * fleet, from a Prometheus-compatible query API ({@code prometheus_sd_configs}); {@code rules} are
 * the global rules with the job's overrides merged in; {@code callback} is the circuit-break hook
 * URL template ({@code {target}} is replaced by the target's address), null when not set;
 * {@code baseline} how long its targets' baselines take to learn.
 */
public record ScrapeJob(String name, Duration scrapeInterval, Duration scrapeTimeout, String scheme,
                        String metricsPath, String pprofPath, Stage stage, String callback, Rules rules,
                        HttpSettings http, List<TargetGroup> staticConfigs, List<FileSd> fileSdConfigs,
                        List<QuerySd> prometheusSdConfigs, BaselineSpec baseline) {
    public ScrapeJob {
        staticConfigs = List.copyOf(staticConfigs);
        fileSdConfigs = List.copyOf(fileSdConfigs);
        prometheusSdConfigs = List.copyOf(prometheusSdConfigs);
        baseline = baseline == null ? BaselineSpec.DEFAULT : baseline;
    }

    /** A job learning its baselines in the default times. */
    public ScrapeJob(String name, Duration scrapeInterval, Duration scrapeTimeout, String scheme, String metricsPath,
                     String pprofPath, Stage stage, String callback, Rules rules, HttpSettings http,
                     List<TargetGroup> staticConfigs, List<FileSd> fileSdConfigs, List<QuerySd> prometheusSdConfigs) {
        this(name, scrapeInterval, scrapeTimeout, scheme, metricsPath, pprofPath, stage, callback, rules, http,
                staticConfigs, fileSdConfigs, prometheusSdConfigs, BaselineSpec.DEFAULT);
    }

    /** A group of targets with the labels they share. */
    public record TargetGroup(List<String> targets, Map<String, String> labels) {
        public TargetGroup {
            targets = List.copyOf(targets);
            labels = Map.copyOf(labels);
        }
    }

    /** Prometheus' file-based discovery: JSON or YAML files (globs allowed) of target groups. */
    public record FileSd(List<String> files, Duration refreshInterval, Path baseDir) {
        public FileSd {
            files = List.copyOf(files);
        }
    }

    /**
     * Read the fleet's counts from a Prometheus-compatible query API ({@code url}, e.g. Prometheus,
     * Thanos, Mimir, VictoriaMetrics) for the series whose {@code job} label is {@code job};
     * each series' {@code instance} label is the target's address, scraped by guard only for
     * evidence.
     */
    public record QuerySd(String url, String job, HttpSettings http) {
    }
}
