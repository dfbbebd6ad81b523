package dev.godiag.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The small Go programs of testdata/gen, built for the tests and shared by them: each (program,
 * Go version, build flags) is built once, into target/go-fixtures/ under a key made of the hash of
 * the program's sources, the Go version and the flags (a flag's file operand counts by its
 * content, e.g. {@code -pgo=FILE}). Every test of the JVM gets the same binary, and a later run
 * reuses it as long as none of that changed; a failed build is an AssertionError with the
 * compiler's output, and is not cached.
 */
public final class GoFixtures {
    public static final Path SOURCES = Path.of("testdata/gen");
    /** The cache, and the directory for the fixtures' logs and outputs. */
    public static final Path DIR = Path.of("target/go-fixtures");

    /** key -> binary, for this JVM. */
    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();
    /** go command -> its "go env GOVERSION". */
    private static final Map<Path, String> VERSIONS = new ConcurrentHashMap<>();
    /** How many go builds this JVM ran (cache misses). */
    private static final AtomicInteger BUILDS = new AtomicInteger();

    private GoFixtures() {
    }

    /** testdata/gen/PROGRAM. */
    public static Path source(String program) {
        return SOURCES.resolve(program);
    }

    /** {@code go build -trimpath FLAGS} of testdata/gen/PROGRAM with the given go command. */
    public static Path build(Path go, String program, String... flags) {
        List<String> args = new ArrayList<>(List.of("build", "-trimpath"));
        args.addAll(List.of(flags));
        return cached(go, program, program, args);
    }

    /** {@code go test -c FLAGS}: the test binary of testdata/gen/PROGRAM (run it in {@link #source}). */
    public static Path testBinary(Path go, String program, String... flags) {
        List<String> args = new ArrayList<>(List.of("test", "-c"));
        args.addAll(List.of(flags));
        return cached(go, program, program + ".test", args);
    }

    /** The number of go builds this JVM has run, cache hits not counted. */
    public static int builds() {
        return BUILDS.get();
    }

    /** "go1.27.3": the go command's GOVERSION. */
    public static String version(Path go) {
        return VERSIONS.computeIfAbsent(go, g -> {
            Peers.Result r = Peers.run(List.of(g.toString(), "env", "GOVERSION"), null);
            String v = r.stdout().strip();
            if (r.exitCode() != 0 || !v.startsWith("go")) {
                throw new AssertionError(g + " env GOVERSION failed: " + r.stdout() + r.stderr());
            }
            return v;
        });
    }

    private static synchronized Path cached(Path go, String program, String binaryName, List<String> goArgs) {
        String version = version(go);
        String key = program + "-" + version + "-" + hash(program, version, goArgs);
        Path known = BUILT.get(key);
        if (known != null) {
            return known;
        }
        Path binary = DIR.resolve(key).resolve(binaryName).toAbsolutePath();
        if (!Files.isExecutable(binary)) {
            goBuild(go, program, goArgs, binary);
        }
        BUILT.put(key, binary);
        return binary;
    }

    /** Builds into a temporary name and moves it in place, so a binary in the cache is always whole. */
    private static void goBuild(Path go, String program, List<String> goArgs, Path binary) {
        try {
            Files.createDirectories(binary.getParent());
            Path tmp = binary.resolveSibling(binary.getFileName() + ".tmp" + ProcessHandle.current().pid());
            Path log = binary.resolveSibling("build.log");
            List<String> cmd = new ArrayList<>();
            cmd.add(go.toString());
            cmd.addAll(goArgs);
            cmd.addAll(List.of("-o", tmp.toString(), "."));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(source(program).toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            goEnvironment(pb);
            BUILDS.incrementAndGet();
            Process p = pb.start();
            if (!p.waitFor(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("go build of " + program + " did not end (hang guard)");
            }
            if (p.exitValue() != 0) {
                Files.deleteIfExists(tmp);
                throw new AssertionError("go build of " + program + " with " + go + " failed:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                Files.move(tmp, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * What a go command of the tests runs with: the installed toolchain only (no download), module
     * mode, and a build cache under target/ when the user has none.
     */
    public static void goEnvironment(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.put("GOTOOLCHAIN", "local");
        env.put("GOFLAGS", "-mod=mod");
        if (env.get("HOME") == null && env.get("XDG_CACHE_HOME") == null && env.get("GOCACHE") == null) {
            env.put("GOCACHE", DIR.resolve("gocache").toAbsolutePath().toString());
        }
        if (env.get("HOME") == null && env.get("GOPATH") == null) {
            env.put("GOPATH", DIR.resolve("gopath").toAbsolutePath().toString());
        }
    }

    /** The sources (paths and bytes, in order), the Go version and the arguments. */
    private static String hash(String program, String version, List<String> goArgs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, version);
            for (String a : goArgs) {
                // -pgo=FILE, -overlay=FILE: the file's bytes, not its (often temporary) path
                int eq = a.indexOf('=');
                Path operand = eq > 0 ? Path.of(a.substring(eq + 1)) : null;
                if (operand != null && Files.isRegularFile(operand)) {
                    update(sha, a.substring(0, eq + 1));
                    sha.update(Files.readAllBytes(operand));
                } else {
                    update(sha, a);
                }
            }
            Path dir = source(program);
            if (!Files.isDirectory(dir)) {
                throw new AssertionError("no Go program " + dir);
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                update(sha, dir.relativize(f).toString());
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(b);
        sha.update((byte) 0);
    }

    /** A started Go program and the first line it printed on stdout. */
    public record Running(Process process, String firstLine) implements AutoCloseable {
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

    /**
     * Starts a binary (stderr to target/go-fixtures/NAME.log) and waits for its first stdout line;
     * a program that ends, or says nothing within the hang guard, did not start.
     */
    public static Running start(Path binary, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(List.of(args));
        Files.createDirectories(DIR);
        Path log = DIR.resolve(binary.getFileName() + ".log");
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
            line = first.get(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES);
        } catch (TimeoutException | ExecutionException e) {
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
