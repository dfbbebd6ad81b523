package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * godiag diagnose over whole corpus sets, judged by what the corpus README says the programs do
 * wrong: the expected findings fire at the known functions and lines, the healthy parts draw none,
 * and every finding points at something that is in the inputs.
 */
class DiagnoseCorpusTest {
    static JsonNode diagnose(Path dir) throws Exception {
        Peers.Result r = Godiag.run("diagnose", "--format", "json", dir.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return new ObjectMapper().readTree(r.stdout());
    }

    static List<JsonNode> findings(JsonNode d, String rule) {
        List<JsonNode> out = new ArrayList<>();
        d.get("findings").forEach(f -> {
            if (f.get("rule").asText().equals(rule)) {
                out.add(f);
            }
        });
        return out;
    }

    static String function(JsonNode f) {
        JsonNode loc = f.get("location");
        return loc == null || loc.isNull() ? null : loc.get("function").asText();
    }

    /** The README: a regexp compiled in main.validate, a hot mutex main.hotLock, main.fib, JSON; heap stable. */
    @ParameterizedTest
    @CsvSource({"go1.19", "go1.27"})
    void cpuwork(String version) throws Exception {
        JsonNode d = diagnose(Corpus.file(version + "/cpuwork"));
        assertThat(findings(d, "code.regex-compile")).extracting(DiagnoseCorpusTest::function)
                .containsExactly("main.validate");
        assertThat(findings(d, "locks.contention")).extracting(DiagnoseCorpusTest::function)
                .contains("main.hotLock");
        assertThat(findings(d, "cpu.hotspot")).extracting(DiagnoseCorpusTest::function).contains("main.fib");
        assertThat(findings(d, "code.json-reflection")).isNotEmpty();
        // nothing leaks in a batch program whose heap is stable
        assertThat(findings(d, "goroutines.leak")).isEmpty();
        assertThat(findings(d, "memory.heap-growth")).isEmpty();
        assertThat(severities(d, "code.regex-compile")).containsOnly("critical");
        everyFindingHasEvidenceFromTheInputs(d, Corpus.file(version + "/cpuwork"));
    }

    /** The README: seven goroutine leaks of 185 goroutines each, main.mem keeps memory, main.work's mutex. */
    @ParameterizedTest
    @CsvSource({"go1.19", "go1.27"})
    void leakysvc(String version) throws Exception {
        JsonNode d = diagnose(Corpus.file(version + "/leakysvc"));
        Map<String, Integer> leaks = GoroutinesCommandTest.LEAKS;
        List<JsonNode> found = findings(d, "goroutines.leak");
        assertThat(found).extracting(DiagnoseCorpusTest::function)
                .containsExactlyInAnyOrderElementsOf(leaks.keySet());
        for (JsonNode f : found) {
            assertThat(f.get("location").get("file").asText()).isEqualTo(GoroutinesCommandTest.FILE);
            assertThat(f.get("location").get("line").asInt()).isEqualTo(leaks.get(function(f)));
            assertThat(f.get("evidence").get("count").asLong()).isEqualTo(185);
            assertThat(f.get("severity").asText()).isEqualTo("critical");
        }
        List<JsonNode> heap = findings(d, "memory.heap-growth");
        assertThat(heap).hasSize(1);
        assertThat(function(heap.get(0))).isEqualTo("main.mem");
        assertThat(heap.get(0).get("location").get("line").asInt()).isEqualTo(101);
        assertThat(findings(d, "locks.contention")).extracting(DiagnoseCorpusTest::function).contains("main.work");
        // the service compiles no regexp and parses no JSON on its hot path
        assertThat(findings(d, "code.regex-compile")).isEmpty();
        everyFindingHasEvidenceFromTheInputs(d, Corpus.file(version + "/leakysvc"));
    }

    /** --threshold moves a rule's limits: main.fib's share is below a raised info limit. */
    @org.junit.jupiter.api.Test
    void thresholdsCanBeOverridden() throws Exception {
        Path dir = Corpus.file("go1.27/cpuwork");
        assertThat(findings(diagnose(dir), "cpu.hotspot")).isNotEmpty();
        Peers.Result r = Godiag.run("diagnose", "--format", "json", "--threshold",
                "cpu.hotspot.ownFlatShare.info=0.5", "--threshold", "cpu.hotspot.ownFlatShare.warning=0.6",
                "--threshold", "cpu.hotspot.ownFlatShare.critical=0.7", dir.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(findings(new ObjectMapper().readTree(r.stdout()), "cpu.hotspot")).isEmpty();
        r = Godiag.run("diagnose", "--threshold", "cpu.hotspot.nope.info=1", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--rules");
        r = Godiag.run("diagnose", "--rules");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("cpu.hotspot.ownFlatShare (fraction): info 0.05, warning 0.15, critical 0.3");
    }

    private static List<String> severities(JsonNode d, String rule) {
        return findings(d, rule).stream().map(f -> f.get("severity").asText()).toList();
    }

    /** No finding without evidence, and no location that is not in the inputs. */
    static void everyFindingHasEvidenceFromTheInputs(JsonNode d, Path dir) throws Exception {
        Set<String> functions = new HashSet<>();
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                try {
                    Profile p = ProfileLoader.load(f.toString(), InputSource.FetchOptions.DEFAULT, 1L << 30);
                    functions.addAll(List.of(p.functions().name));
                } catch (RuntimeException notAProfile) {
                    text.append(Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertThat(d.get("findings")).isNotEmpty();
        for (JsonNode f : d.get("findings")) {
            assertThat(f.get("evidence").size()).as(f.get("rule").asText()).isPositive();
            assertThat(f.get("summary").asText()).isNotEmpty();
            String fn = function(f);
            if (fn != null) {
                assertThat(functions.contains(fn) || text.indexOf(fn) >= 0)
                        .as("%s points at %s, which no input mentions", f.get("rule").asText(), fn).isTrue();
            }
        }
    }
}
