package dev.godiag.cli;

import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.format.Gzip;
import dev.godiag.util.BadInputException;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * One run of the command line: where it prints, what it reads as standard input, the
 * environment it sees and the engine its command calls. Each run has its own, so runs in one JVM
 * (tests, a server calling the CLI) never share streams.
 */
final class Terminal {
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;
    private final EngineContext context;
    private Engine engine;

    /** A run whose engine has the given version and clock; its read limits come from the environment. */
    Terminal(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, EngineContext context) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = Map.copyOf(env);
        this.context = context;
    }

    /**
     * This run's engine: the inflate limit is GODIAG_MAX_INFLATE's, else the default. Made on first
     * use, so a run that reads nothing never fails on a bad variable.
     */
    Engine engine() {
        if (engine == null) {
            engine = new Engine(context.withLimits(context.limits().withMaxInflate(envInflateLimit())));
        }
        return engine;
    }

    /** The run's context with the default read limits (for commands that inflate nothing). */
    EngineContext baseContext() {
        return context;
    }

    /** This run's engine, with the limit of a --max-inflate option instead when it is given (null: not given). */
    Engine engine(String maxInflate) {
        if (maxInflate == null) {
            return engine();
        }
        return new Engine(context.withLimits(context.limits().withMaxInflate(Gzip.parseSize(maxInflate))));
    }

    private long envInflateLimit() {
        String s = env.get("GODIAG_MAX_INFLATE");
        if (s == null || s.isBlank()) {
            return context.limits().maxInflate();
        }
        try {
            return Gzip.parseSize(s.trim());
        } catch (BadInputException e) {
            throw new BadInputException("GODIAG_MAX_INFLATE: " + e.getMessage());
        }
    }

    /** Standard output; bytes of names that are not valid UTF-8 are written as they were read, as pprof does. */
    void print(String s) {
        byte[] b = dev.godiag.util.RawUtf8.encode(s);
        out.write(b, 0, b.length);
    }

    /**
     * A progress line on standard error, only when it is a terminal (the launcher says so with
     * GODIAG_STDERR_TTY=1): a person waiting sees what takes the time, a pipe or a log stays quiet.
     */
    void progress(String s) {
        if ("1".equals(env.get("GODIAG_STDERR_TTY"))) {
            err.println("godiag: " + s);
        }
    }

    /** A line on standard error. */
    void warn(String s) {
        err.println(s);
    }

    InputStream stdin() {
        return in;
    }

    /** An environment variable, or null. */
    String env(String name) {
        return env.get(name);
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }
}
