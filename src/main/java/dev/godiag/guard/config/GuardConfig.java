package dev.godiag.guard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A guard configuration as read (Prometheus' own style; see README "guard"): global scrape
 * settings, the default rules, where to deliver notifications, and the scrape jobs with their
 * rules already merged over the defaults. {@code file} is where it was read from (relative
 * {@code file_sd_configs} paths resolve against its directory), null when built in code.
 */
public record GuardConfig(Path file, Duration scrapeInterval, Duration scrapeTimeout, Rules rules,
                          NotifyConfig notifications, List<ScrapeJob> jobs) {
    public GuardConfig {
        jobs = List.copyOf(jobs);
    }

    /** The job named {@code name}, or null. */
    public ScrapeJob job(String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElse(null);
    }
}
