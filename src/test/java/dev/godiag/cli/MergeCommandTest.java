package dev.godiag.cli;

import dev.godiag.format.Gzip;
import dev.godiag.format.ProfileReader;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "godiag merge" against pprof's own merge ("pprof -proto A B > out"): the real pprof must load
 * godiag's output and report the same, row for row, for every sample type.
 */
class MergeCommandTest {
    @TempDir
    Path dir;

    private static String[] inputs(String spec) {
        return Arrays.stream(spec.split(" ")).map(f -> f.contains("*") ? Corpus.root() + "/" + f
                : Corpus.file(f).toString()).toArray(String[]::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "go1.27/cpuwork/cpu.pprof go1.19/cpuwork/cpu.pprof",
            "go1.27/leakysvc/heap.t*.pprof",
            "go1.19/leakysvc/goroutine.t1.pprof go1.19/leakysvc/goroutine.t4.pprof go1.27/leakysvc/goroutine.t4.pprof",
            "go1.27/cpuwork/heap.debug1.txt go1.27/cpuwork/heap.pprof",
            "go1.27/leakysvc/mutex.pprof go1.27/leakysvc/mutex.debug1.txt",
            "upstream/pprof/internal_proftest__large.cpu"})
    void pprofReadsTheMergeAsItsOwn(String spec) throws Exception {
        Path pprof = Peers.pprof127();
        String[] in = inputs(spec);
        List<String> expanded = spec.contains("*") ? Corpus.glob(spec).stream().map(Path::toString).toList()
                : List.of(in);
        Path ours = dir.resolve("godiag.pb.gz");
        List<String> cmd = new ArrayList<>(List.of("merge", "-o", ours.toString()));
        cmd.addAll(List.of(in));
        Peers.Result r = Godiag.run(cmd);
        assertThat(r.exitCode()).as(r.stderr()).isZero();

        Path theirs = dir.resolve("pprof.pb.gz");
        List<String> pcmd = new ArrayList<>(List.of(pprof.toString(), "-proto", "-output=" + theirs));
        pcmd.addAll(expanded);
        Peers.Result p = Peers.run(pcmd, null);
        assertThat(p.exitCode()).as(p.stderr()).isZero();

        int types = ProfileReader.read(Files.readAllBytes(theirs), Gzip.DEFAULT_LIMIT).sampleTypes().size();
        assertThat(ProfileReader.read(Files.readAllBytes(ours), Gzip.DEFAULT_LIMIT).sampleTypes()).hasSize(types);
        for (int i = 0; i < types; i++) {
            String want = Peers.run(List.of(pprof.toString(), "-top", "-nodecount=50", "-sample_index=" + i,
                    theirs.toString()), null).stdout();
            Peers.Result got = Peers.run(List.of(pprof.toString(), "-top", "-nodecount=50", "-sample_index=" + i,
                    ours.toString()), null);
            assertThat(got.exitCode()).as(got.stderr()).isZero();
            assertThat(TopOutput.normalizeTies(got.stdout())).isEqualTo(TopOutput.normalizeTies(want));
        }
    }

    @Test
    void toStandardOutputAndUncompressed() throws Exception {
        String cpu = Corpus.file("go1.27/cpuwork/cpu.pprof").toString();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(bytes); PrintStream err = new PrintStream(new ByteArrayOutputStream())) {
            code = Main.run(new String[] {"merge", "-o", "-", "--uncompressed", cpu}, out, err);
        }
        assertThat(code).isZero();
        byte[] raw = bytes.toByteArray();
        assertThat(raw[0] & 0xff).isNotEqualTo(0x1f); // not gzip
        Path f = dir.resolve("raw.pb");
        Files.write(f, raw);
        assertThat(Godiag.run("top", "--nodecount", "5", f.toString()).stdout())
                .isEqualTo(Godiag.run("top", "--nodecount", "5", cpu).stdout());
    }

    @Test
    void failuresLeaveNoFileAndSayWhy() {
        Path out = dir.resolve("out.pb.gz");
        Peers.Result r = Godiag.run("merge", "-o", out.toString(), Corpus.file("go1.27/cpuwork/cpu.pprof").toString(),
                Corpus.file("go1.27/cpuwork/heap.pprof").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip()).startsWith("godiag: ").doesNotContain("\n");
        assertThat(out).doesNotExist();
        assertThat(dir.toFile().list()).isEmpty();

        Peers.Result noDir = Godiag.run("merge", "-o", dir.resolve("missing/out.pb.gz").toString(),
                Corpus.file("go1.27/cpuwork/cpu.pprof").toString());
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.stderr()).contains("cannot write");

        Peers.Result noOutput = Godiag.run("merge", Corpus.file("go1.27/cpuwork/cpu.pprof").toString());
        assertThat(noOutput.exitCode()).isEqualTo(2);
        assertThat(noOutput.stderr()).contains("--output");
    }

    @Test
    void pgoKeepIsAShareOfTheCallEdgesAndChecked() {
        Peers.Result help = Godiag.run("merge", "--help");
        assertThat(help.stdout()).contains("--pgo-keep PCT").contains("hottest call edges")
                .contains("go tool preprofile");
        String cpu = Corpus.file("go1.27/cpuwork/cpu.pprof").toString();
        for (String bad : List.of("0", "-5", "100.5", "x")) {
            Path out = dir.resolve("bad.pgo");
            Peers.Result r = Godiag.run("merge", "--pgo", "--pgo-keep", bad, "-o", out.toString(), cpu);
            assertThat(r.exitCode()).as(bad).isEqualTo(2);
            assertThat(r.stderr()).as(bad).contains("--pgo-keep");
            assertThat(out).doesNotExist();
        }
        Peers.Result noPgo = Godiag.run("merge", "--pgo-keep", "50", "-o", dir.resolve("x.pb.gz").toString(), cpu);
        assertThat(noPgo.exitCode()).isEqualTo(2);
        assertThat(noPgo.stderr()).contains("--pgo-keep needs --pgo");
    }
}
