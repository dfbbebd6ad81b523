package dev.godiag.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate on real data: testdata/gen/benchfix's benchmark run with go test -count 10 for a
 * baseline, an unchanged candidate and a candidate built with -tags slow (30% more work per call).
 */
class GateBenchTest {
    @TempDir
    Path dir;

    private Path bench(String name, String... extra) throws Exception {
        Path out = dir.resolve(name + ".txt");
        List<String> cmd = new ArrayList<>(List.of(GoPrograms.go().toString(), "test"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-run=^$", "-bench=.", "-count=10", "-benchtime=3000x", "."));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(GoPrograms.SOURCES.resolve("benchfix").toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.put("GOTOOLCHAIN", "local");
        env.put("GOFLAGS", "-mod=mod");
        if (env.get("HOME") == null && env.get("XDG_CACHE_HOME") == null && env.get("GOCACHE") == null) {
            env.put("GOCACHE", GoPrograms.OUT.resolve("gocache").toAbsolutePath().toString());
        }
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("go test finished").isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("BenchmarkChecksum");
        return out;
    }

    private static double median(JsonNode m, String side) {
        return m.get(side).get("median").asDouble();
    }

    @Test
    void passesNoiseAndFailsTheSlowBuild() throws Exception {
        long start = System.nanoTime();
        Path base = bench("base");
        Path same = bench("same");
        Path slow = bench("slow", "-tags", "slow");

        Peers.Result noise = Godiag.run("gate", "--baseline", base.toString(), "--candidate", same.toString(),
                "--threshold", "10%", "--format", "json");
        JsonNode nj = new ObjectMapper().readTree(noise.stdout());
        for (JsonNode m : nj.get("metrics")) {
            System.out.printf("noise (same build twice): %s %s %.6g -> %.6g (%+.2f%%, p=%s)%n", m.get("benchmark").asText(),
                    m.get("unit").asText(), median(m, "baseline"), median(m, "candidate"),
                    m.get("deltaPercent").asDouble(), m.get("p").asText());
        }
        assertThat(noise.exitCode()).as(noise.stdout() + noise.stderr()).isZero();
        assertThat(nj.get("verdict").asText()).isEqualTo("pass");

        Peers.Result text = Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(),
                "--threshold", "10%");
        System.out.println("slow build:\n" + text.stdout());
        assertThat(text.exitCode()).as(text.stdout() + text.stderr()).isEqualTo(1);
        assertThat(text.stdout()).startsWith("gate: FAIL")
                .containsPattern("regression: BenchmarkChecksum-\\d+ sec/op: \\S+ -> \\S+ \\(\\+\\d+\\.\\d+%");

        Path junit = dir.resolve("gate.xml");
        Peers.Result j = Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(),
                "--threshold", "10%", "--thresholds", writeThresholds().toString(), "-o", junit.toString());
        assertThat(j.exitCode()).isEqualTo(1);
        assertThat(j.stderr()).contains("BenchmarkChecksum");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(2); // sec/op and B/s
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(1);
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).startsWith("BenchmarkChecksum")
                .endsWith("sec/op");
        System.out.printf("gate bench test took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** B/s (the same change seen as throughput) gets a threshold the slowdown stays under, so JUnit shows one failure. */
    private Path writeThresholds() throws Exception {
        Path f = dir.resolve("thresholds.yaml");
        Files.writeString(f, "default: 10%\nrules:\n  - match: \"BenchmarkChecksum.*\"\n    unit: B/s\n    threshold: 90%\n");
        return f;
    }
}
