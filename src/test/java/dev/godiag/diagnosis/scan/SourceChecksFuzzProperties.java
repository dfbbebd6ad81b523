package dev.godiag.diagnosis.scan;

import dev.godiag.format.gosyntax.GoParser;
import dev.godiag.format.gosyntax.GoSyntaxException;
import dev.godiag.model.gosyntax.GoFile;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks on code they were not written for: the checks' own fixture files with lines deleted,
 * duplicated, moved and swapped, wherever the result still parses (a loop without its body's first
 * statement, a return moved before the defer, a close moved out of its function). Every check runs
 * on every such file without an exception, and every finding points inside the file.
 */
class SourceChecksFuzzProperties {
    private static final List<List<String>> SEEDS = seeds();

    private record Mutation(int kind, double at, double to) {
    }

    @Property(tries = 600)
    void checksNeverFailAndPointInsideTheFile(@ForAll("files") String source) {
        GoFile file;
        try {
            file = GoParser.parse("f.go", source.getBytes(StandardCharsets.UTF_8));
        } catch (GoSyntaxException e) {
            return; // the parser's own properties cover what does not parse
        }
        SourceChecks.PackageScan scan = SourceChecks.shipped()
                .scan(GoPackage.of(".", file.packageName().name(), List.of(file)));
        for (ScanFinding f : scan.findings()) {
            assertThat(f.line()).as(f.toString()).isBetween(1, file.lineCount());
            assertThat(f.spanStart()).as(f.toString()).isBetween(1, f.spanEnd());
            assertThat(f.spanEnd()).as(f.toString()).isLessThanOrEqualTo(file.lineCount());
            assertThat(f.message()).isNotBlank().doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<String> files() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1)).as(Mutation::new);
        return Combinators.combine(Arbitraries.integers().between(0, SEEDS.size() - 1),
                mutation.list().ofMinSize(1).ofMaxSize(3)).as((seed, mutations) -> {
                    List<String> lines = new ArrayList<>(SEEDS.get(seed));
                    for (Mutation m : mutations) {
                        apply(lines, m);
                    }
                    return String.join("\n", lines) + "\n";
                });
    }

    private static void apply(List<String> lines, Mutation m) {
        if (lines.size() < 3) {
            return;
        }
        int i = (int) (m.at() * (lines.size() - 1));
        int j = (int) (m.to() * (lines.size() - 1));
        switch (m.kind()) {
            case 0 -> lines.remove(i);
            case 1 -> lines.add(j, lines.get(i));
            case 2 -> lines.add(j, lines.remove(i));
            default -> {
                String a = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, a);
            }
        }
    }

    private static List<List<String>> seeds() {
        Path root = Path.of("src/test/resources/dev/godiag/diagnosis/scan");
        try (Stream<Path> files = Files.walk(root)) {
            List<List<String>> out = new ArrayList<>();
            for (Path p : files.filter(p -> p.toString().endsWith(".go")).sorted().toList()) {
                out.add(Files.readAllLines(p));
            }
            assertThat(out).hasSizeGreaterThan(10);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
