package dev.godiag.testutil;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on live components (daemons, services) and closing them, for the integration tests. */
public final class Await {
    /** The longest a condition on a live component is waited for: far beyond what a busy 2-CPU machine needs. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Await() {
    }

    /**
     * Polls {@code condition} until it holds; after {@link #TIMEOUT} fails naming {@code what} with
     * {@code context} (the component's log, made only on failure).
     */
    public static void until(String what, BooleanSupplier condition, Supplier<String> context)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for: " + what + "; " + context.get());
    }

    /** Closes each (nulls skipped), going on past failures: the teardown of a test class. */
    public static void closeAll(AutoCloseable... all) {
        closeAll(java.util.Arrays.asList(all));
    }

    /** Closes each (nulls skipped), going on past failures. */
    public static void closeAll(Iterable<? extends AutoCloseable> all) {
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort: the next one still closes
            }
        }
    }
}
