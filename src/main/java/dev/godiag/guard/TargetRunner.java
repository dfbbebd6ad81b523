package dev.godiag.guard;

import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Target;
import dev.godiag.guard.watch.TargetWatch;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One watched target inside the daemon: its job (replaced on reload), its watch (baselines,
 * streaks, open alerts), the last reading, and the bookkeeping of its scrapes: one at a time
 * ({@link #busy}), backoff while down, counters for /metrics. Readings are applied under the
 * runner's lock, so the watch sees them in order.
 */
final class TargetRunner {
    /** The longest a down target waits between attempts. */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    final Target target;
    volatile ScrapeJob job;
    final TargetWatch watch;
    final AtomicBoolean busy = new AtomicBoolean();
    final AtomicLong scrapesOk = new AtomicLong();
    final AtomicLong scrapesFailed = new AtomicLong();
    final AtomicLong scrapesLate = new AtomicLong();
    final AtomicLong scrapesSkipped = new AtomicLong();
    volatile Reading last;
    volatile int failures;
    volatile Instant retryAt = Instant.EPOCH;
    volatile Instant baselineDumpAt;
    /** The full goroutine dump taken when a condition started (the first reading over a threshold), or null. */
    volatile byte[] onsetDump;
    /** The evidence of this target's last capture: an alert on another metric moments later shares it. */
    volatile AlertEvidence lastEvidence;
    volatile ScheduledFuture<?> schedule;

    TargetRunner(Target target, ScrapeJob job, TargetWatch watch) {
        this.target = target;
        this.job = job;
        this.watch = watch;
    }

    /** Records a reading's outcome for backoff: a down target is tried again after 1, 2, 4... intervals, at most 5 minutes. */
    void account(Reading r, Duration interval) {
        last = r;
        if (r.up()) {
            scrapesOk.incrementAndGet();
            failures = 0;
            retryAt = Instant.EPOCH;
        } else {
            scrapesFailed.incrementAndGet();
            int f = failures = failures + 1;
            long factor = 1L << Math.min(f - 1, 20);
            Duration wait = interval.multipliedBy(factor);
            retryAt = r.at().plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait);
        }
    }

    boolean backingOff(Instant now) {
        return failures > 1 && now.isBefore(retryAt);
    }
}
