package dev.godiag.cli;

import dev.godiag.engine.EngineContext;
import dev.godiag.util.BadInputException;

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
            new DiagnoseCommand(), new BaselineCommand(), new BenchCommand(), new GateCommand(), new ImpactCommand(),
            new TraceCommand(), new ScanCommand(), new EscapeCommand(), new RetentionCommand(), new GuardCommand(), new ServeCommand());

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        System.exit(run(args, out, System.err, System.in, System.getenv()));
    }

    /** Runs a command line with the given output streams and returns the exit code (for tests). */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        return run(args, stdout, stderr, System.in, System.getenv());
    }

    /**
     * Runs a command line and returns the exit code. Each call has its own streams, environment
     * and engine (the {@link Terminal} makes it from godiag's version and the environment's
     * limits), so calls may run concurrently in one JVM.
     */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr, java.io.InputStream stdin,
                          java.util.Map<String, String> env) {
        Terminal term = new Terminal(stdout, stderr, stdin, env, EngineContext.of(version()));
        boolean debug = Arrays.asList(args).contains("--debug");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        try {
            return dispatch(rest, term);
        } catch (RuntimeException e) {
            return handle(e, term, debug);
        } catch (OutOfMemoryError e) {
            stdout.flush();
            term.warn("godiag: out of memory (raise the heap with GODIAG_JAVA_OPTS=-Xmx...)");
            return BAD_INPUT;
        } catch (StackOverflowError e) {
            stdout.flush();
            term.warn("godiag: internal error: stack overflow (run with --debug for details)");
            if (debug) {
                e.printStackTrace(stderr);
            }
            return INTERNAL_ERROR;
        } finally {
            stdout.flush();
        }
    }

    private static int dispatch(String[] args, Terminal term) {
        if (args.length == 0 || isHelp(args[0])) {
            term.print(overview());
            return args.length == 0 ? BAD_INPUT : OK;
        }
        if (args[0].equals("--version") || args[0].equals("-V") || args[0].equals("version")) {
            term.print(version() + "\n");
            return OK;
        }
        if (args[0].equals("help")) {
            if (args.length == 1) {
                term.print(overview());
                return OK;
            }
            Command c = command(args[1]);
            term.print(ArgParser.help(c.usage(), c.description(), c.options()));
            return OK;
        }
        Command c = command(args[0]);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        for (String a : rest) {
            if (a.equals("--")) {
                break;
            }
            if (isHelp(a)) {
                term.print(ArgParser.help(c.usage(), c.description(), c.options()));
                return OK;
            }
        }
        return c.run(ArgParser.parse(c.name(), c.options(), rest), term);
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

    private static int handle(RuntimeException ex, Terminal term, boolean debug) {
        term.out().flush();
        if (ex instanceof BadInputException) {
            // the message is one line already (BadInputException escapes what it quotes)
            term.warn("godiag: " + ex.getMessage());
            if (debug) {
                ex.printStackTrace(term.err());
            }
            return BAD_INPUT;
        }
        term.warn("godiag: internal error: " + BadInputException.oneLine(String.valueOf(ex))
                + (debug ? "" : " (run with --debug for details)"));
        if (debug) {
            ex.printStackTrace(term.err());
        }
        return INTERNAL_ERROR;
    }
}
