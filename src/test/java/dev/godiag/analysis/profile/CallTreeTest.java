package dev.godiag.analysis.profile;


import dev.godiag.bench.StressProfileGenerator;
import dev.godiag.format.InputSource;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call tree, judged by the real pprof: per-function flat and cum recomputed from the tree equal
 * {@code pprof -top}; inlined nodes are the ones pprof marks "(inline)"; node lines are the hottest
 * lines of {@code pprof -top -lines}; truncation keeps every total and says what it folded.
 */
public class CallTreeTest {
    public static Profile load(Path file) {
        return ProfileLoader.load(file.toString(), InputSource.FetchOptions.DEFAULT, 1L << 30);
    }

    private static Map<String, List<Long>> rows(CallTree t, int column) {
        CallTree.FunctionTotals ft = t.functionTotals(column);
        Map<String, List<Long>> m = new TreeMap<>();
        for (int f = 0; f < t.frameCount(); f++) {
            if (ft.flat()[f] != 0 || ft.cum()[f] != 0) {
                m.merge(t.frameInfo(f).name(), List.of(ft.flat()[f], ft.cum()[f]),
                        (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
            }
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource({
            "go1.27/cpuwork/cpu.pprof, '', ns",
            "go1.27/leakysvc/cpu.pprof, '', ns",
            "go1.19/cpuwork/heap.pprof, alloc_space, B",
            "go1.27/cpuwork/heap.pprof, inuse_objects, ''",
            "go1.27/leakysvc/goroutine.t3.pprof, '', ''",
            "go1.27/cpuwork/mutex.pprof, delay, ns",
            "upstream/pprof/internal_proftest__large.cpu, '', ns"})
    void flatAndCumArePprofs(String profile, String sampleIndex, String unit) {
        Path file = Corpus.file(profile);
        Profile p = load(file);
        int si = SampleIndex.resolve(p, sampleIndex.isEmpty() ? null : sampleIndex);
        CallTree t = CallTree.of(p, si, NodeOptions.DEFAULT, 0);
        assertThat(rows(t, si)).isEqualTo(PprofTop.run(file, sampleIndex, unit).nonZero());
        assertThat(t.total(0, si)).isEqualTo(SampleIndex.total(p, si));
        assertWellFormed(t);
    }

    @Test
    void linesGranularityIsPprofsToo() {
        Path file = Corpus.file("go1.27/cpuwork/cpu.pprof");
        Profile p = load(file);
        CallTree t = CallTree.of(p, 1, new NodeOptions(Granularity.LINES, false, false, ""), 0);
        assertThat(rows(t, 1)).isEqualTo(PprofTop.run(file, "", "ns", "-lines").nonZero());
    }

    /** Totals add up, parents come first, subtrees are contiguous, children in name order. */
    static void assertWellFormed(CallTree t) {
        assertThat(t.parent(0)).isEqualTo(-1);
        long[] childSum = new long[t.size() * t.columns()];
        for (int i = 1; i < t.size(); i++) {
            int p = t.parent(i);
            assertThat(p).isLessThan(i);
            assertThat(t.subtreeEnd(i)).isLessThanOrEqualTo(t.subtreeEnd(p));
            for (int c = 0; c < t.columns(); c++) {
                childSum[p * t.columns() + c] += t.total(i, c);
            }
        }
        for (int i = 0; i < t.size(); i++) {
            for (int c = 0; c < t.columns(); c++) {
                assertThat(t.total(i, c)).as("node %d column %d", i, c)
                        .isEqualTo(t.self(i, c) + childSum[i * t.columns() + c]);
            }
            String previous = null;
            for (int ch = i + 1; ch < t.subtreeEnd(i); ch = t.subtreeEnd(ch)) {
                assertThat(t.parent(ch)).isEqualTo(i);
                String name = t.frame(ch) < 0 ? "\uffff" : t.frameInfo(t.frame(ch)).name();
                if (previous != null) {
                    assertThat(name).isGreaterThanOrEqualTo(previous);
                }
                previous = name;
            }
        }
    }

    @Test
    void inlinedNodesAreThosePprofMarksInline() {
        Path file = Corpus.file("go1.27/cpuwork/cpu.pprof");
        CallTree t = CallTree.of(load(file), 1, NodeOptions.DEFAULT, 0);
        PprofTop.Rows top = PprofTop.run(file, "", "ns");
        Map<String, boolean[]> seen = new HashMap<>(); // name -> {some inlined, some not}
        for (int i = 1; i < t.size(); i++) {
            if (t.total(i, 1) != 0) {
                boolean[] s = seen.computeIfAbsent(t.frameInfo(t.frame(i)).name(), k -> new boolean[2]);
                s[t.inlined(i) ? 0 : 1] = true;
            }
        }
        int inlined = 0;
        for (var e : seen.entrySet()) {
            String marker = top.markers.get(e.getKey());
            boolean some = e.getValue()[0];
            boolean all = some && !e.getValue()[1];
            assertThat(marker).as(e.getKey()).isEqualTo(all ? " (inline)" : some ? " (partial-inline)" : "");
            inlined += some ? 1 : 0;
        }
        assertThat(inlined).as("the profile has inlined frames").isPositive();
    }

    @Test
    void nodeLinesAreTheHottestLinesOfPprof() {
        Path file = Corpus.file("go1.27/cpuwork/cpu.pprof");
        CallTree t = CallTree.of(load(file), 1, NodeOptions.DEFAULT, 0);
        // frames with one node and no recursion: the node's weight per line is pprof's -lines cum
        Map<String, List<Integer>> nodes = new HashMap<>();
        for (int i = 1; i < t.size(); i++) {
            nodes.computeIfAbsent(t.frameInfo(t.frame(i)).name(), k -> new ArrayList<>()).add(i);
        }
        Map<String, long[]> hottest = new HashMap<>(); // name -> {line, cum}
        PprofTop.run(file, "", "ns", "-lines").forEach((row, v) -> {
            int sp = row.lastIndexOf(' ');
            String name = row.substring(0, sp);
            long line = Long.parseLong(row.substring(row.lastIndexOf(':') + 1));
            long[] h = hottest.computeIfAbsent(name, k -> new long[]{0, -1});
            if (v[1] > h[1] || v[1] == h[1] && line < h[0]) {
                h[0] = line;
                h[1] = v[1];
            }
        });
        int checked = 0;
        for (var e : nodes.entrySet()) {
            if (e.getValue().size() == 1 && hottest.containsKey(e.getKey())) {
                int node = e.getValue().get(0);
                assertThat(t.line(node)).as(e.getKey()).isEqualTo(hottest.get(e.getKey())[0]);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5);
    }

    @Test
    void truncationFoldsIntoOtherNodesWithTheirRealTotals() {
        CallTree full = CallTree.of(load(Corpus.file("upstream/pprof/internal_proftest__large.cpu")), 1,
                NodeOptions.DEFAULT, 0);
        assertThat(full.size()).isGreaterThan(200);
        CallTree cut = full.truncate(100, 0, 1);
        assertWellFormed(cut);
        assertThat(cut.source()).isSameAs(full);
        int frames = 0;
        int folded = 0;
        for (int i = 1; i < cut.size(); i++) {
            if (cut.frame(i) >= 0) {
                frames++;
                assertThat(cut.otherCount(i)).isZero();
                continue;
            }
            // an "other" node: a leaf, last among its siblings, holding its members' totals
            assertThat(cut.subtreeEnd(i)).isEqualTo(i + 1);
            assertThat(cut.subtreeEnd(i)).isEqualTo(cut.subtreeEnd(cut.parent(i)) == i + 1
                    ? i + 1 : cut.subtreeEnd(i));
            int[] members = cut.members(i);
            assertThat(members).isNotEmpty();
            long sum = 0;
            int nodes = 0;
            long previous = Long.MAX_VALUE;
            for (int m : members) {
                sum += full.total(m, 1);
                nodes += full.subtreeEnd(m) - m;
                assertThat(full.total(m, 1)).isLessThanOrEqualTo(previous);
                previous = full.total(m, 1);
            }
            assertThat(cut.total(i, 1)).isEqualTo(sum).isEqualTo(cut.self(i, 1));
            assertThat(cut.otherCount(i)).isEqualTo(nodes);
            folded += nodes;
        }
        assertThat(frames).isLessThanOrEqualTo(100).isGreaterThan(90);
        assertThat(frames + folded).as("every node kept or folded").isEqualTo(full.size() - 1);
        assertThat(cut.total(0, 1)).isEqualTo(full.total(0, 1));
        // the kept nodes are the largest ones, but for the nodes that keep the hot functions in view
        java.util.Set<String> hot = hotFunctions(full, CallTree.HOT_FUNCTIONS);
        long smallestKept = Long.MAX_VALUE;
        for (int i = 1; i < cut.size(); i++) {
            boolean onHotPath = false; // a hot function's node or one of its callers
            for (int d = i; d < cut.subtreeEnd(i) && !onHotPath; d++) {
                onHotPath = cut.frame(d) >= 0 && hot.contains(cut.frameInfo(cut.frame(d)).name());
            }
            if (cut.frame(i) >= 0 && !onHotPath) {
                smallestKept = Math.min(smallestKept, cut.total(i, 1));
            }
        }
        for (int i = 1; i < cut.size(); i++) {
            if (cut.frame(i) < 0) {
                for (int m : cut.members(i)) {
                    if (!hot.contains(full.frameInfo(full.frame(m)).name())) {
                        assertThat(full.total(m, 1)).isLessThanOrEqualTo(smallestKept);
                    }
                }
            }
        }
    }

    /** The functions with the largest flat values, as pprof -top lists them first. */
    private static java.util.Set<String> hotFunctions(CallTree t, int count) {
        return rows(t, 1).entrySet().stream().filter(e -> e.getValue().get(0) != 0)
                .sorted((a, b) -> Long.compare(b.getValue().get(0), a.getValue().get(0))).limit(count)
                .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * A small page of a large, deep profile: no function among the top table's first twenty (by
     * flat, as pprof -top computes it from the full tree) is folded entirely into "other" boxes:
     * each keeps boxes of its own (unless it only runs deep under recursion), within the page's nodes.
     */
    @Test
    void truncationNeverFoldsAwayAFunctionHotInTheTopTable() {
        CallTree full = CallTree.of(load(Corpus.file("upstream/pprof/internal_proftest__large.cpu")), 1,
                NodeOptions.DEFAULT, 0);
        for (int max : new int[]{1000, 3000}) {
            CallTree cut = full.truncate(max, 0, 1);
            assertWellFormed(cut);
            Map<String, List<Long>> before = rows(full, 1);
            Map<String, Long> shown = new TreeMap<>();
            int frames = 0;
            for (int i = 1; i < cut.size(); i++) {
                if (cut.frame(i) >= 0) {
                    frames++;
                    shown.merge(cut.frameInfo(cut.frame(i)).name(), cut.self(i, 1), Long::sum);
                }
            }
            assertThat(frames).isLessThanOrEqualTo(max).isGreaterThan(max * 9 / 10);
            int checked = 0;
            for (String fn : hotFunctions(full, CallTree.HOT_FUNCTIONS)) {
                long flat = before.get(fn).get(0);
                if (shallowest(full, fn) > max / 40) {
                    continue; // only under deep recursion: its callers alone would fill the page
                }
                checked++;
                assertThat(shown.getOrDefault(fn, 0L)).as("%s at %d nodes", fn, max).isPositive()
                        .isLessThanOrEqualTo(flat);
            }
            assertThat(checked).isGreaterThan(CallTree.HOT_FUNCTIONS / 2);
            assertThat(cut.total(0, 1)).isEqualTo(full.total(0, 1));
        }
    }

    /** The depth of a function's shallowest node with a self value. */
    private static int shallowest(CallTree t, String fn) {
        int best = Integer.MAX_VALUE;
        for (int i = 1; i < t.size(); i++) {
            if (t.frame(i) >= 0 && t.self(i, 1) != 0 && t.frameInfo(t.frame(i)).name().equals(fn)) {
                int d = 0;
                for (int a = i; a > 0; a = t.parent(a)) {
                    d++;
                }
                best = Math.min(best, d);
            }
        }
        return best;
    }

    @Test
    void minFractionDropsSmallNodes() {
        CallTree full = CallTree.of(load(Corpus.file("go1.27/cpuwork/cpu.pprof")), 1, NodeOptions.DEFAULT, 0);
        CallTree cut = full.truncate(Integer.MAX_VALUE, 0.05, 1);
        assertWellFormed(cut);
        assertThat(cut.size()).isLessThan(full.size());
        long floor = (long) Math.ceil(full.total(0, 1) * 0.05);
        for (int i = 1; i < cut.size(); i++) {
            if (cut.frame(i) >= 0) {
                assertThat(cut.total(i, 1)).isGreaterThanOrEqualTo(floor);
            }
        }
        assertThat(full.truncate(Integer.MAX_VALUE, 0, 1)).isSameAs(full);
    }

    @Test
    void tagRootLevelsAreLabelFramesAsPprofSeesThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("service.pb.gz");
        try (OutputStream os = Files.newOutputStream(file)) {
            ProtoProfileWriter.write(StressProfileGenerator.generate(7, StressProfileGenerator.Config.of(0.01)), os);
        }
        Profile p = LabelFrames.add(load(file), List.of("endpoint"), List.of(), "minimum").profile();
        int si = SampleIndex.resolve(p, null);
        CallTree t = CallTree.of(p, si, NodeOptions.DEFAULT, 1);
        assertWellFormed(t);
        int labels = 0;
        for (int i = 1; i < t.size(); i++) {
            boolean top = t.parent(i) == 0;
            assertThat(t.frameInfo(t.frame(i)).label()).as(t.frameInfo(t.frame(i)).name()).isEqualTo(top);
            labels += top ? 1 : 0;
        }
        assertThat(labels).isGreaterThan(1);
        assertThat(rows(t, si)).isEqualTo(PprofTop.run(file, "", "ns", "-tagroot=endpoint").nonZero());
    }
}
