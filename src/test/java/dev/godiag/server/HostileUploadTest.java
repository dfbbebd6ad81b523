package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;
import dev.godiag.server.TestServer.MultipartPart;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.JavaProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile uploads against a running server: script in function names and labels is rendered
 * inert; zip and gzip bombs are refused or stored as failed without being expanded in memory while
 * the server goes on answering; a 2 GB body is refused before it is read (declared) or cut at the
 * limit (chunked); malformed multipart, archives with '..' paths and control characters in labels
 * are answered 4xx with one line of JSON.
 */
class HostileUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String IMG = "\"><img src=x onerror=alert(1)>";
    private static final long TWO_GB = 2L << 30;
    private static final long SMALL_LIMIT = 1 << 20;

    /** A server with the tests' default upload limit (64 MiB). */
    static TestServer server;
    /** A server with a 1 MiB upload limit. */
    static TestServer small;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        small = TestServer.start(TestServer.Settings.sqlite().withMaxUpload(SMALL_LIMIT));
    }

    @AfterAll
    static void stop() {
        Await.closeAll(server, small);
    }

    // ---- script in names and labels

    @Test
    void scriptInFunctionNamesAndLabelsIsInertInTheReportAndTheApi() throws Exception {
        byte[] profile = hostileCpuProfile();
        TestServer.Answer a = server.postMultipart("/api/uploads?wait=120", List.of(
                MultipartPart.file("cpu" + SCRIPT + ".pprof", profile),
                MultipartPart.field("service", "svc" + SCRIPT),
                MultipartPart.field("version", IMG),
                MultipartPart.field("labels", "note=" + SCRIPT + ",img=" + IMG)));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        JsonNode created = JSON.readTree(a.body());
        assertThat(created.path("status").asText()).isEqualTo("done");
        String id = created.path("id").asText();

        TestServer.Answer meta = server.get("/api/uploads/" + id);
        assertThat(meta.header("Content-Type")).startsWith("application/json");
        assertInert(meta.body(), "GET /api/uploads/" + id);
        JsonNode u = JSON.readTree(meta.body());
        // the names are kept as they were sent (the JSON escapes them, it does not change them)
        assertThat(u.path("labels").path("note").asText()).isEqualTo(SCRIPT);
        assertThat(u.path("labels").path("img").asText()).isEqualTo(IMG);
        assertThat(u.path("version").asText()).isEqualTo(IMG);
        assertThat(u.path("findings").toString()).as("a finding names the hostile function").contains("alert(1)");

        TestServer.Answer html = server.get("/api/uploads/" + id + "/report?format=html");
        assertThat(html.status()).isEqualTo(200);
        assertInert(html.body(), "the HTML report");
        assertThat(html.body()).as("the hostile name is in the report, escaped")
                .containsAnyOf("&lt;script&gt;alert(1)&lt;/script&gt;", "\\u003cscript\\u003ealert(1)",
                        "\\u003Cscript\\u003Ealert(1)");
        for (String path : List.of("/api/uploads?service=svc" + enc(SCRIPT), "/api/uploads?label=note")) {
            TestServer.Answer list = server.get(path);
            assertThat(list.status()).isEqualTo(200);
            assertThat(JSON.readTree(list.body()).path("uploads").size()).as(path).isPositive();
            assertInert(list.body(), path);
        }
        // an error naming the hostile input is inert too
        TestServer.Answer err = server.get("/api/uploads/" + enc(SCRIPT));
        assertThat(err.status()).isEqualTo(404);
        assertInert(err.body(), "an error naming a hostile id");
    }

    /** No live markup: the raw forms of the hostile strings never appear, escaped forms only. */
    private static void assertInert(String body, String what) {
        assertThat(body).as(what).doesNotContain("<script>alert").doesNotContain("<img src=x")
                .doesNotContain("onerror=alert(1)>");
    }

    /** A CPU profile whose hottest functions are named with markup. */
    private static byte[] hostileCpuProfile() {
        ProfileBuilder b = new ProfileBuilder("cpu").sampleType("samples", "count").sampleType("cpu", "nanoseconds")
                .period(new ValueType("cpu", "nanoseconds"), 10_000_000);
        int main = b.addFunction(1, "main.main", "main.main", "main.go", 1);
        int id = 2;
        for (String name : List.of("main." + SCRIPT, "main." + IMG)) {
            int f = b.addFunction(id, name, name, "evil" + SCRIPT + ".go", 10);
            b.addLine(f, 12, 0);
            int leaf = b.endLocation(id, -1, 0x1000L * id, false);
            b.addLine(main, 7, 0);
            int root = b.endLocation(100 + id, -1, 0x100000L + id, false);
            for (int i = 0; i < 50; i++) {
                b.addSampleLocation(leaf);
                b.addSampleLocation(root);
                b.endSample(1, 10_000_000);
            }
            id++;
        }
        return ProtoProfileWriter.toBytes(b.build());
    }

    // ---- bombs

    @Test
    void zipAndGzipBombsAreRefusedWithoutBeingExpandedInMemoryWhileTheServerAnswers() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // a zip of one 1 GiB entry of zeros and a gzip'd "profile" that inflates to 1.25 GiB, each a few MB
        // and made as it streams: beyond the limits for one archive entry (512 MiB) and for inflation (1 GiB)
        byte[] zipBomb = zipBomb("capture/cpu.pprof", 1L << 30);
        byte[] gzipBomb = gzipBomb(5L << 28);
        assertThat(zipBomb.length + gzipBomb.length).as("the bombs as sent").isLessThan(16 << 20);
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();

        // the zip bomb, sent in two halves with /health asked in between: the server answers during it
        CountDownLatch healthAnswered = new CountDownLatch(1);
        CompletableFuture<TestServer.Answer> zip = CompletableFuture.supplyAsync(() -> server.send(
                HttpRequest.newBuilder(URI.create(server.base + "/api/uploads?name=capture.zip&service=bombs"))
                        .header("Content-Type", "application/zip")
                        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new PausingStream(zipBomb, zipBomb.length / 2, healthAnswered)), zipBomb.length))));
        TestServer.Answer health = server.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(zip).as("the bomb upload is still in flight while /health answers").isNotDone();
        healthAnswered.countDown();
        TestServer.Answer zipAnswer = zip.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertRefusedOrFailed(zipAnswer, "capture.zip");
        assertThat(JSON.readTree(zipAnswer.body()).path("error").asText()).contains("decompression bomb");

        // the gzip bomb looks like a profile: it is stored, and its analysis fails at the inflation limit
        TestServer.Answer gz = server.post("/api/uploads?name=cpu.pprof&service=bombs", gzipBomb,
                "application/octet-stream");
        String id = assertRefusedOrFailed(gz, "cpu.pprof");
        JsonNode failed = awaitSettled(id);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).doesNotContain("\n").contains("limit");
        // meanwhile and after, everything else works
        assertThat(server.get("/health").status()).isEqualTo(200);
        TestServer.Answer other = server.post("/api/uploads?name=cpu.pprof&wait=120", hostileCpuProfile(),
                "application/octet-stream");
        assertThat(other.status()).as(other.body()).isEqualTo(201);
        assertThat(JSON.readTree(other.body()).path("status").asText()).isEqualTo("done");

        long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
        assertThat(allocated).as("bytes allocated by every thread while the bombs (2.25 GiB expanded) were handled")
                .isLessThan(400L << 20);
        System.out.printf("bombs: %d + %d bytes sent, %d MiB allocated by all threads meanwhile%n", zipBomb.length,
                gzipBomb.length, allocated >> 20);
    }

    /** The upload was refused (4xx, one line) or stored and ends failed; returns its id. */
    private static String assertRefusedOrFailed(TestServer.Answer a, String name) throws Exception {
        assertOneLineError(a, name);
        JsonNode e = JSON.readTree(a.body());
        if (a.status() == 201) {
            return e.path("id").asText();
        }
        assertThat(e.path("error").asText()).as("the error names the input").contains(name);
        if (e.has("id")) {
            JsonNode stored = JSON.readTree(server.get("/api/uploads/" + e.path("id").asText()).body());
            assertThat(stored.path("status").asText()).isEqualTo("failed");
            assertThat(stored.path("error").asText()).isEqualTo(e.path("error").asText());
            assertThat(server.get("/api/uploads/" + e.path("id").asText() + "/report").status()).isEqualTo(422);
        }
        return e.path("id").asText(null);
    }

    private static JsonNode awaitSettled(String id) throws Exception {
        JsonNode[] u = new JsonNode[1];
        Await.until("upload " + id + " analysed or failed", () -> {
            try {
                u[0] = JSON.readTree(server.get("/api/uploads/" + id).body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return !u[0].path("status").asText().equals("pending");
        }, () -> String.valueOf(u[0]));
        return u[0];
    }

    private static byte[] zipBomb(String entry, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(new ZipEntry(entry));
            writeZeros(zip, size);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** gzip of a small real profile's protobuf followed by a string table entry of {@code size} zero bytes. */
    private static byte[] gzipBomb(long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            ProfileBuilder b = new ProfileBuilder("cpu").sampleType("samples", "count");
            int f = b.addFunction(1, "main.main", "main.main", "main.go", 1);
            b.addLine(f, 2, 0);
            b.addSampleLocation(b.endLocation(1, -1, 0x10, false));
            b.endSample(1);
            gz.write(ProtoProfileWriter.toUncompressedBytes(b.build()));
            gz.write(0x32); // field 6 (string_table), length-delimited
            for (long v = size; ; v >>>= 7) { // the length, as a varint
                if (v < 0x80) {
                    gz.write((int) v);
                    break;
                }
                gz.write((int) (v & 0x7f) | 0x80);
            }
            writeZeros(gz, size);
        }
        return out.toByteArray();
    }

    private static void writeZeros(OutputStream out, long size) throws IOException {
        byte[] chunk = new byte[1 << 20];
        for (long left = size; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(left, chunk.length));
        }
    }

    /** The bytes of an upload, pausing after {@code pauseAt} until {@code resume} opens. */
    private static final class PausingStream extends InputStream {
        private final byte[] data;
        private final int pauseAt;
        private final CountDownLatch resume;
        private int at;

        PausingStream(byte[] data, int pauseAt, CountDownLatch resume) {
            this.data = data;
            this.pauseAt = pauseAt;
            this.resume = resume;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == pauseAt) {
                try {
                    if (!resume.await(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never resumed");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (at >= data.length) {
                return -1;
            }
            int n = Math.min(len, (at < pauseAt ? pauseAt : data.length) - at);
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }
    }

    // ---- 2 GB bodies

    @Test
    void aDeclared2GbBodyIsRefusedBeforeItIsReadAndTheConnectionClosed() throws Exception {
        for (TestServer s : List.of(server, small)) {
            assertDeclared2GbRefused(s.server.port(), s.platform.options().maxUploadBytes());
        }
        assertThat(server.get("/health").status()).isEqualTo(200);
    }

    @Test
    void godiagServeWithItsDefaultLimitRefusesADeclared2GbBody(@TempDir Path data) throws Exception {
        JavaProcess.Running serve = JavaProcess.start("dev.godiag.cli.Main", List.of("serve", "--listen",
                "127.0.0.1:0", "--data-dir", data.toString()));
        try {
            Pattern listening = Pattern.compile("msg=listening url=http://127\\.0\\.0\\.1:(\\d+)");
            int[] port = new int[1];
            Await.until("serve listening", () -> {
                Matcher m = listening.matcher(readQuietly(serve.err()));
                if (m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                }
                return port[0] != 0 || !serve.process().isAlive();
            }, () -> readQuietly(serve.err()));
            assertThat(port[0]).as("serve listening; it said: %s", readQuietly(serve.err())).isPositive();
            assertDeclared2GbRefused(port[0], 256L << 20); // the CLI's default --max-upload
        } finally {
            serve.process().destroy();
            serve.process().waitFor(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** A request declaring 2 GB, of each content type, is answered 413 before its body is sent, and the connection closed. */
    private static void assertDeclared2GbRefused(int port, long limit) throws Exception {
        for (String type : List.of("application/octet-stream", "multipart/form-data; boundary=x")) {
            try (Socket socket = connect(port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/uploads?name=huge.pprof HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type
                        + "\r\nContent-Length: " + TWO_GB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[4096]); // a first piece of the body; the rest is never sent
                out.flush();
                RawAnswer a = readAnswer(socket.getInputStream());
                assertThat(a.status).as("%s, limit %d", type, limit).isEqualTo(413);
                assertThat(JSON.readTree(a.body).path("error").asText()).contains(Long.toString(TWO_GB))
                        .contains("limit of " + limit + " bytes").doesNotContain("\n");
                // the server closed the connection instead of waiting for 2 GB that never come
                assertThat(socket.getInputStream().read()).as("end of the connection").isEqualTo(-1);
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aChunked2GbBodyIsCutAtTheLimit() throws Exception {
        byte[] multipartHead = ("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.pprof\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (String type : List.of("application/octet-stream", "multipart/form-data; boundary=x")) {
            try (Socket socket = connect(small.server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/uploads?name=huge.pprof HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                AtomicLong written = new AtomicLong();
                AtomicBoolean answered = new AtomicBoolean();
                Thread writer = Thread.ofPlatform().start(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    try {
                        if (type.startsWith("multipart")) {
                            writeChunk(out, multipartHead, multipartHead.length);
                        }
                        while (!answered.get() && written.get() < TWO_GB) {
                            writeChunk(out, chunk, chunk.length);
                            written.addAndGet(chunk.length);
                        }
                    } catch (IOException e) {
                        // the server closed the connection: the rest is not read
                    }
                });
                RawAnswer a = readAnswer(socket.getInputStream());
                answered.set(true);
                socket.shutdownOutput();
                writer.join(Await.TIMEOUT);
                assertThat(a.status).as(type + ": " + a.body).isEqualTo(413);
                assertThat(JSON.readTree(a.body).path("error").asText()).contains("limit").doesNotContain("\n");
                assertThat(written.get()).as("%s: bytes sent before the server answered", type)
                        .isLessThan(TWO_GB).isGreaterThanOrEqualTo(SMALL_LIMIT);
            }
        }
        assertThat(small.get("/health").status()).isEqualTo(200);
    }

    private static void writeChunk(OutputStream out, byte[] data, int n) throws IOException {
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data, 0, n);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) Await.TIMEOUT.toMillis()); // hang guard
        return socket;
    }

    private record RawAnswer(int status, String body) {
    }

    /** Reads one HTTP/1.1 answer with a Content-Length or chunked body. */
    private static RawAnswer readAnswer(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        for (String h; !(h = line(in)).isEmpty(); ) {
            String lower = h.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int n; (n = Integer.parseInt(line(in).strip(), 16)) > 0; ) {
                body.write(in.readNBytes(n));
                line(in);
            }
            line(in);
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        }
        return new RawAnswer(code, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed after: " + sb);
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    // ---- malformed requests

    @Test
    void malformedMultipartIsABadRequestOfOneLine() {
        String ok = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cpu.pprof\"\r\n\r\n"
                + "data\r\n--b--\r\n";
        Map<String, TestServer.Answer> tried = new java.util.LinkedHashMap<>();
        tried.put("a boundary the body does not use", server.post("/api/uploads", ok.getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=other"));
        tried.put("no boundary", server.post("/api/uploads", ok.getBytes(StandardCharsets.UTF_8),
                "multipart/form-data"));
        tried.put("truncated", server.post("/api/uploads", ok.substring(0, 60).getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=b"));
        tried.put("no file part", server.postMultipart("/api/uploads", List.of(MultipartPart.field("service", "x"))));
        tried.put("a part without a name", server.post("/api/uploads", ("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n"
                + "--b--\r\n").getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=b"));
        for (Map.Entry<String, TestServer.Answer> t : tried.entrySet()) {
            assertThat(t.getValue().status()).as(t.getKey() + ": " + t.getValue().body()).isEqualTo(400);
            assertOneLineError(t.getValue(), t.getKey());
        }
        assertThat(server.get("/health").status()).isEqualTo(200);
    }

    @Test
    void archivesWithPathsLeavingThemAreRefused() throws Exception {
        byte[] dump = "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n".getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("../../etc/cron.d/evil", "capture/../../outside.txt", "/etc/passwd",
                "C:\\windows\\evil.txt", "ok/..\\..\\evil.txt")) {
            byte[] zip = ArchiveBuilder.zip(Map.of(path, dump));
            TestServer.Answer a = server.post("/api/uploads?name=capture.zip", zip, "application/zip");
            assertThat(a.status()).as(path + ": " + a.body()).isBetween(400, 499);
            assertOneLineError(a, path);
            assertThat(JSON.readTree(a.body()).path("error").asText()).as(path).contains("capture.zip").contains("path");
        }
    }

    @Test
    void controlCharactersInLabelsAndNamesAreRefused() {
        byte[] dump = "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n".getBytes(StandardCharsets.UTF_8);
        Map<String, TestServer.Answer> tried = new java.util.LinkedHashMap<>();
        tried.put("a label value with a bell", server.post("/api/uploads?name=g.txt&labels=env%3Da%07b", dump,
                "text/plain"));
        tried.put("a label value with a newline", server.postMultipart("/api/uploads", List.of(
                MultipartPart.file("g.txt", dump), MultipartPart.field("labels", "env=prod\nX-Injected: 1"))));
        tried.put("a label name with an escape", server.postMultipart("/api/uploads", List.of(
                MultipartPart.file("g.txt", dump), MultipartPart.field("labels", "e\u001b[31mnv=prod"))));
        tried.put("a service with a NUL", server.post("/api/uploads?name=g.txt&service=a%00b", dump, "text/plain"));
        for (Map.Entry<String, TestServer.Answer> t : tried.entrySet()) {
            assertThat(t.getValue().status()).as(t.getKey() + ": " + t.getValue().body()).isEqualTo(400);
            assertOneLineError(t.getValue(), t.getKey());
        }
    }

    private static void assertOneLineError(TestServer.Answer a, String what) {
        assertThat(a.header("Content-Type")).as(what).startsWith("application/json");
        try {
            JsonNode e = JSON.readTree(a.body());
            if (a.status() >= 400) {
                assertThat(e.path("error").asText()).as(what).isNotBlank().doesNotContain("\n")
                        .doesNotContain("Exception").doesNotContain("\tat ");
            }
        } catch (IOException e) {
            throw new AssertionError(what + ": not JSON: " + a.body(), e);
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
