package dev.godiag.format.gosyntax;

import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.GoFile;
import dev.godiag.model.gosyntax.Node;
import dev.godiag.model.gosyntax.Stmt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Broken files: one GoSyntaxException naming the file and the line go/parser names. */
class GoParserErrorTest {

    /** Source (its bytes as ISO-8859-1 characters) -> the line of its first error. */
    private static final Map<String, Integer> BROKEN = new LinkedHashMap<>();

    static {
        BROKEN.put("package p\nfunc f() {\n\tg(1, 2\n}\n", 3);
        BROKEN.put("package p\n\nvar s = \"abc\n", 3);
        BROKEN.put("package p\nvar x = 1 @ 2\n", 2);
        BROKEN.put("package p\nfunc f() {\n\tif x == T{} {\n\t}\n}\n", 3);
        BROKEN.put("package p\nfunc f() {\n\tif true {\n\t}\n\telse {\n\t}\n}\n", 5);
        BROKEN.put("package p\nvar x = 0x\n", 2);
        BROKEN.put("package p\n\nvar x = 09\n", 3);
        BROKEN.put("package p\nvar x = 1__0\n", 2);
        BROKEN.put("package p\nvar x = 0x1.5\n", 2);
        BROKEN.put("package p\nvar x = 1e\n", 2);
        BROKEN.put("package p\nvar x = 0b102\n", 2);
        BROKEN.put("package p\n\n/* never\nclosed\n", 3);
        BROKEN.put("func f() {}\n", 1);
        BROKEN.put("package p\nvar x int\nimport \"fmt\"\n", 3);
        BROKEN.put("package p\nfunc f[]() {}\n", 2);
        BROKEN.put("package p\nx := 1\n", 2);
        BROKEN.put("package p\n// a \0 in a comment\n", 2);
        BROKEN.put("package p\nvar s = \"bad \377 byte\"\n", 2);
        BROKEN.put("package p\nvar s = \"\\q\"\n", 2);
        BROKEN.put("package p\nvar r = 'ab'\n", 2);
        BROKEN.put("package p\nvar r = ''\n", 2);
        BROKEN.put("package p\nfunc f() {\n\tgo (g())\n}\n", 3);
        BROKEN.put("package p\nfunc f() {\n\tdefer 1\n}\n", 3);
        BROKEN.put("package p\nfunc f() {\n\tfor i := 0; i < 10 {\n\t}\n}\n", 3);
        BROKEN.put("package p\nfunc f() {\n\tswitch x = y.(type) {\n\t}\n}\n", 3);
        BROKEN.put("package p\nfunc f() {\n\tx := a[1:2:]\n}\n", 3);
        BROKEN.put("package p\ntype T interface {\n\tM[P any]()\n}\n", 3);
        BROKEN.put("package p\nfunc f(a ...int, b int) {}\n", 2);
        BROKEN.put("package p\nfunc f() {\n\tvar x = func[T any]() {}\n}\n", 3);
        BROKEN.put("package p\nvar x = (<-<-chan int)(nil)\n", 2);
        BROKEN.put("package p\nvar s = `unterminated\nraw\n", 2);
        BROKEN.put("package p\nfunc f() {\n\tx, y\n}\n", 3);
        BROKEN.put("package p\nfunc f() {\n\tf(x)(\n}\n", 4);
        BROKEN.put("package p\nvar x = 'a\n", 2);
        BROKEN.put("package p\nvar x\n", 2);
        BROKEN.put("package p\ntype S struct {\n\t(T)\n}\n", 3);
        BROKEN.put("package p\nvar x = \"\\uD800\"\n", 2);
        BROKEN.put("package p\nfunc f() {\n\tL: x := 1\n\t1: x++\n}\n", 4);
        BROKEN.put("package p\n\u00ef\u00bb\u00bfvar x = 1\n", 2);
    }

    @Test
    void brokenFilesAreRejectedAtTheLineGoParserNames(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        int i = 0;
        for (String source : BROKEN.keySet()) {
            Path f = dir.resolve("broken" + i++ + ".go");
            Files.write(f, source.getBytes(StandardCharsets.ISO_8859_1));
            files.add(f);
        }
        List<GoParserOracle.Verdict> go = GoParserOracle.goParser(files);
        i = 0;
        for (Map.Entry<String, Integer> e : BROKEN.entrySet()) {
            Path f = files.get(i);
            GoParserOracle.Verdict verdict = go.get(i++);
            assertThat(verdict.errorLine()).as("go/parser on %s: %s", e.getKey(), verdict.dump()).isEqualTo(e.getValue());
            GoSyntaxException ex = catchThrowableOfType(GoSyntaxException.class,
                    () -> GoParser.parse(f.getFileName().toString(), Files.readAllBytes(f)));
            assertThat(ex).as("godiag on %s", e.getKey()).isNotNull();
            assertThat(ex.line()).as("%s", ex.getMessage()).isEqualTo(e.getValue());
            assertThat(ex.getMessage()).startsWith(f.getFileName() + ":" + e.getValue() + ":").doesNotContain("\n");
        }
    }

    @Test
    void messagesSayWhatWasExpectedAndFound() {
        assertThatThrownBy(() -> parse("package p\nfunc f() {\n\tx := 1 2\n}\n"))
                .hasMessage("a.go:3:9: expected ';', found 2");
        assertThatThrownBy(() -> parse("package p\nfunc f() {\n\tg(1, 2\n}\n"))
                .hasMessage("a.go:3:8: missing ',' before newline in argument list");
        assertThatThrownBy(() -> parse("package p\nvar x = 1 @ 2\n"))
                .hasMessage("a.go:2:11: illegal character U+0040 '@'");
        assertThatThrownBy(() -> parse("package p\nvar x = 09\n"))
                .hasMessage("a.go:2:10: invalid digit '9' in octal literal");
        assertThatThrownBy(() -> parse("")).hasMessage("a.go:1:1: expected 'package', found 'EOF'");
    }

    @Test
    void deepNestingIsASyntaxErrorNotAStackOverflow() {
        int n = 100_000;
        List<String> deep = List.of(
                "package p\nvar x = " + "(".repeat(n) + "1" + ")".repeat(n) + "\n",
                "package p\nvar x " + "[]".repeat(n) + "int\n",
                "package p\nvar x = " + "*".repeat(n) + "p\n",
                "package p\nvar x = " + "- ".repeat(n) + "1\n",
                "package p\nvar x = " + "<-".repeat(n) + "c\n",
                "package p\nvar x = T" + "{".repeat(n) + "}".repeat(n) + "\n",
                "package p\nvar x = T{" + "T{".repeat(n) + "}".repeat(n + 1) + "\n",
                "package p\nfunc f() " + "{".repeat(n) + "}".repeat(n) + "\n",
                "package p\nvar x = " + "func() { _ = ".repeat(n) + "1" + "}".repeat(n) + "\n",
                "package p\nvar x " + "map[int]".repeat(n) + "int\n",
                "package p\nvar x " + "chan ".repeat(n) + "int\n",
                "package p\nvar x " + "func(".repeat(n) + ")".repeat(n) + "\n",
                "package p\nvar x " + "struct{ f ".repeat(n) + "int" + "}".repeat(n) + "\n",
                "package p\nfunc f() {\n" + "for {\n".repeat(n) + "}\n".repeat(n) + "}\n",
                "package p\nvar x = a" + "[a".repeat(n) + "]".repeat(n) + "\n",
                "package p\nvar x = f" + "(f".repeat(n) + ")".repeat(n) + "\n");
        for (String source : deep) {
            assertThatThrownBy(() -> parse(source)).as(source.substring(0, 40))
                    .isInstanceOf(GoSyntaxException.class).hasMessageContaining("nesting too deep");
        }
    }

    /**
     * Just within the bound, the costliest shapes parse on a test thread's default stack; twice
     * as deep, they are too deep.
     */
    @Test
    void nestingWithinTheBoundParses() {
        for (int twice = 1; twice <= 2; twice++) {
            int max = (GoParser.MAX_DEPTH - 10) * twice;
            List<String> nested = List.of(
                    "package p\nfunc f() {\n" + "for {\n".repeat(max) + "}\n".repeat(max) + "}\n",
                    "package p\nvar x " + "struct{ f ".repeat(max) + "int" + "}".repeat(max) + "\n",
                    "package p\nvar x " + "func(".repeat(max / 2) + ")".repeat(max / 2) + "\n",
                    "package p\nvar x = " + "(".repeat(max / 2) + "1" + ")".repeat(max / 2) + "\n",
                    "package p\nvar x = a" + "[a".repeat(max / 2) + "]".repeat(max / 2) + "\n",
                    "package p\nvar x = T{" + "T{".repeat(max / 3) + "}".repeat(max / 3 + 1) + "\n",
                    "package p\nvar x = " + "func() { _ = ".repeat(max / 3) + "1" + "}".repeat(max / 3) + "\n");
            for (String source : nested) {
                if (twice == 1) {
                    assertThat(parse(source).decls()).as(source.substring(0, 40)).hasSize(1);
                } else {
                    assertThatThrownBy(() -> parse(source)).as(source.substring(0, 40))
                            .hasMessageContaining("nesting too deep");
                }
            }
        }
    }

    /** Chains are read in loops: their length is no nesting, and the deep tree they make can be walked. */
    @Test
    void longChainsParseAndTheirTreesCanBeWalked() {
        int n = 50_000;
        GoFile f = parse("package p\nvar x = 1" + " + 1".repeat(n) + "\nfunc g() {\n\tif a {\n\t}"
                + " else if a {\n\t}".repeat(n) + "\n\tx = y" + ".f".repeat(n) + "()[0]".repeat(n) + "\n}\n");
        int[] counts = new int[4];
        for (var decl : f.decls()) {
            Node.walk(decl, node -> {
                switch (node) {
                    case Expr.Binary b -> counts[0]++;
                    case Stmt.If i -> counts[1]++;
                    case Expr.Selector s -> counts[2]++;
                    case Expr.Index i -> counts[3]++;
                    default -> {
                    }
                }
            });
        }
        assertThat(counts).containsExactly(n, n + 1, n, n);
    }

    private static GoFile parse(String source) {
        return GoParser.parse("a.go", source.getBytes(StandardCharsets.UTF_8));
    }
}
