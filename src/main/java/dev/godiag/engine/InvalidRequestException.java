package dev.godiag.engine;

/**
 * A request that is wrong as a whole rather than in one of its inputs (an option out of range, one
 * gctrace log where a series was given): each surface words it as its own usage error (the CLI
 * points to --help, a server answers 400). The message is one line.
 */
public final class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
