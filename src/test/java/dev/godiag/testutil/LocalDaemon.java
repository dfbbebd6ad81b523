package dev.godiag.testutil;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A server binary the tests run for themselves (Prometheus, Alertmanager): a temp directory for
 * its config, storage and log, a free loopback port, a bounded wait for its ready endpoint, and a
 * stop that kills the process and deletes the directory.
 */
final class LocalDaemon implements AutoCloseable {
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    private final String name;
    private final Path dir;
    private final int port;
    private Process process;

    LocalDaemon(String name) {
        this.name = name;
        try {
            this.dir = Files.createTempDirectory("godiag-" + name);
            try (ServerSocket s = new ServerSocket(0)) {
                this.port = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new AssertionError("cannot prepare " + name + ": " + e, e);
        }
    }

    Path dir() {
        return dir;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts {@code command} and waits until {@code readyPath} answers 200 (the log is in the failure message otherwise). */
    void start(List<String> command, String readyPath) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile());
            process = pb.start();
        } catch (IOException e) {
            close();
            throw new AssertionError("cannot start " + name + ": " + e, e);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = log();
                close();
                throw new AssertionError(name + " exited with " + process.exitValue() + ": " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + readyPath))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new AssertionError("interrupted waiting for " + name, e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new AssertionError("interrupted waiting for " + name, e);
            }
        }
        String log = log();
        close();
        throw new AssertionError(name + " not ready at " + baseUrl() + readyPath + " within " + READY_WAIT.toSeconds()
                + "s: " + log);
    }

    /** What the server logged so far. */
    String log() {
        try {
            return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files
        }
    }
}
