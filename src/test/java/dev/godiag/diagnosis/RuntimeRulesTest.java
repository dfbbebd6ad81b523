package dev.godiag.diagnosis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.diagnosis.rules.FdGrowthRule;
import dev.godiag.diagnosis.rules.GcAssistsRule;
import dev.godiag.diagnosis.rules.GcCpuRule;
import dev.godiag.diagnosis.rules.GcFrequencyRule;
import dev.godiag.diagnosis.rules.GcPausesRule;
import dev.godiag.diagnosis.rules.GoroutineContextLeakRule;
import dev.godiag.diagnosis.rules.GoroutineExplosionRule;
import dev.godiag.diagnosis.rules.GoroutineLeakRule;
import dev.godiag.diagnosis.rules.HeapGrowthRule;
import dev.godiag.diagnosis.rules.NetpollSpinningRule;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.goroutine.GoroutineSources;
import dev.godiag.format.runtime.RuntimeSources;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcTrace;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.PromMetrics;
import dev.godiag.model.ValueType;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The goroutine, memory, GC and I/O rules on the corpus (and on small synthetic /metrics series). */
class RuntimeRulesTest {
    static final long LIMIT = 1L << 30;
    static final InputSource.FetchOptions FETCH = InputSource.FetchOptions.DEFAULT;

    static DiagnosisInput leakysvcGoroutines(String version, String form) {
        DiagnosisInput in = new DiagnosisInput();
        for (int i = 0; i < 5; i++) {
            in.addGoroutines(GoroutineSources.load(Corpus.file(version + "/leakysvc/goroutine.t" + i + form).toString(),
                    FETCH, LIMIT));
        }
        return in;
    }

    static DiagnosisInput gctrace(String dir) {
        DiagnosisInput in = new DiagnosisInput();
        in.addGcTrace((GcTrace) RuntimeSources.load(Corpus.file(dir + "/gctrace.log").toString(), FETCH, LIMIT));
        return in;
    }

    static RuleConfig config(Rule r, Threshold t, double info, double warning, double critical) {
        String k = r.id() + "." + t.name() + ".";
        return new RuleConfig(Map.of(k + "info", info, k + "warning", warning, k + "critical", critical));
    }

    static Threshold threshold(Rule r, String name) {
        return r.info().thresholds().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    // ---- goroutines.leak -----------------------------------------------------------------------

    /** The seven leaks of the corpus README: goroutine function and the line it blocks at. */
    /** The primitive each of the seven waits on, as its card names it. */
    static final Map<String, String> CARDS = Map.of("main.leakRange.func1", "goroutines.leak.chan-receive",
            "main.leakSend.func1", "goroutines.leak.chan-send", "main.leakSelect.func1", "goroutines.leak.empty-select",
            "main.leakNil.func1", "goroutines.leak.nil-channel", "main.leakCtx.func1", "goroutines.context-leak",
            "main.leakMutex.func1", "goroutines.leak.mutex", "main.leakWG.func2", "goroutines.leak.waitgroup");

    static final Map<String, Integer> LEAKS = Map.of("main.leakRange.func1", 30, "main.leakSend.func1", 43,
            "main.leakSelect.func1", 55, "main.leakNil.func1", 63, "main.leakCtx.func1", 73,
            "main.leakMutex.func1", 83, "main.leakWG.func2", 94);

    @ParameterizedTest
    @CsvSource({"go1.19, .debug2.txt", "go1.27, .debug2.txt", "go1.19, .pprof", "go1.27, .pprof",
            "go1.27, .debug1.txt"})
    void leakFiresOnceForEachOfTheSevenLeaks(String version, String form) {
        List<Finding> fs = new GoroutineLeakRule().evaluate(leakysvcGoroutines(version, form), RuleConfig.DEFAULT);
        Map<String, Finding> byFn = new HashMap<>();
        for (Finding f : fs) {
            byFn.put((String) f.evidence().get("blockedAtFunction"), f);
        }
        assertThat(byFn.keySet()).containsExactlyInAnyOrderElementsOf(LEAKS.keySet());
        assertThat(fs).hasSize(7);
        for (Map.Entry<String, Integer> e : LEAKS.entrySet()) {
            Finding f = byFn.get(e.getKey());
            assertThat(f.evidence().get("count")).isEqualTo(185L);
            assertThat(f.evidence().get("countsPerSnapshot")).isEqualTo(List.of(0L, 60L, 120L, 180L, 185L));
            assertThat(f.evidence().get("blockedAtFile")).isEqualTo("example.com/shop/leakysvc/main.go");
            assertThat(f.evidence().get("blockedAtLine")).isEqualTo(e.getValue());
            assertThat(f.location().function()).isEqualTo(e.getKey());
            assertThat(f.location().line()).isEqualTo(e.getValue().longValue());
            if (form.equals(".debug2.txt")) { // only debug=2 dumps record the creator
                assertThat((String) f.evidence().get("createdBy")).isEqualTo(e.getKey().replaceAll("\\.func\\d+$", ""));
            }
            assertThat((String) f.evidence().get("reason")).isNotBlank();
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            // the primitive's card first (its fix is the advice), then the rule's, as far as the form
            // tells the primitive: a profile's runtime frames do not say a channel is nil, and debug=1
            // text drops the (unsymbolized) runtime frames of channel operations, keeping sync's
            String card = CARDS.get(e.getKey());
            if (!form.equals(".debug2.txt") && e.getKey().equals("main.leakNil.func1")) {
                card = "goroutines.leak.chan-receive";
            }
            if (form.equals(".debug1.txt") && !card.matches(".*(mutex|waitgroup)")) {
                assertThat(f.cards()).as(e.getKey()).containsExactly("goroutines.leak");
            } else {
                assertThat(f.cards()).as(e.getKey()).containsExactly(card, "goroutines.leak");
            }
        }
        if (form.equals(".debug2.txt")) {
            // the states the README lists
            assertThat(byFn.get("main.leakNil.func1").evidence().get("state")).isEqualTo("chan receive (nil chan)");
            assertThat(byFn.get("main.leakSelect.func1").evidence().get("state")).isEqualTo("select (no cases)");
            assertThat(byFn.get("main.leakSend.func1").evidence().get("state")).isEqualTo("chan send");
            assertThat(byFn.get("main.leakNil.func1").evidence().get("verdict")).isEqualTo("definite-leak");
            // Go 1.27 marks six of them "(leaked)"; the global mutex stays reachable
            long definite = fs.stream().filter(f -> f.evidence().get("verdict").equals("definite-leak")).count();
            assertThat(definite).isEqualTo(version.equals("go1.27") ? 6 : 2);
            assertThat(byFn.get("main.leakMutex.func1").evidence().get("verdict")).isEqualTo("likely-leak");
        }
    }

    @Test
    void leakThresholdsKeepDefiniteLeaksAtWarning() {
        GoroutineLeakRule rule = new GoroutineLeakRule();
        RuleConfig high = config(rule, threshold(rule, "leakedGoroutines"), 1000, 2000, 5000);
        List<Finding> fs = rule.evaluate(leakysvcGoroutines("go1.19", ".debug2.txt"), high);
        // 185 < 1000: the likely leaks drop out; the nil channel and the empty select remain, at warning
        assertThat(fs).extracting(f -> f.evidence().get("blockedAtFunction"))
                .containsExactlyInAnyOrder("main.leakNil.func1", "main.leakSelect.func1");
        assertThat(fs).allMatch(f -> f.score() == 50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void noLeakInCpuwork(String version) {
        DiagnosisInput in = new DiagnosisInput();
        in.addGoroutines(GoroutineSources.load(Corpus.file(version + "/cpuwork/goroutine.pprof").toString(), FETCH,
                LIMIT));
        assertThat(new GoroutineLeakRule().evaluate(in, RuleConfig.DEFAULT)).isEmpty();
        assertThat(new GoroutineContextLeakRule().evaluate(in, RuleConfig.DEFAULT)).isEmpty();
        assertThat(new GoroutineExplosionRule().evaluate(in, RuleConfig.DEFAULT)).isEmpty();
        // and the t0 snapshot of the service, before any leak
        DiagnosisInput t0 = new DiagnosisInput();
        t0.addGoroutines(GoroutineSources.load(Corpus.file(version + "/leakysvc/goroutine.t0.debug2.txt").toString(),
                FETCH, LIMIT));
        assertThat(new GoroutineLeakRule().evaluate(t0, RuleConfig.DEFAULT)).isEmpty();
    }

    // ---- goroutines.explosion and goroutines.context-leak -------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void explosionOnTheGrowingService(String version) throws Exception {
        List<Finding> fs = new GoroutineExplosionRule().evaluate(leakysvcGoroutines(version, ".debug2.txt"),
                RuleConfig.DEFAULT);
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        // totals by counting the "goroutine N [" headers of each dump
        List<Long> totals = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            totals.add(Files.readAllLines(Corpus.file(version + "/leakysvc/goroutine.t" + i + ".debug2.txt")).stream()
                    .filter(l -> l.matches("^goroutine \\d+ \\[.*")).count());
        }
        assertThat(f.evidence().get("totalsPerSnapshot")).isEqualTo(totals);
        assertThat(totals.get(4)).isGreaterThanOrEqualTo(7 * 185);
        assertThat((double) f.evidence().get("growthFactor")).isCloseTo((double) totals.get(4) / totals.get(0),
                within(1e-3));
        // 7 x 185 of the goroutines are in the leaks goroutines.leak reports: the growth is their
        // consequence, so it is a summary of them at info, not a finding competing with them
        assertThat(f.evidence().get("inLeakBuckets")).isEqualTo(7L * 185);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.summary()).contains("goroutines.leak");
        assertThat((List<?>) f.evidence().get("explainedBy")).hasSize(7)
                .allMatch(x -> x.toString().startsWith("185 on "));
        // a count alone (no growth) of ~1300 is below the 2000 info limit
        DiagnosisInput last = new DiagnosisInput();
        last.addGoroutines(GoroutineSources.load(Corpus.file(version + "/leakysvc/goroutine.t4.debug2.txt")
                .toString(), FETCH, LIMIT));
        assertThat(new GoroutineExplosionRule().evaluate(last, RuleConfig.DEFAULT)).isEmpty();
        GoroutineExplosionRule rule = new GoroutineExplosionRule();
        List<Finding> low = rule.evaluate(last, config(rule, threshold(rule, "goroutines"), 100, 1000, 10000));
        assertThat(low).hasSize(1);
        assertThat(low.get(0).evidence().get("goroutines")).isEqualTo(totals.get(4));
        assertThat(low.get(0).severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void explosionFromMetrics() {
        DiagnosisInput in = new DiagnosisInput();
        for (long g : new long[]{800, 12_000, 40_000}) {
            in.addMetrics(metrics("m" + g, "go_goroutines " + g + "\n"));
        }
        List<Finding> fs = new GoroutineExplosionRule().evaluate(in, RuleConfig.DEFAULT);
        assertThat(fs).hasSize(1);
        assertThat(fs.get(0).evidence().get("source")).isEqualTo("go_goroutines");
        assertThat(fs.get(0).evidence().get("totalsPerSnapshot")).isEqualTo(List.of(800L, 12_000L, 40_000L));
        assertThat(fs.get(0).severity()).isEqualTo(Severity.CRITICAL);
    }

    /**
     * main.leakCtx waits on a context never cancelled: one leak, reported once, by goroutines.leak
     * with the context card (its fix is defer cancel()); goroutines.context-leak does not repeat it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void contextLeakAtLeakCtxIsOneFinding(String version) {
        DiagnosisInput in = leakysvcGoroutines(version, ".debug2.txt");
        assertThat(new GoroutineContextLeakRule().evaluate(in, RuleConfig.DEFAULT)).isEmpty();
        List<Finding> fs = new GoroutineLeakRule().evaluate(in, RuleConfig.DEFAULT).stream()
                .filter(f -> "context".equals(f.evidence().get("primitive"))).toList();
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.location().function()).isEqualTo("main.leakCtx.func1");
        assertThat(f.location().line()).isEqualTo(73);
        assertThat(f.evidence().get("count")).isEqualTo(185L);
        assertThat(f.evidence().get("state")).isEqualTo("chan receive");
        assertThat(f.cards().get(0)).isEqualTo("goroutines.context-leak");
        assertThat(KnowledgeBase.load(null).advice(f).fix()).contains("cancel");
    }

    /** context's watcher goroutines (a custom parent context): found by the context package's frames. */
    @Test
    void contextWatchersPilingUp() {
        GoroutineContextLeakRule rule = new GoroutineContextLeakRule();
        StringBuilder dump = new StringBuilder("goroutine 1 [running]:\nmain.main()\n\t/src/main.go:10 +0x1\n\n");
        for (int i = 0; i < 150; i++) {
            dump.append("goroutine ").append(100 + i).append(" [select]:\n")
                    .append("context.(*cancelCtx).propagateCancel.func2()\n\t/usr/local/go/src/context/context.go:516 +0x9a\n")
                    .append("created by context.(*cancelCtx).propagateCancel in goroutine 1\n")
                    .append("\t/usr/local/go/src/context/context.go:513 +0x3e5\n\n");
        }
        DiagnosisInput in = new DiagnosisInput();
        in.addGoroutines(GoroutineSources.fromBytes(dump.toString().getBytes(StandardCharsets.UTF_8), "watchers.txt",
                LIMIT));
        List<Finding> fs = rule.evaluate(in, RuleConfig.DEFAULT);
        assertThat(fs).hasSize(1);
        assertThat(fs.get(0).evidence().get("count")).isEqualTo(150L);
        assertThat(fs.get(0).evidence().get("matchedBy")).isEqualTo("context package frame");
        assertThat(fs.get(0).evidence().get("contextFrame")).isEqualTo("context.(*cancelCtx).propagateCancel.func2");
        assertThat(fs.get(0).score()).isEqualTo(Score.of(150, 10, 100, 1000));
        assertThat(fs.get(0).severity()).isEqualTo(Severity.WARNING);
        // threshold: with 1000 as the info limit, 150 watchers in one snapshot are not worth a finding
        assertThat(rule.evaluate(in, config(rule, threshold(rule, "waitingGoroutines"), 1000, 2000, 5000))).isEmpty();
    }

    // ---- memory.heap-growth --------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void heapGrowthFindsMainMem(String version) {
        DiagnosisInput in = new DiagnosisInput();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path f = Corpus.file(version + "/leakysvc/heap.t" + i + ".pprof");
            files.add(f);
            in.addProfile(f.getFileName().toString(), DiagnosisInput.Kind.HEAP_PROFILE,
                    ProfileLoader.load(f.toString(), FETCH, LIMIT));
        }
        List<Finding> fs = new HeapGrowthRule().evaluate(in, RuleConfig.DEFAULT);
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.evidence().get("verdict")).isEqualTo("leaking");
        assertThat(f.evidence().get("topSite")).isEqualTo("main.mem");
        assertThat(f.evidence().get("topSiteLine")).isEqualTo(101L);
        assertThat(f.location().function()).isEqualTo("main.mem");
        assertThat(f.location().file()).isEqualTo("example.com/shop/leakysvc/main.go");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        // heap.t0 is taken before the service's first GC (every allocation still live): left out
        files = files.subList(1, files.size());
        List<Long> expected = new ArrayList<>();
        for (Path p : files) {
            long[] row = PprofTop.run(p, "inuse_space", "B", "-lines").get("main.mem example.com/shop/leakysvc/main.go:101");
            expected.add(row == null ? 0 : row[0]);
        }
        assertThat(f.evidence().get("topSiteBytesPerSnapshot")).isEqualTo(expected);
        assertThat(expected.get(3)).isGreaterThan(10_000_000L);
        // the whole heap per snapshot without the profiler's own buffers, against pprof's total with -ignore
        List<Long> totals = new ArrayList<>();
        for (Path p : files) {
            totals.add(PprofTop.run(p, "inuse_space", "B", "-ignore=^(runtime/pprof|net/http/pprof)\\.").values()
                    .stream().mapToLong(v -> v[0]).sum());
        }
        assertThat(f.evidence().get("liveBytes")).isEqualTo(totals);
    }

    /** Without heap profiles: the leakysvc memstats series (HeapAlloc of vars.t0..t4), else its gctrace live heap. */
    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void heapGrowthFromMemstatsOrGctrace(String version) throws Exception {
        DiagnosisInput m = new DiagnosisInput();
        List<Long> heapAlloc = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path vars = Corpus.file(version + "/leakysvc/vars.t" + i + ".json");
            m.addMemStats((ExpvarSnapshot) RuntimeSources.load(vars.toString(), FETCH, LIMIT));
            heapAlloc.add(new ObjectMapper().readTree(vars.toFile()).get("memstats").get("HeapAlloc").asLong());
        }
        List<Finding> fs = new HeapGrowthRule().evaluate(m, RuleConfig.DEFAULT);
        assertThat(fs).hasSize(1);
        assertThat(fs.get(0).evidence().get("source")).isEqualTo("memstats HeapAlloc");
        assertThat(fs.get(0).evidence().get("liveBytes")).isEqualTo(heapAlloc);
        assertThat(fs.get(0).evidence().get("verdict")).isEqualTo("leaking");
        assertThat(fs.get(0).location()).isNull(); // memstats name no allocation site
        assertThat(fs.get(0).severity()).isEqualTo(Severity.CRITICAL);

        DiagnosisInput g = gctrace(version + "/leakysvc");
        List<Finding> gs = new HeapGrowthRule().evaluate(g, RuleConfig.DEFAULT);
        assertThat(gs).hasSize(1);
        assertThat(gs.get(0).evidence().get("source")).isEqualTo("gctrace live heap");
        // the last gc line's live heap: "...->12 MB"
        assertThat(gs.get(0).evidence().get("lastLiveBytes")).isEqualTo(12L << 20);
        assertThat(gs.get(0).evidence().get("slopeUnit")).isEqualTo("per second");
    }

    /**
     * A healthy service's heap profiles (CleanServiceTest's cleansvc, one run of many): a cache whose
     * entries are replaced now and then. The replacements' new objects were sampled, the ones they
     * replaced were not, so the sampled live heap rose by 2 and 2 samples of 512 KiB at every
     * snapshot: 18.4 → 19.5 → 20.5 MB, "rising at every snapshot". Four samples are noise, and
     * memstats' HeapAlloc, exact, stayed flat: an info at most, never a leak.
     */
    @Test
    void aRiseOfAFewHeapProfileSamplesIsNoLeak() {
        long cache = 18_421_853L;
        long sample = 524_544L; // one sampled 512-byte allocation, scaled up as the runtime does
        DiagnosisInput profilesOnly = new DiagnosisInput();
        DiagnosisInput withMemstats = new DiagnosisInput();
        for (int t = 0; t < 3; t++) {
            long touched = (long) t * 2 * sample;
            for (DiagnosisInput in : List.of(profilesOnly, withMemstats)) {
                in.addProfile("heap.t" + t + ".pprof", DiagnosisInput.Kind.HEAP_PROFILE, heapOf(cache, touched));
            }
            withMemstats.addMemStats(vars("vars.t" + t, 21_564_672L + t * 50_000L, 20_000));
        }
        Finding noisy = new HeapGrowthRule().evaluate(profilesOnly, RuleConfig.DEFAULT).get(0);
        assertThat(noisy.evidence().get("verdict")).isEqualTo("leaking");
        assertThat(noisy.severity()).isEqualTo(Severity.INFO);
        assertThat(noisy.title()).startsWith("Growing heap");
        assertThat((String) noisy.evidence().get("samplingDoubt"))
                .isEqualTo("a rise of 2.0 MiB is about 4 samples of the heap profile (one per 512.0 KiB allocated),"
                        + " within sampling noise");

        Finding flat = new HeapGrowthRule().evaluate(withMemstats, RuleConfig.DEFAULT).get(0);
        assertThat(flat.severity()).isEqualTo(Severity.INFO);
        assertThat(flat.summary()).contains("memstats HeapAlloc, which counts every byte, does not grow"
                + " (20.6 MiB → 20.7 MiB): the heap profiles' rise is sampling");
    }

    /** leakysvc's heap profiles and its memstats agree on the leak: the cross-check keeps it critical. */
    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void aLeakTheMemstatsConfirmStaysCritical(String version) {
        DiagnosisInput in = new DiagnosisInput();
        for (int i = 1; i < 5; i++) {
            in.addProfile("heap.t" + i, DiagnosisInput.Kind.HEAP_PROFILE,
                    ProfileLoader.load(Corpus.file(version + "/leakysvc/heap.t" + i + ".pprof").toString(), FETCH, LIMIT));
            in.addMemStats((ExpvarSnapshot) RuntimeSources.load(
                    Corpus.file(version + "/leakysvc/vars.t" + i + ".json").toString(), FETCH, LIMIT));
        }
        Finding f = new HeapGrowthRule().evaluate(in, RuleConfig.DEFAULT).get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).doesNotContainKey("samplingDoubt");
    }

    /** A heap profile with a steady site and a site holding {@code touched} bytes in 512-byte objects, sampled at 512 KiB. */
    private static Profile heapOf(long cache, long touched) {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("alloc_objects", "count")
                .sampleType("alloc_space", "bytes").sampleType("inuse_objects", "count")
                .sampleType("inuse_space", "bytes").period(new ValueType("space", "bytes"), 524_288);
        int newCache = b.addFunction(1, "main.newCache", "main.newCache", "example.com/svc/main.go", 170);
        b.addLine(newCache, 180, 0);
        b.addSampleLocation(b.endLocation(1, -1, 0x1001, false));
        b.endSample(cache / 4096, cache, cache / 4096, cache);
        int touch = b.addFunction(2, "main.(*cache).touch", "main.(*cache).touch", "example.com/svc/main.go", 202);
        b.addLine(touch, 206, 0);
        b.addSampleLocation(b.endLocation(2, -1, 0x1002, false));
        b.endSample(touched / 512, touched, touched / 512, touched);
        return b.build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void heapStableInCpuworkGctrace(String version) {
        assertThat(new HeapGrowthRule().evaluate(gctrace(version + "/cpuwork"), RuleConfig.DEFAULT)).isEmpty();
    }

    @Test
    void heapGrowthThreshold() {
        // a series rising at every snapshot by a small share: growing, scored by its share
        DiagnosisInput in = new DiagnosisInput();
        HeapGrowthRule rule = new HeapGrowthRule();
        for (int i = 0; i < 6; i++) {
            in.addMemStats(vars("v" + i, 100_000_000L + i * 4_000_000L, 1000 + i));
        }
        List<Finding> fs = rule.evaluate(in, RuleConfig.DEFAULT);
        assertThat(fs).hasSize(1);
        assertThat(fs.get(0).evidence().get("source")).isEqualTo("memstats HeapAlloc");
        assertThat(fs.get(0).evidence().get("slopeBytes")).isEqualTo(4_000_000L);
        // 20 MB of fitted growth over a 120 MB maximum: 0.1667, between info and warning...
        assertThat((double) fs.get(0).evidence().get("growthShare")).isCloseTo(20.0 / 120, within(1e-4));
        // ...but rising at every snapshot is a leak: at least a warning
        assertThat(fs.get(0).severity()).isEqualTo(Severity.WARNING);
        // flat: nothing
        DiagnosisInput flat = new DiagnosisInput();
        for (int i = 0; i < 6; i++) {
            flat.addMemStats(vars("v" + i, 100_000_000L + (i % 2) * 1000, 1000));
        }
        assertThat(rule.evaluate(flat, RuleConfig.DEFAULT)).isEmpty();
    }

    // ---- GC ------------------------------------------------------------------------------------

    /**
     * go1.27/leakysvc/gctrace.log by hand (see GcMemoryCommandTest): pauses p50 1.504, p95 = p99 =
     * max 7.81 ms over 16 cycles; 15 intervals from @1.748s to @213.266s: 0.070916/s; assist CPU
     * (the e of d+e/f/g+h) 0.13 ms of 112.227 ms GC CPU: 0.1158%; the last line says 0% GC CPU.
     */
    @Test
    void gcEvidenceByHand() {
        DiagnosisInput in = gctrace("go1.27/leakysvc");
        GcPausesRule pauses = new GcPausesRule();
        assertThat(pauses.evaluate(in, RuleConfig.DEFAULT)).isEmpty(); // 7.81 ms is below the 10 ms info limit
        List<Finding> p = pauses.evaluate(in, config(pauses, threshold(pauses, "pauseP99"), 1, 5, 20));
        assertThat(p).hasSize(1);
        Map<String, Object> e = p.get(0).evidence();
        assertThat((double) e.get("pauseP50Ms")).isCloseTo(1.504, within(1e-9));
        assertThat((double) e.get("pauseP95Ms")).isCloseTo(7.81, within(1e-9));
        assertThat((double) e.get("pauseP99Ms")).isCloseTo(7.81, within(1e-9));
        assertThat((double) e.get("pauseMaxMs")).isCloseTo(7.81, within(1e-9));
        assertThat(e.get("cycles")).isEqualTo(16);
        assertThat((String) e.get("worstCycle")).startsWith("gc 10 @58.354s");
        assertThat(p.get(0).score()).isEqualTo(Score.of(7.81, 1, 5, 20));

        GcFrequencyRule freq = new GcFrequencyRule();
        assertThat(freq.evaluate(in, RuleConfig.DEFAULT)).isEmpty();
        List<Finding> f = freq.evaluate(in, config(freq, threshold(freq, "cyclesPerSecond"), 0.01, 0.05, 0.1));
        assertThat((double) f.get(0).evidence().get("cyclesPerSecond")).isCloseTo(15 / (213.266 - 1.748), within(1e-4));
        assertThat(f.get(0).evidence().get("heapGoalMB")).isEqualTo(25.0);
        assertThat(f.get(0).evidence().get("liveHeapMB")).isEqualTo(12.0);
        // a warning by rate alone, but the collector takes ~0% of the CPU: frequent and cheap is no problem
        assertThat(f.get(0).severity()).isEqualTo(Severity.INFO);
        assertThat(f.get(0).summary()).contains("they take only");

        GcAssistsRule assists = new GcAssistsRule();
        assertThat(assists.evaluate(in, RuleConfig.DEFAULT)).isEmpty();
        List<Finding> a = assists.evaluate(in, config(assists, threshold(assists, "assistShare"), 0.01, 0.05, 0.1));
        assertThat((double) a.get(0).evidence().get("assistPercent")).isCloseTo(100 * 0.13 / 112.227, within(1e-4));
        assertThat((double) a.get(0).evidence().get("assistCpuMs")).isCloseTo(0.13, within(1e-9));
        assertThat((double) a.get(0).evidence().get("gcCpuMs")).isCloseTo(112.227, within(1e-9));
        assertThat(a.get(0).evidence().get("cyclesWithAssists")).isEqualTo(1);
        // the GC is nearly free here: assists are capped at info whatever their share
        assertThat(a.get(0).severity()).isEqualTo(Severity.INFO);

        GcCpuRule cpu = new GcCpuRule();
        assertThat(cpu.evaluate(in, RuleConfig.DEFAULT)).isEmpty(); // "0%"
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19/cpuwork", "go1.19/leakysvc", "go1.27/cpuwork", "go1.27/leakysvc"})
    void healthyCorpusLogsRaiseNoGcWarning(String dir) {
        DiagnosisInput in = gctrace(dir);
        for (Rule r : List.of(new GcPausesRule(), new GcFrequencyRule(), new GcCpuRule(), new GcAssistsRule())) {
            for (Finding f : r.evaluate(in, RuleConfig.DEFAULT)) {
                assertThat(f.severity()).as(r.id() + ": " + f.summary()).isLessThan(Severity.WARNING);
            }
        }
    }

    /** One 81 ms stop among sub-millisecond ones (a starved host, not GC work) is info; three are a warning. */
    @org.junit.jupiter.params.ParameterizedTest
    @CsvSource({"1, INFO", "3, WARNING"})
    void oneLongPauseAmongShortOnesIsTheHostNotTheCollector(int longOnes, Severity expected,
                                                         @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 13; i++) {
            double sweepTerm = i <= longOnes ? 81.0 : 0.1;
            log.append(String.format(java.util.Locale.ROOT, "gc %d @%.3fs 1%%: %.3f+2.0+0.100 ms clock,"
                    + " 0.040+0.5/1.0/0+0.040 ms cpu, 4->4->2 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P%n", i,
                    1 + i * 0.5, sweepTerm));
        }
        Path file = dir.resolve("gctrace.log");
        Files.writeString(file, log);
        DiagnosisInput in = new DiagnosisInput();
        in.addGcTrace((GcTrace) RuntimeSources.load(file.toString(), FETCH, LIMIT));
        List<Finding> f = new GcPausesRule().evaluate(in, RuleConfig.DEFAULT);
        assertThat(f).hasSize(1);
        assertThat((double) f.get(0).evidence().get("pauseMaxMs")).isEqualTo(81.1);
        assertThat(f.get(0).evidence().get("longPauses")).isEqualTo((long) longOnes);
        assertThat(f.get(0).severity()).isEqualTo(expected);
        assertThat(f.get(0).summary().contains("not being scheduled")).isEqualTo(longOnes == 1);
    }

    /** Collections as frequent that take a third of the CPU stay a warning: their cost is real. */
    @Test
    void frequentCollectionsThatCostCpuAreAWarning(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 80; i++) {
            // 80 cycles in 0.95 s, each 2 ms of wall time on 4 Ps with 20 ms of GC CPU: a third of the CPU
            log.append(String.format(java.util.Locale.ROOT, "gc %d @%.3fs 33%%: 0.010+2.0+0.010 ms clock,"
                    + " 0.040+5.0/10/0+0.040 ms cpu, 4->4->2 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P%n", i, 1 + i * 0.012));
        }
        Path file = dir.resolve("gctrace.log");
        Files.writeString(file, log);
        DiagnosisInput in = new DiagnosisInput();
        in.addGcTrace((GcTrace) RuntimeSources.load(file.toString(), FETCH, LIMIT));
        List<Finding> f = new GcFrequencyRule().evaluate(in, RuleConfig.DEFAULT);
        assertThat(f).hasSize(1);
        assertThat((double) f.get(0).evidence().get("cyclesPerSecond")).isCloseTo(79 / (79 * 0.012), within(1e-4)); // evidence keeps 4 decimals
        assertThat(f.get(0).severity()).isEqualTo(Severity.WARNING);
        assertThat(f.get(0).summary()).doesNotContain("they take only");
    }

    /** The info-level findings on the corpus, checked: go1.19 cpuwork collects 28 times a second (174 cycles in 6.1 s). */
    @Test
    void cpuworkGcFrequencyIsInfo() throws Exception {
        List<String> lines = Files.readAllLines(Corpus.file("go1.19/cpuwork/gctrace.log")).stream()
                .filter(l -> l.matches("^gc \\d+ @.*")).toList();
        double t0 = Double.parseDouble(lines.get(0).replaceAll("^gc \\d+ @([0-9.]+)s.*", "$1"));
        double t1 = Double.parseDouble(lines.get(lines.size() - 1).replaceAll("^gc \\d+ @([0-9.]+)s.*", "$1"));
        List<Finding> fs = new GcFrequencyRule().evaluate(gctrace("go1.19/cpuwork"), RuleConfig.DEFAULT);
        assertThat(fs).hasSize(1);
        assertThat((double) fs.get(0).evidence().get("cyclesPerSecond"))
                .isCloseTo((lines.size() - 1) / (t1 - t0), within(1e-4));
        assertThat(fs.get(0).severity()).isEqualTo(Severity.INFO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void gcFromMemstatsWithoutGctrace(String version) throws Exception {
        Path vars = Corpus.file(version + "/leakysvc/vars.t4.json");
        DiagnosisInput in = new DiagnosisInput();
        in.addMemStats((ExpvarSnapshot) RuntimeSources.load(vars.toString(), FETCH, LIMIT));
        JsonNode m = new ObjectMapper().readTree(vars.toFile()).get("memstats");
        int n = Math.min(m.get("NumGC").asInt(), 256);
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            ms[i] = m.get("PauseNs").get(i).asLong() / 1e6;
        }
        Arrays.sort(ms);
        GcPausesRule rule = new GcPausesRule();
        List<Finding> fs = rule.evaluate(in, config(rule, threshold(rule, "pauseP99"), 0.001, 0.002, 0.003));
        assertThat(fs).hasSize(1);
        assertThat(fs.get(0).evidence().get("source")).asString().startsWith("memstats PauseNs");
        assertThat((double) fs.get(0).evidence().get("pauseMaxMs")).isCloseTo(ms[n - 1], within(1e-4));
        assertThat((double) fs.get(0).evidence().get("pauseP50Ms")).isCloseTo(ms[(int) Math.ceil(0.5 * n) - 1],
                within(1e-4));
        GcCpuRule cpu = new GcCpuRule();
        List<Finding> c = cpu.evaluate(in, config(cpu, threshold(cpu, "gcCpuPercent"), 0.001, 0.002, 0.003));
        assertThat((double) c.get(0).evidence().get("gcCpuPercent"))
                .isCloseTo(100 * m.get("GCCPUFraction").asDouble(), within(1e-4));
        // healthy: at most info (go1.19's longest of its 10 pauses is 11.75 ms, just above the 10 ms info limit)
        for (Rule r : List.of(new GcPausesRule(), new GcCpuRule(), new GcFrequencyRule())) {
            assertThat(r.evaluate(in, RuleConfig.DEFAULT)).allMatch(x -> x.severity().compareTo(Severity.WARNING) < 0);
        }
    }

    // ---- I/O -----------------------------------------------------------------------------------

    @Test
    void fdGrowth() {
        FdGrowthRule rule = new FdGrowthRule();
        DiagnosisInput in = new DiagnosisInput();
        for (int fds : new int[]{40, 90, 160, 260}) {
            in.addMetrics(metrics("m" + fds, "process_open_fds " + fds + "\nprocess_max_fds 1024\n"));
        }
        List<Finding> fs = rule.evaluate(in, RuleConfig.DEFAULT);
        assertThat(fs).hasSize(1);
        assertThat(fs.get(0).evidence().get("openFdsPerSnapshot")).isEqualTo(List.of(40L, 90L, 160L, 260L));
        assertThat((double) fs.get(0).evidence().get("growth")).isCloseTo(220.0 / 40, within(1e-4));
        assertThat(fs.get(0).severity()).isEqualTo(Severity.CRITICAL);
        // steady, or ups and downs: nothing
        DiagnosisInput steady = new DiagnosisInput();
        for (int fds : new int[]{40, 90, 60, 45}) {
            steady.addMetrics(metrics("m" + fds, "process_open_fds " + fds + "\nprocess_max_fds 1024\n"));
        }
        assertThat(rule.evaluate(steady, RuleConfig.DEFAULT)).isEmpty();
        // close to the limit, even without growth
        DiagnosisInput full = new DiagnosisInput();
        full.addMetrics(metrics("one", "process_open_fds 1000\nprocess_max_fds 1024\n"));
        List<Finding> f = rule.evaluate(full, RuleConfig.DEFAULT);
        assertThat(f).hasSize(1);
        assertThat((double) f.get(0).evidence().get("fdUse")).isCloseTo(1000.0 / 1024, within(1e-4));
        assertThat(f.get(0).severity()).isEqualTo(Severity.CRITICAL);
        // no process collector: nothing
        DiagnosisInput none = new DiagnosisInput();
        none.addMetrics(metrics("x", "go_goroutines 5\n"));
        assertThat(rule.evaluate(none, RuleConfig.DEFAULT)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19/cpuwork", "go1.27/cpuwork", "go1.19/leakysvc", "go1.27/leakysvc"})
    void netpollDoesNotFireOnTheCorpusButMeasuresItsShare(String dir) {
        Path cpu = Corpus.file(dir + "/cpu.pprof");
        DiagnosisInput in = new DiagnosisInput();
        in.addProfile("cpu.pprof", DiagnosisInput.Kind.CPU_PROFILE, ProfileLoader.load(cpu.toString(), FETCH, LIMIT));
        NetpollSpinningRule rule = new NetpollSpinningRule();
        assertThat(rule.evaluate(in, RuleConfig.DEFAULT)).isEmpty();
        PprofTop.Rows top = PprofTop.run(cpu, "", "ns");
        long total = top.values().stream().mapToLong(v -> v[0]).sum();
        long poll = 0;
        for (String f : List.of("runtime.netpoll", "runtime.epollwait", "internal/runtime/syscall/linux.EpollWait",
                "runtime.epollctl", "internal/runtime/syscall/linux.EpollCtl")) {
            poll += top.containsKey(f) ? top.get(f)[0] : 0;
        }
        List<Finding> fs = rule.evaluate(in, config(rule, threshold(rule, "netpollShare"), 1e-6, 2e-6, 3e-6));
        if (poll == 0 || total < 500_000_000L) {
            assertThat(fs).isEmpty();
        } else {
            assertThat(fs).hasSize(1);
            assertThat(fs.get(0).evidence().get("netpollFlat")).isEqualTo(poll);
            assertThat(fs.get(0).evidence().get("total")).isEqualTo(total);
        }
    }

    // ---- the registered set --------------------------------------------------------------------

    @Test
    void everyFindingHasEvidenceAndACard() {
        DiagnosisInput in = leakysvcGoroutines("go1.27", ".debug2.txt");
        in.addGcTrace((GcTrace) RuntimeSources.load(Corpus.file("go1.27/leakysvc/gctrace.log").toString(), FETCH, LIMIT));
        for (int i = 0; i < 5; i++) {
            in.addProfile("heap.t" + i, DiagnosisInput.Kind.HEAP_PROFILE, ProfileLoader.load(
                    Corpus.file("go1.27/leakysvc/heap.t" + i + ".pprof").toString(), FETCH, LIMIT));
        }
        List<Finding> fs = Diagnoser.withRegisteredRules().run(in, RuleConfig.DEFAULT);
        assertThat(fs).extracting(Finding::rule).contains("goroutines.leak", "goroutines.explosion",
                "memory.heap-growth");
        // no leak twice: the context leak is goroutines.leak's, and there are no watchers
        assertThat(fs).extracting(Finding::rule).doesNotContain("goroutines.context-leak");
        KnowledgeBase kb = KnowledgeBase.load(null);
        for (Finding f : fs) {
            assertThat(f.evidence()).as(f.title()).isNotEmpty();
            assertThat(f.cards()).as(f.title()).isNotEmpty().allMatch(id -> kb.card(id) != null);
        }
    }

    static PromMetrics metrics(String name, String text) {
        return (PromMetrics) RuntimeSources.fromBytes(("# TYPE x gauge\n" + text).getBytes(StandardCharsets.UTF_8),
                name + ".prom", LIMIT);
    }

    static ExpvarSnapshot vars(String name, long heapAlloc, long objects) {
        String json = "{\"cmdline\":[\"x\"],\"memstats\":{\"HeapAlloc\":" + heapAlloc + ",\"HeapObjects\":" + objects
                + ",\"NumGC\":0,\"PauseNs\":[],\"PauseEnd\":[],\"BySize\":[]}}";
        return (ExpvarSnapshot) RuntimeSources.fromBytes(json.getBytes(StandardCharsets.UTF_8), name + ".json", LIMIT);
    }
}
