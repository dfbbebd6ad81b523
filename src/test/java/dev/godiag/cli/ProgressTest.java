package dev.godiag.cli;

import com.sun.net.httpserver.HttpServer;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Long work says what it does on a terminal (the launcher's GODIAG_STDERR_TTY=1) and nothing in a pipe. */
class ProgressTest {
    private static HttpServer server;
    private static String url;

    @BeforeAll
    static void start() throws IOException {
        byte[] heap = Files.readAllBytes(Corpus.file("go1.27/cpuwork/heap.pprof"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/debug/pprof/heap", ex -> {
            ex.sendResponseHeaders(200, heap.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(heap);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/debug/pprof/heap";
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run top(Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[]{"top", "--nodecount", "3", url}, o, e, new ByteArrayInputStream(new byte[0]),
                    env);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFetchIsAnnouncedOnATerminalOnly() {
        Run terminal = top(Map.of("GODIAG_STDERR_TTY", "1"));
        Run pipe = top(Map.of());
        assertThat(terminal.code()).as(terminal.err()).isZero();
        assertThat(terminal.err()).isEqualTo("godiag: fetching " + url + "\n");
        assertThat(pipe.code()).isZero();
        assertThat(pipe.err()).isEmpty();
        // the report itself does not change
        assertThat(terminal.out()).isEqualTo(pipe.out()).contains("Type: inuse_space");
    }
}
