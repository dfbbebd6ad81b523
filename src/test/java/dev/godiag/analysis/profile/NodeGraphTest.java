package dev.godiag.analysis.profile;

import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Flat and cum per report node of {@link ShopProfile}, at each granularity, against hand sums. */
class NodeGraphTest {
    private final Profile shop = ShopProfile.build();

    /** printable name -> "flat/cum", nodes with any value only. */
    private static Map<String, String> values(NodeGraph g) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < g.size(); i++) {
            if (g.flatValue(i) != 0 || g.cumValue(i) != 0) {
                String prev = m.put(g.node(i).printableName(), g.flatValue(i) + "/" + g.cumValue(i));
                assertThat(prev).as("two nodes print as %s", g.node(i).printableName()).isNull();
            }
        }
        return m;
    }

    private NodeGraph graph(int sampleIndex, Granularity g) {
        return NodeGraph.build(shop, sampleIndex, new NodeOptions(g, false, false, ""));
    }

    @Test
    void functionsByCpu() {
        assertThat(values(graph(1, Granularity.FUNCTIONS))).containsExactly(
                Map.entry("encoding/json.Marshal", "20/30"),
                Map.entry("main.handle", "40/100"),
                Map.entry("main.main", "0/150"),
                Map.entry("main.parse", "0/80"),
                Map.entry("runtime.mallocgc", "60/60"),
                Map.entry("strings.Split", "30/80"));
    }

    @Test
    void functionsBySampleCount() {
        // samples 1..5: mallocgc 1+5, handle 4, Split 3, Marshal 2
        assertThat(values(graph(0, Granularity.FUNCTIONS))).containsEntry("runtime.mallocgc", "6/6")
                .containsEntry("main.handle", "4/10").containsEntry("strings.Split", "3/8")
                .containsEntry("main.main", "0/15");
    }

    @Test
    void linesSplitFunctionsByLine() {
        assertThat(values(graph(1, Granularity.LINES))).containsExactly(
                Map.entry("encoding/json.Marshal encoding/json/encode.go:30", "20/30"),
                Map.entry("main.handle main.go:20", "40/100"),
                Map.entry("main.main main.go:10", "0/150"),
                Map.entry("main.parse main.go:60", "0/80"),
                Map.entry("runtime.mallocgc runtime/malloc.go:40", "60/60"),
                Map.entry("strings.Split strings/strings.go:50", "30/80"));
    }

    @Test
    void filesCountEachSampleOncePerNode() {
        // main.go holds main, handle and parse, three nodes (one per function start line) that
        // print alike; each counts a sample once
        NodeGraph g = graph(1, Granularity.FILES);
        Map<String, Long> cumByFile = new TreeMap<>();
        Map<String, Long> flatByFile = new TreeMap<>();
        int mainGoNodes = 0;
        for (int i = 0; i < g.size(); i++) {
            String name = g.node(i).printableName();
            cumByFile.merge(name, g.cumValue(i), Math::max);
            flatByFile.merge(name, g.flatValue(i), Long::sum);
            mainGoNodes += name.equals("main.go") ? 1 : 0;
        }
        assertThat(mainGoNodes).isEqualTo(3);
        assertThat(flatByFile).containsEntry("main.go", 40L).containsEntry("runtime/malloc.go", 60L)
                .containsEntry("strings/strings.go", 30L).containsEntry("encoding/json/encode.go", 20L);
        assertThat(cumByFile).containsEntry("main.go", 150L);
    }

    @Test
    void addressesKeepEveryLocationApart() {
        assertThat(values(graph(1, Granularity.ADDRESSES))).containsEntry(
                "0000000000405000 strings.Split strings/strings.go:50", "30/80").containsEntry(
                "0000000000405000 main.parse main.go:60", "0/80");
    }

    @Test
    void noInlinesGivesAnInlinedFrameToItsCaller() {
        NodeGraph g = NodeGraph.build(shop, 1, new NodeOptions(Granularity.FUNCTIONS, true, false, ""));
        assertThat(values(g)).containsEntry("main.parse", "30/80").doesNotContainKey("strings.Split");
    }

    @Test
    void meanDividesBySampleCount() {
        // A: 2 samples, 30; B: 1 sample, 50; both under R. With -mean a node shows its sum over
        // the summed counts of the same samples (integer division); R has no flat count: 0.
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("contentions", "count")
                .sampleType("delay", "nanoseconds");
        int r = b.addFunction(1, "R", "R", "r.go", 1);
        int a = b.addFunction(2, "A", "A", "a.go", 1);
        int bf = b.addFunction(3, "B", "B", "b.go", 1);
        b.addLine(r, 1, 0);
        int rl = b.endLocation(1, -1, 0x10, false);
        b.addLine(a, 1, 0);
        int al = b.endLocation(2, -1, 0x20, false);
        b.addLine(bf, 1, 0);
        int bl = b.endLocation(3, -1, 0x30, false);
        b.addSampleLocation(al);
        b.addSampleLocation(rl);
        b.endSample(2, 30);
        b.addSampleLocation(bl);
        b.addSampleLocation(rl);
        b.endSample(1, 50);
        NodeGraph g = NodeGraph.build(b.build(), 1, 0, NodeOptions.DEFAULT);
        assertThat(values(g)).containsExactly(Map.entry("A", "15/15"), Map.entry("B", "50/50"),
                Map.entry("R", "0/26"));
    }

    @Test
    void recursionCountsOnceInCum() {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count");
        int f = b.addFunction(1, "main.fib", "main.fib", "fib.go", 1);
        int m = b.addFunction(2, "main.main", "main.main", "fib.go", 9);
        b.addLine(f, 3, 0);
        int fib = b.endLocation(1, -1, 0x10, false);
        b.addLine(m, 10, 0);
        int main = b.endLocation(2, -1, 0x20, false);
        for (int loc : new int[] {fib, fib, fib, main}) {
            b.addSampleLocation(loc);
        }
        b.endSample(7);
        b.addSampleLocation(main);
        b.endSample(2);
        NodeGraph g = NodeGraph.build(b.build(), 0, NodeOptions.DEFAULT);
        assertThat(values(g)).containsExactly(Map.entry("main.fib", "7/7"), Map.entry("main.main", "2/9"));
    }

    @Test
    void trimPathCutsConfiguredPrefixes() {
        NodeGraph g = NodeGraph.build(shop, 1, new NodeOptions(Granularity.FILEFUNCTIONS, false, false,
                "encoding:runtime/"));
        assertThat(values(g)).containsEntry("encoding/json.Marshal json/encode.go", "20/30")
                .containsEntry("runtime.mallocgc malloc.go", "60/60").containsEntry("main.main main.go", "0/150");
    }
}
