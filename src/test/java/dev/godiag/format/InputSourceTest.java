package dev.godiag.format;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading whole inputs within limits, measured by bytes read and allocated (never by time): an
 * endless stream or HTTP body is cut at the limit, a Content-Length over it is refused before the
 * body, one redirect is followed and a loop is named.
 */
class InputSourceTest {
    private static final long LIMIT = 4 << 20;
    private static final ReadLimits LIMITS = ReadLimits.ofMaxInflate(LIMIT);
    /** Small objects, HTTP client state on this thread. */
    private static final long SLACK = 1 << 20;
    /** An endless body ends here, so that a broken client cannot make the test run forever. */
    private static final long ENDLESS = 1L << 30;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static HttpServer server;
    private static String base;
    /** Body bytes the server could write on the last endless or over-announced response. */
    private static final AtomicLong written = new AtomicLong();

    @TempDir
    static Path dir;

    private record Measured<T>(T result, long allocated) {
        static <T> Measured<T> of(Supplier<T> run) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            T result = run.get();
            return new Measured<>(result, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/endless", ex -> zeros(ex, 0));
        server.createContext("/announced", ex -> zeros(ex, 100_000_000_000L));
        server.createContext("/small", ex -> body(ex, "hello".getBytes(StandardCharsets.UTF_8), true));
        server.createContext("/unsized", ex -> body(ex, new byte[3 << 20], false));
        server.createContext("/to-small", ex -> redirect(ex, 302, "/small"));
        server.createContext("/self", ex -> redirect(ex, 301, "/self"));
        server.createContext("/ping", ex -> redirect(ex, 307, "/pong"));
        server.createContext("/pong", ex -> redirect(ex, 308, "/ping"));
        server.createContext("/first", ex -> redirect(ex, 302, "/second"));
        server.createContext("/second", ex -> redirect(ex, 302, "/small"));
        server.createContext("/nowhere", ex -> redirect(ex, 302, null));
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

    /** Zeros until the client goes away (or {@link #ENDLESS}); a Content-Length when announced > 0. */
    private static void zeros(HttpExchange ex, long announced) throws IOException {
        written.set(0);
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, announced);
        byte[] chunk = new byte[1 << 16];
        try (OutputStream o = ex.getResponseBody()) {
            while (written.get() < ENDLESS) {
                o.write(chunk);
                written.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            // the client stopped reading
        }
    }

    private static void body(HttpExchange ex, byte[] b, boolean sized) throws IOException {
        ex.sendResponseHeaders(200, sized ? b.length : 0);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    private static void redirect(HttpExchange ex, int code, String location) throws IOException {
        if (location != null) {
            ex.getResponseHeaders().add("Location", location);
        }
        ex.sendResponseHeaders(code, -1);
        ex.close();
    }

    private static String refusal(Supplier<?> read) {
        try {
            read.get();
        } catch (BadInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("not refused");
    }

    private static byte[] fetch(String path) {
        return InputSource.readAll(base + path, InputSource.FetchOptions.DEFAULT, LIMITS);
    }

    @Test
    void endlessBodyIsCutAtTheLimit() {
        Measured<String> m = Measured.of(() -> refusal(() -> fetch("/endless")));
        assertThat(m.result()).isEqualTo("response larger than the limit of 4 MiB (raise it with --max-inflate or"
                + " GODIAG_MAX_INFLATE)");
        // what this thread holds: the limit and a byte, in chunks, and nothing doubled
        assertThat(m.allocated()).isBetween(LIMIT, LIMIT + SLACK);
        // the server got rid of little more than that before the connection closed (socket buffers)
        assertThat(written.get()).isLessThan(LIMIT + (64 << 20));
    }

    @Test
    void announcedLengthOverTheLimitIsRefusedBeforeTheBody() {
        Measured<String> m = Measured.of(() -> refusal(() -> fetch("/announced")));
        assertThat(m.result()).isEqualTo("response of 100000000000 bytes (its Content-Length) is larger than the"
                + " limit of 4 MiB (raise it with --max-inflate or GODIAG_MAX_INFLATE)");
        assertThat(m.allocated()).isLessThan(SLACK);
    }

    @Test
    void bodiesWithinTheLimitAreReadWhole() {
        assertThat(fetch("/small")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        Measured<byte[]> m = Measured.of(() -> fetch("/unsized"));
        assertThat(m.result()).isEqualTo(new byte[3 << 20]);
        // chunks (a quarter more than the body at most), then the joined array
        assertThat(m.allocated()).isLessThan((long) (2.25 * (3 << 20)) + SLACK);
    }

    @Test
    void oneRedirectIsFollowed() {
        assertThat(fetch("/to-small")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void redirectLoopsAreNamed() {
        assertThat(refusal(() -> fetch("/self"))).isEqualTo("redirect loop: " + base + "/self redirects to itself");
        assertThat(refusal(() -> fetch("/ping")))
                .isEqualTo("redirect loop: " + base + "/ping -> " + base + "/pong -> " + base + "/ping");
    }

    @Test
    void secondRedirectIsNotFollowed() {
        assertThat(refusal(() -> fetch("/first"))).isEqualTo("more than one redirect: " + base + "/first -> " + base
                + "/second -> " + base + "/small (godiag follows one)");
    }

    @Test
    void redirectWithoutLocation() {
        assertThat(refusal(() -> fetch("/nowhere"))).isEqualTo("server response: 302 Found without a Location");
    }

    /** Zeros forever, counting what is read. */
    private static final class Endless extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 0);
            read += len;
            return len;
        }
    }

    @Test
    void endlessStandardInputIsCutAtTheLimit() {
        Endless in = new Endless();
        Measured<String> m = Measured.of(() -> refusal(() -> InputSource.readStandardInput(in, LIMITS)));
        assertThat(m.result()).isEqualTo("input larger than the limit of 4 MiB (raise it with --max-inflate or"
                + " GODIAG_MAX_INFLATE)");
        assertThat(in.read).isEqualTo(LIMIT + 1);
        assertThat(m.allocated()).isBetween(LIMIT, LIMIT + SLACK);
    }

    @Test
    void standardInputOfKnownSizeIsReadIntoOneArray() {
        byte[] data = new byte[LIMIT_BYTES];
        data[7] = 7;
        Measured<byte[]> m = Measured.of(() -> InputSource.readStandardInput(new ByteArrayInputStream(data), LIMITS));
        assertThat(m.result()).isEqualTo(data);
        assertThat(m.allocated()).isLessThan(data.length + SLACK);
        // exactly the limit is read, a byte more is not
        assertThat(refusal(() -> InputSource.readStandardInput(new ByteArrayInputStream(new byte[LIMIT_BYTES + 1]),
                LIMITS))).startsWith("input larger than the limit of 4 MiB");
    }

    private static final int LIMIT_BYTES = (int) LIMIT;

    @Test
    void fileLargerThanTheInputLimitIsRefusedBeforeReading() throws IOException {
        Path f = dir.resolve("big.bin");
        Files.write(f, new byte[5000]);
        assertThat(refusal(() -> InputSource.readFile(f, ReadLimits.DEFAULT.withMaxInput(4096))))
                .isEqualTo("file of 5000 bytes is larger than the limit of 4 KiB");
        // a file is not held to the inflate limit: its size is known
        assertThat(InputSource.readFile(f, ReadLimits.ofMaxInflate(1024))).hasSize(5000);
    }

    @Test
    void bytesSourceObeysTheInputLimit() {
        Source s = new Source.Bytes("upload", new byte[5000]);
        assertThatThrownBy(() -> s.readAll(ReadLimits.DEFAULT.withMaxInput(4096)))
                .hasMessage("input of 5000 bytes is larger than the limit (4 KiB)");
    }
}
