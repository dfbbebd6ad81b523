package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * godiag diagnose on a heap dump of testdata/gen/retention (built with Go 1.19 and 1.27) and its
 * binary: memory.retention names the roots holding the most, with what godiag retention computes
 * for them and the card of what holds the memory; without the binary, or given to a command that
 * does not read dumps, one line says what to do.
 */
class DiagnoseHeapDumpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dump(String version, Path binary, Path dir) throws Exception {
        Path dump = dir.resolve("heap-" + version + ".dump");
        Process p = new ProcessBuilder(binary.toString(), "-out", dump.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return dump;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void theRootsRetainingTheMostAreFindings(String version, @TempDir Path tmp) throws Exception {
        Path bin = GoFixtures.build(Tools.go(version), "retention");
        Path dump = dump(version, bin, tmp);

        Peers.Result res = Godiag.run("diagnose", dump.toString(), "--binary", bin.toString(), "--format", "json");
        assertThat(res.exitCode()).as(res.stderr()).isZero();
        JsonNode findings = JSON.readTree(res.stdout()).get("findings");
        List<String> roots = new ArrayList<>();
        for (JsonNode f : findings) {
            assertThat(f.get("rule").asText()).isEqualTo("memory.retention");
            roots.add(f.get("evidence").get("root").asText());
        }
        // of the 36.9 MiB the program keeps, main.pinned holds 20 MiB and main.sessions 7.8: over a fifth each
        assertThat(roots).containsExactly("main.pinned", "main.sessions");

        // the same numbers as godiag retention's, which HeapDumpRetentionTest checks against the program
        Peers.Result retention = Godiag.run("retention", dump.toString(), "--binary", bin.toString(), "--format", "json");
        assertThat(retention.exitCode()).as(retention.stderr()).isZero();
        JsonNode report = JSON.readTree(retention.stdout());
        JsonNode pinned = null;
        for (JsonNode r : report.get("roots")) {
            if (r.get("name").asText().equals("main.pinned")) {
                pinned = r;
            }
        }
        assertThat(pinned).isNotNull();
        JsonNode first = findings.get(0);
        long reachable = report.get("dump").get("reachableBytes").asLong();
        assertThat(first.get("evidence").get("retainedBytes").asLong()).isEqualTo(pinned.get("retainedBytes").asLong());
        assertThat(first.get("evidence").get("rootShare").asDouble())
                .isCloseTo((double) pinned.get("retainedBytes").asLong() / reachable, org.assertj.core.data.Offset.offset(0.001));
        // a 37 MiB heap is no memory problem: a hint, with the fix for sub-slices pinning their buffers
        assertThat(first.get("severity").asText()).isEqualTo("info");
        assertThat(first.get("cards").get(0).get("id").asText()).isEqualTo("retention.global-slice");
        // what the retained bytes are: the pinned 1 MiB buffers, typed from the binary's DWARF
        assertThat(first.get("summary").asText()).endsWith("; mostly 20.0 MiB in 20 [...]uint8");
        assertThat(findings.get(1).get("cards").get(0).get("id").asText()).isEqualTo("retention.global-map");

        // the heap's health is the dump's reachable bytes and the root holding the most
        Peers.Result text = Godiag.run("diagnose", dump.toString(), "--binary", bin.toString());
        assertThat(text.stdout()).containsPattern("heap +info +" + java.util.regex.Pattern.quote(
                dev.godiag.util.Units.bytes(reachable)) + " reachable in the heap dump; main\\.pinned retains 5\\d%");
    }

    @Test
    void withoutItsBinaryOrToAnotherCommandADumpIsOneLine(@TempDir Path tmp) throws Exception {
        Path bin = GoFixtures.build(Tools.go("1.19"), "retention");
        Path dump = dump("1.19", bin, tmp);

        assertOneLine(Godiag.run("diagnose", dump.toString()), "diagnose reads it with --binary BIN");
        assertOneLine(Godiag.run("top", dump.toString()), "godiag retention DUMP --binary BIN");
        assertOneLine(Godiag.run("diagnose", dump.toString(), "--binary", tmp.resolve("nope").toString()),
                "--binary " + tmp.resolve("nope") + ": no such file");

        // in a directory, the dump is skipped with the reason and the rest is diagnosed
        Path dir = Files.createDirectories(tmp.resolve("captures"));
        Files.copy(dump, dir.resolve("heap.dump"));
        Files.writeString(dir.resolve("gc.log"), "gc 1 @0.010s 2%: 0.011+1.2+0.003 ms clock, 0.045+0.3/1.1/0+0.012"
                + " ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 4 P\n");
        Peers.Result res = Godiag.run("diagnose", dir.toString());
        assertThat(res.exitCode()).as(res.stderr()).isZero();
        assertThat(res.stdout()).contains("heap.dump").contains("skipped: a Go heap dump: diagnose reads it with --binary");

        // a gzipped dump is said to need gunzip
        Path gz = tmp.resolve("heap.dump.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(dump, out);
        }
        assertOneLine(Godiag.run("diagnose", gz.toString(), "--binary", bin.toString()), "gunzip it first");
    }

    private static void assertOneLine(Peers.Result r, String says) {
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(2);
        String err = r.stderr().strip();
        assertThat(err).doesNotContain("\n").contains(says).doesNotContain("Exception");
        assertThat(new String(err.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isNotEmpty();
    }
}
