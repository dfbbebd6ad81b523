package dev.godiag.format.goroutine;

import dev.godiag.util.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.ProfileReader;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.StreamedSource;
import dev.godiag.model.GoroutineDump;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Loads the goroutines of one source: a file, {@code -} (standard input) or an http(s) URL. The
 * content decides the reader, never the name: gzip or binary data is a goroutine or goroutineleak
 * profile (profile.proto; a gzipped text dump is un-gzipped and read as text),
 * {@code goroutine profile: total N} / {@code goroutineleak profile: total N} is {@code ?debug=1}
 * text, anything else a full dump ({@code ?debug=2}, a panic, a SIGQUIT log...).
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
    private static final int SNIFF = 4096;

    private GoroutineSources() {
    }

    public static GoroutineDump load(String source, InputSource.FetchOptions fetch, long inflateLimit) {
        String name = ProfileLoader.displayName(source);
        return StreamedSource.named(name, () -> {
            if (source.equals("-") || InputSource.isUrl(source)) {
                String url = InputSource.isUrl(source) ? dumpUrl(source) : source;
                byte[] data = InputSource.readAll(url, fetch, ReadLimits.ofMaxInflate(inflateLimit));
                if (data.length == 0) {
                    throw new BadInputException(InputSource.isUrl(source) ? "empty response" : "empty input");
                }
                return fromBytes(data, name, inflateLimit);
            }
            return StreamedSource.readFile(source, SNIFF, (in, head) -> {
                if (Gzip.isGzip(head)) {
                    return fromBytes(InputSource.readAll(source, fetch, ReadLimits.ofMaxInflate(inflateLimit)), name, inflateLimit);
                }
                if (isBinary(head, head.length)) {
                    return GoroutineProfiles.fromProfile(ProfileLoader.load(source, fetch, inflateLimit), name);
                }
                return fromText(in, head, name);
            });
        });
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

    /** Reads goroutines from bytes already in memory; errors are not prefixed with the name. */
    public static GoroutineDump fromBytes(byte[] data, String name, long inflateLimit) {
        if (Gzip.isGzip(data)) {
            byte[] plain = Gzip.gunzip(data, inflateLimit);
            if (!isBinary(plain, Math.min(plain.length, SNIFF))) {
                return fromText(new ByteArrayInputStream(plain), head(plain), name);
            }
            return GoroutineProfiles.fromProfile(ProfileLoader.withMapping(ProfileReader.read(data, inflateLimit)), name);
        }
        if (isBinary(data, Math.min(data.length, SNIFF))) {
            return GoroutineProfiles.fromProfile(ProfileLoader.withMapping(ProfileReader.read(data, inflateLimit)), name);
        }
        return fromText(new ByteArrayInputStream(data), head(data), name);
    }

    private static GoroutineDump fromText(InputStream in, byte[] head, String name) {
        String text = new String(head, StandardCharsets.UTF_8);
        if (GoroutineCountReader.sniff(text)) {
            return GoroutineCountReader.read(in, name);
        }
        return GoroutineDumpReader.read(in, name);
    }

    private static byte[] head(byte[] data) {
        return data.length <= SNIFF ? data : java.util.Arrays.copyOf(data, SNIFF);
    }

    /** Control bytes other than tab, line ends and form feed: not text (profile.proto is full of them). */
    static boolean isBinary(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) {
                return true;
            }
        }
        return false;
    }
}
