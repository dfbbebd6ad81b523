package dev.godiag.cli;

import dev.godiag.util.BadInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Report formats a command can print. */
enum OutputFormat {
    TEXT, JSON, MARKDOWN, HTML, SARIF;

    /** The format an output file's name implies (.json, .md, .html, .sarif), else "text". */
    static String byExtension(String output) {
        if (output == null) {
            return "text";
        }
        String name = output.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return "json";
        }
        if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return "markdown";
        }
        if (name.endsWith(".sarif")) {
            return "sarif";
        }
        return name.endsWith(".html") || name.endsWith(".htm") ? "html" : "text";
    }

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
