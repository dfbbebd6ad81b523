package dev.godiag.cli;

import dev.godiag.format.Gzip;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "godiag top" against the real "go tool pprof -top" (Go 1.27), byte for byte, on every profile of
 * the corpus: every sample index, and granularities, sort orders, filters, merges and bases. Run
 * live, not against frozen goldens, so a pprof upgrade that changes output is noticed.
 */
class PprofParityTest {
    private static Path pprof;

    @BeforeAll
    static void findPprof() {
        pprof = Peers.pprof127();
    }

    static List<Path> protoProfiles() {
        List<Path> files = new ArrayList<>(Corpus.glob("go1.*/*/*.pprof"));
        files.add(Corpus.file("upstream/pprof/internal_proftest__large.cpu"));
        files.add(Corpus.file("upstream/pprof/internal_report__sample.cpu"));
        files.add(Corpus.file("upstream/pprof/internal_driver__go.nomappings.crash"));
        return files;
    }

    static List<Path> legacyProfiles() {
        List<Path> files = new ArrayList<>(Corpus.glob("go1.*/*/*.debug1.txt"));
        files.removeIf(f -> f.getFileName().toString().startsWith("goroutine.t") && f.toString().contains("debug2"));
        files.add(Corpus.file("upstream/pprof/profile__gobench.heap"));
        files.add(Corpus.file("upstream/pprof/profile__go.godoc.thread"));
        files.add(Corpus.file("upstream/pprof/profile__go.crc32.cpu"));
        files.add(Corpus.file("upstream/pprof/profile__gobench.cpu"));
        return files;
    }

    /** How many sample types a profile has (pprof rejects an index beyond them, so a wrong count shows). */
    private static int sampleTypeCount(Path profile) throws java.io.IOException {
        return dev.godiag.format.ProfileReader.read(java.nio.file.Files.readAllBytes(profile), Gzip.DEFAULT_LIMIT).sampleTypes().size();
    }

    @TestFactory
    Stream<DynamicTest> everySampleIndexOfEveryProfile() throws java.io.IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : protoProfiles()) {
            int n = sampleTypeCount(f);
            for (int i = 0; i < n; i++) {
                tests.add(parity(List.of("-nodecount=40", "-sample_index=" + i), f));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> granularitiesSortsAndFilters() {
        List<List<String>> flagSets = List.of(
                List.of("-nodecount=40", "-cum"),
                List.of("-nodecount=40", "-lines"),
                List.of("-nodecount=40", "-lines", "-cum"),
                List.of("-nodecount=40", "-files"),
                List.of("-nodecount=40", "-filefunctions"),
                List.of("-nodecount=40", "-addresses"),
                List.of("-nodecount=40", "-noinlines"),
                List.of("-nodecount=40", "-focus=main"),
                List.of("-nodecount=40", "-ignore=runtime"),
                List.of("-nodecount=40", "-hide=runtime"),
                List.of("-nodecount=40", "-show=main|json"),
                List.of("-nodecount=40", "-show_from=main"),
                List.of("-nodecount=40", "-focus=main", "-ignore=fib", "-cum"),
                List.of("-nodecount=40", "-prune_from=runtime.mallocgc"),
                List.of("-nodecount=5"),
                List.of("-unit=s"),
                List.of("-nodefraction=0", "-nodecount=60"),
                List.of("-nodecount=40", "-mean"),
                List.of("-nodecount=40", "-divide_by=10"),
                List.of("-nodecount=40", "-relative_percentages", "-focus=main"),
                List.of("-nodecount=40", "-compact_labels", "-hide=runtime"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : protoProfiles()) {
            for (List<String> flags : flagSets) {
                tests.add(parity(flags, f));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> basesDiffBasesAndMerges() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String v : List.of("go1.19", "go1.27")) {
            String l = v + "/leakysvc/";
            Path heap1 = Corpus.file(l + "heap.t1.pprof");
            Path heap4 = Corpus.file(l + "heap.t4.pprof");
            Path g0 = Corpus.file(l + "goroutine.t0.pprof");
            Path g4 = Corpus.file(l + "goroutine.t4.pprof");
            tests.add(parity(List.of("-nodecount=40", "-diff_base=" + heap1), heap4));
            tests.add(parity(List.of("-nodecount=40", "-base=" + heap1), heap4));
            tests.add(parity(List.of("-nodecount=40", "-diff_base=" + heap1, "-normalize"), heap4));
            tests.add(parity(List.of("-nodecount=40", "-diff_base=" + heap1, "-sample_index=alloc_space", "-cum"),
                    heap4));
            tests.add(parity(List.of("-nodecount=40", "-diff_base=" + g0), g4));
            tests.add(parity(List.of("-nodecount=40", "-base=" + g0, "-lines"), g4));
            tests.add(parity(List.of("-nodecount=40"), Corpus.file(l + "heap.t2.pprof"),
                    Corpus.file(l + "heap.t3.pprof"), heap4));
            tests.add(parity(List.of("-nodecount=40", "-diff_base=" + heap1, "-drop_negative"), heap4));
        }
        Path cpu19 = Corpus.file("go1.19/cpuwork/cpu.pprof");
        Path cpu27 = Corpus.file("go1.27/cpuwork/cpu.pprof");
        tests.add(parity(List.of("-nodecount=40", "-diff_base=" + cpu19), cpu27));
        tests.add(parity(List.of("-nodecount=40", "-base=" + cpu19, "-cum"), cpu27));
        tests.add(parity(List.of("-nodecount=40"), cpu27, cpu19));
        return tests.stream();
    }

    /** Mean delay per contention (pprof's -mean_delay) on every block and mutex profile, proto and text. */
    @TestFactory
    Stream<DynamicTest> meanDelays() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : Corpus.glob("go1.*/*/{block,mutex}.*")) {
            tests.add(parity(List.of("-nodecount=40", "-mean_delay"), f));
            tests.add(parity(List.of("-nodecount=40", "-mean_delay", "-lines", "-cum"), f));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> legacyTextAndBinaryProfiles() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : legacyProfiles()) {
            tests.add(parity(List.of("-nodecount=40"), f));
            tests.add(parity(List.of("-nodecount=40", "-cum", "-lines"), f));
        }
        return tests.stream();
    }

    /**
     * A service-shaped profile with request labels (string and numeric), inlined frames and
     * recursion, from the stress generator at 1% scale: the label filters against pprof's.
     */
    @TestFactory
    Stream<DynamicTest> labelledServiceProfile(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path f = dir.resolve("service.pb.gz");
        try (var os = java.nio.file.Files.newOutputStream(f)) {
            dev.godiag.format.pprof.ProtoProfileWriter.write(dev.godiag.bench.StressProfileGenerator.generate(7,
                    dev.godiag.bench.StressProfileGenerator.Config.of(0.01)), os);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> flags : List.of(
                List.of("-nodecount=40"),
                List.of("-nodecount=40", "-cum"),
                List.of("-nodecount=40", "-lines"),
                List.of("-nodecount=40", "-tagfocus=endpoint=/api/v1/orders"),
                List.of("-nodecount=40", "-tagfocus=orders"),
                List.of("-nodecount=40", "-tagfocus=endpoint=orders,users", "-cum"),
                List.of("-nodecount=40", "-tagignore=endpoint=users"),
                List.of("-nodecount=40", "-tagfocus=bytes=4kb:"),
                List.of("-nodecount=40", "-tagfocus=bytes=:2kb", "-sample_index=samples"),
                List.of("-nodecount=40", "-focus=handleOrdersList", "-hide=runtime"),
                List.of("-nodecount=40", "-show_from=ServeHTTP", "-noinlines"),
                List.of("-nodecount=40", "-tagroot=endpoint"),
                List.of("-nodecount=40", "-tagleaf=endpoint", "-cum"),
                List.of("-nodecount=40", "-tagroot=endpoint,bytes", "-filefunctions"),
                List.of("-nodecount=40", "-tagleaf=bytes", "-unit=kB"),
                List.of("-nodecount=40", "-tagroot=nokey"),
                List.of("-nodecount=40", "-relative_percentages", "-tagfocus=endpoint=orders"),
                List.of("-nodecount=40", "-tagroot=endpoint", "-focus=orders"))) {
            tests.add(parity(flags, f));
        }
        return tests.stream();
    }

    /**
     * Go 1.19's pprof (Debian's golang-go) prints an older header (its Time format differs), but its
     * rows must be the same: compare from "Showing nodes" on.
     */
    @TestFactory
    Stream<DynamicTest> rowsAgreeWithGo119Pprof() {
        Path pprof119 = Peers.pprof119();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : protoProfiles()) {
            for (List<String> flags : List.of(List.of("-nodecount=40"), List.of("-nodecount=40", "-lines", "-cum"))) {
                tests.add(DynamicTest.dynamicTest("go1.19 " + flags + " " + f, () -> {
                    List<String> cmd = new ArrayList<>(List.of(pprof119.toString(), "-top"));
                    cmd.addAll(flags);
                    cmd.add(f.toString());
                    Peers.Result want = Peers.run(cmd, null);
                    assertThat(want.exitCode()).as(want.stderr()).isZero();
                    List<String> g = new ArrayList<>(List.of("top"));
                    g.addAll(flags);
                    g.add(f.toString());
                    Peers.Result got = Godiag.run(g);
                    assertThat(got.exitCode()).as(got.stderr()).isZero();
                    boolean cum = flags.contains("-cum");
                    assertThat(fromShowing(got.stdout(), cum)).isEqualTo(fromShowing(want.stdout(), cum));
                }));
            }
        }
        return tests.stream();
    }

    private static String fromShowing(String report, boolean cum) {
        int i = report.indexOf("Showing nodes");
        return i < 0 ? report : TopOutput.normalizeTies(report.substring(i), cum);
    }

    private static DynamicTest parity(List<String> flags, Path... files) {
        String name = String.join(" ", flags) + " " + Arrays.toString(files);
        return DynamicTest.dynamicTest(name, () -> {
            List<String> pprofCmd = new ArrayList<>(List.of(pprof.toString(), "-top"));
            pprofCmd.addAll(flags);
            List<String> godiagCmd = new ArrayList<>(List.of("top"));
            godiagCmd.addAll(flags);
            for (Path f : files) {
                pprofCmd.add(f.toString());
                godiagCmd.add(f.toString());
            }
            Peers.Result want = Peers.run(pprofCmd, null);
            Peers.Result got = Godiag.run(godiagCmd);
            if (want.exitCode() != 0) {
                // pprof cannot read it (e.g. Go 1.19's threadcreate text): godiag must still end cleanly
                assertThat(got.exitCode()).as(got.stderr()).isIn(0, 2);
                assertThat(got.stderr().strip()).doesNotContain("\n\tat ").doesNotContain("Exception");
                return;
            }
            assertThat(got.exitCode()).as("godiag failed: %s", got.stderr()).isZero();
            boolean cum = flags.contains("-cum");
            assertThat(TopOutput.normalizeTies(got.stdout(), cum)).isEqualTo(TopOutput.normalizeTies(want.stdout(), cum));
        });
    }
}
