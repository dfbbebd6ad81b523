package dev.godiag.cli;

import dev.godiag.engine.GateThresholdsYaml;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.analysis.bench.GateEvaluation;
import dev.godiag.analysis.bench.GateEvaluation.Better;
import dev.godiag.analysis.bench.GateThresholds;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** godiag gate: the verdict logic, thresholds, outputs, and stored baselines with the memory trend rule. */
class GateCommandTest {
    @TempDir
    Path dir;

    private static final double[] BASE = {100, 101, 102, 103, 104};

    // ---- verdict logic (numbers checked by hand: fully separated samples of 5 and 5 have the exact
    // two-sided Mann-Whitney p = 2 / C(10, 5) = 2/252)

    @Test
    void regressionNeedsSignificanceAndThreshold() {
        GateEvaluation.Metric m = GateEvaluation.compare("BenchmarkX", "sec/op", Better.LOWER, BASE,
                new double[]{120, 121, 122, 123, 124}, 5, 0.05, 0.95);
        assertThat(m.p()).isCloseTo(2.0 / 252, within(1e-12));
        assertThat(m.deltaPercent()).isCloseTo((122.0 / 102 - 1) * 100, within(1e-9)); // medians 102 -> 122
        assertThat(m.baseline().median()).isEqualTo(102);
        assertThat(m.candidate().median()).isEqualTo(122);
        assertThat(m.significant()).isTrue();
        assertThat(m.regression()).isTrue();

        // significant, but under the threshold: no regression
        GateEvaluation.Metric small = GateEvaluation.compare("BenchmarkX", "sec/op", Better.LOWER, BASE,
                new double[]{105, 106, 107, 108, 109}, 10, 0.05, 0.95);
        assertThat(small.significant()).isTrue();
        assertThat(small.regression()).isFalse();

        // beyond the threshold, but not significant (overlapping noise): no regression
        GateEvaluation.Metric noisy = GateEvaluation.compare("BenchmarkX", "sec/op", Better.LOWER,
                new double[]{50, 100, 150, 102, 60}, new double[]{55, 160, 120, 65, 140}, 5, 0.05, 0.95);
        assertThat(Math.abs(noisy.deltaPercent())).isGreaterThan(5);
        assertThat(noisy.significant()).isFalse();
        assertThat(noisy.regression()).isFalse();
    }

    @Test
    void directionComesFromTheUnit() {
        assertThat(GateEvaluation.direction("sec/op", null)).isEqualTo(Better.LOWER);
        assertThat(GateEvaluation.direction("B/op", null)).isEqualTo(Better.LOWER);
        assertThat(GateEvaluation.direction("allocs/op", null)).isEqualTo(Better.LOWER);
        assertThat(GateEvaluation.direction("B/s", null)).isEqualTo(Better.HIGHER);
        assertThat(GateEvaluation.direction("sec/op", "higher")).isEqualTo(Better.HIGHER);
        assertThat(GateEvaluation.direction("B/s", "lower")).isEqualTo(Better.LOWER);

        double[] faster = {120, 121, 122, 123, 124};
        GateEvaluation.Metric throughput = GateEvaluation.compare("BenchmarkX", "B/s", Better.HIGHER, BASE, faster,
                5, 0.05, 0.95);
        assertThat(throughput.regression()).isFalse();
        assertThat(throughput.improvement()).isTrue();
        GateEvaluation.Metric time = GateEvaluation.compare("BenchmarkX", "sec/op", Better.LOWER, faster, BASE,
                5, 0.05, 0.95);
        assertThat(time.improvement()).isTrue();
        assertThat(time.deltaPercent()).isCloseTo((102.0 / 122 - 1) * 100, within(1e-9));
    }

    @Test
    void singleSamplesUseTheThresholdAlone() {
        GateEvaluation.Metric m = GateEvaluation.compare("gc.pause.p95", "ms", Better.LOWER, new double[]{2},
                new double[]{2.3}, 10, 0.05, 0.95);
        assertThat(m.singleSample()).isTrue();
        assertThat(Double.isNaN(m.p())).isTrue();
        assertThat(m.regression()).isTrue();
        assertThat(m.note()).contains("single sample");
        assertThat(GateEvaluation.compare("gc.pause.p95", "ms", Better.LOWER, new double[]{2}, new double[]{2.1}, 10,
                0.05, 0.95).regression()).isFalse();
    }

    /**
     * Values in benchstat's units: its CSV gives the medians of old.txt and new.txt as 1.718e-06 and
     * 1.4225e-06 sec/op, which benchstat's text table shows as 1.718µ and 1.423µ.
     */
    @Test
    void valuesInBenchstatUnits() {
        Path old = Corpus.file("upstream/benchstat/old.txt");
        Path neu = Corpus.file("upstream/benchstat/new.txt");
        Peers.Result r = Godiag.run("gate", "--baseline", old.toString(), "--candidate", neu.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).containsPattern("BenchmarkEncode/format=json-48\\s+sec/op\\s+1\\.718µs \\[[0-9.]+µs,"
                + " [0-9.]+µs\\] n=10\\s+1\\.423µs ").doesNotContain("e-0");
        // bytes in IEC units with their symbol: 1.74 MiB = 1824522 bytes, hand-scaled
        assertThat(dev.godiag.report.GateRenderers.value(1_824_522, "B/op")).isEqualTo("1.740MiB");
        assertThat(dev.godiag.report.GateRenderers.value(Double.NaN, "ms")).isEqualTo("unknown");
    }

    /** gctrace's GC CPU is a whole percent: 0% -> 1% is its rounding (within the band), 0% -> 2% is a change. */
    @Test
    void singleSamplesWithinTheirResolutionAreNoChange() {
        GateEvaluation.Metric rounding = GateEvaluation.compare("gc.cpu", "%", Better.LOWER, new double[]{0},
                new double[]{1}, 5, 0.05, 0.95, 1);
        assertThat(rounding.regression()).isFalse();
        assertThat(rounding.note()).contains("within the measurement's resolution (1%)");
        assertThat(GateEvaluation.compare("gc.cpu", "%", Better.LOWER, new double[]{0}, new double[]{2}, 5, 0.05,
                0.95, 1).regression()).isTrue();
        // the gate passes the resolution for gctrace's gc.cpu: Go 1.19's cpuwork ends at 0%, Go 1.27's at 1%
        Peers.Result r = Godiag.run("gate", "--baseline", Corpus.file("go1.19/cpuwork/gctrace.log").toString(),
                "--candidate", Corpus.file("go1.27/cpuwork/gctrace.log").toString());
        assertThat(r.stdout()).containsPattern("gc\\.cpu\\s+%\\s+0% \\(n=1\\)\\s+1% \\(n=1\\).*ok \\(single sample: within");
    }

    @Test
    void memoryTrendRule() {
        assertThat(GateEvaluation.memoryTrend(List.of(100.0, 112.0, 125.0))).isNull();
        GateEvaluation.Trend t = GateEvaluation.memoryTrend(List.of(90.0, 100.0, 112.0, 125.0, 140.0));
        assertThat(t.values()).containsExactly(100.0, 112.0, 125.0, 140.0);
        assertThat(t.failed()).isTrue();
        assertThat(GateEvaluation.memoryTrend(List.of(100.0, 112.0, 125.0, 130.0)).failed()).isFalse();
    }

    @Test
    void thresholdsYaml() {
        GateThresholds t = GateThresholdsYaml.parse("t.yaml", """
                default: 7%
                rules:
                  - {match: "BenchmarkEncode.*", unit: "sec/op", threshold: 10%}
                  - {match: "heap\\\\.live", threshold: 25}
                """, 5);
        assertThat(t.percentFor("BenchmarkEncode/json-8", "sec/op")).isEqualTo(10);
        assertThat(t.percentFor("BenchmarkEncode/json-8", "B/op")).isEqualTo(7);
        assertThat(t.percentFor("heap.live", "bytes")).isEqualTo(25);
        assertThat(t.percentFor("BenchmarkDecode-8", "sec/op")).isEqualTo(7);
    }

    // ---- the command

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static String bench(double... nsPerOp) {
        StringBuilder sb = new StringBuilder("goos: linux\npkg: example.com/x\n");
        for (double v : nsPerOp) {
            sb.append("BenchmarkEncode-8   \t  100000\t ").append(v).append(" ns/op\t  2048 B/op\t  12 allocs/op\n");
        }
        return sb.append("PASS\n").toString();
    }

    private static String heap(double bytes) {
        return "{\"metrics\":[{\"name\":\"heap.live\",\"unit\":\"bytes\",\"values\":[" + bytes + "]}]}";
    }

    @Test
    void filesJsonMarkdownAndBadInput() throws Exception {
        Path base = write("base.txt", bench(1000, 1010, 1020, 1030, 1040));
        Path same = write("same.txt", bench(1005, 1015, 1025, 1035, 1000));
        Path slow = write("slow.txt", bench(1300, 1310, 1320, 1330, 1340));
        Peers.Result pass = Godiag.run("gate", "--baseline", base.toString(), "--candidate", same.toString());
        assertThat(pass.exitCode()).as(pass.stderr()).isZero();
        assertThat(pass.stdout()).startsWith("gate: PASS");

        Peers.Result fail = Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(),
                "--format", "json");
        assertThat(fail.exitCode()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(fail.stdout());
        assertThat(j.get("verdict").asText()).isEqualTo("fail");
        JsonNode sec = j.get("metrics").get(0);
        assertThat(sec.get("benchmark").asText()).isEqualTo("BenchmarkEncode-8");
        assertThat(sec.get("unit").asText()).isEqualTo("sec/op");
        assertThat(sec.get("baseline").get("median").asDouble()).isCloseTo(1020e-9, within(1e-15));
        assertThat(sec.get("candidate").get("n").asInt()).isEqualTo(5);
        assertThat(sec.get("deltaPercent").asDouble()).isCloseTo((1320.0 / 1020 - 1) * 100, within(1e-9));
        assertThat(sec.get("p").asDouble()).isCloseTo(2.0 / 252, within(1e-12));
        assertThat(sec.get("significant").asBoolean()).isTrue();
        assertThat(sec.get("regression").asBoolean()).isTrue();
        // B/op and allocs/op did not change
        assertThat(j.get("metrics")).hasSize(3);
        assertThat(j.get("metrics").get(1).get("regression").asBoolean()).isFalse();

        Path md = dir.resolve("gate.md");
        assertThat(Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(), "-o",
                md.toString()).exitCode()).isEqualTo(1);
        assertThat(Files.readString(md)).startsWith("### ❌ gate: FAIL").contains("| BenchmarkEncode-8 | sec/op |")
                .contains("**REGRESSION**");

        // a 40% threshold for Encode's time lets it pass
        Path yaml = write("t.yaml", "rules: [{match: \"Encode.*\", unit: sec/op, threshold: 40%}]\n");
        assertThat(Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(), "--thresholds",
                yaml.toString()).exitCode()).isZero();

        Peers.Result bad = Godiag.run("gate", "--baseline", base.toString(), "--candidate", write("h.json", heap(1))
                .toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).startsWith("godiag: the baseline and the candidate have no metric in common").hasLineCount(1);
        Peers.Result badThreshold = Godiag.run("gate", "--baseline", base.toString(), "--candidate", same.toString(),
                "--threshold", "lots");
        assertThat(badThreshold.exitCode()).isEqualTo(2);
        assertThat(badThreshold.stderr()).hasLineCount(1);
        assertThat(Godiag.run("gate", "--candidate", same.toString()).exitCode()).isEqualTo(2);
    }

    @Test
    void storedBaselineOnSqliteWithTheMemoryTrendRule() throws Exception {
        String db = "sqlite:" + dir.resolve("godiag.db");
        Path base = write("base.txt", bench(1000, 1010, 1020, 1030, 1040));
        double[] heaps = {100e6, 112e6, 125e6};
        for (int i = 0; i < heaps.length; i++) {
            Path h = write("heap" + i + ".json", heap(heaps[i]));
            Peers.Result s = Godiag.run("baseline", "save", "main", base.toString(), h.toString(), "--db", db);
            assertThat(s.exitCode()).as(s.stderr()).isZero();
        }
        Path same = write("same.txt", bench(1005, 1015, 1025, 1035, 1000));
        Path loose = write("loose.yaml", "rules: [{match: heap\\.live, threshold: 20%}]\n");

        // +4% heap: passes, the trend has only 2 growing steps
        Peers.Result ok = Godiag.run("gate", "--baseline", "main", "--candidate", same.toString(),
                write("c1.json", heap(130e6)).toString(), "--thresholds", loose.toString(), "--db", db, "--format", "json");
        assertThat(ok.exitCode()).as(ok.stdout() + ok.stderr()).isZero();
        JsonNode oj = new ObjectMapper().readTree(ok.stdout());
        assertThat(oj.get("memoryTrend").get("failed").asBoolean()).isFalse();

        // +12% heap: the step passes its 20% threshold, but it is the third step over 10%
        Peers.Result trend = Godiag.run("gate", "--baseline", "main", "--candidate", same.toString(),
                write("c2.json", heap(140e6)).toString(), "--thresholds", loose.toString(), "--db", db);
        assertThat(trend.exitCode()).as(trend.stdout() + trend.stderr()).isEqualTo(1);
        assertThat(trend.stdout()).startsWith("gate: FAIL (0 regressions")
                .contains("memory trend rule failed")
                .contains("heap.live grew more than 10% in each of the last 3 runs");
        assertThat(trend.stdout().lines().filter(l -> l.startsWith("heap.live")).findFirst().orElseThrow())
                .contains("single sample");

        // a fourth recorded growth fails even a candidate without heap.live
        Godiag.run("baseline", "save", "main", base.toString(), write("heap3.json", heap(140e6)).toString(), "--db", db);
        Peers.Result history = Godiag.run("gate", "--baseline", "main", "--candidate", same.toString(), "--db", db,
                "--format", "junit");
        assertThat(history.exitCode()).isEqualTo(1);
        assertThat(history.stdout()).contains("<testcase classname=\"godiag.gate\" name=\"memory trend heap.live\">")
                .contains("type=\"memory-trend\"");

        Peers.Result none = Godiag.run("gate", "--baseline", "nosuch", "--candidate", same.toString(), "--db", db);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("no baseline of that name").hasLineCount(1);
    }
}
