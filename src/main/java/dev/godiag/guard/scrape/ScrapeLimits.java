package dev.godiag.guard.scrape;

import java.time.Duration;

/**
 * What one scrape or capture may cost: the largest body of a cheap endpoint ({@code /metrics},
 * {@code /debug/vars}, a query API answer), the largest evidence file (a goroutine dump of a big
 * service is large), and how long one evidence file may take (a full dump stops the world; at
 * least the job's scrape timeout is always allowed).
 */
public record ScrapeLimits(long maxScrapeBytes, long maxEvidenceBytes, Duration captureTimeout) {
    /** 16 MiB per scrape, 256 MiB per evidence file, a minute per evidence file. */
    public static final ScrapeLimits DEFAULT = new ScrapeLimits(16L << 20, 256L << 20, Duration.ofMinutes(1));

    public ScrapeLimits {
        if (maxScrapeBytes <= 0 || maxEvidenceBytes <= 0 || captureTimeout.isNegative() || captureTimeout.isZero()) {
            throw new IllegalArgumentException("scrape limits must be positive");
        }
    }
}
