package dev.godiag.format.compiler;

import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.model.compiler.EscapeReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reasons from flows as Go prints them (copied from real -m=2 output of Go 1.19 and 1.27) for the
 * reasons the escapes fixture does not produce under both versions.
 */
class EscapeReasonsTest {
    private static EscapeReason reasonOf(String log) {
        CompilerDiagnostics d = CompilerLogReader.read(log.getBytes(StandardCharsets.UTF_8));
        assertThat(d.escapes()).hasSize(1);
        return d.escapes().getFirst().reason();
    }

    @Test
    void nonConstantSizeFromGo119() {
        assertThat(reasonOf("""
                ./main.go:34:13: make([]byte, n) escapes to heap:
                ./main.go:34:13:   flow: {heap} = &{storage for make([]byte, n)}:
                ./main.go:34:13:     from make([]byte, n) (non-constant size) at ./main.go:34:13
                ./main.go:34:13: make([]byte, n) escapes to heap
                """)).isEqualTo(EscapeReason.NON_CONSTANT_SIZE);
    }

    @Test
    void tooLargeFromGo127() {
        assertThat(reasonOf("""
                ./main.go:6:11: make([]byte, 1048576) escapes to heap in f:
                ./main.go:6:11:   flow: {heap} ← &{storage for make([]byte, 1048576)}:
                ./main.go:6:11:     from make([]byte, 1048576) (too large for stack) at ./main.go:6:11
                ./main.go:6:11: make([]byte, 1048576) escapes to heap
                """)).isEqualTo(EscapeReason.TOO_LARGE);
    }

    @Test
    void passedToALeakingParameter() {
        assertThat(reasonOf("""
                example.com/a/main.go:110:27: "usage" escapes to heap in main:
                example.com/a/main.go:110:27:   flow: {storage for ... argument} \u2190 &{storage for "usage"}:
                example.com/a/main.go:110:27:     from "usage" (spill) at example.com/a/main.go:110:27
                example.com/a/main.go:110:27:     from ... argument (slice-literal-element) at example.com/a/main.go:110:15
                example.com/a/main.go:110:27:   flow: {heap} \u2190 {storage for ... argument}:
                example.com/a/main.go:110:27:     from ... argument (spill) at example.com/a/main.go:110:15
                example.com/a/main.go:110:27:     from fmt.Fprintln(os.Stderr, ... argument...) (call parameter) at example.com/a/main.go:110:15
                example.com/a/main.go:110:27: "usage" escapes to heap
                """)).isEqualTo(EscapeReason.CALL);
    }

    @Test
    void storedInAnotherObjectFromGo127() {
        assertThat(reasonOf("""
                bufio/bufio.go:599:12: make([]byte, size) escapes to heap in NewWriterSize:
                bufio/bufio.go:599:12:   flow: {storage for &Writer{...}} \u2190 &{storage for make([]byte, size)}:
                bufio/bufio.go:599:12:     from make([]byte, size) (spill) at bufio/bufio.go:599:12
                bufio/bufio.go:599:12:     from Writer{...} (struct literal element) at bufio/bufio.go:598:16
                bufio/bufio.go:599:12: make([]byte, size) escapes to heap
                """)).isEqualTo(EscapeReason.STORED);
    }

    /** Two escapes at one column (Go 1.27's flag.go): each verdict takes its own explanation. */
    @Test
    void twoEscapesAtOnePlaceKeepTheirOwnFlows() {
        CompilerDiagnostics d = CompilerLogReader.read("""
                flag/flag.go:1206:27: f.defaultUsage escapes to heap in init.0:
                flag/flag.go:1206:27:   flow: {heap} \u2190 &{storage for f.defaultUsage}:
                flag/flag.go:1206:27:     from f.defaultUsage (spill) at flag/flag.go:1206:27
                flag/flag.go:1206:27:     from f.Usage = f.defaultUsage (assign) at flag/flag.go:1206:27
                flag/flag.go:1206:27: &FlagSet{...} escapes to heap in init.0:
                flag/flag.go:1206:27:   flow: f \u2190 &{storage for &FlagSet{...}}:
                flag/flag.go:1206:27:     from &FlagSet{...} (spill) at flag/flag.go:1206:27
                flag/flag.go:1206:27:     from f := &FlagSet{...} (assign) at flag/flag.go:1206:27
                flag/flag.go:1206:27:   flow: ~r0 \u2190 f:
                flag/flag.go:1206:27:     from ~r0 = f (assign-pair) at flag/flag.go:1206:27
                flag/flag.go:1206:27:   flow: {heap} \u2190 ~r0:
                flag/flag.go:1206:27:     from CommandLine = ~r0 (assign) at flag/flag.go:1206:15
                flag/flag.go:1206:27: &FlagSet{...} escapes to heap
                flag/flag.go:1206:27: f.defaultUsage escapes to heap
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(d.escapes()).extracting(e -> e.what() + " " + e.flow().size() + " " + e.function())
                .containsExactly("&FlagSet{...} 7 init.0", "f.defaultUsage 3 init.0");
        assertThat(d.escapes().getFirst().reason()).isEqualTo(EscapeReason.STORED);
    }

    @Test
    void withoutAFlowTheReasonIsUnknown() {
        assertThat(reasonOf("./main.go:42:2: moved to heap: total\n")).isEqualTo(EscapeReason.UNKNOWN);
    }

    /** A step at a wrapper the compiler made has a line and no column; its tag still counts. */
    @Test
    void aCallInAnAutogeneratedWrapperFromGo127() {
        CompilerDiagnostics d = CompilerLogReader.read("""
                /usr/lib/go-1.27/src/io/io.go:87:7: parameter io.p leaks to {heap} for struct { io.Reader; io.WriterTo }.Read with derefs=0:
                /usr/lib/go-1.27/src/io/io.go:87:7:   flow: {heap} ← io.p:
                /usr/lib/go-1.27/src/io/io.go:87:7:     from ~p0.Reader.Read(io.p) (call parameter) at <autogenerated>:1
                /usr/lib/go-1.27/src/io/io.go:87:7: leaking param: io.p
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(d.escapes()).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(EscapeReason.CALL);
            assertThat(e.flow().get(1).at()).hasToString("<autogenerated>:1");
        });
    }

    /** Go 1.27 names a parameter inlined from another package qualified in its explanation only. */
    @Test
    void aQualifiedExplanationJoinsItsLeakingParamFromGo127() {
        assertThat(reasonOf("""
                /usr/lib/go-1.27/src/log/log.go:267:22: parameter log.b leaks to log.~r0 for (*Logger).Printf.func1 with derefs=0:
                /usr/lib/go-1.27/src/log/log.go:267:22:   flow: {temp} ← log.b:
                /usr/lib/go-1.27/src/log/log.go:267:22:     from fmt.Appendf(log.b, log.format, log.v...) (call parameter) at /usr/lib/go-1.27/src/log/log.go:268:21
                /usr/lib/go-1.27/src/log/log.go:267:22:   flow: log.~r0 ← {temp}:
                /usr/lib/go-1.27/src/log/log.go:267:22:     from return fmt.Appendf(log.b, log.format, log.v...) (return) at /usr/lib/go-1.27/src/log/log.go:268:3
                /usr/lib/go-1.27/src/log/log.go:267:22: leaking param: b to result ~r0 level=0
                """)).isEqualTo(EscapeReason.RETURNED);
    }

    /** An element of a slice literal stored in a map: stored, unlike a variadic call's "... argument". */
    @Test
    void storedInASliceLiteralFromGo127() {
        assertThat(reasonOf("""
                net/http/client.go:258:43: "Basic " + ~r0 escapes to heap in send:
                net/http/client.go:258:43:   flow: value ← &{storage for "Basic " + ~r0}:
                net/http/client.go:258:43:     from "Basic " + ~r0 (spill) at net/http/client.go:258:43
                net/http/client.go:258:43:     from h, key, value := req.Header, "Authorization", "Basic " + ~r0 (assign-pair) at net/http/client.go:258:17
                net/http/client.go:258:43:   flow: {storage for []string{...}} ← value:
                net/http/client.go:258:43:     from []string{...} (slice-literal-element) at net/http/client.go:258:17
                net/http/client.go:258:43: "Basic " + ~r0 escapes to heap
                """)).isEqualTo(EscapeReason.STORED);
    }
}
