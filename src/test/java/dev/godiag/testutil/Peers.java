package dev.godiag.testutil;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real tools godiag is judged against: Go's pprof (1.27 and 1.19). In CI they must exist
 * (.ci/run installs them); on a developer machine without them the tests are skipped.
 */
public final class Peers {
    private Peers() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The pprof binary of Go 1.27 (the reference for headers and rows). */
    public static Path pprof127() {
        return pprof("GODIAG_PPROF_GO127", "/usr/lib/go-1.27/bin/go");
    }

    /** The pprof binary of Go 1.19 (Debian's golang-go). */
    public static Path pprof119() {
        return pprof("GODIAG_PPROF_GO119", "/usr/lib/go-1.19/bin/go");
    }

    /** The go command of Go 1.27. */
    public static Path go127() {
        return Path.of(goCommand("GODIAG_PPROF_GO127", "/usr/lib/go-1.27/bin/go"));
    }

    private static String goCommand(String env, String fallbackGo) {
        String go = System.getenv(env);
        if (go == null || go.isBlank()) {
            go = fallbackGo;
        }
        if (!Files.isExecutable(Path.of(go))) {
            if (inCi()) {
                throw new AssertionError("the real Go toolchain is missing in CI: " + go + " (see .ci/run)");
            }
            Assumptions.abort("go not found at " + go);
        }
        return go;
    }

    private static Path pprof(String env, String fallbackGo) {
        String go = goCommand(env, fallbackGo);
        // "go tool -n pprof" prints the tool's path: calling it directly skips the go command's start-up
        Result r = run(List.of(go, "tool", "-n", "pprof"), null);
        Path tool = Path.of(r.stdout().strip());
        if (r.exitCode() != 0 || !Files.isExecutable(tool)) {
            throw new AssertionError("cannot locate pprof via " + go + ": " + r.stderr());
        }
        return tool;
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs a command with TZ=UTC and returns its output. */
    public static Result run(List<String> command, Path workDir) {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
        pb.environment().put("TZ", "UTC");
        pb.environment().put("PPROF_TMPDIR", System.getProperty("java.io.tmpdir"));
        pb.environment().put("PPROF_BINARY_PATH", "/nonexistent");
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        try {
            Path out = Files.createTempFile("peer", ".out");
            Path err = Files.createTempFile("peer", ".err");
            try {
                pb.redirectOutput(out.toFile()).redirectError(err.toFile());
                Process p = pb.start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out: " + command);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
