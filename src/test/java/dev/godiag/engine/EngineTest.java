package dev.godiag.engine;

import dev.godiag.analysis.profile.Filters;
import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.ReportSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.Profile;
import dev.godiag.report.DiffRenderers;
import dev.godiag.report.FlameHtmlRenderer;
import dev.godiag.report.InfoRenderer;
import dev.godiag.report.TopJsonRenderer;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine used as a library: each pipeline run from a plain request (no flags, no CLI) on
 * corpus files gives what the CLI prints for the same inputs and options, warnings included.
 */
class EngineTest {
    private static Engine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        engine = new Engine(EngineContext.of(Rendered.cliVersion()));
    }

    private static String path(String relative) {
        return Corpus.file(relative).toString();
    }

    private static Source src(String relative) {
        return new Source.File(Corpus.file(relative));
    }

    private static Peers.Result cli(String... args) {
        Peers.Result r = Godiag.run(args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r;
    }

    private static void sameAsCli(TopResult r, String... args) {
        Peers.Result c = cli(args);
        assertThat(Rendered.top(r)).isEqualTo(c.stdout());
        assertThat(Rendered.warnings(r.warnings())).isEqualTo(c.stderr());
    }

    @Test
    void topIsTheCliTop() {
        String cpu = path("go1.27/cpuwork/cpu.pprof");
        sameAsCli(engine.top(TopRequest.of(src("go1.27/cpuwork/cpu.pprof"))), "top", cpu);

        ProfileQuery heap = ProfileQuery.of(src("go1.27/cpuwork/heap.pprof")).withSampleIndex("alloc_space", false)
                .withFilters(new Filters("main", "", "", "", "", "", "", "", "", ""))
                .withNodeOptions(new NodeOptions(Granularity.LINES, false, false, ""));
        sameAsCli(engine.top(new TopRequest(heap, 10, 0.005, 0.001, true, false, "minimum", 1, false, false)),
                "top", "--sample-index=alloc_space", "--focus=main", "--lines", "--nodecount=10", "--cum",
                path("go1.27/cpuwork/heap.pprof"));

        // a diff base, normalized
        ProfileQuery grown = ProfileQuery.of(src("go1.27/leakysvc/heap.t4.pprof"))
                .withBases(List.of(src("go1.27/leakysvc/heap.t1.pprof")), true).withNormalize(true);
        sameAsCli(engine.top(TopRequest.of(grown)), "top", "--diff-base", path("go1.27/leakysvc/heap.t1.pprof"),
                "--normalize", path("go1.27/leakysvc/heap.t4.pprof"));

        // several sources merged; pprof's -mean_delay
        ProfileQuery blocks = ProfileQuery.of(src("go1.27/cpuwork/block.pprof"), src("go1.19/cpuwork/block.pprof"))
                .withSampleIndex("delay", true);
        sameAsCli(engine.top(TopRequest.of(blocks)), "top", "--mean-delay", path("go1.27/cpuwork/block.pprof"),
                path("go1.19/cpuwork/block.pprof"));
    }

    @Test
    void warningsAreReturnedNotPrinted() {
        ProfileQuery q = ProfileQuery.of(src("go1.27/cpuwork/cpu.pprof"))
                .withFilters(new Filters("no_such_function_xyz", "", "", "", "", "", "", "", "", ""))
                .withLabelFrames(List.of("no_such_label"), List.of());
        TopResult r = engine.top(TopRequest.of(q));
        assertThat(r.warnings()).containsExactly("TagRoot expression matched no samples",
                "Focus expression matched no samples");
        sameAsCli(r, "top", "--focus=no_such_function_xyz", "--tagroot=no_such_label",
                path("go1.27/cpuwork/cpu.pprof"));
        Peers.Result json = cli("top", "--format=json", "--focus=no_such_function_xyz", "--tagroot=no_such_label",
                path("go1.27/cpuwork/cpu.pprof"));
        assertThat(TopJsonRenderer.render(r.view())).isEqualTo(json.stdout());
    }

    @Test
    void flameIsTheCliFlame() throws IOException {
        String cpu = path("go1.27/cpuwork/cpu.pprof");
        ProfileQuery q = ProfileQuery.of(src("go1.27/cpuwork/cpu.pprof"));
        assertThat(new String(Rendered.flame(engine.flame(FlameRequest.export(q, FlameRequest.Format.FOLDED))),
                StandardCharsets.UTF_8)).isEqualTo(cli("flame", cpu).stdout());
        assertThat(new String(Rendered.flame(engine.flame(FlameRequest.page(q))), StandardCharsets.UTF_8))
                .isEqualTo(cli("flame", "--format", "html", cpu).stdout());
        assertThat(new String(Rendered.flame(engine.flame(new FlameRequest(q, FlameRequest.Format.HTML, 40, 0.01,
                "a title"))), StandardCharsets.UTF_8)).isEqualTo(cli("flame", "--format", "html", "--max-nodes",
                "40", "--min-fraction", "0.01", "--title", "a title", cpu).stdout());

        ProfileQuery heap = ProfileQuery.of(src("go1.27/cpuwork/heap.pprof")).withSampleIndex("alloc_space", false);
        assertThat(new String(Rendered.flame(engine.flame(FlameRequest.export(heap,
                FlameRequest.Format.SPEEDSCOPE))), StandardCharsets.UTF_8)).isEqualTo(cli("flame", "--format",
                "speedscope", "--sample-index", "alloc_space", path("go1.27/cpuwork/heap.pprof")).stdout());

        Path out = dir.resolve("flame.pb.gz");
        cli("flame", "-o", out.toString(), cpu);
        assertThat(Rendered.flame(engine.flame(FlameRequest.export(q, FlameRequest.Format.PPROF))))
                .isEqualTo(Files.readAllBytes(out));
    }

    @Test
    void diagnosesFlameTabIsFlamesPage() throws IOException {
        // the page of a profile already in memory, as diagnose's CPU tab makes it, is flame's page
        String cpu = path("go1.27/cpuwork/cpu.pprof");
        Profile p = ReportSource.assemble(List.of(ProfileLoader.load(src("go1.27/cpuwork/cpu.pprof"),
                ReadLimits.DEFAULT)), List.of(), false, false, false, "");
        FlameResult.Graph g = engine.flameGraph(p, List.of(cpu));
        assertThat(g.page().title()).isEqualTo("cpu.pprof");
        assertThat(new String(Rendered.flame(g), StandardCharsets.UTF_8))
                .isEqualTo(cli("flame", "--format", "html", cpu).stdout());
    }

    @Test
    void diffIsTheCliDiff() {
        String t1 = path("go1.27/leakysvc/heap.t1.pprof");
        String t4 = path("go1.27/leakysvc/heap.t4.pprof");
        DiffResult r = engine.diff(DiffRequest.of(src("go1.27/leakysvc/heap.t1.pprof"),
                src("go1.27/leakysvc/heap.t4.pprof")));
        assertThat(r.flameGraph()).isNull();
        assertThat(DiffRenderers.text(r.view())).isEqualTo(cli("diff", t1, t4).stdout());

        ProfileQuery q = ProfileQuery.of(src("go1.19/cpuwork/cpu.pprof"), src("go1.27/cpuwork/cpu.pprof"))
                .withNormalize(false).withFilters(new Filters("", "", "", "", "", "", "", "", "", "runtime\\.mcall"));
        DiffResult page = engine.diff(new DiffRequest(q, 5, "ms", true, 300, null));
        Peers.Result c = cli("diff", "--format", "html", "--normalize=false", "--prune-from", "runtime\\.mcall",
                "--nodecount", "5", "--unit", "ms", "--max-nodes", "300", path("go1.19/cpuwork/cpu.pprof"),
                path("go1.27/cpuwork/cpu.pprof"));
        DiffResult.FlameGraph g = page.flameGraph();
        assertThat(Rendered.text(os -> FlameHtmlRenderer.write(g.tree(), g.page(), g.diff(), os)))
                .isEqualTo(c.stdout());
        assertThat(Rendered.warnings(page.warnings())).isEqualTo(c.stderr());
    }

    @Test
    void impactIsTheCliImpact() {
        String oldBench = path("upstream/benchstat/old.txt");
        String newBench = path("upstream/benchstat/new.txt");
        ImpactResult r = engine.impact(ImpactRequest.of(
                List.of(src("upstream/benchstat/old.txt"), src("go1.19/cpuwork/cpu.pprof")),
                List.of(src("upstream/benchstat/new.txt"), src("go1.27/cpuwork/cpu.pprof"))));
        Peers.Result c = cli("impact", oldBench, path("go1.19/cpuwork/cpu.pprof"), "--", newBench,
                path("go1.27/cpuwork/cpu.pprof"));
        assertThat(r.report().text()).isEqualTo(c.stdout());
        assertThat(r.report().diff()).isNotNull();
        assertThat(r.report().tables()).isNotEmpty();
        assertThat(Rendered.warnings(r.warnings())).isEqualTo(c.stderr());
    }

    @Test
    void mergeIsTheCliMerge() throws IOException {
        Path out = dir.resolve("merged.pb.gz");
        cli("merge", "-o", out.toString(), "--focus", "main", path("go1.19/cpuwork/cpu.pprof"),
                path("go1.27/cpuwork/cpu.pprof"));
        MergeResult r = engine.merge(MergeRequest.of(ProfileQuery.of(src("go1.19/cpuwork/cpu.pprof"),
                src("go1.27/cpuwork/cpu.pprof")).withFilters(new Filters("main", "", "", "", "", "", "", "", "", ""))));
        assertThat(Rendered.bytes(os -> ProtoProfileWriter.write(r.profile(), os))).isEqualTo(Files.readAllBytes(out));

        Path pgo = dir.resolve("default.pgo");
        cli("merge", "--pgo", "--pgo-keep", "80", "-o", pgo.toString(), path("go1.27/cpuwork/cpu.pprof"));
        MergeResult p = engine.merge(new MergeRequest(ProfileQuery.of(src("go1.27/cpuwork/cpu.pprof")), true, 80));
        assertThat(Rendered.bytes(os -> ProtoProfileWriter.write(p.profile(), os))).isEqualTo(Files.readAllBytes(pgo));
    }

    @Test
    void infoIsTheCliInfo() {
        InfoResult r = engine.info(InfoRequest.of(src("go1.27/cpuwork/heap.pprof")));
        assertThat(r.profiles()).hasSize(1);
        InfoResult.Entry e = r.profiles().get(0);
        assertThat(InfoRenderer.text(e.name(), e.summary())).isEqualTo(cli("info", path("go1.27/cpuwork/heap.pprof"))
                .stdout());
    }

    @Test
    void bytesInMemoryAreReadAsTheFile() throws IOException {
        // what a server gets from an upload: bytes and a name, no file
        Path f = Corpus.file("go1.27/leakysvc/cpu.pprof");
        Source upload = new Source.Bytes(f.toString(), Files.readAllBytes(f));
        assertThat(Rendered.top(engine.top(TopRequest.of(upload)))).isEqualTo(cli("top", f.toString()).stdout());
        assertThat(Rendered.flame(engine.flame(FlameRequest.page(upload))))
                .isEqualTo(Rendered.flame(engine.flame(FlameRequest.page(new Source.File(f)))));
    }

    @Test
    void limitsAreTheEnginesAndErrorsNameTheInput() {
        Path f = Corpus.file("go1.27/cpuwork/cpu.pprof"); // gzipped, inflating beyond a few bytes
        Engine tight = new Engine(EngineContext.of("test").withLimits(ReadLimits.DEFAULT.withMaxInflate(64)));
        assertThatThrownBy(() -> tight.top(TopRequest.of(new Source.File(f))))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith(f + ": ")
                .hasMessageContaining("limit of 64 bytes");
        // requests check themselves: a surface cannot build one that makes no sense
        List<Source> none = new ArrayList<>();
        assertThatThrownBy(() -> ProfileQuery.of(none)).isInstanceOf(BadInputException.class);
        Source s = new Source.Bytes("x", new byte[0]);
        ProfileQuery withBase = ProfileQuery.of(s, s).withBases(List.of(s), false);
        assertThatThrownBy(() -> new DiffRequest(withBase, 20, "minimum", false, 1, null))
                .isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> TopRequest.of(ProfileQuery.of(s)).query().sources().add(s))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
