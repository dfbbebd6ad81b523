package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** godiag gc and godiag memory on the corpus, against hand calculations, shell tools and pprof. */
class GcMemoryCommandTest {
    static JsonNode json(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(args));
        cmd.add(1, "--format");
        cmd.add(2, "json");
        Peers.Result r = Godiag.run(cmd);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return new ObjectMapper().readTree(r.stdout());
    }

    /**
     * go1.27/leakysvc/gctrace.log by hand: the stop-the-world time of each of the 16 cycles is the
     * first plus the third clock phase: 1.504, 3.105, 1.909, 0.188, 6.915, 0.776, 0.26, 3.321,
     * 3.805, 7.81, 2.05, 0.286, 0.387, 1.718, 0.615, 0.417. Sorted, nearest rank: p50 is the 8th,
     * 1.504; p95 and p99 the 16th, 7.81. Ten lines end in "(forced)". The window 0-20 s holds
     * cycles 1-3 with CPU 4.769 + 6.71 + 4.599 = 16.078 ms of 20 s x 2 P = 40000 ms: 0.0402%.
     */
    @Test
    void leakysvcGcByHand() throws Exception {
        JsonNode d = json("gc", Corpus.file("go1.27/leakysvc/gctrace.log").toString());
        assertThat(d.get("cycles").asInt()).isEqualTo(16);
        assertThat(d.get("forced").asInt()).isEqualTo(10);
        assertThat(d.get("pauseMs").get("p50").asDouble()).isCloseTo(1.504, within(1e-9));
        assertThat(d.get("pauseMs").get("p95").asDouble()).isCloseTo(7.81, within(1e-9));
        assertThat(d.get("pauseMs").get("p99").asDouble()).isCloseTo(7.81, within(1e-9));
        assertThat(d.get("pauseMs").get("max").asDouble()).isCloseTo(7.81, within(1e-9));
        assertThat(d.get("gcCpuPercent").asDouble()).isZero(); // the last line says "0%"
        assertThat(d.get("liveHeapMB")).hasSize(16);
        assertThat(d.get("liveHeapMB").get(15).asDouble()).isEqualTo(12);
        assertThat(d.get("heapGoalMB").get(15).asDouble()).isEqualTo(25);
        // allocation between cycles, A of each cycle minus C of the one before, by hand:
        // 1+3+2+4+0+1+4+6+1+8+5+1+4+4+2 = 46 MB over 213.266 - 1.748 s
        assertThat(d.get("allocRateMBps").asDouble()).isCloseTo(46 / (213.266 - 1.748), within(1e-4));
        JsonNode w = d.get("windows").get(0);
        assertThat(w.get("fromSeconds").asDouble()).isZero();
        assertThat(w.get("cycles").asInt()).isEqualTo(3);
        assertThat(w.get("gcCpuPercent").asDouble()).isCloseTo(100 * 16.078 / 40000, within(1e-4));
    }

    /** Pause percentiles of every corpus log against sed/awk/sort extracting the same phases. */
    @ParameterizedTest
    @CsvSource({"go1.19/cpuwork", "go1.19/leakysvc", "go1.27/cpuwork", "go1.27/leakysvc"})
    void pausePercentilesAgreeWithShellTools(String dir) throws Exception {
        Path log = Corpus.file(dir + "/gctrace.log");
        Peers.Result sh = Peers.run(List.of("sh", "-c", "grep -E '^gc [0-9]+ @' \"$0\""
                + " | sed -E 's/.*: ([0-9.]+)\\+[0-9.]+\\+([0-9.]+) ms clock.*/\\1 \\2/'"
                + " | awk '{ printf \"%.6f\\n\", $1 + $2 }' | sort -g", log.toString()), null);
        assertThat(sh.exitCode()).as(sh.stderr()).isZero();
        double[] v = Arrays.stream(sh.stdout().trim().split("\n")).mapToDouble(Double::parseDouble).toArray();
        JsonNode d = json("gc", log.toString());
        assertThat(d.get("cycles").asInt()).isEqualTo(v.length);
        for (String[] p : new String[][]{{"p50", "50"}, {"p95", "95"}, {"p99", "99"}, {"max", "100"}}) {
            int rank = (int) Math.ceil(Double.parseDouble(p[1]) / 100 * v.length);
            assertThat(d.get("pauseMs").get(p[0]).asDouble()).as(p[0]).isCloseTo(v[rank - 1], within(1e-4));
        }
        // the GC CPU share the runtime printed last
        String last = Files.readAllLines(log).stream().filter(l -> l.matches("^gc \\d+ @.*")).reduce((a, b) -> b)
                .orElseThrow();
        double u = Double.parseDouble(last.replaceAll("^gc \\d+ @[0-9.]+s (\\d+)%.*", "$1"));
        assertThat(d.get("gcCpuPercent").asDouble()).isEqualTo(u);
    }

    /** Go 1.19's memstats of the same run count the same collections as its gctrace. */
    @Test
    void gctraceAgreesWithMemstatsOfTheSameRun() throws Exception {
        JsonNode gc = json("gc", Corpus.file("go1.19/leakysvc/gctrace.log").toString());
        JsonNode vars = new ObjectMapper().readTree(Corpus.file("go1.19/leakysvc/vars.t4.json").toFile());
        assertThat(gc.get("cycles").asLong()).isEqualTo(vars.get("memstats").get("NumGC").asLong());
    }

    /** memstats' pause ring buffer, read here with a plain JSON parser: the last NumGC pauses. */
    @ParameterizedTest
    @CsvSource({"go1.19", "go1.27"})
    void memstatsPausesFromTheRingBuffer(String version) throws Exception {
        Path vars = Corpus.file(version + "/leakysvc/vars.t4.json");
        JsonNode m = new ObjectMapper().readTree(vars.toFile()).get("memstats");
        int numGc = m.get("NumGC").asInt();
        int n = Math.min(numGc, 256);
        double[] pauses = new double[n];
        for (int i = 0; i < n; i++) {
            pauses[i] = m.get("PauseNs").get((numGc - n + i) % 256).asLong() / 1e6;
        }
        Arrays.sort(pauses);
        JsonNode d = json("gc", vars.toString());
        assertThat(d.get("input").asText()).isEqualTo("memstats");
        assertThat(d.get("cycles").asInt()).isEqualTo(numGc);
        assertThat(d.get("forced").asInt()).isEqualTo(m.get("NumForcedGC").asInt());
        assertThat(d.get("pauseMs").get("p50").asDouble()).isCloseTo(pauses[(int) Math.ceil(0.5 * n) - 1],
                within(1e-4));
        assertThat(d.get("pauseMs").get("max").asDouble()).isCloseTo(pauses[n - 1], within(1e-4));
        assertThat(d.get("gcCpuPercent").asDouble()).isCloseTo(100 * m.get("GCCPUFraction").asDouble(),
                within(1e-4));
    }

    @Test
    void leakysvcHeapSeriesLeaksThroughMainMem() throws Exception {
        List<String> args = new ArrayList<>(List.of("memory"));
        List<Long> expected = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            Path f = Corpus.file("go1.27/leakysvc/heap.t" + t + ".pprof");
            args.add(f.toString());
            if (t > 0) { // t0, taken before the first GC, is left out of the series
                long[] row = PprofTop.run(f, "inuse_space", "B", "-lines")
                        .get("main.mem example.com/shop/leakysvc/main.go:101");
                expected.add(row == null ? 0 : row[0]);
            }
        }
        JsonNode d = json(args.toArray(String[]::new));
        assertThat(d.get("verdict").asText()).isEqualTo("leaking");
        assertThat(d.get("slopeBytesPerSecond").asDouble()).isPositive();
        JsonNode site = d.get("growingSites").get(0);
        assertThat(site.get("function").asText()).isEqualTo("main.mem");
        assertThat(site.get("file").asText()).isEqualTo("example.com/shop/leakysvc/main.go");
        assertThat(site.get("line").asInt()).isEqualTo(101);
        List<Long> bytes = new ArrayList<>();
        site.get("inuseBytes").forEach(b -> bytes.add(b.asLong()));
        assertThat(bytes).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"go1.19", "go1.27"})
    void cpuworkHeapIsStable(String version) throws Exception {
        JsonNode d = json("memory", Corpus.file(version + "/cpuwork/gctrace.log").toString());
        assertThat(d.get("verdict").asText()).isEqualTo("stable");
        JsonNode leaky = json("memory", Corpus.file(version + "/leakysvc/gctrace.log").toString());
        assertThat(leaky.get("verdict").asText()).isIn("growing", "leaking");
        JsonNode vars = json("memory", Corpus.file(version + "/leakysvc/vars.t0.json").toString(),
                Corpus.file(version + "/leakysvc/vars.t1.json").toString(),
                Corpus.file(version + "/leakysvc/vars.t2.json").toString(),
                Corpus.file(version + "/leakysvc/vars.t3.json").toString(),
                Corpus.file(version + "/leakysvc/vars.t4.json").toString());
        assertThat(vars.get("verdict").asText()).isIn("growing", "leaking");
        assertThat(vars.has("slopeBytesPerSnapshot")).isTrue();
    }

    @Test
    void wrongInputsAreOneLine() {
        Peers.Result r = Godiag.run("memory", Corpus.file("go1.27/leakysvc/heap.t1.pprof").toString(),
                Corpus.file("go1.27/leakysvc/vars.t1.json").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().lines().toList()).hasSize(1);
        r = Godiag.run("memory", Corpus.file("go1.27/leakysvc/goroutine.t1.pprof").toString(),
                Corpus.file("go1.27/leakysvc/goroutine.t2.pprof").toString(),
                Corpus.file("go1.27/leakysvc/goroutine.t3.pprof").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("not a heap profile");
    }

    /**
     * memstats hold pauses but no heap sizes per cycle: the allocation rate is unknown, not "0 MB/s",
     * and an unknown share is "unknown", not "-%".
     */
    @Test
    void unknownIsUnknown() {
        Peers.Result r = Godiag.run("gc", Corpus.file("go1.27/leakysvc/vars.t4.json").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).doesNotContain("0 MiB/s").doesNotContain("MB/s").doesNotContain("-%")
                .doesNotContain("allocation about").contains("assists unknown");
    }

    /** A text that is no log of the runtime is named as such, before what gc looked for in it. */
    @Test
    void unrecognisedTextIsNamedAsSuch(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "hello world\nthis is not a log\n");
        for (String cmd : List.of("gc", "memory")) {
            Peers.Result r = Godiag.run(cmd, notes.toString());
            assertThat(r.exitCode()).as(cmd).isEqualTo(2);
            assertThat(r.stderr().lines().toList()).as(cmd).hasSize(1);
            assertThat(r.stderr()).as(cmd).contains(notes + ": text in no format godiag reads (first line: \"hello world\")");
        }
    }
}
