package dev.godiag.analysis.profile;

import dev.godiag.model.Profile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rows of a top report of {@link ShopProfile}: selection, order, markers, unit, by hand. */
class TopTableTest {
    private final Profile shop = ShopProfile.build();
    private final NodeGraph functions = NodeGraph.build(shop, 1, NodeOptions.DEFAULT);

    private static TopTable.Options options(int nodeCount, double nodeFraction, boolean cum) {
        return new TopTable.Options(nodeCount, nodeFraction, 0.001, cum, false, "minimum", 1);
    }

    /** "name flat cum marker" per row. */
    private static List<String> rows(TopTable.Result r) {
        return r.rows().stream().map(x -> (x.name() + " " + x.flat() + " " + x.cum() + " " + x.inlineLabel()).strip())
                .toList();
    }

    @Test
    void sortedByFlatThenName() {
        TopTable.Result r = TopTable.compute(functions, 150, "nanoseconds", options(0, 0, false));
        // flat ties at 0: by name, "main.main" before "main.parse"; Split's only caller is inlined
        assertThat(rows(r)).containsExactly(
                "runtime.mallocgc 60 60",
                "main.handle 40 100",
                "strings.Split 30 80 (inline)",
                "encoding/json.Marshal 20 30",
                "main.main 0 150",
                "main.parse 0 80");
        assertThat(r.shownTotal()).isEqualTo(150);
        assertThat(r.droppedNodes()).isZero();
        assertThat(r.origCount()).isEqualTo(6);
        assertThat(r.outputUnit()).isEqualTo("ns");
    }

    @Test
    void sortedByCumThenNameThenFlat() {
        TopTable.Result r = TopTable.compute(functions, 150, "nanoseconds", options(0, 0, true));
        // cum ties at 80: by name, "main.parse" before "strings.Split"
        assertThat(rows(r)).extracting(s -> s.substring(0, s.indexOf(' '))).containsExactly(
                "main.main", "main.handle", "main.parse", "strings.Split", "runtime.mallocgc",
                "encoding/json.Marshal");
    }

    @Test
    void nodeFractionDropsNodesBelowTheCutoffBeforeTheCount() {
        // cutoff: (long) (150 * 0.25) = 37; json.Marshal's cum 30 is below it
        TopTable.Result r = TopTable.compute(functions, 150, "nanoseconds", options(3, 0.25, false));
        assertThat(r.droppedNodes()).isEqualTo(1);
        assertThat(r.origCount()).isEqualTo(5);
        assertThat(rows(r)).containsExactly("runtime.mallocgc 60 60", "main.handle 40 100",
                "strings.Split 30 80 (inline)");
        assertThat(r.shownTotal()).isEqualTo(130);
    }

    @Test
    void withoutInlinedFramesThereIsNoInlineMarker() {
        NodeGraph noInlines = NodeGraph.build(shop, 1, new NodeOptions(Granularity.FUNCTIONS, true, false, ""));
        TopTable.Result r = TopTable.compute(noInlines, 150, "nanoseconds", options(0, 0, false));
        assertThat(rows(r)).contains("main.parse 30 80").noneMatch(s -> s.contains("inline"));
    }

    @Test
    void aFunctionInlinedIntoOneCallerAndCalledByAnotherIsPartiallyInline() {
        // Y inlined into X (3), and called by Z (2); also Y called by X outside the inlined site
        // (1): that merges into X's inline edge to Y, which stops being inline, as in pprof
        dev.godiag.model.ProfileBuilder b = new dev.godiag.model.ProfileBuilder("pprof").sampleType("samples", "count");
        int x = b.addFunction(1, "X", "X", "x.go", 1);
        int y = b.addFunction(2, "Y", "Y", "y.go", 1);
        int z = b.addFunction(3, "Z", "Z", "z.go", 1);
        int w = b.addFunction(4, "W", "W", "w.go", 1);
        b.addLine(y, 2, 0);
        b.addLine(x, 3, 0);
        int yInX = b.endLocation(1, -1, 0x10, false);
        b.addLine(y, 2, 0);
        int yAlone = b.endLocation(2, -1, 0x20, false);
        b.addLine(z, 4, 0);
        int zCalls = b.endLocation(3, -1, 0x30, false);
        b.addLine(w, 5, 0);
        int wInX = b.endLocation(4, -1, 0x40, false);
        b.addLine(w, 6, 0);
        b.addLine(x, 7, 0);
        int wInlined = b.endLocation(5, -1, 0x50, false);
        b.addLine(x, 8, 0);
        int xCallsW = b.endLocation(6, -1, 0x60, false);
        b.addSampleLocation(yInX);
        b.endSample(3);
        b.addSampleLocation(yAlone);
        b.addSampleLocation(zCalls);
        b.endSample(2);
        // W: inlined into X once, and called by X from elsewhere once
        b.addSampleLocation(wInlined);
        b.endSample(1);
        b.addSampleLocation(wInX);
        b.addSampleLocation(xCallsW);
        b.endSample(1);
        NodeGraph g = NodeGraph.build(b.build(), 0, NodeOptions.DEFAULT);
        assertThat(rows(TopTable.compute(g, 7, "count", options(0, 0, false))))
                .containsExactly("Y 5 5 (partial-inline)", "W 2 2", "X 0 5", "Z 0 2");
    }

    @Test
    void theUnitIsTheSmallestShownValuesUnlessTheTotalIsHundredsOfTimesLarger() {
        assertThat(TopTable.selectOutputUnit(rowsWithFlat(1500), 3_000_000, "nanoseconds", "minimum", 1))
                .isEqualTo("us");
        // 1500 ns against 3 s: more than 100 times smaller, so 100x the minimum picks the unit
        assertThat(TopTable.selectOutputUnit(rowsWithFlat(1500), 3_000_000_000L, "nanoseconds", "minimum", 1))
                .isEqualTo("us");
        assertThat(TopTable.selectOutputUnit(rowsWithFlat(15_000), 3_000_000_000L, "nanoseconds", "minimum", 1))
                .isEqualTo("ms");
        assertThat(TopTable.selectOutputUnit(rowsWithFlat(2048), 4096, "bytes", "minimum", 1)).isEqualTo("kB");
        assertThat(TopTable.selectOutputUnit(rowsWithFlat(5), 10, "count", "minimum", 1)).isEqualTo("count");
        assertThat(TopTable.selectOutputUnit(rowsWithFlat(5), 10, "nanoseconds", "s", 1)).isEqualTo("s");
    }

    private static List<TopTable.Row> rowsWithFlat(long flat) {
        return List.of(new TopTable.Row(new NodeInfo("f", "", 0, "", 0, 0, 0, ""), "f", flat, flat, ""));
    }

    @Test
    void dropNegativeLeavesOutNegativeNodes() {
        Profile diff = ProfileMerger.withBase(shop, ShopProfile.build(), false, false);
        // the profile minus itself: nothing left
        assertThat(diff.samples().size()).isZero();
        NodeGraph g = NodeGraph.build(ProfileMerger.scale(shop, new double[] {1, -1}), 1, NodeOptions.DEFAULT);
        TopTable.Result r = TopTable.compute(g, -150, "nanoseconds",
                new TopTable.Options(0, 0, 0.001, false, true, "minimum", 1));
        assertThat(r.rows()).isEmpty();
        TopTable.Result all = TopTable.compute(g, -150, "nanoseconds", options(0, 0, false));
        // sorted by |flat|: the negated profile keeps the order
        assertThat(rows(all).get(0)).isEqualTo("runtime.mallocgc -60 -60");
    }
}
