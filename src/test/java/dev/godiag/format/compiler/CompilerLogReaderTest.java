package dev.godiag.format.compiler;

import dev.godiag.model.compiler.BoundsCheck;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.model.compiler.Escape;
import dev.godiag.model.compiler.EscapeKind;
import dev.godiag.model.compiler.EscapeReason;
import dev.godiag.model.compiler.InlineDecision;
import dev.godiag.testutil.EscapesFixture;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.godiag.testutil.EscapesFixture.compilerJson;
import static dev.godiag.testutil.EscapesFixture.compilerOutput;
import static dev.godiag.testutil.EscapesFixture.lineOf;
import static dev.godiag.testutil.EscapesFixture.markers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reader on the compiler's real output for testdata/gen/escapes, under Go 1.19 and Go 1.27:
 * every escape marked in the source ("// escape: REASON") is found at its line in each form, with
 * its reason where the form explains it (-m=2, JSON), and the counts equal the compiler's own lines.
 */
class CompilerLogReaderTest {
    static CompilerDiagnostics read(String text) {
        return CompilerLogReader.read(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Escape> atLine(CompilerDiagnostics d, int line) {
        return d.escapes().stream().filter(e -> e.pos().file().endsWith("main.go") && e.pos().line() == line
                && e.kind() != EscapeKind.LEAKING_PARAM).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void everyMarkedEscapeIsFoundAtItsLineWithM(String version) {
        CompilerDiagnostics d = read(compilerOutput(version, "-m"));
        markers().forEach((line, reason) -> assertThat(atLine(d, line)).as("line %d (%s)", line, reason).isNotEmpty()
                .allSatisfy(e -> assertThat(e.reason()).isEqualTo(EscapeReason.UNKNOWN)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void everyMarkedEscapeHasItsReasonWithM2(String version) {
        CompilerDiagnostics d = read(compilerOutput(version, "-m=2"));
        markers().forEach((line, reason) -> {
            List<Escape> found = atLine(d, line);
            assertThat(found).as("line %d", line).isNotEmpty();
            assertThat(found).as("line %d: %s", line, found).anySatisfy(e -> {
                assertThat(e.reason().id()).isEqualTo(reason);
                assertThat(e.flow()).isNotEmpty();
            });
        });
        // the closure's variable is the one the compiler moves
        assertThat(atLine(d, EscapesFixture.markedLine("closure"))).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(EscapeKind.MOVED);
            assertThat(e.what()).isEqualTo("total");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void everyMarkedEscapeHasItsReasonInJson(String version, @TempDir Path dir) throws Exception {
        List<Path> files = compilerJson(version, dir);
        assertThat(files).isNotEmpty();
        List<CompilerDiagnostics> parts = new ArrayList<>();
        for (Path f : files) {
            parts.add(CompilerLogReader.read(Files.readAllBytes(f)));
        }
        CompilerDiagnostics d = CompilerDiagnostics.merge(parts);
        markers().forEach((line, reason) -> assertThat(atLine(d, line)).as("line %d", line)
                .anySatisfy(e -> assertThat(e.reason().id()).isEqualTo(reason)));
        assertThat(atLine(d, lineOf("total := start"))).anySatisfy(e -> assertThat(e.kind()).isEqualTo(EscapeKind.MOVED));
        assertChecksumNotInlined(d);
        assertThat(d.boundsChecks()).anySatisfy(b -> assertThat(b.pos().line()).isEqualTo(lineOf("// bounds: index")));
    }

    /** The recognizer tells the compiler's output in both forms from other logs, and reads it whole. */
    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void theRecognizerKnowsBothForms(String version, @TempDir Path dir) throws Exception {
        for (String flags : List.of("-m", "-m=2", "-d=ssa/check_bce/debug=1")) {
            byte[] text = compilerOutput(version, flags).getBytes(StandardCharsets.UTF_8);
            assertThat(dev.godiag.format.Inputs.detect(text)).as(flags).isEqualTo(dev.godiag.format.InputKind.COMPILER_LOG);
            assertThat(dev.godiag.format.Inputs.read(new dev.godiag.format.Source.Bytes("m.log", text),
                    dev.godiag.format.ReadLimits.DEFAULT)).isInstanceOfSatisfying(dev.godiag.format.Input.CompilerLog.class,
                    c -> assertThat(c.diagnostics()).isEqualTo(read(new String(text, StandardCharsets.UTF_8))));
        }
        for (Path f : compilerJson(version, dir)) {
            assertThat(dev.godiag.format.Inputs.detect(Files.readAllBytes(f))).as(f.toString())
                    .isEqualTo(dev.godiag.format.InputKind.COMPILER_LOG);
        }
        assertThat(dev.godiag.format.Inputs.detect("gc 1 @0.010s 2%: 0.1+0.2+0.03 ms clock, 0.1+0.2/0.1/0+0.03 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 8 P\n"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(dev.godiag.format.InputKind.GCTRACE);
        assertThat(dev.godiag.format.Inputs.detect("./main.go:3:2: undefined: foo\n".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(dev.godiag.format.InputKind.COMPILER_LOG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void inliningDecisionsAndCallsMatchTheCompilersLines(String version) {
        String out = compilerOutput(version, "-m=2");
        CompilerDiagnostics d = read(out);
        assertChecksumNotInlined(d);
        assertThat(d.inlining()).filteredOn(i -> i.function().equals("checksum")).singleElement()
                .satisfies(i -> assertThat(i.pos().line()).isEqualTo(lineOf("func checksum(")));
        assertThat(d.inlining()).filteredOn(InlineDecision::inlinable).hasSize(distinct(out, ": can inline "));
        assertThat(d.inlining()).filteredOn(i -> !i.inlinable()).hasSize(distinct(out, ": cannot inline "));
        assertThat(d.inlinedCalls()).hasSize(count(out, ": inlining call to "));
    }

    private static void assertChecksumNotInlined(CompilerDiagnostics d) {
        int line = lineOf("func checksum(");
        assertThat(d.inlining()).filteredOn(i -> i.pos().line() == line && i.pos().file().endsWith("main.go"))
                .singleElement().satisfies(i -> {
                    assertThat(i.inlinable()).isFalse();
                    assertThat(i.budget()).isEqualTo(80);
                    assertThat(i.cost()).isGreaterThan(80);
                    assertThat(i.reason()).isEqualTo("function too complex: cost " + i.cost() + " exceeds budget 80");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"-m", "-m=2"})
    void escapeCountsEqualTheCompilersDistinctLines(String flags) {
        for (String version : List.of("1.19", "1.27")) {
            String out = compilerOutput(version, flags);
            CompilerDiagnostics d = read(out);
            assertThat(d.escapes()).as(version).filteredOn(e -> e.kind() == EscapeKind.MOVED)
                    .hasSize(distinct(out, ": moved to heap: "));
            assertThat(d.escapes()).as(version).filteredOn(e -> e.kind() == EscapeKind.ESCAPES)
                    .hasSize(distinctEnding(out, " escapes to heap"));
            assertThat(d.escapes()).as(version).filteredOn(e -> e.kind() == EscapeKind.LEAKING_PARAM)
                    .hasSize(leakingParams(out));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void boundsChecksAreTheCompilersFoundLines(String version) {
        String out = compilerOutput(version, "-d=ssa/check_bce/debug=1");
        CompilerDiagnostics d = read(out);
        assertThat(d.boundsChecks()).hasSize(count(out, ": Found Is"));
        assertThat(d.boundsChecks()).filteredOn(b -> b.pos().line() == lineOf("// bounds: index"))
                .singleElement().satisfies(b -> assertThat(b.slice()).isFalse());
        assertThat(d.boundsChecks()).extracting(BoundsCheck::slice).contains(true);
    }

    /**
     * Distinct leaking parameters by place and name: "leaking param: p" verdicts and the -m=2
     * explanations "parameter p leaks to ..." of Go 1.27 whose verdict another package's build printed.
     */
    private static int leakingParams(String out) {
        Pattern verdict = Pattern.compile("^(.+:\\d+:\\d+): leaking param(?: content)?: (\\S+)");
        Pattern explanation = Pattern.compile("^(.+:\\d+:\\d+): parameter (\\S+) leaks to ");
        Set<String> s = new LinkedHashSet<>();
        for (String l : out.lines().toList()) {
            Matcher m = verdict.matcher(l);
            Matcher x = explanation.matcher(l);
            if (m.find()) {
                s.add(m.group(1) + " " + m.group(2));
            } else if (x.find()) {
                s.add(x.group(1) + " " + x.group(2));
            }
        }
        return s.size();
    }

    /** Lines of the output containing the text. */
    private static int count(String out, String text) {
        return (int) out.lines().filter(l -> l.contains(text)).count();
    }

    /** Distinct lines containing the text (the compiler prints some facts twice). */
    private static int distinct(String out, String text) {
        Set<String> s = new LinkedHashSet<>();
        out.lines().filter(l -> l.contains(text)).forEach(s::add);
        return s.size();
    }

    private static int distinctEnding(String out, String suffix) {
        Set<String> s = new LinkedHashSet<>();
        out.lines().filter(l -> l.endsWith(suffix) && !l.contains(":   ")).forEach(s::add);
        return s.size();
    }

    @Test
    void buildErrorsAndHeadersAmongDiagnosticsArePassedOver() {
        CompilerDiagnostics d = read("""
                # example.com/app
                ./main.go:3:2: undefined: foo
                ./main.go:7:6: can inline f with cost 4 as: func() int { return 1 }
                ./main.go:9:13: make([]byte, n) escapes to heap
                go: some module message
                ./main.go:9
                """);
        assertThat(d.inlining()).singleElement().satisfies(i -> {
            assertThat(i.function()).isEqualTo("f");
            assertThat(i.cost()).isEqualTo(4);
        });
        assertThat(d.escapes()).singleElement().satisfies(e -> assertThat(e.what()).isEqualTo("make([]byte, n)"));
    }

    @Test
    void leakingParamsTakeTheirExplanation() {
        CompilerDiagnostics d = read("""
                ./a.go:5:9: parameter p leaks to {heap} with derefs=0:
                ./a.go:5:9:   flow: {heap} = p:
                ./a.go:5:9:     from global = p (assign) at ./a.go:6:9
                ./a.go:5:9: leaking param: p
                """);
        assertThat(d.escapes()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EscapeKind.LEAKING_PARAM);
            assertThat(e.what()).isEqualTo("p");
            assertThat(e.flow()).hasSize(2);
            assertThat(e.flow().get(1).at().line()).isEqualTo(6);
            assertThat(e.reason()).isEqualTo(EscapeReason.STORED);
        });
    }

    @Test
    void badInputIsOneLine() {
        for (byte[] bad : List.of("hello\nworld\n".getBytes(StandardCharsets.UTF_8), new byte[]{0x1f, (byte) 0x8b, 0, 1},
                "{\"version\":0,\"package\":\"main\",\"gc_version\":\"go1.27\",\"file\":\"a.go\"}\n{\"range\":{\"start\""
                        .getBytes(StandardCharsets.UTF_8),
                "{\"version\":0,\"package\":\"main\",\"gc_version\":\"go1.27\",\"file\":\"a.go\"}\n[1,2]"
                        .getBytes(StandardCharsets.UTF_8),
                new byte[0])) {
            assertThatThrownBy(() -> CompilerLogReader.read(bad)).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").isNotBlank());
        }
    }
}
