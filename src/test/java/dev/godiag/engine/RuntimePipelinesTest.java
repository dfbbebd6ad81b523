package dev.godiag.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.format.Source;
import dev.godiag.report.BenchRenderers;
import dev.godiag.report.GateRenderers;
import dev.godiag.report.GcRenderers;
import dev.godiag.report.GoroutineRenderers;
import dev.godiag.report.MemoryRenderers;
import dev.godiag.store.BaselineRepository;
import dev.godiag.store.Database;
import dev.godiag.store.StoreLocation;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The runtime pipelines driven by plain requests, with no command line: each result, laid out by
 * the report's renderers, is what the CLI prints for the same files (corpus data), and the counts
 * in it are the files' own (counted here by matching lines).
 */
class RuntimePipelinesTest {
    private static final EngineContext CTX = EngineContext.of("godiag test");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static List<Source> sources(List<Path> files) {
        return files.stream().<Source>map(Source.File::new).toList();
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(Path::toString).toList();
    }

    private static Peers.Result cli(List<String> args, List<Path> files) {
        List<String> all = new ArrayList<>(args);
        all.addAll(names(files));
        Peers.Result r = Godiag.run(all);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r;
    }

    private static long lines(Path f, Pattern p) throws IOException {
        try (Stream<String> s = Files.lines(f, StandardCharsets.ISO_8859_1)) {
            return s.filter(l -> p.matcher(l).find()).count();
        }
    }

    @Test
    void goroutinesAsTheCommandLinePrintsThem() throws IOException {
        List<Path> dumps = Corpus.glob("go1.27/leakysvc/goroutine.t*.debug2.txt");
        assertThat(dumps).hasSize(5);
        GoroutinesResult all = new GoroutinesPipeline(CTX).run(GoroutinesRequest.of(sources(dumps)));
        for (int i = 0; i < dumps.size(); i++) {
            assertThat(all.analysis().totals()[i]).isEqualTo(lines(dumps.get(i),
                    Pattern.compile("^goroutine \\d+ (gp=\\S+ m=\\S+ (mp=\\S+ )?)?\\[")));
        }
        assertThat(all.names()).isEqualTo(names(dumps));
        assertThat(GoroutineRenderers.text(all.analysis(), all.names(), all.rows(), false))
                .isEqualTo(cli(List.of("goroutines"), dumps).stdout());
        assertThat(GoroutineRenderers.json(all.analysis(), all.names(), all.rows()))
                .isEqualTo(cli(List.of("goroutines", "--format", "json"), dumps).stdout());

        // the selection options, as the flags give them
        GoroutinesRequest leaks = new GoroutinesRequest(sources(dumps), null, new GoroutineVerdicts.Thresholds(5, 2),
                2, null, Pattern.compile("chan|select"), GoroutinesRequest.verdicts("leaks"));
        GoroutinesResult some = new GoroutinesPipeline(CTX).run(leaks);
        assertThat(some.rows()).isNotEmpty().hasSizeLessThan(all.rows().size())
                .allSatisfy(r -> assertThat(r.assessment().verdict()).isIn(GoroutineVerdicts.Verdict.DEFINITE_LEAK,
                        GoroutineVerdicts.Verdict.LIKELY_LEAK));
        assertThat(GoroutineRenderers.markdown(some.analysis(), some.names(), some.rows())).isEqualTo(cli(List.of(
                "goroutines", "--format", "markdown", "--many", "5", "--long-wait", "2", "--min-count", "2", "--state",
                "chan|select", "--verdict", "leaks"), dumps).stdout());
        assertThatThrownBy(() -> GoroutinesRequest.verdicts("leaks,sleepy")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("unknown verdict 'sleepy'");
    }

    @Test
    void gcWithWarningsReturnedNotPrinted() throws IOException {
        Path log = dir.resolve("gctrace.log");
        Files.writeString(log, Files.readString(Corpus.file("go1.27/cpuwork/gctrace.log"), StandardCharsets.ISO_8859_1)
                + "gc 99999 @1.0s 7%: this is not a gc line\n", StandardCharsets.ISO_8859_1);
        GcResult r = new GcPipeline(CTX).run(GcRequest.of(List.of(new Source.File(log))));
        assertThat(r.reports()).hasSize(1);
        assertThat((long) r.reports().get(0).trace().cycles().size())
                .isEqualTo(lines(log, Pattern.compile("^gc \\d+ @\\d+\\.\\d+s \\d+%: \\d")));
        assertThat(r.warnings()).hasSize(1).allSatisfy(w -> assertThat(w).startsWith(log + ": "));

        Peers.Result json = cli(List.of("gc", "--format", "json"), List.of(log));
        assertThat(GcRenderers.json(r.reports())).isEqualTo(json.stdout());
        // what the CLI prints on standard error is the result's warnings, nothing else
        assertThat(json.stderr().lines().toList()).isEqualTo(r.warnings());
        Peers.Result text = cli(List.of("gc", "--window", "30"), List.of(log));
        assertThat(GcRenderers.text(new GcPipeline(CTX).run(new GcRequest(List.of(new Source.File(log)), 30))
                .reports(), false)).isEqualTo(text.stdout());
        assertThat(text.stderr()).isEmpty();
    }

    @Test
    void memoryOfEachKindOfSeries() {
        List<Path> heaps = Corpus.glob("go1.27/leakysvc/heap.t*.pprof");
        List<Path> vars = Corpus.glob("go1.27/leakysvc/vars.t*.json");
        List<Path> log = List.of(Corpus.file("go1.27/leakysvc/gctrace.log"));
        for (List<Path> series : List.of(heaps, vars, log)) {
            MemoryResult r = new MemoryPipeline(CTX).run(new MemoryRequest(sources(series)));
            assertThat(r.names()).isEqualTo(names(series));
            assertThat(MemoryRenderers.text(r.growth(), r.kind())).isEqualTo(cli(List.of("memory"), series).stdout());
            assertThat(MemoryRenderers.json(r.growth(), r.kind(), r.names()))
                    .isEqualTo(cli(List.of("memory", "--format", "json"), series).stdout());
        }
        assertThat(new MemoryPipeline(CTX).run(new MemoryRequest(sources(heaps))).kind()).isEqualTo("heap profiles");
        // the same inputs as bytes (an upload) are told apart by content alike
        List<Source> uploaded = vars.stream().<Source>map(p -> new Source.Bytes(p.toString(), read(p))).toList();
        assertThat(MemoryRenderers.json(new MemoryPipeline(CTX).run(new MemoryRequest(uploaded)).growth(),
                "memstats snapshots", names(vars))).isEqualTo(cli(List.of("memory", "--format", "json"), vars).stdout());
        // a series of two logs is a request problem, not an input problem
        assertThatThrownBy(() -> new MemoryPipeline(CTX).run(new MemoryRequest(sources(List.of(log.get(0), log.get(0))))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("one gctrace log at a time");
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void benchAsBenchstat() {
        List<Path> files = List.of(Corpus.file("upstream/benchstat/old.txt"), Corpus.file("upstream/benchstat/new.txt"));
        BenchComparison r = new BenchPipeline(CTX).run(BenchRequest.of(sources(files)));
        assertThat(BenchRenderers.text(r.tables())).isEqualTo(cli(List.of("bench"), files).stdout());
        BenchTables.Options byName = new BenchTables.Options(".name", ".file", "", "gob", 0.95, 0.05);
        assertThat(BenchRenderers.markdown(new BenchPipeline(CTX).run(new BenchRequest(sources(files), byName)).tables()))
                .isEqualTo(cli(List.of("bench", "--format", "markdown", "--row", ".name", "--filter", "gob"), files)
                        .stdout());
    }

    private Path bench(String name, double... nsPerOp) throws IOException {
        StringBuilder sb = new StringBuilder("goos: linux\npkg: example.com/x\nUnit ns/op better=lower\n");
        for (double v : nsPerOp) {
            sb.append("BenchmarkEncode-8   \t  100000\t ").append(v).append(" ns/op\t  2048 B/op\t  12 allocs/op\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.append("PASS\n").toString());
        return f;
    }

    @Test
    void gateOnFilesAndOnAStoredBaseline() throws IOException {
        Path base = bench("base.txt", 1000, 1010, 1020, 1030, 1040);
        Path slow = bench("slow.txt", 1300, 1310, 1320, 1330, 1340);
        GateResult r = new GatePipeline(CTX, null).run(GateRequest.of(
                new GateRequest.Baseline.Inputs(List.of(new Source.File(base))), List.of(new Source.File(slow))));
        assertThat(r.pass()).isFalse();
        assertThat(r.evaluation().regressions()).extracting(m -> m.name() + " " + m.unit())
                .containsExactly("BenchmarkEncode-8 sec/op");
        Peers.Result json = Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(),
                "--format", "json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(GateRenderers.json(r.evaluation())).isEqualTo(json.stdout());

        // stored: saved by the CLI, gated through a database the test keeps open (as a daemon would)
        String db = "sqlite:" + dir.resolve("godiag.db");
        assertThat(Godiag.run("baseline", "save", "main", base.toString(), "--db", db).exitCode()).isZero();
        try (Database d = Database.open(StoreLocation.parse(db, null))) {
            BaselineRepository repo = new BaselineRepository(d);
            GateResult stored = new GatePipeline(CTX, () -> repo).run(GateRequest.of(
                    new GateRequest.Baseline.Stored("main"), List.of(new Source.File(slow))));
            assertThat(GateRenderers.text(stored.evaluation())).isEqualTo(Godiag.run("gate", "--baseline", "main",
                    "--candidate", slow.toString(), "--db", db).stdout());
            assertThatThrownBy(() -> new GatePipeline(CTX, () -> repo).run(GateRequest.of(
                    new GateRequest.Baseline.Stored("nosuch"), List.of(new Source.File(slow)))))
                    .isInstanceOf(NoSuchBaselineException.class).hasMessageContaining("nosuch");
        }
        // no store: only input baselines
        assertThatThrownBy(() -> new GatePipeline(CTX, null).run(GateRequest.of(
                new GateRequest.Baseline.Stored("main"), List.of(new Source.File(slow)))))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void baselineSaveShowListRemoveAgreeWithTheCommandLine() throws IOException {
        Path base = bench("base.txt", 1000, 1010, 1020);
        String db = "sqlite:" + dir.resolve("godiag.db");
        try (Database d = Database.open(StoreLocation.parse(db, null))) {
            BaselineRepository repo = new BaselineRepository(d);
            BaselinePipeline baselines = new BaselinePipeline(CTX, () -> repo);
            // an upload: bytes under a name
            BaselineResult.Saved saved = baselines.save(new BaselineRequest.Save("svc", "v1",
                    List.of(new Source.Bytes("upload/base.txt", Files.readAllBytes(base)),
                            new Source.File(Corpus.file("go1.27/cpuwork/gctrace.log"))), "test"));
            assertThat(saved.warnings()).isEmpty();
            assertThat(saved.run().inputs()).extracting(BaselineRepository.StoredInput::name, BaselineRepository.StoredInput::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("base.txt", "bench"),
                            org.assertj.core.groups.Tuple.tuple("gctrace.log", "gctrace"));
            // 3 benchmark units, gc.pause.p95, gc.cpu, alloc.rate
            assertThat(saved.run().metrics()).hasSize(6);

            JsonNode shown = JSON.readTree(Godiag.run("baseline", "show", "svc", "--format", "json", "--db", db).stdout());
            JsonNode run = shown.get("runs").get(0);
            assertThat(run.get("id").asLong()).isEqualTo(saved.run().id());
            assertThat(run.get("label").asText()).isEqualTo("v1");
            List<String> metrics = new ArrayList<>();
            run.get("metrics").forEach(m -> metrics.add(m.get("name").asText() + " " + m.get("unit").asText() + " "
                    + m.get("values")));
            List<String> expected = new ArrayList<>();
            for (BaselineRepository.Metric m : saved.run().metrics()) {
                expected.add(m.name() + " " + m.unit() + " " + JSON.valueToTree(m.values()));
            }
            assertThat(metrics).isEqualTo(expected);
            assertThat(baselines.show(new BaselineRequest.Show("svc", 5)).runs()).containsExactly(saved.run());

            assertThat(Godiag.run("baseline", "save", "svc", base.toString(), "--label", "v2", "--db", db).exitCode())
                    .isZero();
            assertThat(baselines.list().baselines()).extracting(BaselineRepository.Summary::name,
                    BaselineRepository.Summary::runs, BaselineRepository.Summary::lastLabel)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("svc", 2, "v2"));
            assertThat(((BaselineResult.Removed) baselines.run(new BaselineRequest.Remove("svc"))).runs()).isEqualTo(2);
            assertThatThrownBy(() -> baselines.show(new BaselineRequest.Show("svc", 1)))
                    .isInstanceOf(NoSuchBaselineException.class);
        }
    }

    @Test
    void benchmarkLinesWithoutAValidResultAreRefusedAsBenchRefusesThem() throws IOException {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "goos: linux\nBenchmarkA-8   100   fast ns/op\nBenchmarkB-8   100   12 ns/op  7\n");
        Peers.Result bench = Godiag.run("bench", bad.toString());
        assertThat(bench.exitCode()).isEqualTo(2);
        List<String> benchErr = bench.stderr().lines().toList();
        assertThat(benchErr).hasSize(3);

        String db = "sqlite:" + dir.resolve("godiag.db");
        Peers.Result save = Godiag.run("baseline", "save", "b", bad.toString(), "--db", db);
        assertThat(save.exitCode()).isEqualTo(2);
        assertThat(save.stdout()).isEmpty();
        List<String> saveErr = save.stderr().lines().toList();
        // the same error line, after the same warnings (baseline save's as warnings)
        assertThat(saveErr.get(saveErr.size() - 1)).isEqualTo(benchErr.get(benchErr.size() - 1))
                .isEqualTo("godiag: " + bad + ": no benchmark results");
        assertThat(saveErr.subList(0, saveErr.size() - 1)).isEqualTo(benchErr.subList(0, benchErr.size() - 1)
                .stream().map(w -> "godiag: warning: " + w).toList());
        assertThat(Godiag.run("baseline", "list", "--db", db).stdout()).isEqualTo("no baselines\n");

        // from the engine: the failure carries the warnings
        assertThatThrownBy(() -> BaselineInputs.read(List.of(new Source.File(bad)), CTX.limits()))
                .isInstanceOfSatisfying(FailureAfterWarnings.class, f -> {
                    assertThat(f.failure()).isInstanceOf(BadInputException.class);
                    assertThat(f.warnings()).hasSize(2);
                });
    }
}
