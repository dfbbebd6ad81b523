package dev.godiag.integration;

import dev.godiag.testutil.Corpus;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "godiag merge --pgo" judged by what the Go compiler makes of it: 'go tool preprofile' prints the
 * compiler's call-edge map (caller, callee, call-site offset, weight; heaviest first).
 */
class PgoEdgesTest {
    private static final String CPUWORK = "go1.27/cpuwork/cpu.pprof";
    private static final String LEAKYSVC = "go1.27/leakysvc/cpu.pprof";

    @TempDir
    Path dir;

    /** One edge of the compiler's map. */
    record Edge(String caller, String callee, long offset) {
    }

    @ParameterizedTest
    @ValueSource(strings = {CPUWORK, LEAKYSVC, CPUWORK + " " + LEAKYSVC})
    void theCompilerSeesTheInputsEdges(String spec) {
        List<String> in = inputs(spec);
        Path out = godiagPgo(in);
        Map<Edge, Long> expected = inputEdges(in);
        Map<Edge, Long> ours = preprofile(out);
        assertThat(expected).isNotEmpty();
        assertThat(ours).isEqualTo(expected);
        assertThat(new ArrayList<>(ours.keySet())).isEqualTo(new ArrayList<>(expected.keySet())); // same order
        assertThat(total(ours)).isEqualTo(total(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {CPUWORK, LEAKYSVC, CPUWORK + " " + LEAKYSVC})
    void keepingNinetyPercentKeepsTheHeaviestEdgesWithTheirWeights(String spec) {
        List<String> in = inputs(spec);
        Path out = godiagPgo(in, "--pgo-keep", "90");
        Map<Edge, Long> all = inputEdges(in);
        long total = total(all);
        Map<Edge, Long> expected = new LinkedHashMap<>();
        long kept = 0;
        for (Map.Entry<Edge, Long> e : all.entrySet()) {
            if (kept >= total * 0.9) {
                break;
            }
            expected.put(e.getKey(), e.getValue());
            kept += e.getValue();
        }
        Map<Edge, Long> ours = preprofile(out);
        if (!spec.equals(LEAKYSVC)) { // leakysvc has just 4 edges of weight 1: 90% of them is all
            assertThat(ours.size()).isLessThan(all.size());
        }
        assertThat(ours).isEqualTo(expected);
        assertThat(new ArrayList<>(ours.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
        assertThat(total(ours)).isGreaterThanOrEqualTo((long) Math.ceil(total * 0.9))
                .isLessThanOrEqualTo(total);

        // pprof loads it too, and its CPU time is that of the kept edges
        Peers.Result top = Peers.run(List.of(Tools.go127().toString(), "tool", "pprof", "-top", out.toString()), null);
        assertThat(top.exitCode()).as(top.stderr()).isZero();
        assertThat(top.stdout()).contains("Type: cpu").contains("flat%");
    }

    @Test
    void keepingAllIsTheDefault() throws Exception {
        List<String> in = inputs(CPUWORK);
        Path all = godiagPgo(in);
        Path hundred = dir.resolve("hundred.pgo");
        Peers.Result r = Godiag.run("merge", "--pgo", "--pgo-keep", "100", "-o", hundred.toString(), in.get(0));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readAllBytes(hundred)).isEqualTo(Files.readAllBytes(all));
    }

    @Test
    void aGo119ProfileWithoutStartLinesIsRefusedAsGoRefusesIt() {
        Path old = Corpus.file("go1.19/cpuwork/cpu.pprof");
        Path out = dir.resolve("old.pgo");
        Peers.Result r = Godiag.run("merge", "--pgo", "-o", out.toString(), old.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains(old.toString()).contains("Function.start_line").contains("Go 1.20");
        assertThat(out).doesNotExist();
        // the Go toolchain refuses it too
        Peers.Result go = Peers.run(List.of(Tools.go127().toString(), "tool", "preprofile", "-i", old.toString(),
                "-o", dir.resolve("old.txt").toString()), null);
        assertThat(go.exitCode()).isNotZero();
        assertThat(go.stderr()).contains("missing Function.start_line");
    }

    @Test
    void mixingInAGo119ProfileWarnsOnce() {
        Path out = dir.resolve("mixed.pgo");
        Peers.Result r = Godiag.run("merge", "--pgo", "-o", out.toString(),
                Corpus.file("go1.19/cpuwork/cpu.pprof").toString(), Corpus.file(CPUWORK).toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr().lines().filter(l -> l.contains("start_line")).count()).isEqualTo(1);
        assertThat(preprofile(out)).isNotEmpty(); // Go accepts it: some functions have start lines
    }

    private static List<String> inputs(String spec) {
        return Arrays.stream(spec.split(" ")).map(f -> Corpus.file(f).toString()).toList();
    }

    private Path godiagPgo(List<String> in, String... extra) {
        Path out = dir.resolve("out" + System.nanoTime() + ".pgo");
        List<String> cmd = new ArrayList<>(List.of("merge", "--pgo", "-o", out.toString()));
        cmd.addAll(List.of(extra));
        cmd.addAll(in);
        Peers.Result r = Godiag.run(cmd);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEmpty();
        return out;
    }

    /** The compiler's edges of the inputs taken together: the sum of each input's map, in Go's order. */
    private Map<Edge, Long> inputEdges(List<String> in) {
        Map<Edge, Long> sum = new LinkedHashMap<>();
        for (String f : in) {
            preprofile(Path.of(f)).forEach((e, w) -> sum.merge(e, w, Long::sum));
        }
        if (in.size() == 1) {
            return sum;
        }
        List<Map.Entry<Edge, Long>> entries = new ArrayList<>(sum.entrySet());
        Comparator<String> bytes = (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
        entries.sort(Comparator.<Map.Entry<Edge, Long>>comparingLong(Map.Entry::getValue).reversed()
                .thenComparing(e -> e.getKey().caller(), bytes)
                .thenComparing(e -> e.getKey().callee(), bytes)
                .thenComparingLong(e -> e.getKey().offset()));
        Map<Edge, Long> sorted = new LinkedHashMap<>();
        entries.forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** 'go tool preprofile' of a profile: its edges in the order printed (heaviest first). */
    private Map<Edge, Long> preprofile(Path profile) {
        Path out = dir.resolve("pre" + System.nanoTime() + ".txt");
        Peers.Result r = Peers.run(List.of(Tools.go127().toString(), "tool", "preprofile", "-i", profile.toString(),
                "-o", out.toString()), null);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> lines;
        try {
            lines = Files.readAllLines(out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(lines.get(0)).isEqualTo("GO PREPROFILE V1");
        assertThat((lines.size() - 1) % 3).isZero();
        Map<Edge, Long> edges = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i += 3) {
            String[] ow = lines.get(i + 2).split(" ");
            Long prev = edges.put(new Edge(lines.get(i), lines.get(i + 1), Long.parseLong(ow[0])),
                    Long.parseLong(ow[1]));
            assertThat(prev).isNull();
        }
        return edges;
    }

    private static long total(Map<Edge, Long> edges) {
        return edges.values().stream().mapToLong(Long::longValue).sum();
    }
}
