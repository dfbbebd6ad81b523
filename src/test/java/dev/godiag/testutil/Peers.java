package dev.godiag.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real tools godiag is judged against: Go's pprof (1.27 and 1.19), found through {@link Tools}
 * (which skips the test where they are missing, or fails it in CI), and a way to run them.
 */
public final class Peers {
    /**
     * How long a process the tests start may run before it counts as hung: a guard against a
     * test waiting forever, far beyond any run on a busy machine, never a measure of speed.
     */
    public static final long HANG_GUARD_MINUTES = 10;

    /** go command -> its pprof tool: "go tool -n pprof" starts a process, so once per toolchain. */
    private static final Map<Path, Path> PPROF = new ConcurrentHashMap<>();

    private Peers() {
    }

    /** Same as {@link Tools#inCi()}. */
    public static boolean inCi() {
        return Tools.inCi();
    }

    /** The pprof binary of Go 1.27 (the reference for headers and rows). */
    public static Path pprof127() {
        return pprof(Tools.go127());
    }

    /** The pprof binary of Go 1.19 (Debian's golang-go). */
    public static Path pprof119() {
        return pprof(Tools.go119());
    }

    private static Path pprof(Path go) {
        return PPROF.computeIfAbsent(go, g -> {
            // "go tool -n pprof" prints the tool's path: calling it directly skips the go command's start-up
            Result r = run(List.of(g.toString(), "tool", "-n", "pprof"), null);
            Path tool = Path.of(r.stdout().strip());
            if (r.exitCode() != 0 || !Files.isExecutable(tool)) {
                throw new AssertionError("cannot locate pprof via " + g + ": " + r.stderr());
            }
            return tool;
        });
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
                if (!p.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError("did not end (hang guard): " + command);
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
