package dev.godiag.cli;

import dev.godiag.format.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The godiag command line. Exit codes: 0 ok, 1 findings or a failed gate, 2 bad input or usage.
 */
@Command(name = "godiag", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Go performance diagnosis: reads what the Go runtime emits and says what is wrong.",
        subcommands = {TopCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    static final int OK = 0;
    static final int BAD_INPUT = 2;
    static final int INTERNAL_ERROR = 3;

    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false, StandardCharsets.UTF_8);
    private static boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code (tests call this directly). */
    public static int run(String[] args) {
        debug = java.util.Arrays.asList(args).contains("--debug");
        String[] translated = PprofFlags.translate(java.util.Arrays.stream(args)
                .filter(a -> !a.equals("--debug")).toArray(String[]::new));
        CommandLine cl = new CommandLine(new Main());
        // like Go's flag package (and so pprof), a repeated option takes its last value
        cl.setOverwrittenOptionsAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> handle(ex));
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("godiag: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, System.err);
            System.err.println("Try 'godiag " + (ex.getCommandLine().getCommandName().equals("godiag") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help' for usage.");
            return BAD_INPUT;
        });
        try {
            return cl.execute(translated);
        } catch (OutOfMemoryError e) {
            System.err.println("godiag: out of memory (raise the heap with GODIAG_JAVA_OPTS=-Xmx...)");
            return BAD_INPUT;
        } finally {
            OUT.flush();
        }
    }

    private static int handle(Exception ex) {
        OUT.flush();
        if (ex instanceof BadInputException) {
            System.err.println("godiag: " + ex.getMessage());
            if (debug) {
                ex.printStackTrace();
            }
            return BAD_INPUT;
        }
        System.err.println("godiag: internal error: " + ex + (debug ? "" : " (run with --debug for details)"));
        if (debug) {
            ex.printStackTrace();
        }
        return INTERNAL_ERROR;
    }

    static void out(String s) {
        OUT.print(s);
    }

    static void warn(String s) {
        System.err.println(s);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"godiag " + (v == null ? "dev" : v)};
        }
    }
}
