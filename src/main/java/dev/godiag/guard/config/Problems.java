package dev.godiag.guard.config;

import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems found in one file, each one line in the compilers' shape
 * {@code FILE:LINE: KEY: problem} (the line left out when unknown, the key when the problem is
 * the document's own), so an editor jumps to it and an SRE sees every mistake in one run.
 */
final class Problems {
    private final String file;
    private final List<Problem> found = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, String key, String problem) {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        if (!key.isEmpty()) {
            b.append(": ").append(key);
        }
        found.add(new Problem(line, BadInputException.oneLine(b.append(": ").append(problem).toString())));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** The problems in the order of the file's lines (those of one line in the order found). */
    List<String> lines() {
        return found.stream().sorted(Comparator.comparingInt(Problem::line)).map(Problem::text).toList();
    }

    private record Problem(int line, String text) {
    }
}
