package dev.godiag.format.runtime;

import dev.godiag.format.Input;
import dev.godiag.format.InputSource;
import dev.godiag.format.Inputs;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.model.RuntimeInput;
import dev.godiag.util.BadInputException;

/**
 * Loads one runtime-statistics source, told apart by {@link Inputs}: {@code /debug/vars} JSON,
 * the Prometheus exposition ({@code /metrics}), or a log read for gctrace/schedtrace lines (what
 * any other input is read as). Gzipped input is un-gzipped (up to the inflate limit). Files are
 * streamed; standard input and URL responses are read whole first. A log with none of the traced
 * lines is an error, as is an exposition without samples. Errors are one {@link BadInputException}
 * line starting with the source's name.
 */
public final class RuntimeSources {
    private RuntimeSources() {
    }

    public static RuntimeInput load(Source source, ReadLimits limits) {
        Input in = Inputs.read(source, limits, Inputs.Expect.RUNTIME);
        return switch (in) {
            case Input.GcTraceLog t -> t.trace();
            case Input.Expvar v -> v.vars();
            case Input.Prometheus m -> m.metrics();
            case Input.Unrecognised u -> throw new BadInputException(u.name() + ": " + u.reason());
            default -> throw new IllegalStateException(in.name() + ": read as " + in.kind() + ", not runtime input");
        };
    }

    /** A file, "-" (standard input) or a URL. */
    public static RuntimeInput load(String source, InputSource.FetchOptions fetch, long inflateLimit) {
        return load(Source.of(source, fetch, System.in), ReadLimits.DEFAULT.withMaxInflate(inflateLimit));
    }

    /** Reads bytes already in memory (an upload, a scrape, a test). */
    public static RuntimeInput fromBytes(byte[] data, String name, long inflateLimit) {
        return load(new Source.Bytes(name, data), ReadLimits.DEFAULT.withMaxInflate(inflateLimit));
    }
}
