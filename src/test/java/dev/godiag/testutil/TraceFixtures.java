package dev.godiag.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Execution traces of testdata/gen/tracework, written by a real Go program once per JVM and
 * (Go version, scenarios, duration), so the trace tests share them. The trace's contents vary from
 * run to run (it is a real program); tests compare godiag with Go's tools on the same file.
 */
public final class TraceFixtures {
    private static final Map<String, Path> WRITTEN = new ConcurrentHashMap<>();

    private TraceFixtures() {
    }

    /** A trace of tracework built and run with {@code go}: these scenarios for about {@code duration}. */
    public static Path trace(Path go, String scenarios, String duration) {
        String key = GoFixtures.version(go) + "-" + scenarios.replace(',', '+') + "-" + duration;
        return WRITTEN.computeIfAbsent(key, k -> {
            Path binary = GoFixtures.build(go, "tracework");
            Path out = GoFixtures.DIR.toAbsolutePath().resolve("tracework-" + k + ".trace");
            Peers.Result r = Peers.run(List.of(binary.toAbsolutePath().toString(), "-out", out.toString(),
                    "-scenarios", scenarios, "-duration", duration), GoFixtures.DIR);
            if (r.exitCode() != 0 || !Files.isRegularFile(out)) {
                throw new AssertionError("tracework failed: " + r.stderr());
            }
            return out;
        });
    }

    /** Every scenario for one second, with Go 1.27. */
    public static Path allScenarios127() {
        return trace(Tools.go127(), "convoy,net,syscall,starve,assist,tasks", "1s");
    }
}
