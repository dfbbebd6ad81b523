package dev.godiag.guard.scrape;

import dev.godiag.guard.config.Durations;
import dev.godiag.guard.config.HttpSettings;
import dev.godiag.util.BadInputException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GET requests bounded in size and in time (the whole exchange, body included, not only until the
 * headers), with a job's authentication and TLS. One HTTP client per TLS setting (rebuilt when its
 * certificate files change, as Prometheus re-reads them), all on virtual threads; redirects are
 * not followed (credentials never go to another host). Every failure is a {@link FetchException}
 * with one line.
 */
final class Fetcher implements AutoCloseable {
    /** How much of a non-2xx body is kept (an error message from a query API). */
    static final int ERROR_HEAD = 4096;

    /** A response: its status and body (for a non-2xx status, the body's first {@link #ERROR_HEAD} bytes). */
    record Response(int status, byte[] body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** A TLS setting and the modification times of its files: a rotated certificate makes a new client. */
    private record ClientKey(HttpSettings.Tls tls, long caTime, long certTime, long keyTime) {
    }

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();
    private final String userAgent;

    Fetcher(String userAgent) {
        this.userAgent = userAgent;
    }

    /**
     * GET {@code uri} within {@code timeout}; a 2xx body over {@code maxBytes} fails ("response
     * over N"), or with {@code truncate} is cut to its first {@code maxBytes}.
     */
    Response get(URI uri, HttpSettings http, String accept, Duration timeout, long maxBytes, boolean truncate)
            throws FetchException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new FetchException("timeout", true);
        }
        HttpClient client = client(http.tls());
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(uri).GET().timeout(timeout).header("User-Agent", userAgent);
        } catch (IllegalArgumentException e) {
            throw new FetchException("bad URL " + BadInputException.oneLine(uri.toString()) + ": "
                    + BadInputException.oneLine(e.getMessage()));
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        String authorization = authorization(http);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        CompletableFuture<HttpResponse<byte[]>> f =
                client.sendAsync(b.build(), BoundedBody.handler(maxBytes, truncate, ERROR_HEAD));
        try {
            HttpResponse<byte[]> r = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Response(r.statusCode(), r.body());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new FetchException("timeout after " + Durations.format(timeout), true);
        } catch (ExecutionException e) {
            String reason = reason(e.getCause(), timeout, maxBytes);
            throw new FetchException(reason, timedOut(e.getCause()));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted");
        }
    }

    private static String authorization(HttpSettings http) {
        if (http.basicAuth() != null) {
            String user = http.basicAuth().username() == null ? "" : http.basicAuth().username();
            String password = http.basicAuth().password() == null ? "" : http.basicAuth().password();
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        if (http.authorization() != null) {
            String type = http.authorization().type() == null ? "Bearer" : http.authorization().type();
            return type + " " + http.authorization().credentials();
        }
        return null;
    }

    private static boolean timedOut(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The one-line reason of a failed exchange. */
    static String reason(Throwable t, Duration timeout, long maxBytes) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BoundedBody.TooLarge) {
                return "response over " + bytes(maxBytes);
            }
            if (c instanceof HttpConnectTimeoutException) {
                return "connect timeout after " + Durations.format(timeout);
            }
            if (c instanceof HttpTimeoutException) {
                return "timeout after " + Durations.format(timeout);
            }
            if (c instanceof ConnectException) {
                String m = c.getMessage();
                return m == null || m.toLowerCase(java.util.Locale.ROOT).contains("refused")
                        ? "connection refused" : "cannot connect: " + BadInputException.oneLine(m);
            }
            if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
                return "unknown host";
            }
            if (c instanceof SSLException) {
                return "TLS: " + abbreviate(c.getMessage());
            }
        }
        String m = t.getMessage();
        if (m != null && m.contains("received no bytes")) {
            return "connection closed without a response";
        }
        return "bad response: " + abbreviate(m == null ? t.getClass().getSimpleName() : m);
    }

    private static String abbreviate(String s) {
        String one = BadInputException.oneLine(s == null ? "" : s);
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }

    private HttpClient client(HttpSettings.Tls tls) throws FetchException {
        ClientKey key = tls == null ? new ClientKey(null, 0, 0, 0)
                : new ClientKey(tls, modified(tls.caFile()), modified(tls.certFile()), modified(tls.keyFile()));
        HttpClient known = clients.get(key);
        if (known != null) {
            return known;
        }
        HttpClient.Builder b = HttpClient.newBuilder().executor(executor).followRedirects(HttpClient.Redirect.NEVER);
        if (tls == null) {
            b.version(HttpClient.Version.HTTP_1_1);
        } else {
            b.sslContext(TlsContexts.sslContext(tls));
        }
        HttpClient made = b.build();
        HttpClient raced = clients.putIfAbsent(key, made);
        if (raced != null) {
            made.shutdownNow();
            return raced;
        }
        // the client of the files' previous version is no longer used
        clients.entrySet().removeIf(e -> {
            boolean stale = e.getKey().tls() != null && e.getKey().tls().equals(tls) && !e.getKey().equals(key);
            if (stale) {
                e.getValue().shutdown();
            }
            return stale;
        });
        return made;
    }

    private static long modified(Path p) {
        try {
            return p == null ? 0 : Files.getLastModifiedTime(p).toMillis();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdownNow);
        clients.clear();
        executor.shutdownNow();
    }

    /** A size as a limit is written: 16 MiB, 512 KiB. */
    private static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB"};
        int u = 0;
        long v = n;
        while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }
}
