package dev.godiag.format.gosyntax;

import dev.godiag.model.gosyntax.GoFile;
import dev.godiag.model.gosyntax.Node;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the bytes (real Go files truncated, cut, spliced, sprinkled with tokens and bad
 * encodings), the parser returns a tree whose positions lie in the file, or throws one
 * one-line GoSyntaxException naming the file and a line of it: never another exception.
 */
class GoParserFuzzProperties {
    private static final List<byte[]> SEEDS = seeds();

    private static final List<String> SNIPPETS = List.of("{", "}", "(", ")", "[", "]", "func", "chan", "<-", "`",
            "\"", "'", "/*", "*/", "//", "\n", ";", ",", "...", "~", "|", "0x", "1e", "\\", "\0", ".", ":=", "=",
            "interface{", "struct{", "type", "case", "default:", "range", "go ", "[T any]", "*", "&^=", "else",
            "\u00e9", "\uFEFF", "0b", "_", "1_", "'\\", "x.(type)", "select {", "for", "if", "package p\n");

    private static final List<byte[]> BAD_BYTES = List.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {0});

    private record Mutation(int kind, double at, double length, int snippet) {
    }

    @Property(tries = 400)
    void parserNeverThrowsAnythingButASyntaxError(@ForAll("files") byte[] source) {
        GoFile f;
        try {
            f = GoParser.parse("f.go", source);
        } catch (GoSyntaxException e) {
            assertThat(e.getMessage()).startsWith("f.go:" + e.line() + ":" + e.column() + ": ").doesNotContain("\n");
            assertThat(e.line()).isBetween(1, lines(source));
            assertThat(e.column()).isPositive();
            return;
        }
        assertThat(f.lineCount()).isEqualTo(lines(source));
        for (var decl : f.decls()) {
            Node.walk(decl, node -> assertThat(node.pos()).isBetween(0, source.length));
        }
    }

    /** The lines as go/token counts them: a final newline starts none. */
    private static int lines(byte[] source) {
        int n = 1;
        for (int i = 0; i < source.length - 1; i++) {
            n += source[i] == '\n' ? 1 : 0;
        }
        return n;
    }

    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 0.2),
                Arbitraries.integers().between(0, 1000)).as(Mutation::new);
        return Combinators.combine(Arbitraries.integers().between(0, SEEDS.size() - 1), mutation.list().ofMinSize(1).ofMaxSize(4))
                .as((seed, mutations) -> {
                    byte[] b = SEEDS.get(seed);
                    for (Mutation m : mutations) {
                        b = apply(b, m);
                    }
                    return b;
                });
    }

    private static byte[] apply(byte[] b, Mutation m) {
        int at = (int) (m.at() * b.length);
        int len = Math.min(b.length - at, (int) (m.length() * b.length) + 1);
        return switch (m.kind()) {
            case 0 -> java.util.Arrays.copyOf(b, at); // truncate
            case 1 -> splice(b, at, len, new byte[0]); // cut
            case 2 -> splice(b, at, 0, SNIPPETS.get(m.snippet() % SNIPPETS.size()).getBytes(StandardCharsets.UTF_8));
            case 3 -> splice(b, at, 0, BAD_BYTES.get(m.snippet() % BAD_BYTES.size()));
            case 4 -> splice(b, at, 0, java.util.Arrays.copyOfRange(b, (int) (m.snippet() / 1000.0 * b.length),
                    Math.min(b.length, (int) (m.snippet() / 1000.0 * b.length) + len))); // duplicate
            default -> splice(b, at, Math.min(len, 1), SNIPPETS.get(m.snippet() % SNIPPETS.size())
                    .getBytes(StandardCharsets.UTF_8)); // replace
        };
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static List<byte[]> seeds() {
        try {
            return GoParserOracleTest.goFiles(GoParserOracleTest.VALID).stream().map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
