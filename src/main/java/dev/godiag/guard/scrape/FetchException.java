package dev.godiag.guard.scrape;

/** One request to a target failed; the message is one line naming why (refused, timeout, too large...). */
final class FetchException extends Exception {
    FetchException(String message) {
        super(message, null, false, false);
    }
}
