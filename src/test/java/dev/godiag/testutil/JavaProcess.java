package dev.godiag.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a main class of the test classpath in a new JVM: for restarts and for several processes at once. */
public final class JavaProcess {
    private JavaProcess() {
    }

    /** A started JVM writing to temp files; {@link #await} collects its result. */
    public record Running(Process process, Path out, Path err) {
        public Peers.Result await() {
            try {
                if (!process.waitFor(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("child JVM did not end (hang guard)");
                }
                return new Peers.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                try {
                    Files.deleteIfExists(out);
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // temp files
                }
            }
        }
    }

    public static Running start(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        try {
            Path out = Files.createTempFile("jvm", ".out");
            Path err = Files.createTempFile("jvm", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("TZ", "UTC");
            return new Running(pb.start(), out, err);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs godiag's Main in a new JVM. */
    public static Peers.Result godiag(List<String> args) {
        return start("dev.godiag.cli.Main", args).await();
    }
}
