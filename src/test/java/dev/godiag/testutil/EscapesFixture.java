package dev.godiag.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * testdata/gen/escapes for the tests of the compiler diagnostics: its marked lines
 * ("// escape: REASON" after code), the compiler's output for it, and the profiles of one run.
 */
public final class EscapesFixture {
    public static final String PROGRAM = "escapes";
    private static final Pattern MARKER = Pattern.compile("^\\s*[^/\\s].*// escape: ([a-z-]+)");
    /** Go version -> the directory with cpu.pprof and allocs.pprof of one run. */
    private static final Map<String, Path> RUNS = new ConcurrentHashMap<>();

    private EscapesFixture() {
    }

    private static List<String> source() {
        try {
            return Files.readAllLines(GoFixtures.source(PROGRAM).resolve("main.go"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The marked lines: line -> reason id. */
    public static Map<Integer, String> markers() {
        Map<Integer, String> out = new TreeMap<>();
        List<String> lines = source();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i));
            if (m.find()) {
                out.put(i + 1, m.group(1));
            }
        }
        if (out.size() < 4) {
            throw new AssertionError("the escapes fixture lost its markers: " + out);
        }
        return out;
    }

    /** The line of the marker with this reason. */
    public static int markedLine(String reason) {
        return markers().entrySet().stream().filter(e -> e.getValue().equals(reason)).findFirst()
                .orElseThrow(() -> new AssertionError("no marker " + reason)).getKey();
    }

    /** The first line of code (not a comment line) containing the text. */
    public static int lineOf(String text) {
        List<String> lines = source();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text) && !lines.get(i).startsWith("//")) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + text + " in the fixture");
    }

    /** What {@code go build -trimpath -gcflags=FLAGS} printed for the fixture (cached with its binary). */
    public static String compilerOutput(String version, String gcflags) {
        Path binary = GoFixtures.build(Tools.go(version), PROGRAM, "-gcflags=" + gcflags);
        try {
            return Files.readString(binary.resolveSibling("build.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JSON files of {@code -gcflags=-json=0,file://DIR}, built into a new DIR each time: the go
     * command writes them only when it compiles, and a new DIR is a new compile of the main package.
     */
    public static List<Path> compilerJson(String version, Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("json").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Tools.go(version).toString(), "build", "-trimpath",
                "-gcflags=-json=0,file://" + out, "-o", dir.resolve("bin").toAbsolutePath().toString(), ".")
                .directory(GoFixtures.source(PROGRAM).toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile());
        GoFixtures.goEnvironment(pb);
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("go build -json failed: " + Files.readString(dir.resolve("log")));
        }
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The directory with cpu.pprof and allocs.pprof of one run of the fixture built by this Go (once per JVM). */
    public static Path profiles(String version) {
        return RUNS.computeIfAbsent(version, v -> {
            Path binary = GoFixtures.build(Tools.go(v), PROGRAM);
            Path dir = GoFixtures.DIR.resolve("escapes-run-" + v).toAbsolutePath();
            try {
                Files.createDirectories(dir);
                Process p = new ProcessBuilder(binary.toString(), "-out", dir.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("run.log").toFile()).start();
                if (!p.waitFor(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new AssertionError("escapes run failed: " + Files.readString(dir.resolve("run.log")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return dir;
        });
    }
}
