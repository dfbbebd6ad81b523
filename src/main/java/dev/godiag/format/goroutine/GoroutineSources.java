package dev.godiag.format.goroutine;

import dev.godiag.format.Input;
import dev.godiag.format.InputSource;
import dev.godiag.format.Inputs;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.format.StreamedSource;
import dev.godiag.model.GoroutineDump;
import dev.godiag.util.BadInputException;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Loads the goroutines of one source, told apart by {@link Inputs}: a goroutine or goroutineleak
 * profile (profile.proto), {@code goroutine profile: total N} / {@code goroutineleak profile: total N}
 * ({@code ?debug=1} text), anything else a full dump ({@code ?debug=2}, a panic, a SIGQUIT log...).
 * Gzipped input is un-gzipped.
 *
 * <p>URLs: a service's {@code /debug/pprof/goroutine} or {@code /debug/pprof/goroutineleak}
 * endpoint given without a query is fetched with {@code ?debug=2}, the full dump: it is the only
 * form with states, wait times, creators and (on Go 1.26+) the {@code (leaked)} markers, which is
 * what one asks a goroutine report for (on the goroutineleak endpoint, debug=2 first runs the
 * leak-detecting GC and then dumps every goroutine, the leaked ones marked). A URL with a query
 * is fetched as given ({@code ?debug=0} for the proto, {@code ?debug=1} for the grouped text).
 *
 * <p>Files are streamed line by line, not held in memory; standard input and responses are read
 * whole first (as every other input of godiag). Errors are one {@link BadInputException} line that
 * starts with the source's name.
 */
public final class GoroutineSources {
    private GoroutineSources() {
    }

    public static GoroutineDump load(Source source, ReadLimits limits) {
        Source s = source instanceof Source.Url u ? dumpSource(u, limits) : source;
        Input in = Inputs.read(s, limits, Inputs.Expect.GOROUTINES);
        return switch (in) {
            case Input.Goroutines g -> g.dump();
            case Input.Profile p -> StreamedSource.named(p.name(), () -> GoroutineProfiles.fromProfile(p.profile(),
                    p.name()));
            case Input.Unrecognised u -> throw new BadInputException(u.name() + ": " + u.reason());
            default -> throw new IllegalStateException(in.name() + ": read as " + in.kind() + ", not goroutines");
        };
    }

    /** A file, "-" (standard input) or a URL. */
    public static GoroutineDump load(String source, InputSource.FetchOptions fetch, long inflateLimit) {
        return load(Source.of(source, fetch, System.in), ReadLimits.DEFAULT.withMaxInflate(inflateLimit));
    }

    /** Reads goroutines from bytes already in memory (an upload, a test). */
    public static GoroutineDump fromBytes(byte[] data, String name, long inflateLimit) {
        return load(new Source.Bytes(name, data), ReadLimits.DEFAULT.withMaxInflate(inflateLimit));
    }

    /**
     * A goroutine endpoint's full dump under the endpoint's own name: the URL with {@code ?debug=2}
     * fetched when {@link #dumpUrl} adds it, else the source unchanged.
     */
    public static Source dumpSource(Source.Url u, ReadLimits limits) {
        String dump = StreamedSource.named(u.url(), () -> dumpUrl(u.url()));
        if (dump.equals(u.url())) {
            return u;
        }
        byte[] data = StreamedSource.named(u.url(), () -> new Source.Url(dump, u.fetch()).readAll(limits));
        if (data.length == 0) {
            throw new BadInputException(u.url() + ": empty response");
        }
        return new Source.Bytes(u.url(), data);
    }

    /**
     * The URL to fetch: {@code ?debug=2} added to a goroutine or goroutineleak endpoint without a
     * query; any other URL unchanged.
     */
    public static String dumpUrl(String url) {
        try {
            URI u = new URI(url);
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            if (u.getRawQuery() == null && (p.endsWith("/debug/pprof/goroutine")
                    || p.endsWith("/debug/pprof/goroutineleak"))) {
                String base = url.endsWith("?") ? url.substring(0, url.length() - 1) : url;
                int hash = base.indexOf('#');
                return (hash >= 0 ? base.substring(0, hash) : base) + "?debug=2";
            }
            return url;
        } catch (URISyntaxException e) {
            throw new BadInputException("invalid URL: " + e.getMessage());
        }
    }
}
