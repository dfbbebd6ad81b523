package dev.godiag.format;

/**
 * Input that godiag cannot read: truncated, corrupt, hostile or simply not what was expected.
 * The message is one line meant for the user; the CLI prefixes the input's name and exits 2.
 */
public final class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message, null, false, false);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
