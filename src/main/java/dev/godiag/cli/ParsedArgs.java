package dev.godiag.cli;

import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The options and operands of one command line, with typed accessors. */
final class ParsedArgs {
    private final String command;
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> operands = new ArrayList<>();
    private int separator = -1;

    ParsedArgs(String command) {
        this.command = command;
    }

    void put(String option, String value, boolean repeatable) {
        List<String> l = values.computeIfAbsent(option, k -> new ArrayList<>());
        if (!repeatable) {
            l.clear(); // as Go's flag package: the last value wins
        }
        l.add(value);
    }

    void operand(String s) {
        operands.add(s);
    }

    /** Marks that "--" came here: the operands after it form a group of their own (godiag impact). */
    void markSeparator() {
        if (separator < 0) {
            separator = operands.size();
        }
    }

    /** How many operands came before "--", or -1 when there was none. */
    int separatorIndex() {
        return separator;
    }

    List<String> operands() {
        return operands;
    }

    boolean has(String option) {
        return values.containsKey(option);
    }

    boolean flag(String option) {
        List<String> l = values.get(option);
        return l != null && Boolean.parseBoolean(l.get(l.size() - 1));
    }

    String string(String option, String fallback) {
        List<String> l = values.get(option);
        return l == null ? fallback : l.get(l.size() - 1);
    }

    List<String> list(String option) {
        return values.getOrDefault(option, List.of());
    }

    int integer(String option, int fallback) {
        String s = string(option, null);
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw usage("--" + option + " wants a whole number, not '" + s + "'");
        }
    }

    double decimal(String option, double fallback) {
        String s = string(option, null);
        if (s == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw usage("--" + option + " wants a number, not '" + s + "'");
        }
    }

    BadInputException usage(String message) {
        return new BadInputException(command + ": " + message + " (see 'godiag " + command + " --help')");
    }
}
