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

    private static PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false, StandardCharsets.UTF_8);
    private static PrintStream err = System.err;
    private static boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line with the given output streams and returns the exit code (for tests and servers). */
    public static synchronized int run(String[] args, PrintStream stdout, PrintStream stderr) {
        PrintStream savedOut = out;
        PrintStream savedErr = err;
        out = stdout;
        err = stderr;
        try {
            return run(args);
        } finally {
            out = savedOut;
            err = savedErr;
        }
    }

    /** Runs a command line and returns the exit code. */
    public static int run(String[] args) {
        debug = java.util.Arrays.asList(args).contains("--debug");
        String[] translated = PprofFlags.translate(java.util.Arrays.stream(args)
                .filter(a -> !a.equals("--debug")).toArray(String[]::new));
        CommandLine cl = new CommandLine(new Main());
        // like Go's flag package (and so pprof), a repeated option takes its last value
        cl.setOverwrittenOptionsAllowed(true);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> handle(ex));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("godiag: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try 'godiag " + (ex.getCommandLine().getCommandName().equals("godiag") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help' for usage.");
            return BAD_INPUT;
        });
        try {
            return cl.execute(translated);
        } catch (OutOfMemoryError e) {
            out.flush();
            err.println("godiag: out of memory (raise the heap with GODIAG_JAVA_OPTS=-Xmx...)");
            return BAD_INPUT;
        } catch (StackOverflowError e) {
            out.flush();
            err.println("godiag: internal error: stack overflow (run with --debug for details)");
            if (debug) {
                e.printStackTrace(err);
            }
            return INTERNAL_ERROR;
        } finally {
            out.flush();
        }
    }

    private static int handle(Exception ex) {
        out.flush();
        if (ex instanceof BadInputException) {
            // the message is one line already (BadInputException escapes what it quotes)
            err.println("godiag: " + ex.getMessage());
            if (debug) {
                ex.printStackTrace(err);
            }
            return BAD_INPUT;
        }
        err.println("godiag: internal error: " + BadInputException.oneLine(String.valueOf(ex))
                + (debug ? "" : " (run with --debug for details)"));
        if (debug) {
            ex.printStackTrace(err);
        }
        return INTERNAL_ERROR;
    }

    static void out(String s) {
        out.print(s);
    }

    static void warn(String s) {
        err.println(s);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"godiag " + (v == null ? "dev" : v)};
        }
    }
}
