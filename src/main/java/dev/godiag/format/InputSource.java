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
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where input comes from: a file, "-" for stdin, or an http(s) URL such as a service's
 * /debug/pprof/profile endpoint. Fetching follows pprof: --seconds sets the URL's "seconds"
 * parameter and the timeout defaults to 1.5x that, else 60 s.
 */
public final class InputSource {
    /** Refuse single inputs beyond this size before reading them (2 GiB is Java's array limit). */
    private static final long MAX_INPUT = Integer.MAX_VALUE - 16;

    private InputSource() {
    }

    public static boolean isUrl(String name) {
        String l = name.toLowerCase(Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://");
    }

    /** Reads the whole input. Errors are one-line {@link BadInputException}s without the name. */
    public static byte[] readAll(String name, FetchOptions options) {
        if (name.equals("-")) {
            try {
                return readBounded(System.in);
            } catch (IOException e) {
                throw new BadInputException("cannot read standard input: " + e.getMessage());
            }
        }
        if (isUrl(name)) {
            return fetch(name, options);
        }
        Path p;
        try {
            p = Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInputException("invalid file name (" + e.getReason() + ")");
        }
        if (Files.isDirectory(p)) {
            throw new BadInputException("is a directory, not a file");
        }
        try {
            long size = Files.size(p);
            if (size > MAX_INPUT) {
                throw new BadInputException("file of " + size + " bytes is larger than godiag reads (2 GiB)");
            }
            if (!Files.isRegularFile(p)) {
                // a pipe, a device or /proc file: its size says nothing, so read with a bound
                try (InputStream in = Files.newInputStream(p)) {
                    return readBounded(in);
                }
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

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] data = in.readNBytes((int) MAX_INPUT);
        if (in.read() >= 0) {
            throw new BadInputException("input larger than godiag reads (2 GiB)");
        }
        return data;
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

    private static byte[] fetch(String url, FetchOptions options) {
        URI uri = profileUri(url, options.seconds());
        int seconds = options.seconds() > 0 ? options.seconds() : secondsFromQuery(uri);
        Duration timeout = options.timeoutSeconds() > 0 ? Duration.ofSeconds(options.timeoutSeconds())
                : seconds > 0 ? Duration.ofMillis(seconds * 1500L) : Duration.ofSeconds(60);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout.plusSeconds(5))
                .header("User-Agent", "godiag").GET().build();
        long deadline = System.nanoTime() + timeout.plusSeconds(5).toNanos();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = withDeadline(response.body(), deadline)) {
                if (response.statusCode() != 200) {
                    byte[] text = body.readNBytes(4096);
                    String ct = response.headers().firstValue("Content-Type").orElse("");
                    String detail = ct.contains("text/plain") ? firstLine(text) : "";
                    // pprof's form: "server response: 404 Not Found - <the handler's message>"
                    // (the client follows redirects: one that is left was one too many)
                    int code = response.statusCode();
                    throw new BadInputException("server response: " + status(code)
                            + (detail.isEmpty() ? "" : " - " + detail)
                            + (code >= 300 && code < 400 ? " (redirect loop?)" : ""));
                }
                return readBounded(body);
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
