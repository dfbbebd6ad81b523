package dev.godiag.cli;

import java.util.List;

/** A godiag subcommand: its option table, its help, and what it does. */
interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** "godiag top [OPTIONS] PROFILE..." */
    String usage();

    /** A paragraph for --help. */
    String description();

    List<OptionSpec> options();

    /** Runs the command; returns the exit code. */
    int run(ParsedArgs args, Terminal term);
}
