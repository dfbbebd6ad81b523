package dev.godiag.analysis.runtime;

import dev.godiag.analysis.profile.CallTreeTest;
import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.profile.NodeOptions;

import dev.godiag.model.Profile;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The heap series of the leaking service: leaking, with main.mem the top growing site holding, per
 * snapshot, exactly what the real pprof shows for it ({@code pprof -top -lines}); the fit checked
 * against a hand calculation.
 */
class MemoryGrowthTest {
    static final NodeOptions LINES = new NodeOptions(Granularity.LINES, false, false, "");

    @ParameterizedTest
    @CsvSource({"go1.19", "go1.27"})
    void leakysvcLeaksThroughMainMem(String version) {
        List<String> labels = new ArrayList<>();
        List<Profile> profiles = new ArrayList<>();
        List<Long> pprofMainMem = new ArrayList<>();
        List<Double> pprofLiveWithoutProfiler = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            Path f = Corpus.file(version + "/leakysvc/heap.t" + t + ".pprof");
            labels.add(f.toString());
            profiles.add(CallTreeTest.load(f));
            if (t == 0) {
                continue; // t0 is taken before the service's first GC: every allocation still counts as live
            }
            long[] row = PprofTop.run(f, "inuse_space", "B", "-lines").get("main.mem example.com/shop/leakysvc/main.go:101");
            pprofMainMem.add(row == null ? 0 : row[0]);
            // the live heap without the profiler's own buffers, as pprof -ignore gives it
            pprofLiveWithoutProfiler.add((double) PprofTop.run(f, "inuse_space", "B",
                    "-ignore=^(runtime/pprof|net/http/pprof)\\.").values().stream().mapToLong(v -> v[0]).sum());
        }
        assertThat(MemoryGrowth.beforeFirstGc(profiles.get(0))).isTrue();
        assertThat(profiles.subList(1, 5)).noneMatch(MemoryGrowth::beforeFirstGc);
        MemoryGrowth.Result r = MemoryGrowth.ofHeapProfiles(labels, profiles, LINES);
        assertThat(r.points()).extracting(MemoryGrowth.Point::label).isEqualTo(labels.subList(1, 5));
        assertThat(r.points()).extracting(MemoryGrowth.Point::liveBytes).isEqualTo(pprofLiveWithoutProfiler);
        assertThat(r.reason()).contains(labels.get(0) + " was left out: taken before the first GC");
        assertThat(r.verdict()).isEqualTo(MemoryGrowth.Verdict.LEAKING);
        MemoryGrowth.Site top = r.growingSites().get(0);
        assertThat(top.function()).isEqualTo("main.mem");
        assertThat(top.file()).isEqualTo("example.com/shop/leakysvc/main.go");
        assertThat(top.line()).isEqualTo(101);
        List<Long> bytes = new ArrayList<>();
        for (long b : top.inuseBytes()) {
            bytes.add(b);
        }
        assertThat(bytes).isEqualTo(pprofMainMem);
        assertThat(top.onlyGrows()).isTrue();
        // the leak is (nearly) all the heap's growth once the profiler's buffers are left out, never above it
        assertThat(top.shareOfGrowth()).isBetween(0.9, 1.0);
        assertThat(r.reason()).contains("main.mem", "main.go:101").doesNotContainPattern("\\b(10[1-9]|1[1-9]\\d|[2-9]\\d\\d)% of");
        // each request stores 64 KiB: the added objects are big ones
        assertThat(r.objectSizeHint()).contains("a few big objects");
        assertThat(r.fit().perSecond()).isTrue();
        assertThat(r.fit().slope()).isPositive();
    }

    @Test
    void fitIsOrdinaryLeastSquaresWithAStudentInterval() {
        // y = 11, 11, 15, 15, 18 at x = 0..4, by hand: mean x 2, mean y 14; deviations x -2..2,
        // y -3, -3, 1, 1, 4: sxx 10, sxy 6 + 3 + 0 + 1 + 8 = 18 -> slope 1.8, intercept 14 - 3.6 = 10.4;
        // fitted 10.4, 12.2, 14, 15.8, 17.6, residuals 0.6, -1.2, 1, -0.8, 0.4: sse 3.6;
        // se = sqrt(3.6 / 3 / 10) = 0.3464, t(3 df, 0.975) = 3.182 -> interval 1.8 +- 1.102
        List<MemoryGrowth.Point> points = new ArrayList<>();
        double[] y = {11, 11, 15, 15, 18};
        for (int i = 0; i < y.length; i++) {
            points.add(new MemoryGrowth.Point("s" + i, Double.NaN, y[i], Double.NaN));
        }
        MemoryGrowth.Fit fit = MemoryGrowth.fit(points);
        assertThat(fit.perSecond()).isFalse();
        assertThat(fit.slope()).isCloseTo(1.8, within(1e-9));
        assertThat(fit.intercept()).isCloseTo(10.4, within(1e-9));
        assertThat(fit.slopeHigh() - fit.slope()).isCloseTo(3.182 * Math.sqrt(3.6 / 3 / 10), within(1e-6));
    }

    /**
     * The live heap after each GC of a run of testdata/gen/cleansvc (Go 1.19): its 16 MiB cache is
     * built at start-up and stays; the heap is flat at 19 MB from the fourth cycle (0.315 s of 3.4 s).
     */
    @Test
    void warmUpIsNotGrowth() {
        double[] mb = {3, 6, 13, 18, 19, 19, 19, 19, 19, 19, 19, 19, 19};
        double[] at = {0.022, 0.029, 0.044, 0.315, 0.679, 0.857, 1.399, 1.827, 1.862, 2.409, 2.837, 2.867, 3.414};
        List<MemoryGrowth.Point> points = new ArrayList<>();
        for (int i = 0; i < mb.length; i++) {
            points.add(new MemoryGrowth.Point("gc " + (i + 1), at[i], mb[i] * (1 << 20), Double.NaN));
        }
        MemoryGrowth.Result r = MemoryGrowth.ofSeries(points);
        assertThat(r.fit().slopeLow()).as("a straight line alone would call it growth").isPositive();
        assertThat(r.verdict()).isEqualTo(MemoryGrowth.Verdict.STABLE);
        assertThat(r.reason()).contains("warm-up");
        // (0.315 - 0.022) / (3.414 - 0.022) = 8.6% of the run
        assertThat(MemoryGrowth.warmUpEnd(points, true)).isCloseTo(0.0864, within(1e-3));
    }

    /**
     * Another run of cleansvc under Go 1.19, where the GC saw the full cache only at its fourth
     * cycle, a third into the run: still warm-up. The leaking service of the corpus, for contrast,
     * settles at its eleventh cycle (see GcMemoryCommandTest).
     */
    @Test
    void warmUpSeenLateByTheGcIsStillWarmUp() {
        double[] mb = {4, 8, 17, 19, 20, 19, 21, 19};
        double[] at = {0.02, 0.03, 0.05, 0.95, 1.5, 2.0, 2.5, 3.0};
        List<MemoryGrowth.Point> points = new ArrayList<>();
        for (int i = 0; i < mb.length; i++) {
            points.add(new MemoryGrowth.Point("gc " + (i + 1), at[i], mb[i] * (1 << 20), Double.NaN));
        }
        assertThat(MemoryGrowth.warmUpEnd(points, true)).isGreaterThan(0.25);
        MemoryGrowth.Result r = MemoryGrowth.ofSeries(points);
        assertThat(r.verdict()).isEqualTo(MemoryGrowth.Verdict.STABLE);
        assertThat(r.reason()).contains("warm-up");
    }

    @Test
    void flatSeriesIsStableAndShortSeriesUnknown() {
        List<MemoryGrowth.Point> flat = new ArrayList<>();
        double[] y = {100e6, 103e6, 98e6, 101e6, 99e6, 102e6};
        for (int i = 0; i < y.length; i++) {
            flat.add(new MemoryGrowth.Point("s" + i, i * 60.0, y[i], Double.NaN));
        }
        assertThat(MemoryGrowth.ofSeries(flat).verdict()).isEqualTo(MemoryGrowth.Verdict.STABLE);
        assertThat(MemoryGrowth.ofSeries(flat.subList(0, 2)).verdict()).isEqualTo(MemoryGrowth.Verdict.UNKNOWN);
        List<MemoryGrowth.Point> rising = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rising.add(new MemoryGrowth.Point("s" + i, i * 60.0, 100e6 + i * 20e6, Double.NaN));
        }
        assertThat(MemoryGrowth.ofSeries(rising).verdict()).isEqualTo(MemoryGrowth.Verdict.LEAKING);
    }
}
