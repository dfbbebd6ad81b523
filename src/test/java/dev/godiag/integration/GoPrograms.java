package dev.godiag.integration;

import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Builds the small Go programs of testdata/gen (with -trimpath, into target/gen) and starts them.
 * Go 1.27 is preferred, else Go 1.19; in CI a missing Go fails, elsewhere the tests are skipped.
 */
final class GoPrograms {
    static final Path SOURCES = Path.of("testdata/gen");
    static final Path OUT = Path.of("target/gen");

    private GoPrograms() {
    }

    /**
     * The go command to build with: GODIAG_GEN_GO if set (e.g. to build with Go 1.19 where 1.27 is
     * installed), else Go 1.27 if installed, else Go 1.19 (as bin/test finds them).
     */
    static Path go() {
        List<String> candidates = new ArrayList<>();
        addEnv(candidates, "GODIAG_GEN_GO");
        addEnv(candidates, "GODIAG_PPROF_GO127");
        candidates.add("/usr/lib/go-1.27/bin/go");
        addEnv(candidates, "GODIAG_PPROF_GO119");
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "go").toString());
                }
            }
        }
        candidates.add("/usr/lib/go-1.19/bin/go");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        if (Peers.inCi()) {
            throw new AssertionError("no Go toolchain in CI (tried " + candidates + "; see .ci/run)");
        }
        Assumptions.abort("no Go toolchain found (Go 1.27 or 1.19)");
        throw new AssertionError("unreachable");
    }

    private static void addEnv(List<String> candidates, String name) {
        String v = System.getenv(name);
        if (v != null && !v.isBlank()) {
            candidates.add(v);
        }
    }

    /** Builds testdata/gen/NAME into target/gen/NAME and returns the binary. */
    static Path build(String name) throws IOException, InterruptedException {
        return build(go(), name, name);
    }

    /**
     * Builds testdata/gen/NAME with the given go command and extra build flags (e.g. -pgo=FILE)
     * into target/gen/OUTPUT; a failed build is an AssertionError with the compiler's output.
     */
    static Path build(Path go, String name, String output, String... flags) throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        Path binary = OUT.resolve(output).toAbsolutePath();
        Path log = OUT.resolve(output + ".build.log");
        List<String> cmd = new ArrayList<>(List.of(go.toString(), "build", "-trimpath"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-o", binary.toString(), "."));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(SOURCES.resolve(name).toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("GOTOOLCHAIN", "local");
        env.put("GOFLAGS", "-mod=mod");
        if (env.get("HOME") == null && env.get("XDG_CACHE_HOME") == null && env.get("GOCACHE") == null) {
            env.put("GOCACHE", OUT.resolve("gocache").toAbsolutePath().toString());
        }
        if (env.get("HOME") == null && env.get("GOPATH") == null) {
            env.put("GOPATH", OUT.resolve("gopath").toAbsolutePath().toString());
        }
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("go build of " + name + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("go build of " + name + " with " + go + " failed:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return binary;
    }

    /** A started Go program and the first line it printed on stdout. */
    record Running(Process process, String firstLine) implements AutoCloseable {
        /** Closes its stdin (the program then exits by itself), else destroys it. */
        @Override
        public void close() {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts a binary (stderr to target/gen/NAME.log) and waits up to 30 s for its first stdout line. */
    static Running start(Path binary, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(List.of(args));
        Path log = OUT.resolve(binary.getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = first.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            line = null;
        }
        if (line == null) {
            new Running(p, null).close();
            throw new AssertionError(binary.getFileName() + " did not start: "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Running(p, line);
    }
}
