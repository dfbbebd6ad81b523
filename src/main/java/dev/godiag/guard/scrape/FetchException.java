package dev.godiag.guard.scrape;

/**
 * One request to a target failed; the message is one line naming why (refused, timeout, too
 * large...). {@code timedOut}: the time allowed ran out (the caller names its own budget).
 */
final class FetchException extends Exception {
    private final boolean timedOut;

    FetchException(String message) {
        this(message, false);
    }

    FetchException(String message, boolean timedOut) {
        super(message, null, false, false);
        this.timedOut = timedOut;
    }

    boolean timedOut() {
        return timedOut;
    }
}
