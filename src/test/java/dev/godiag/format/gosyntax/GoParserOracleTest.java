package dev.godiag.format.gosyntax;

import dev.godiag.model.gosyntax.GoFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
