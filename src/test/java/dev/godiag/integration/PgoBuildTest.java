package dev.godiag.integration;

import dev.godiag.format.Gzip;
import dev.godiag.format.ProfileReader;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** "godiag merge --pgo" writes what the Go compiler takes as a PGO profile: the real 'go build -pgo'. */
class PgoBuildTest {
    @TempDir
    Path dir;

    /** Go 1.27's go command (PGO needs Go 1.21 or later, so Go 1.19 cannot judge). */
    private static Path go127() {
        return Tools.go127();
    }

    @Test
    void goBuildAcceptsTheMergedCpuProfilesAsPgo() throws Exception {
        Path pgo = dir.resolve("default.pgo");
        Peers.Result r = Godiag.run("merge", "--pgo", "-o", pgo.toString(),
                Corpus.file("go1.27/cpuwork/cpu.pprof").toString(), Corpus.file("go1.27/leakysvc/cpu.pprof").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        var p = ProfileReader.read(Files.readAllBytes(pgo), Gzip.DEFAULT_LIMIT);
        assertThat(p.sampleTypes()).extracting(t -> t.type()).containsExactly("samples", "cpu");
        assertThat(p.samples().labelKey).isEmpty();
        Path binary = GoFixtures.build(go127(), "pprofserver", "-pgo=" + pgo.toAbsolutePath());
        assertThat(binary).exists();
    }

    @Test
    void goBuildAcceptsTheHottestEdgesAndPprofLoadsThem() throws Exception {
        String cpu = Corpus.file("go1.27/cpuwork/cpu.pprof").toString();
        Path all = dir.resolve("all.pgo");
        Path hot = dir.resolve("hot.pgo");
        assertThat(Godiag.run("merge", "--pgo", "-o", all.toString(), cpu).exitCode()).isZero();
        Peers.Result r = Godiag.run("merge", "--pgo", "--pgo-keep", "80", "-o", hot.toString(), cpu);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        var p = ProfileReader.read(Files.readAllBytes(hot), Gzip.DEFAULT_LIMIT);
        assertThat(p.sampleTypes()).extracting(t -> t.type()).containsExactly("samples", "cpu");
        assertThat(p.durationNanos()).isEqualTo(ProfileReader.read(Files.readAllBytes(all), Gzip.DEFAULT_LIMIT).durationNanos());
        // one two-frame sample per kept edge, fewer than the stacks of the whole profile
        for (int i = 0; i < p.samples().size(); i++) {
            assertThat(p.samples().depth(i)).isEqualTo(2);
        }
        assertThat(p.samples().size()).isLessThan(ProfileReader.read(Files.readAllBytes(all), Gzip.DEFAULT_LIMIT).samples().size());
        assertThat(total(hot)).isPositive();
        GoFixtures.build(go127(), "pprofserver", "-pgo=" + hot.toAbsolutePath());
        Peers.Result top = Peers.run(List.of(go127().toString(), "tool", "pprof", "-top", hot.toString()), null);
        assertThat(top.exitCode()).as(top.stderr()).isZero();
        assertThat(top.stdout()).contains("main.fib");
    }

    @Test
    void aHeapProfileIsRefusedAsGoWouldRefuseIt() throws Exception {
        Path heap = Corpus.file("go1.27/cpuwork/heap.pprof");
        Peers.Result r = Godiag.run("merge", "--pgo", "-o", dir.resolve("x.pgo").toString(), heap.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains(heap.toString()).contains("PGO needs a CPU profile");
        // and the Go compiler agrees that such a profile is no PGO profile
        assertThatThrownBy(() -> GoFixtures.build(go127(), "pprofserver", "-pgo=" + heap.toAbsolutePath())).isInstanceOf(AssertionError.class).hasMessageContaining("samples/count");
    }

    private static long total(Path f) throws Exception {
        var p = ProfileReader.read(Files.readAllBytes(f), Gzip.DEFAULT_LIMIT);
        long t = 0;
        for (int i = 0; i < p.samples().size(); i++) {
            t += p.samples().value(i, 1);
        }
        return t;
    }
}
