package dev.godiag.cli;

import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * godiag bench end to end on benchstat's goldens. The command names columns by the paths it was
 * given (as benchstat does), so here they read "../shared/corpus/upstream/benchstat/old.txt" where
 * the goldens, run inside that directory, say "old.txt": the cells are compared after taking the
 * directory out of the names and the padding out of the lines (the byte-exact comparison, names as
 * benchstat saw them, is BenchstatGoldenTest).
 */
class BenchCommandTest {
    private static String dir() {
        return Corpus.file("upstream/benchstat").toString() + "/";
    }

    private static List<String> cells(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            out.add(line.replace(dir(), "").replace("│", " ").trim().replaceAll("\\s+", " "));
        }
        return out;
    }

    private static void golden(String name, String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("bench"));
        for (String s : args) {
            a.add(s.endsWith(".txt") ? dir() + s : s);
        }
        Peers.Result r = Godiag.run(a);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(0);
        String want = Files.readString(Corpus.file("upstream/benchstat/" + name + ".stdout"));
        assertThat(cells(r.stdout())).isEqualTo(cells(want));
    }

    @Test
    void everyGoldenThroughTheCommand() throws IOException {
        golden("crcOldNew", "crc-old.txt", "crc-new.txt");
        golden("crcIgnore", "-ignore", "note", "crc-old.txt", "crc-new.txt");
        golden("crcSizeVsPoly", "-filter", "/align:0", "-row", "/size", "-col", "/poly", "crc-new.txt");
        golden("units", "-col", "note", "units.txt");
        golden("zero", "-col", "note", "zero.txt");
        golden("smallSample", "-col", "note", "smallSample.txt");
        golden("issue19565", "-col", "note", "issue19565.txt");
        golden("issue19634", "-col", "note", "issue19634.txt");
        golden("csvOldNew", "--format", "csv", "old.txt", "new.txt");
    }

    @Test
    void csvWarningsGoToStderr() {
        Peers.Result r = Godiag.run("bench", "--format", "csv", "-row", ".name", dir() + "new.txt");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.stderr()).isEqualTo("B6: benchmarks vary in .fullname\n");
    }

    @Test
    void filterByBareRegexAndByName() {
        Peers.Result r = Godiag.run("bench", "-filter", "gob", dir() + "old.txt", dir() + "new.txt");
        assertThat(r.stdout()).contains("Encode/format=gob-48").doesNotContain("format=json").doesNotContain("geomean");
        Peers.Result n = Godiag.run("bench", "-filter", ".name:/^Enc/ -/format:json", dir() + "old.txt");
        assertThat(n.stdout()).contains("Encode/format=gob-48").doesNotContain("format=json");
    }

    @Test
    void markdownAndJsonCarryTheSameCells() {
        Peers.Result md = Godiag.run("bench", "--format", "markdown", dir() + "old.txt", dir() + "new.txt");
        assertThat(md.stdout()).contains("| Encode/format=json-48 | 1.718µ ± 1% | 1.423µ ± 1% | -17.20% (p=0.000 n=10) |")
                .contains("| Encode/format=gob-48 | 3.066µ ± 0% | 3.070µ ± 2% | ~ (p=0.446 n=10) |")
                .contains("| geomean | 2.295µ | 2.090µ | -8.94% |");
        Peers.Result js = Godiag.run("bench", "--format", "json", dir() + "old.txt", dir() + "new.txt");
        assertThat(js.exitCode()).isEqualTo(0);
        assertThat(js.stdout()).contains("\"unit\" : \"sec/op\"").contains("\"delta\" : \"~\"")
                .contains("\"delta\" : \"-17.20%\"").contains("\"significant\" : false");
    }

    @Test
    void badInputIsOneLineAndExitTwo(@TempDir Path tmp) throws IOException {
        Peers.Result missing = Godiag.run("bench", tmp.resolve("nope.txt").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr().strip()).startsWith("godiag: ").contains("nope.txt").doesNotContain("\n");
        Path empty = tmp.resolve("empty.txt");
        Files.writeString(empty, "PASS\nok x 1s\n");
        Peers.Result none = Godiag.run("bench", empty.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("empty.txt").contains("no benchmark results");
        Peers.Result fmt = Godiag.run("bench", "--format", "xml", empty.toString());
        assertThat(fmt.exitCode()).isEqualTo(2);
    }

    @Test
    void malformedLinesWarnAndTheRestIsReported(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("m.txt");
        Files.writeString(f, "BenchmarkA 1 10 ns/op\nBenchmarkA 1 oops ns/op\nBenchmarkA 1 11 ns/op\n");
        Peers.Result r = Godiag.run("bench", f.toString());
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.stderr()).contains("m.txt:2: parsing measurement");
        assertThat(Arrays.asList(r.stdout().split("\n"))).anyMatch(l -> l.startsWith("A ") && l.contains("10.50n"));
    }
}
