package dev.godiag.store;

/**
 * A database problem in one line for the user (unreachable server, bad URL, locked file, missing
 * baseline): the command line prints it and exits 2, never with a stack trace.
 */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(oneLine(message));
    }

    public StoreException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
