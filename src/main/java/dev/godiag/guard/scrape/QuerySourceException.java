package dev.godiag.guard.scrape;

/** A query API could not be read: one line naming the source and why (refused, timeout, its error, not its format). */
public final class QuerySourceException extends Exception {
    public QuerySourceException(String message) {
        super(dev.godiag.util.BadInputException.oneLine(message), null, false, false);
    }
}
