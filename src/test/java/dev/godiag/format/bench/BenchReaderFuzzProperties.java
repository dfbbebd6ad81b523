package dev.godiag.format.bench;

import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.util.BadInputException;
import dev.godiag.model.BenchFile;
import dev.godiag.report.BenchRenderers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the lines, the reader never throws (malformed lines are warnings naming their line), and
 * the statistics and every renderer accept what it read (or refuse with a one-line BadInputException).
 */
class BenchReaderFuzzProperties {
    @Property(tries = 300)
    void readerAndTablesNeverCrash(@ForAll("files") List<String> lines) {
        String text = String.join("\n", lines);
        BenchFile a = BenchReader.read("a.txt", text);
        BenchFile b = BenchReader.read("b.txt", text.replace("1", "2"));
        for (String w : a.warnings()) {
            assertThat(w).startsWith("a.txt:").doesNotContain("\n");
        }
        try {
            List<BenchTables.Table> t = BenchTables.build(List.of(a, b), BenchTables.Options.defaults());
            BenchRenderers.text(t);
            BenchRenderers.csv(t, new ArrayList<>());
            BenchRenderers.markdown(t);
            BenchRenderers.json(t);
        } catch (BadInputException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<List<String>> files() {
        Arbitrary<String> names = Arbitraries.of("A", "B/x=1", "C/y=2-8", "D-4", "E/", "F--1", "Ü/ß", "");
        Arbitrary<String> nums = Arbitraries.of("1", "0", "-1", "1.5", "1e3", "NaN", "Inf", "-Inf", "x", "",
                "99999999999999999999", "0x10", "1e400");
        Arbitrary<String> units = Arbitraries.of("ns/op", "B/op", "MB/s", "allocs/op", "x", "ns*MB/s", "", "-");
        Arbitrary<String> result = Arbitraries.strings().ofMaxLength(3).flatMap(sep -> names.flatMap(n ->
                nums.list().ofMaxSize(6).flatMap(vs -> units.list().ofMaxSize(6).map(us -> {
                    StringBuilder sb = new StringBuilder("Benchmark").append(n);
                    for (int i = 0; i < Math.max(vs.size(), us.size()); i++) {
                        sb.append(i % 2 == 0 ? " " : "\t");
                        sb.append(i < vs.size() ? vs.get(i) : "").append(' ').append(i < us.size() ? us.get(i) : "");
                    }
                    return sb.toString();
                }))));
        Arbitrary<String> other = Arbitraries.of("goos: linux", "note:", "note: a", "pkg: x", "Unit x assume=exact",
                "Unit ns/op assume=nothing better=higher", "Unit", "Unit u k", "PASS", "ok x 1s", "--- FAIL: x",
                "", "key:value", "a: ");
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(40);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, result), net.jqwik.api.Tuple.of(3, other), net.jqwik.api.Tuple.of(1, junk))
                .list().ofMaxSize(40);
    }
}
