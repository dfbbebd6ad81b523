package dev.godiag.cli;

import dev.godiag.format.BadInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Report formats a command can print. */
enum OutputFormat {
    TEXT, JSON, MARKDOWN, HTML;

    static OutputFormat parse(String s, OutputFormat... allowed) {
        String name = s.trim().equalsIgnoreCase("md") ? "markdown" : s.trim();
        for (OutputFormat f : allowed) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new BadInputException("unknown --format '" + s + "' (one of: "
                + Arrays.stream(allowed).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ")");
    }
}
