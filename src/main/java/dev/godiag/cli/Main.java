package dev.godiag.cli;

import dev.godiag.format.BadInputException;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The godiag command line. Exit codes: 0 ok, 1 findings or a failed gate, 2 bad input or usage,
 * 3 an internal error. Options are parsed from each command's table ({@link ArgParser}), not by
 * reflection, so a one-shot command starts fast.
 */
public final class Main {
    static final int OK = 0;
    static final int BAD_INPUT = 2;
    static final int INTERNAL_ERROR = 3;

    private static final List<Command> COMMANDS = List.of(new TopCommand(), new InfoCommand(), new MergeCommand(),
            new DiffCommand(), new FlameCommand(), new GoroutinesCommand(), new GcCommand(), new MemoryCommand(),
            new DiagnoseCommand(), new BaselineCommand(), new BenchCommand(), new GateCommand(), new ImpactCommand());

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
        debug = Arrays.asList(args).contains("--debug");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        try {
            return dispatch(rest);
        } catch (BadInputException e) {
            return handle(e);
        } catch (RuntimeException e) {
            return handle(e);
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

    private static int dispatch(String[] args) {
        if (args.length == 0 || isHelp(args[0])) {
            out.print(overview());
            return args.length == 0 ? BAD_INPUT : OK;
        }
        if (args[0].equals("--version") || args[0].equals("-V") || args[0].equals("version")) {
            out.println(version());
            return OK;
        }
        if (args[0].equals("help")) {
            if (args.length == 1) {
                out.print(overview());
                return OK;
            }
            Command c = command(args[1]);
            out.print(ArgParser.help(c.usage(), c.description(), c.options()));
            return OK;
        }
        Command c = command(args[0]);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        for (String a : rest) {
            if (a.equals("--")) {
                break;
            }
            if (isHelp(a)) {
                out.print(ArgParser.help(c.usage(), c.description(), c.options()));
                return OK;
            }
        }
        return c.run(ArgParser.parse(c.name(), c.options(), rest));
    }

    private static boolean isHelp(String a) {
        return a.equals("--help") || a.equals("-h") || a.equals("-help");
    }

    private static Command command(String name) {
        for (Command c : COMMANDS) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new BadInputException("unknown command '" + name + "' (see 'godiag --help')");
    }

    private static String overview() {
        StringBuilder sb = new StringBuilder("""
                godiag: Go performance diagnosis. Reads what the Go runtime emits and says what is wrong.

                Usage: godiag COMMAND [OPTIONS] ARGS...

                Commands:
                """);
        for (Command c : COMMANDS) {
            sb.append("  ").append(c.name()).append(" ".repeat(Math.max(1, 8 - c.name().length())))
                    .append(c.summary()).append('\n');
        }
        sb.append("""

                'godiag COMMAND --help' shows a command's options. --debug prints stack traces on errors.
                Exit codes: 0 ok, 2 bad input or usage, 3 internal error.
                """);
        return sb.toString();
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "godiag " + (v == null ? "dev" : v);
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

    static void outBytes(byte[] b) {
        out.write(b, 0, b.length);
    }

    static void warn(String s) {
        err.println(s);
    }
}
