package dev.godiag.guard.scrape;

import dev.godiag.guard.config.HttpSettings;
import dev.godiag.guard.config.MetricRule;
import dev.godiag.guard.config.Rules;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Scrape jobs as the config loader makes them, for the scraper's tests. */
final class Jobs {
    static final Rules RULES = new Rules(new MetricRule(500.0, 0.5, 3, true), new MetricRule(null, 0.5, 3, true),
            new MetricRule(200.0, null, 3, true));

    private Jobs() {
    }

    static ScrapeJob job(String name, String scheme, String metricsPath, Duration timeout, HttpSettings http) {
        return new ScrapeJob(name, Duration.ofSeconds(15), timeout, scheme, metricsPath, "/debug/pprof", Stage.CAPTURE,
                null, RULES, http, List.of(), List.of(), List.of());
    }

    static ScrapeJob job(String metricsPath, Duration timeout) {
        return job("svc", "http", metricsPath, timeout, HttpSettings.NONE);
    }

    static Target target(ScrapeJob job, String address) {
        return new Target(job.name(), address, Map.of("team", "test"));
    }
}
