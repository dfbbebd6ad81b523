package dev.godiag.guard.scrape;

import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Debian's prometheus started for one test class: a private port on loopback, a temporary
 * configuration and storage, its log under target/go-fixtures; stopped and deleted on close.
 */
final class PrometheusProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String url;
    private final Process process;
    private final Path dir;

    private PrometheusProcess(String url, Process process, Path dir) {
        this.url = url;
        this.process = process;
        this.dir = dir;
    }

    /** Starts prometheus with {@code config} (its YAML) and waits until it answers queries. */
    static PrometheusProcess start(String config) throws IOException, InterruptedException {
        Path binary = Tools.prometheus();
        Path dir = Files.createTempDirectory("godiag-prometheus");
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(GoFixtures.DIR);
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(GoFixtures.DIR.resolve("prometheus.log").toFile()).start();
        PrometheusProcess prom = new PrometheusProcess("http://127.0.0.1:" + port, p, dir);
        if (!prom.await("/-/ready", body -> true, Duration.ofSeconds(60))) {
            prom.close();
            throw new AssertionError("prometheus did not become ready: "
                    + Files.readString(GoFixtures.DIR.resolve("prometheus.log")));
        }
        return prom;
    }

    /** Polls GET {@code path} until a 200 answer's body satisfies {@code done}, at most {@code limit}. */
    boolean await(String path, Predicate<String> done, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end && process.isAlive()) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && done.test(r.body())) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
