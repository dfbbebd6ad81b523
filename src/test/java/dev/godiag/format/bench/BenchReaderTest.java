package dev.godiag.format.bench;

import dev.godiag.model.BenchFile;
import dev.godiag.model.BenchResult;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Go benchmark format as golang.org/design/14313-benchmark-format and x/perf/benchfmt define it. */
class BenchReaderTest {
    @Test
    void benchfmtFilesAAndB() throws IOException {
        BenchFile a = BenchReader.read("a", Files.readString(Corpus.file("upstream/benchstat/benchfmt-files-a")));
        BenchFile b = BenchReader.read("b", Files.readString(Corpus.file("upstream/benchstat/benchfmt-files-b")));
        assertThat(a.results()).extracting(BenchResult::fullName).containsExactly("X", "Y");
        assertThat(b.results()).extracting(BenchResult::fullName).containsExactly("Z");
        assertThat(a.results().get(0).values()).isEqualTo(Map.of("sec/op", 1e-9));
        assertThat(a.results().get(0).iterations()).isEqualTo(1);
        assertThat(a.warnings()).isEmpty();
    }

    @Test
    void namesPartsProcsAndManyValues() {
        BenchFile f = BenchReader.read("f", "BenchmarkEncode/format=json/size=1kB-48  690848  1726 ns/op"
                + "  45 B/op  2 allocs/op  300.5 MB/s  7 frobs\n");
        BenchResult r = f.results().get(0);
        assertThat(r.fullName()).isEqualTo("Encode/format=json/size=1kB-48");
        assertThat(r.name()).isEqualTo("Encode");
        assertThat(r.parts()).containsExactly("/format=json", "/size=1kB");
        assertThat(r.procs()).isEqualTo(48);
        assertThat(r.iterations()).isEqualTo(690848);
        assertThat(r.values().keySet()).containsExactly("sec/op", "B/op", "allocs/op", "B/s", "frobs");
        assertThat(r.values().get("sec/op")).isEqualTo(1726e-9);
        assertThat(r.values().get("B/s")).isEqualTo(300.5e6);
        assertThat(r.values().get("frobs")).isEqualTo(7.0);
    }

    @Test
    void configurationAppliesToFollowingResultsAndBlankDeletes() {
        BenchFile f = BenchReader.read("f", """
                goos: linux
                pkg: example.com/p
                BenchmarkA 1 10 ns/op
                pkg:
                note: two words
                BenchmarkB 1 10 ns/op
                """);
        assertThat(f.results().get(0).config()).isEqualTo(Map.of("goos", "linux", "pkg", "example.com/p"));
        assertThat(f.results().get(1).config()).isEqualTo(Map.of("goos", "linux", "note", "two words"));
    }

    @Test
    void unitMetadataIsTidiedAndKept() {
        BenchFile f = BenchReader.read("f", """
                Unit ns/op better=lower assume=nothing
                Unit text-bytes assume=exact
                Unit text-bytes assume=nothing
                """);
        assertThat(f.units().get("sec/op")).isEqualTo(Map.of("better", "lower", "assume", "nothing"));
        assertThat(f.units().get("text-bytes")).isEqualTo(Map.of("assume", "exact"));
        assertThat(f.warnings()).containsExactly("f:3: metadata assume of unit text-bytes already set to exact");
    }

    @Test
    void noiseOfGoTestIsIgnored() {
        BenchFile f = BenchReader.read("f", """
                === RUN   TestX
                --- PASS: TestX (0.00s)
                    x_test.go:12: some log line: with a colon
                Some Prose: not config
                BenchmarkX
                BenchmarkX-8   	1000	 123 ns/op
                PASS
                ok  	example.com/p	1.234s
                """);
        assertThat(f.results()).hasSize(1);
        assertThat(f.results().get(0).config()).isEmpty();
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void malformedLinesAreWarningsNamingTheLine() {
        BenchFile f = BenchReader.read("bad.txt", """
                BenchmarkA 1 10 ns/op
                BenchmarkB x 10 ns/op
                BenchmarkC 1
                BenchmarkD 1 10
                BenchmarkE 1 ten ns/op
                BenchmarkF\s
                Unit
                Unit u novalue
                BenchmarkG 99999999999999999999 1 ns/op
                BenchmarkH 1 NaN ns/op
                """);
        assertThat(f.results()).extracting(BenchResult::fullName).containsExactly("A");
        List<String> w = f.warnings();
        assertThat(w).containsExactly(
                "bad.txt:2: parsing iteration count: invalid syntax in 'x'",
                "bad.txt:3: missing measurements",
                "bad.txt:4: missing units",
                "bad.txt:5: parsing measurement: invalid syntax in 'ten'",
                "bad.txt:6: missing iteration count",
                "bad.txt:7: missing unit",
                "bad.txt:8: expected key=value",
                "bad.txt:9: parsing iteration count: value out of range",
                "bad.txt:10: measurement is NaN");
    }

    @Test
    void malformedLinesBeyondTheFirstTwentyAreCounted() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            text.append("BenchmarkA 1 ten ns/op\n").append("Unit u novalue\n");
        }
        text.append("BenchmarkB 1 10 ns/op\n");
        BenchFile f = BenchReader.read("many.txt", text.toString());
        assertThat(f.results()).extracting(BenchResult::fullName).containsExactly("B");
        assertThat(f.warnings()).hasSize(BenchReader.MAX_WARNINGS + 1);
        assertThat(f.warnings().get(0)).isEqualTo("many.txt:1: parsing measurement: invalid syntax in 'ten'");
        assertThat(f.warnings().get(1)).isEqualTo("many.txt:2: expected key=value");
        assertThat(f.warnings().get(19)).isEqualTo("many.txt:20: expected key=value");
        assertThat(f.warnings().get(20)).isEqualTo("many.txt: and 30 more malformed lines");
    }

    @Test
    void resultsShareTheirConfigurationUntilItChanges() {
        BenchFile f = BenchReader.read("c.txt", """
                pkg: a
                BenchmarkA 1 10 ns/op
                BenchmarkB 1 10 ns/op
                pkg: a
                BenchmarkC 1 10 ns/op
                pkg: b
                BenchmarkD 1 10 ns/op
                """);
        List<BenchResult> r = f.results();
        assertThat(r.get(0).config()).isEqualTo(Map.of("pkg", "a"));
        assertThat(r.get(1).config()).isSameAs(r.get(0).config());
        assertThat(r.get(2).config()).isSameAs(r.get(0).config()); // set again to the same value
        assertThat(r.get(3).config()).isEqualTo(Map.of("pkg", "b"));
    }
}
