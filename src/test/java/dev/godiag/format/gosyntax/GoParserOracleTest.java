package dev.godiag.format.gosyntax;

import dev.godiag.model.gosyntax.GoFile;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * godiag's parser against go/parser (Go 1.27's, through testdata/gen/astdump): the same
 * accept/reject verdict and, for accepted files, the same tree node for node, with positions,
 * names, literals and operators, and the same comments and generated flag.
 */
class GoParserOracleTest {
    static final Path VALID = Path.of("src/test/resources/dev/godiag/format/gosyntax/valid");

    /**
     * Every .go file of Go 1.27's source tree, testdata included: the deliberately broken ones
     * there must be rejected as go/parser rejects them.
     */
    @Test
    void everyFileOfGoSourceTreeParsesAsGoParserParsesIt() throws Exception {
        List<Path> files = goFiles(GoParserOracle.goSourceTree());
        GoParserOracle.Comparison c = GoParserOracle.compare(files);
        assertThat(c.mismatches()).isEmpty();
        assertThat(c.files()).isGreaterThan(8000);
        // testdata holds broken files; the rest of the tree parses
        assertThat(c.rejectedByGo()).isBetween(10, 200);
    }

    @Test
    void handWrittenTrickyFilesParseAsGoParserParsesThem() throws Exception {
        List<Path> files = goFiles(VALID);
        assertThat(files).hasSizeGreaterThanOrEqualTo(7);
        GoParserOracle.Comparison c = GoParserOracle.compare(files);
        assertThat(c.mismatches()).isEmpty();
        assertThat(c.rejectedByGo()).isZero();
    }

    /** Go 1.19's go/parser (before range over integers and functions) reads them alike. */
    @Test
    void handWrittenTrickyFilesParseAsGo119ParserParsesThem() throws Exception {
        GoParserOracle.Comparison c = GoParserOracle.compare(Tools.go119(), goFiles(VALID));
        assertThat(c.mismatches()).isEmpty();
        assertThat(c.rejectedByGo()).isZero();
    }

    /**
     * Real files damaged at random (deterministically): most are broken, and go/parser's verdict
     * must be godiag's, to the tree when both accept.
     */
    @Test
    void damagedFilesGetGoParserVerdict(@TempDir Path dir) throws Exception {
        List<Path> sources = goFiles(GoParserOracle.goSourceTree()).stream()
                .filter(p -> !p.toString().contains("/testdata/")).toList();
        Random random = new Random(16);
        List<String> snippets = List.of("{", "}", "(", ")", "[", "]", "func", "chan", "<-", "`", "\"", "'", "/*",
                "*/", "//", "\n", ";", ",", "...", "~", "|", "0x", "1e", "\\", ".", ":=", "=", "interface{", "struct{",
                "type", "case", "default:", "range", "go ", "[T any]", "*", "&^=", "else", "_", "1_", "x.(type)",
                "select {", "for", "if", ":", "var", "import", "++", "!", "goto L", "L:", "fallthrough", "map[",
                "0o8", "0b2", "1.e+", "0x1p", "'\\x", "\"\\u", " ");
        List<Path> damaged = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            byte[] b = Files.readAllBytes(sources.get(random.nextInt(sources.size())));
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                int at = random.nextInt(b.length + 1);
                byte[] snippet = snippets.get(random.nextInt(snippets.size())).getBytes(StandardCharsets.UTF_8);
                b = switch (random.nextInt(4)) {
                    case 0 -> splice(b, at, 0, snippet);
                    case 1 -> splice(b, at, Math.min(b.length - at, 1 + random.nextInt(8)), new byte[0]);
                    case 2 -> splice(b, at, Math.min(b.length - at, 1), snippet);
                    default -> {
                        int from = random.nextInt(b.length + 1);
                        yield splice(b, at, 0, Arrays.copyOfRange(b, from, Math.min(b.length, from + 1 + random.nextInt(30))));
                    }
                };
            }
            Path f = dir.resolve("damaged" + i + ".go");
            Files.write(f, b);
            damaged.add(f);
        }
        GoParserOracle.Comparison c = GoParserOracle.compare(damaged);
        assertThat(c.mismatches()).isEmpty();
        assertThat(c.rejectedByGo()).isBetween(500, 1400);
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    @Test
    void generatedFollowsGoRule() throws IOException {
        assertThat(parse("generated_crlf.go").generated()).isTrue();
        assertThat(parse("generatedblock.go").generated()).isTrue();
        assertThat(parse("notgenerated.go").generated()).isFalse();
        assertThat(parse("semicolons.go").generated()).as("marker after the package clause").isFalse();
    }

    private static GoFile parse(String name) throws IOException {
        return GoParser.parse(name, Files.readAllBytes(VALID.resolve(name)));
    }

    static List<Path> goFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".go") && Files.isRegularFile(p)).sorted().toList();
        }
    }
}
