package dev.godiag.cli;

import dev.godiag.engine.Engine;
import dev.godiag.format.InputSource;
import dev.godiag.format.Source;

import java.util.ArrayList;
import java.util.List;

/** The options of reading inputs that the snapshot commands (goroutines, gc, memory, bench, info) share. */
final class InputOptions {
    static final OptionSpec OUTPUT = OptionSpec.value("output", "FILE", "where to write ('-' or none: standard output)",
            "o");
    static final List<OptionSpec> FETCH = List.of(
            OptionSpec.value("timeout", "N", "fetch timeout in seconds for URLs"),
            OptionSpec.value("max-inflate", "SIZE", "refuse gzip input inflating beyond SIZE (default 1g)"));

    private InputOptions() {
    }

    /** The operands with globs expanded; a usage error naming what is missing when there are none. */
    static List<String> sources(ParsedArgs a, String command, String what) {
        List<String> sources = Globs.expand(a.operands());
        if (sources.isEmpty()) {
            throw ArgParser.noOperands(command, what);
        }
        return sources;
    }

    /** Operands as sources: "-" standard input, URLs fetched with the fetch options, files. */
    static List<Source> toSources(List<String> operands, InputSource.FetchOptions fetch, Terminal term) {
        List<Source> out = new ArrayList<>(operands.size());
        for (String s : operands) {
            out.add(Source.of(s, fetch, term.stdin()));
            announce(s, fetch, term);
        }
        return out;
    }

    /** Inputs at or above this size take seconds to read: worth a progress line. */
    static final long BIG_INPUT = 64L << 20;

    /** A progress line for the inputs that take long: a live capture, a big file. */
    private static void announce(String operand, InputSource.FetchOptions fetch, Terminal term) {
        if (operand.startsWith("http://") || operand.startsWith("https://")) {
            term.progress("fetching " + operand + (fetch.seconds() > 0 ? " (a " + fetch.seconds()
                    + " s profile)" : ""));
            return;
        }
        try {
            java.nio.file.Path p = java.nio.file.Path.of(operand);
            if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.size(p) >= BIG_INPUT) {
                term.progress("reading " + operand + " (" + dev.godiag.util.Units.bytes(java.nio.file.Files.size(p))
                        + ")");
            }
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            // not a readable path: reading it says why
        }
    }

    /** The run's engine, with --max-inflate's limit when the command was given it. */
    static Engine engine(ParsedArgs a, Terminal term) {
        return term.engine(a.string("max-inflate", null));
    }

    static InputSource.FetchOptions fetch(ParsedArgs a) {
        return new InputSource.FetchOptions(a.integer("seconds", 0), a.integer("timeout", 0));
    }

    /** --format, else what -o's extension says, among the allowed formats. */
    static OutputFormat format(ParsedArgs a, OutputFormat... allowed) {
        return OutputFormat.parse(a.string("format", OutputFormat.byExtension(a.string("output", null))), allowed);
    }

    /** The options list of a command: its own, then -o, then the fetch options. */
    static List<OptionSpec> with(OptionSpec... own) {
        List<OptionSpec> o = new java.util.ArrayList<>(List.of(own));
        o.add(OUTPUT);
        o.addAll(FETCH);
        return List.copyOf(o);
    }
}
