package dev.godiag.guard.config;

import java.util.List;

/**
 * A configuration guard cannot use. {@link #problems()} lists every problem found, each one line
 * {@code FILE:LINE: KEY: problem}; the message is those lines joined by newlines.
 */
public final class GuardConfigException extends RuntimeException {
    private final List<String> problems;

    GuardConfigException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
