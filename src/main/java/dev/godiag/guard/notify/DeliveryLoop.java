package dev.godiag.guard.notify;

import dev.godiag.guard.config.NotifyConfig;
import dev.godiag.guard.model.Alert;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The daemon's delivery thread: runs the {@link DeliveryWorker} every {@code pollEvery} (at once
 * after {@link #wake}, when a transition was stored) and re-posts the firing alerts to the
 * Alertmanagers every {@code refreshEvery}. What happens is reported to {@code report}, one line
 * each: every delivery that failed for good (once), every retry and every refresh problem; a
 * delivery accepted is reported too, so the log shows each transition reaching each receiver.
 * An exception from the outbox (the database) is reported and the loop goes on.
 */
public final class DeliveryLoop implements AutoCloseable {
    private final DeliveryWorker worker;
    private final Deliveries deliveries;
    private final Supplier<NotifyConfig> notify;
    private final Supplier<List<Alert>> firing;
    private final Consumer<String> report;
    private final Duration pollEvery;
    private final Duration refreshEvery;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * {@code notify}: the current configuration's (re-read on reload); {@code firing}: the alerts
     * firing now (from the store).
     */
    public DeliveryLoop(DeliveryWorker worker, Deliveries deliveries, Supplier<NotifyConfig> notify,
                        Supplier<List<Alert>> firing, Consumer<String> report, Duration pollEvery, Duration refreshEvery) {
        this.worker = worker;
        this.deliveries = deliveries;
        this.notify = notify;
        this.firing = firing;
        this.report = report;
        this.pollEvery = pollEvery;
        this.refreshEvery = refreshEvery;
        this.thread = Thread.ofVirtual().name("guard-delivery").unstarted(this::loop);
    }

    public DeliveryLoop start() {
        thread.start();
        return this;
    }

    /** A transition was stored: deliver now rather than at the next poll. */
    public void wake() {
        wakeUp.release();
    }

    private void loop() {
        long nextRefresh = System.nanoTime();
        while (running) {
            try {
                for (DeliveryWorker.Outcome o : worker.runOnce()) {
                    report.accept(line(o));
                }
                if (System.nanoTime() - nextRefresh >= 0) {
                    nextRefresh = System.nanoTime() + refreshEvery.toNanos();
                    List<String> problems = worker.sendOnce(deliveries.alertmanagerRefresh(firing.get(), notify.get()));
                    problems.forEach(p -> report.accept("alertmanager refresh failed: " + p));
                }
                if (wakeUp.tryAcquire(pollEvery.toNanos(), TimeUnit.NANOSECONDS)) {
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a database hiccup must not end delivery: the outbox keeps everything for the next round
                report.accept("delivery round failed: " + e.getMessage());
                try {
                    Thread.sleep(pollEvery);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static String line(DeliveryWorker.Outcome o) {
        return switch (o.result()) {
            case DELIVERED -> "delivered " + o.detail();
            case RETRY -> "delivery retried at " + o.nextAttempt() + ": " + o.detail();
            case FAILED -> "delivery failed for good: " + o.detail();
        };
    }

    /** Stops the loop, interrupting a round in flight (what it had not marked stays in the outbox). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Duration.ofSeconds(30));
    }
}
