package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.JavaProcess;
import dev.godiag.testutil.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * godiag serve as a process, killed with SIGKILL while clients upload concurrently (at a seeded
 * moment) and started again on the same data directory: every upload it answered 201 is there with
 * the same bytes (sha256 of each file), every one ends analysed (those pending at the kill are
 * analysed after the restart), and no upload exists without all of its files.
 */
class ServeDurabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("msg=listening url=(http://\\S+)");
    private static final int CLIENTS = 6;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path dir;
    private static JavaProcess.Running serve;

    /** One upload as sent: its sequence number and the sha256 of each of its files, in order. */
    record Sent(int seq, List<String> sha256) {
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.process().destroyForcibly();
        }
    }

    @Test
    void aServerKilledDuringUploadsKeepsEveryAcknowledgedUploadWholeAndAnalysesThePendingOnes() throws Exception {
        Random random = new Random(Seeds.of("godiag.serve.killSeed", "the moment serve is killed"));
        long killAfterMs = 500 + random.nextInt(2500);
        byte[][] profiles = {
                Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof")),
                Files.readAllBytes(Corpus.file("go1.19/cpuwork/cpu.pprof")),
                Files.readAllBytes(Corpus.file("go1.27/cpuwork/heap.pprof"))};
        byte[] gctrace = Files.readAllBytes(Corpus.file("go1.27/cpuwork/gctrace.log"));
        byte[] dump = Files.readAllBytes(Corpus.file("go1.27/leakysvc/goroutine.t3.debug2.txt"));

        String base = startServe();
        Map<String, Sent> acknowledged = new ConcurrentHashMap<>();
        Map<Integer, Sent> sent = new ConcurrentHashMap<>();
        AtomicInteger seq = new AtomicInteger();
        CountDownLatch firstAnswer = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(Thread.ofPlatform().name("upload-client-" + c).start(() -> {
                while (true) {
                    int n = seq.getAndIncrement();
                    // a unique gctrace log per upload (the program's own output between GC lines),
                    // so every upload holds one content no other upload shares
                    byte[] log = concat(gctrace, ("request " + n + " served\n").getBytes(StandardCharsets.UTF_8));
                    HttpRequest request;
                    Sent s;
                    if (n % 3 == 2) {
                        s = new Sent(n, List.of(sha256(dump)));
                        request = HttpRequest.newBuilder(URI.create(base + "/api/uploads?name=g.txt&service=dur&labels=seq%3D" + n))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(dump)).build();
                    } else {
                        byte[] profile = profiles[n % profiles.length];
                        s = new Sent(n, List.of(sha256(profile), sha256(log)));
                        String boundary = "durability" + n;
                        request = HttpRequest.newBuilder(URI.create(base + "/api/uploads"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, profile, log, n)))
                                .build();
                    }
                    sent.put(n, s);
                    try {
                        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 201) {
                            throw new AssertionError("upload " + n + " answered " + r.statusCode() + ": " + r.body());
                        }
                        acknowledged.put(JSON.readTree(r.body()).path("id").asText(), s);
                        firstAnswer.countDown();
                    } catch (IOException e) {
                        return; // the server is gone: this upload was not acknowledged
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        assertThat(firstAnswer.await(Await.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .as("a first upload answered; serve said:\n%s", log()).isTrue();
        Thread.sleep(killAfterMs);
        Instant killedAt = Instant.now();
        serve.process().destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
        for (Thread t : clients) {
            t.join(Await.TIMEOUT);
        }
        int acked = acknowledged.size();
        assertThat(acked).as("uploads acknowledged before the kill").isGreaterThan(CLIENTS);
        assertThat(sent.size()).as("uploads sent, some of them in flight when the server was killed").isGreaterThan(acked);

        String base2 = startServe();
        for (Map.Entry<String, Sent> a : acknowledged.entrySet()) {
            HttpResponse<String> r = get(base2 + "/api/uploads/" + a.getKey());
            assertThat(r.statusCode()).as("acknowledged upload %s (seq %d) after the restart: %s", a.getKey(),
                    a.getValue().seq(), r.body()).isEqualTo(200);
            JsonNode u = JSON.readTree(r.body());
            assertThat(shaOf(u)).as("the files of upload %s", a.getKey()).isEqualTo(a.getValue().sha256());
        }
        // every acknowledged upload ends analysed: those pending at the kill by the restarted server
        int analysedAfterRestart = 0;
        for (String id : acknowledged.keySet()) {
            JsonNode u = awaitAnalysed(base2, id);
            assertThat(u.path("status").asText()).as("upload %s: %s", id, u).isEqualTo("done");
            if (Instant.parse(u.path("analysis").path("at").asText()).isAfter(killedAt)) {
                analysedAfterRestart++;
            }
        }
        assertThat(analysedAfterRestart).as("uploads pending at the kill, analysed after the restart (of %d)", acked)
                .isPositive();

        // what the database holds: no upload without all of its files, every file's bytes as sent
        serve.process().destroy();
        serve.process().waitFor();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/godiag.db"));
             Statement st = c.createStatement()) {
            int uploads = 0;
            try (ResultSet rs = st.executeQuery("SELECT id FROM uploads")) {
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                for (String id : ids) {
                    uploads++;
                    List<String> files = new ArrayList<>();
                    String label = null;
                    try (Statement s2 = c.createStatement();
                         ResultSet f = s2.executeQuery("SELECT f.sha256, b.content FROM upload_files f JOIN blobs b"
                                 + " ON b.sha256 = f.sha256 WHERE f.upload_id = '" + id + "' ORDER BY f.position")) {
                        while (f.next()) {
                            assertThat(sha256(f.getBytes(2))).as("the stored bytes of a file of %s", id)
                                    .isEqualTo(f.getString(1));
                            files.add(f.getString(1));
                        }
                    }
                    try (Statement s3 = c.createStatement();
                         ResultSet l = s3.executeQuery("SELECT value FROM upload_labels WHERE upload_id = '" + id
                                 + "' AND name = 'seq'")) {
                        if (l.next()) {
                            label = l.getString(1);
                        }
                    }
                    assertThat(label).as("upload %s has its seq label", id).isNotNull();
                    Sent s = sent.get(Integer.parseInt(label));
                    assertThat(files).as("upload %s (seq %s) holds all its files", id, label).isEqualTo(s.sha256());
                }
            }
            assertThat(uploads).as("uploads stored").isGreaterThanOrEqualTo(acked);
            System.out.printf("killed after %d ms: %d uploads acknowledged, %d stored, %d analysed after the restart%n",
                    killAfterMs, acked, uploads, analysedAfterRestart);
        }
    }

    // --- helpers

    private static String startServe() throws InterruptedException {
        serve = JavaProcess.start("dev.godiag.cli.Main", List.of("serve", "--listen", "127.0.0.1:0",
                "--data-dir", dir.resolve("data").toString(), "--analysis-threads", "1"));
        String[] url = new String[1];
        Await.until("serve listening", () -> {
            Matcher m = LISTENING.matcher(log());
            if (m.find()) {
                url[0] = m.group(1);
            }
            return url[0] != null || !serve.process().isAlive();
        }, ServeDurabilityTest::log);
        assertThat(serve.process().isAlive()).as("serve runs; it said:\n%s", log()).isTrue();
        return url[0];
    }

    private static JsonNode awaitAnalysed(String base, String id) throws Exception {
        JsonNode[] u = new JsonNode[1];
        Await.until("upload " + id + " analysed", () -> {
            try {
                u[0] = JSON.readTree(get(base + "/api/uploads/" + id).body());
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
            return !u[0].path("status").asText().equals("pending");
        }, () -> String.valueOf(u[0]));
        return u[0];
    }

    private static List<String> shaOf(JsonNode upload) {
        List<String> out = new ArrayList<>();
        upload.path("files").forEach(f -> out.add(f.path("sha256").asText()));
        return out;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] multipart(String boundary, byte[] profile, byte[] log, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String b = "--" + boundary + "\r\n";
        out.writeBytes((b + "Content-Disposition: form-data; name=\"file\"; filename=\"profile.pprof\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(profile);
        out.writeBytes(("\r\n" + b + "Content-Disposition: form-data; name=\"file\"; filename=\"gctrace.log\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(log);
        out.writeBytes(("\r\n" + b + "Content-Disposition: form-data; name=\"service\"\r\n\r\ndur\r\n"
                + b + "Content-Disposition: form-data; name=\"labels\"\r\n\r\nseq=" + n + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String log() {
        try {
            return Files.readString(serve.err(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
