package dev.godiag.format.gosyntax;

import dev.godiag.util.BadInputException;

/**
 * A Go source file that is not valid Go syntax, or one nested too deeply to parse: one line,
 * {@code path:line:col: problem}, as go/parser words its first error.
 */
public final class GoSyntaxException extends RuntimeException {
    private final String path;
    private final int line;
    private final int column;

    GoSyntaxException(String path, int line, int column, String problem) {
        super(BadInputException.oneLine(path + ":" + line + ":" + column + ": " + problem), null, false, false);
        this.path = path;
        this.line = line;
        this.column = column;
    }

    public String path() {
        return path;
    }

    /** The 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** The 1-based byte column of the problem. */
    public int column() {
        return column;
    }
}
