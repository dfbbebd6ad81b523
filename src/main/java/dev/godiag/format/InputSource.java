package dev.godiag.format;

import dev.godiag.util.BadInputException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where input comes from: a file, "-" for stdin, or an http(s) URL such as a service's
 * /debug/pprof/profile endpoint. Fetching follows pprof: --seconds sets the URL's "seconds"
 * parameter and the timeout defaults to 1.5x that, else 60 s.
 */
public final class InputSource {
    private static final Pattern ERROR_STATUS = Pattern.compile("^server response: (\\d{3})\\b");

    private InputSource() {
    }

    public static boolean isUrl(String name) {
        String l = name.toLowerCase(Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://");
    }

    /** Reads the whole input within the default limits. Errors are one-line {@link BadInputException}s without the name. */
    public static byte[] readAll(String name, FetchOptions options) {
        return readAll(name, options, ReadLimits.DEFAULT);
    }

    /**
     * Reads the whole input: a file (refused before reading when larger than {@code maxInput}),
     * "-" for standard input or a URL (both read up to {@link ReadLimits#maxStreamed()}). Errors
     * are one-line {@link BadInputException}s without the name.
     */
    public static byte[] readAll(String name, FetchOptions options, ReadLimits limits) {
        if (name.equals("-")) {
            return readStandardInput(System.in, limits);
        }
        if (isUrl(name)) {
            return fetch(name, options, limits);
        }
        Path p;
        try {
            p = Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInputException("invalid file name (" + e.getReason() + ")");
        }
        return readFile(p, limits);
    }

    /** Reads a file whole: its size is checked before anything is read. */
    public static byte[] readFile(Path p, ReadLimits limits) {
        if (Files.isDirectory(p)) {
            throw new BadInputException("is a directory, not a file");
        }
        try {
            if (!Files.isRegularFile(p)) {
                // a pipe, a device or /proc file: its size says nothing, so read with a bound
                try (InputStream in = Files.newInputStream(p)) {
                    return readBounded(in, limits.maxStreamed(), -1, "input");
                }
            }
            long size = Files.size(p);
            if (size > limits.maxInput()) {
                throw new BadInputException("file of " + size + " bytes is larger than "
                        + (limits.maxInput() == ReadLimits.MAX_ARRAY ? "godiag reads (2 GiB)"
                        : "the limit of " + Gzip.describeSize(limits.maxInput())));
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new BadInputException("no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadInputException("permission denied");
        } catch (IOException e) {
            throw new BadInputException("cannot read: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        } catch (OutOfMemoryError e) {
            throw new BadInputException("file too large for the available memory");
        }
    }

    /** Reads standard input whole, up to {@link ReadLimits#maxStreamed()} bytes. */
    public static byte[] readStandardInput(InputStream in, ReadLimits limits) {
        try {
            // redirected from a file, the stream knows what is left: a hint for the first buffer
            return readBounded(in, limits.maxStreamed(), in.available(), "input");
        } catch (IOException e) {
            throw new BadInputException("cannot read standard input: " + e.getMessage());
        }
    }

    /**
     * Reads a stream to its end, refusing more than {@code limit} bytes. The data goes into chunks
     * (the first of {@code expected} bytes when that is known, then growing ones), never more than
     * the limit and a byte in all, joined into one array at the end (no copy when the first chunk
     * held it all). So an endless stream costs at most the limit, and is cut there; one that ends
     * costs its size in chunks (a quarter more at most) and once more joined.
     */
    static byte[] readBounded(InputStream in, long limit, long expected, String what) throws IOException {
        long cap = Math.min(limit, ReadLimits.MAX_ARRAY);
        List<byte[]> chunks = new ArrayList<>();
        long total = 0;
        int lastLength;
        int pending = -1; // a byte read to see whether a full chunk was the end
        int size = (int) Math.min(cap + 1, expected > 0 ? expected : 1 << 16);
        while (true) {
            byte[] chunk = new byte[size];
            int n = 0;
            if (pending >= 0) {
                chunk[n++] = (byte) pending;
            }
            n += in.readNBytes(chunk, n, chunk.length - n);
            total += n;
            if (total > cap) {
                throw tooLarge(what, limit);
            }
            if (n < chunk.length) {
                if (chunks.isEmpty()) {
                    return Arrays.copyOf(chunk, n);
                }
                chunks.add(chunk);
                lastLength = n;
                break;
            }
            chunks.add(chunk);
            pending = in.read();
            if (pending < 0) {
                if (chunks.size() == 1) {
                    return chunk;
                }
                lastLength = n;
                break;
            }
            if (total == cap) {
                throw tooLarge(what, limit);
            }
            // chunks of a quarter of what came so far: a partly filled last one wastes little
            size = (int) Math.min(cap + 1 - total, Math.max(1 << 16, Math.min(total / 4, 64L << 20)));
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i);
            int len = i == chunks.size() - 1 ? lastLength : c.length;
            System.arraycopy(c, 0, out, at, len);
            at += len;
            chunks.set(i, null); // each chunk can go once copied
        }
        return out;
    }

    private static BadInputException tooLarge(String what, long limit) {
        return new BadInputException(what + " larger than " + (limit >= ReadLimits.MAX_ARRAY ? "godiag reads (2 GiB)"
                : "the limit of " + Gzip.describeSize(limit) + " (raise it with --max-inflate or GODIAG_MAX_INFLATE)"));
    }

    /** The URL pprof would fetch: --seconds overrides the query's seconds parameter. */
    public static URI profileUri(String url, int seconds) {
        try {
            URI u = new URI(url);
            if (u.getHost() == null) {
                throw new BadInputException("URL has no host");
            }
            if (seconds <= 0) {
                return u;
            }
            String q = u.getRawQuery();
            StringBuilder query = new StringBuilder();
            if (q != null) {
                for (String part : q.split("&")) {
                    if (!part.isEmpty() && !part.startsWith("seconds=") && !part.equals("seconds")) {
                        query.append(query.isEmpty() ? "" : "&").append(part);
                    }
                }
            }
            query.append(query.isEmpty() ? "" : "&").append("seconds=").append(seconds);
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            return new URI(u.getScheme() + "://" + u.getRawAuthority() + path + "?" + query);
        } catch (URISyntaxException e) {
            throw new BadInputException("invalid URL: " + e.getMessage());
        }
    }

    static int secondsFromQuery(URI u) {
        String q = u.getRawQuery();
        if (q == null) {
            return 0;
        }
        for (String part : q.split("&")) {
            if (part.startsWith("seconds=")) {
                try {
                    return Integer.parseInt(part.substring(8));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * Fetches a URL: one redirect is followed (a second is refused, a loop named as such); a body
     * announced (Content-Length) or found larger than {@link ReadLimits#maxStreamed()} is refused,
     * the first before anything is read.
     */
    private static byte[] fetch(String url, FetchOptions options, ReadLimits limits) {
        return fetch(url, options, limits, uri -> {
        });
    }

    /**
     * Fetches a URL as {@link #readAll} does, showing {@code approve} every URL before it is
     * requested (the first, and a redirect's target): it refuses one by throwing, so a caller
     * that may only reach some hosts (a server's capture allowlist) checks redirects too.
     */
    public static byte[] fetch(String url, FetchOptions options, ReadLimits limits, Consumer<URI> approve) {
        URI uri = profileUri(url, options.seconds());
        int seconds = options.seconds() > 0 ? options.seconds() : secondsFromQuery(uri);
        Duration timeout = options.timeoutSeconds() > 0 ? Duration.ofSeconds(options.timeoutSeconds())
                : seconds > 0 ? Duration.ofMillis(seconds * 1500L) : Duration.ofSeconds(60);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        long deadline = System.nanoTime() + timeout.plusSeconds(5).toNanos();
        try {
            List<URI> visited = new ArrayList<>(List.of(uri));
            while (true) {
                URI current = visited.get(visited.size() - 1);
                approve.accept(current);
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                HttpRequest request = HttpRequest.newBuilder(current).timeout(left)
                        .header("User-Agent", "godiag").GET().build();
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = withDeadline(response.body(), deadline)) {
                    int code = response.statusCode();
                    if (isRedirect(code) && response.headers().firstValue("Location").isPresent()) {
                        visited.add(redirectTarget(current, response.headers().firstValue("Location").get(), code,
                                visited));
                        continue;
                    }
                    if (code != 200) {
                        byte[] text = body.readNBytes(4096);
                        String ct = response.headers().firstValue("Content-Type").orElse("");
                        String detail = ct.contains("text/plain") ? firstLine(text) : "";
                        // pprof's form: "server response: 404 Not Found - <the handler's message>"
                        throw new BadInputException("server response: " + status(code)
                                + (detail.isEmpty() ? "" : " - " + detail)
                                + (isRedirect(code) ? " without a Location" : ""));
                    }
                    long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                    if (announced > limits.maxStreamed()) {
                        throw new BadInputException("response of " + announced + " bytes (its Content-Length) is"
                                + " larger than " + (limits.maxStreamed() >= ReadLimits.MAX_ARRAY
                                ? "godiag reads (2 GiB)" : "the limit of " + Gzip.describeSize(limits.maxStreamed())
                                + " (raise it with --max-inflate or GODIAG_MAX_INFLATE)"));
                    }
                    return readBounded(body, limits.maxStreamed(), announced, "response");
                }
            }
        } catch (java.net.http.HttpConnectTimeoutException e) {
            throw new BadInputException("cannot connect to " + uri.getHost() + " (no answer within 10s)");
        } catch (java.net.http.HttpTimeoutException e) {
            throw new BadInputException("timed out after " + timeout.plusSeconds(5).toSeconds()
                    + "s (--timeout, plus 5 s as pprof allows; raise --timeout)");
        } catch (java.net.ConnectException e) {
            if (causedBy(e, java.nio.channels.UnresolvedAddressException.class)
                    || causedBy(e, java.net.UnknownHostException.class)) {
                throw new BadInputException("unknown host " + uri.getHost());
            }
            throw new BadInputException("connection refused");
        } catch (IOException e) {
            if (causedBy(e, java.nio.channels.UnresolvedAddressException.class)
                    || causedBy(e, java.net.UnknownHostException.class)) {
                throw new BadInputException("unknown host " + uri.getHost());
            }
            throw new BadInputException("fetch failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInputException("fetch interrupted");
        } catch (IllegalArgumentException e) {
            throw new BadInputException("invalid URL: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new BadInputException("response too large for the available memory");
        }
    }

    /** The HTTP error status a failed fetch reports ("server response: 404 Not Found"), else 0. */
    public static int errorStatus(BadInputException e) {
        Matcher m = ERROR_STATUS.matcher(e.getMessage());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    /**
     * Where a redirect goes, if godiag follows it: one redirect is, a second is not; one that comes
     * back to a URL already fetched is a loop.
     */
    private static URI redirectTarget(URI from, String location, int code, List<URI> visited) {
        URI to;
        try {
            to = from.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("server response: " + status(code) + " to an invalid URL ("
                    + e.getMessage() + ")");
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || to.getHost() == null) {
            throw new BadInputException("server response: " + status(code) + " to " + to
                    + ", not an http(s) URL");
        }
        if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw new BadInputException("server response: " + status(code) + " from https to http (" + to
                    + "), not followed");
        }
        List<String> path = new ArrayList<>(visited.stream().map(URI::toString).toList());
        path.add(to.toString());
        if (visited.contains(to)) {
            throw new BadInputException("redirect loop: " + (visited.size() == 1 && visited.get(0).equals(to)
                    ? to + " redirects to itself" : String.join(" -> ", path)));
        }
        if (visited.size() > 1) {
            throw new BadInputException("more than one redirect: " + String.join(" -> ", path)
                    + " (godiag follows one)");
        }
        return to;
    }

    /**
     * The request's timeout ends with the headers; pprof's (Go's http.Client.Timeout) covers the
     * body too. So a body still unread at the deadline is closed, and its reads then fail with
     * an HttpTimeoutException.
     */
    private static InputStream withDeadline(InputStream body, long deadlineNanos) {
        AtomicBoolean expired = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(deadlineNanos - System.nanoTime());
                expired.set(true);
                body.close();
            } catch (InterruptedException | IOException e) {
                // read in time
            }
        });
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw expired.get() ? new java.net.http.HttpTimeoutException("body not read in time") : e;
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw expired.get() ? new java.net.http.HttpTimeoutException("body not read in time") : e;
                }
            }

            @Override
            public void close() throws IOException {
                watchdog.interrupt();
                super.close();
            }
        };
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** An HTTP status with its reason phrase, as Go prints it ("404 Not Found"). */
    static String status(int code) {
        String reason = switch (code) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
        return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
    }

    /** The first line of an error page, at most 200 characters. */
    private static String firstLine(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8).strip();
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl).strip();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** How to fetch URLs: profile duration and timeout in seconds (0 = pprof's defaults). */
    public record FetchOptions(int seconds, int timeoutSeconds) {
        public static final FetchOptions DEFAULT = new FetchOptions(0, 0);
    }
}
