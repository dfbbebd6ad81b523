package dev.godiag.badinput;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import static dev.godiag.badinput.BadInput.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input from URLs: refused connections, error statuses, junk bodies, a server that never answers. */
class UrlBadInputTest {
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/404", ex -> respond(ex, 404, "text/plain; charset=utf-8", "404 page not found\n"));
        server.createContext("/unknown-profile", ex -> {
            ex.getResponseHeaders().add("X-Go-Pprof", "1");
            respond(ex, 404, "text/plain; charset=utf-8", "Unknown profile\n");
        });
        server.createContext("/500", ex -> respond(ex, 500, "text/html", "<html><body>\nboom\n</body></html>"));
        server.createContext("/multiline-error", ex -> respond(ex, 503, "text/plain",
                "first line\u001b[31m red\nsecond line\n"));
        server.createContext("/junk", ex -> respond(ex, 200, "application/octet-stream",
                BadInputTest.randomBytes(5000, 7)));
        server.createContext("/html", ex -> respond(ex, 200, "text/html",
                "<!DOCTYPE html><html><body>Please sign in</body></html>\n".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/truncated-gzip", ex -> respond(ex, 200, "application/octet-stream",
                Arrays.copyOf(BadInput.gzip(Pb.validProfile().build()), 40)));
        server.createContext("/empty", ex -> respond(ex, 200, "application/octet-stream", new byte[0]));
        server.createContext("/good", ex -> respond(ex, 200, "application/octet-stream",
                BadInput.gzip(Pb.validProfile().build())));
        server.createContext("/hang", ex -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/good");
            ex.sendResponseHeaders(301, -1);
            ex.close();
        });
        server.createContext("/endless", ex -> zeros(ex, 0, endlessWritten));
        server.createContext("/announced", ex -> zeros(ex, 100_000_000_000L, new AtomicLong()));
        server.createContext("/redirect-loop", ex -> {
            ex.getResponseHeaders().add("Location", "/redirect-loop");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** Body bytes the endless response got out before the client hung up. */
    private static final AtomicLong endlessWritten = new AtomicLong();

    /** Zeros until the client hangs up (at most 1 GiB); a Content-Length when announced > 0. */
    private static void zeros(HttpExchange ex, long announced, AtomicLong written) throws IOException {
        ex.sendResponseHeaders(200, announced);
        byte[] chunk = new byte[1 << 16];
        try (OutputStream o = ex.getResponseBody()) {
            while (written.get() < 1L << 30) {
                o.write(chunk);
                written.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            // the client stopped reading
        }
    }

    private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        respond(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    @Test
    void goodUrlIsRead() {
        Peers.Result r = Godiag.run("top", base + "/good");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("main.work"), r.stdout());
    }

    @Test
    void connectionRefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/debug/pprof/profile";
        assertBadInput(Godiag.run("top", url), url, "connection refused");
        assertBadInput(Godiag.run("info", url), url, "connection refused");
    }

    @Test
    void notFound() {
        String url = base + "/404";
        assertBadInput(Godiag.run("top", url), url, "server response: 404 Not Found - 404 page not found");
        url = base + "/unknown-profile";
        assertBadInput(Godiag.run("info", url), url, "server response: 404 Not Found - Unknown profile");
    }

    @Test
    void serverErrorWithHtmlBody() {
        String url = base + "/500";
        String line = assertBadInput(Godiag.run("top", url), url, "server response: 500 Internal Server Error");
        assertTrue(!line.contains("html"), line);
    }

    @Test
    void errorBodyStaysOnOneLine() {
        String url = base + "/multiline-error";
        assertBadInput(Godiag.run("top", url), url,
                "server response: 503 Service Unavailable - first line\\x1b[31m red");
    }

    @Test
    void junkBody() {
        String url = base + "/junk";
        assertBadInput(Godiag.run("top", url), url, "not a profile");
        assertBadInput(Godiag.run("info", url), url, "not a profile");
    }

    @Test
    void htmlBody() {
        String url = base + "/html";
        assertBadInput(Godiag.run("top", url), url, "not a profile: text", "<!DOCTYPE html>");
    }

    @Test
    void truncatedGzipBody() {
        String url = base + "/truncated-gzip";
        assertBadInput(Godiag.run("top", url), url, "truncated gzip data");
    }

    @Test
    void emptyBody() {
        String url = base + "/empty";
        assertBadInput(Godiag.run("top", url), url, "empty response");
    }

    @Test
    void serverThatNeverAnswersTimesOut() {
        // the timeout given, not the default of 60 s (the server hangs for 30 s and then closes)
        String url = base + "/hang";
        assertBadInput(Godiag.run("top", "--timeout", "1", url), url, "timed out after 6s");
    }

    @Test
    void redirectLoop() {
        String url = base + "/redirect-loop";
        assertBadInput(Godiag.run("top", url), url, "redirect loop: " + url + " redirects to itself");
    }

    @Test
    void oneRedirectIsFollowed() {
        Peers.Result r = Godiag.run("top", base + "/moved");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("main.work"), r.stdout());
    }

    @Test
    void endlessBodyStopsAtTheInflateLimit() {
        String url = base + "/endless";
        assertBadInput(Godiag.run("top", "--max-inflate", "1m", url), url,
                "response larger than the limit of 1 MiB", "--max-inflate");
        assertTrue(endlessWritten.get() < (1L << 20) + (64L << 20), "the server wrote " + endlessWritten.get());
    }

    @Test
    void announcedBodyOverTheLimitIsNotRead() {
        String url = base + "/announced";
        assertBadInput(Godiag.run("info", "--max-inflate", "1m", url), url,
                "response of 100000000000 bytes (its Content-Length) is larger than the limit of 1 MiB");
    }

    @Test
    void unknownHost() {
        // .invalid never resolves (RFC 2606); whatever the resolver says, it is one line naming the URL
        String url = "http://godiag-test.invalid/debug/pprof/heap";
        assertBadInput(Godiag.run("top", "--timeout", "5", url), url);
    }

    @Test
    void urlWithoutHost() {
        assertBadInput(Godiag.run("top", "http:///debug/pprof/heap"), "http:///debug/pprof/heap", "URL has no host");
    }

    @Test
    void malformedUrl() {
        String url = "http://127.0.0.1:99999999/x";
        assertBadInput(Godiag.run("top", url), url);
        url = "http://exa mple.com/x";
        assertBadInput(Godiag.run("top", url), url, "invalid URL");
    }
}
