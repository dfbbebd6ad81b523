package dev.godiag.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The precision check of issue 6: on a healthy program nothing of severity warning or critical
 * fires. Builds testdata/gen/cleansvc (a fixed worker pool, deadlines on every request, pooled
 * buffers, a steady heap; see its doc comment) with Go 1.27 and with Go 1.19, runs it under
 * {@code GODEBUG=gctrace=1} into a temporary directory (cpu, heap and goroutine series, block,
 * mutex, expvar memstats series, its stderr as gctrace.log), then runs
 * {@code godiag diagnose --format json DIR} in-process over all registered rules. Info findings
 * may appear (they are printed); warnings and criticals fail the test with their evidence.
 */
class CleanServiceTest {
    private static final Set<String> BAD = Set.of("warning", "critical");

    @TempDir
    static Path runs;
    /** cleansvc's output directory per Go version: built and run once, shared by the tests. */
    private static final Map<String, Path> OUTPUTS = new HashMap<>();

    private static synchronized Path output(String goVersion) throws IOException, InterruptedException {
        Path out = OUTPUTS.get(goVersion);
        if (out == null) {
            Path go = Tools.go(goVersion);
            Path binary = GoFixtures.build(go, "cleansvc");
            out = runs.resolve(GoFixtures.version(go));
            runCleansvc(binary, out);
            OUTPUTS.put(goVersion, out);
        }
        return out;
    }

    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void noWarningOrCriticalFindingOnAHealthyService(String goVersion) throws Exception {
        Path out = output(goVersion);
        String version = out.getFileName().toString();

        Peers.Result r = Godiag.run("diagnose", "--format", "json", out.toString());
        System.out.println("cleansvc built with " + version + ": godiag diagnose exit " + r.exitCode()
                + (r.stderr().isBlank() ? "" : "\nstderr: " + r.stderr().strip()));
        assertThat(r.exitCode()).as("diagnose exit code; stderr: %s", r.stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.stdout());

        // every input was read, as what it is
        Map<String, Integer> kinds = new TreeMap<>();
        for (JsonNode in : doc.path("inputs")) {
            kinds.merge(in.path("kind").asText(), 1, Integer::sum);
        }
        System.out.println("inputs by kind: " + kinds);
        assertThat(kinds).containsEntry("cpu", 1).containsEntry("heap", 3).containsEntry("block", 1)
                .containsEntry("mutex", 1).containsEntry("gctrace", 1).containsEntry("memstats", 3)
                .containsKey("goroutines");
        // t0..t2, each as debug=2 text and as proto: 6 inputs (3 if diagnose ever joins the two forms)
        assertThat(kinds.get("goroutines")).isIn(3, 6);
        System.out.println("summary: " + doc.path("summary"));
        assertThat(doc.path("summary").path("rules").asInt()).as("rules run").isPositive();

        List<String> bad = new ArrayList<>();
        for (JsonNode f : doc.path("findings")) {
            String line = f.path("severity").asText() + " " + f.path("score").asInt() + " " + f.path("rule").asText()
                    + ": " + f.path("title").asText() + " | " + f.path("summary").asText()
                    + " | evidence " + f.path("evidence");
            System.out.println("finding: " + line);
            assertThat(f.path("evidence").isObject() && !f.path("evidence").isEmpty())
                    .as("a finding without evidence: %s", line).isTrue();
            if (BAD.contains(f.path("severity").asText())) {
                bad.add(line);
            }
        }
        if (doc.path("findings").isEmpty()) {
            System.out.println("no findings");
        }
        assertThat(bad).as("warning or critical findings on the healthy cleansvc (%s)", version).isEmpty();
    }

    /**
     * The same, one input file at a time: a rule that falls back to a weaker input when the better
     * one is missing must not fire on it either (a user may have only the gctrace log).
     */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void noWarningOrCriticalFindingFromAnySingleInput(String goVersion) throws Exception {
        Path out = output(goVersion);
        List<String> bad = new ArrayList<>();
        List<Path> files;
        try (var list = Files.list(out)) {
            files = list.sorted().toList();
        }
        for (Path f : files) {
            Peers.Result r = Godiag.run("diagnose", "--format", "json", f.toString());
            assertThat(r.exitCode()).as("diagnose %s; stderr: %s", f.getFileName(), r.stderr()).isZero();
            for (JsonNode finding : new ObjectMapper().readTree(r.stdout()).path("findings")) {
                if (BAD.contains(finding.path("severity").asText())) {
                    bad.add(f.getFileName() + ": " + finding.path("severity").asText() + " "
                            + finding.path("rule").asText() + ": " + finding.path("summary").asText()
                            + " | evidence " + finding.path("evidence"));
                }
            }
        }
        bad.forEach(b -> System.out.println("finding: " + b));
        assertThat(bad).as("warning or critical findings on single inputs of cleansvc (%s)", out.getFileName())
                .isEmpty();
    }

    /** Runs cleansvc -out OUT with GODEBUG=gctrace=1, its stderr into OUT/gctrace.log. */
    private static void runCleansvc(Path binary, Path out) throws IOException, InterruptedException {
        Files.createDirectories(out);
        Path log = out.resolve("gctrace.log");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-out", out.toString())
                .redirectError(log.toFile());
        pb.environment().put("GODEBUG", "gctrace=1");
        Process p = pb.start();
        p.getOutputStream().close();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cleansvc did not finish in 60 s");
        }
        assertThat(p.exitValue()).as("cleansvc exit; stderr: %s", Files.readString(log)).isZero();
        assertThat(stdout).startsWith("cleansvc: done ");
        System.out.print(stdout);
        assertThat(Files.readString(log)).contains("gc 1 @");
        for (String f : List.of("cpu.pprof", "block.pprof", "mutex.pprof", "heap.t2.pprof", "goroutine.t2.pprof",
                "goroutine.t2.debug2.txt", "vars.t2.json")) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
    }
}
