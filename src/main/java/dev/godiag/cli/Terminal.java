package dev.godiag.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * One run of the command line: where it prints, what it reads as standard input and the
 * environment it sees. Each run has its own, so runs in one JVM (tests, a server calling the CLI)
 * never share streams.
 */
final class Terminal {
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;

    Terminal(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = Map.copyOf(env);
    }

    /** Standard output; bytes of names that are not valid UTF-8 are written as they were read, as pprof does. */
    void print(String s) {
        byte[] b = dev.godiag.util.RawUtf8.encode(s);
        out.write(b, 0, b.length);
    }

    void write(byte[] b) {
        out.write(b, 0, b.length);
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
