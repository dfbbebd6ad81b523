package dev.godiag.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate on real data: testdata/gen/benchfix's benchmark run -count 10 for a baseline, an
 * unchanged candidate (the same test binary run again) and a candidate built with -tags slow (30%
 * more work per call, which the benchmark reports as rounds/op).
 */
class GateBenchTest {
    @TempDir
    Path dir;

    /** Runs benchfix's benchmark (its test binary, built once per build flags) as go test would. */
    private Path bench(String name, String... buildFlags) throws Exception {
        Path out = dir.resolve(name + ".txt");
        Path binary = GoFixtures.testBinary(Tools.anyGo(), "benchfix", buildFlags);
        List<String> cmd = List.of(binary.toString(), "-test.run=^$", "-test.bench=.", "-test.count=10",
                "-test.benchtime=3000x");
        Process p = new ProcessBuilder(cmd).directory(GoFixtures.source("benchfix").toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES)).as("benchmark ended (hang guard)").isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("BenchmarkChecksum");
        return out;
    }

    private static double median(JsonNode m, String side) {
        return m.get(side).get("median").asDouble();
    }

    /**
     * The gate judges the work per call (rounds/op: 10, 13 in the slow build), a count the
     * benchmark reports; the timings (sec/op, B/s) are read and reported like any metric but get a
     * threshold no run can cross (B/s cannot fall by more than 100%, and sec/op 10,000 times slower
     * would outlast the hang guard): how fast is bench/'s question, and noise on a busy machine.
     */
    @Test
    void passesNoiseAndFailsTheSlowBuild() throws Exception {
        Path base = bench("base");
        Path same = bench("same");
        Path slow = bench("slow", "-tags", "slow");
        String thresholds = writeThresholds().toString();

        Peers.Result noise = Godiag.run("gate", "--baseline", base.toString(), "--candidate", same.toString(),
                "--thresholds", thresholds, "--format", "json");
        JsonNode nj = new ObjectMapper().readTree(noise.stdout());
        for (JsonNode m : nj.get("metrics")) {
            System.out.printf("noise (same build twice): %s %s %.6g -> %.6g (%+.2f%%, p=%s)%n", m.get("benchmark").asText(),
                    m.get("unit").asText(), median(m, "baseline"), median(m, "candidate"),
                    m.get("deltaPercent").asDouble(), m.get("p").asText());
        }
        assertThat(noise.exitCode()).as(noise.stdout() + noise.stderr()).isZero();
        assertThat(nj.get("verdict").asText()).isEqualTo("pass");
        assertThat(nj.get("metrics")).extracting(m -> m.get("unit").asText())
                .containsExactlyInAnyOrder("sec/op", "B/s", "rounds/op");

        Peers.Result text = Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(),
                "--thresholds", thresholds);
        System.out.println("slow build:\n" + text.stdout());
        assertThat(text.exitCode()).as(text.stdout() + text.stderr()).isEqualTo(1);
        // 10 rounds against 13 in all 10 runs: +30%, and the U test's smallest p for 10 against 10
        assertThat(text.stdout()).startsWith("gate: FAIL (1 regression, ")
                .containsPattern("regression: BenchmarkChecksum-\\d+ rounds/op: 10 -> 13 \\(\\+30\\.00%, p=0\\.000");

        Path junit = dir.resolve("gate.xml");
        Peers.Result j = Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(),
                "--thresholds", thresholds, "-o", junit.toString());
        assertThat(j.exitCode()).isEqualTo(1);
        assertThat(j.stderr()).contains("BenchmarkChecksum");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(3); // sec/op, B/s, rounds/op
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(1);
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).startsWith("BenchmarkChecksum")
                .endsWith("rounds/op");
    }

    /** rounds/op at 10%; the timings at thresholds no run can cross (see above). */
    private Path writeThresholds() throws Exception {
        Path f = dir.resolve("thresholds.yaml");
        Files.writeString(f, """
                default: 10%
                rules:
                  - {match: "BenchmarkChecksum.*", unit: "sec/op", threshold: 1000000%}
                  - {match: "BenchmarkChecksum.*", unit: "B/s", threshold: 100%}
                """);
        return f;
    }
}
