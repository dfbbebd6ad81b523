package dev.godiag.format.compiler;

import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.util.BadInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the lines (the compiler's own messages in both versions' wordings, cut, mixed with
 * JSON diagnostics and junk), the reader returns diagnostics or refuses with one line; and what
 * it returns holds only positive lines.
 */
class CompilerLogReaderFuzzProperties {
    @Property(tries = 400)
    void readerNeverCrashes(@ForAll("logs") List<String> lines, @ForAll boolean json) {
        String header = "{\"version\":0,\"package\":\"main\",\"goos\":\"linux\",\"goarch\":\"amd64\","
                + "\"gc_version\":\"go1.27.3\",\"file\":\"a.go\"}";
        String text = (json ? header + "\n" : "") + String.join("\n", lines);
        try {
            CompilerDiagnostics d = CompilerLogReader.read(text.getBytes(StandardCharsets.UTF_8));
            d.escapes().forEach(e -> assertThat(e.pos().line()).isPositive());
            d.boundsChecks().forEach(b -> assertThat(b.pos().line()).isPositive());
            d.inlining().forEach(i -> assertThat(i.pos().line()).isPositive());
        } catch (BadInputException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").hasSizeLessThan(600);
        }
    }

    @Provide
    Arbitrary<List<String>> logs() {
        Arbitrary<String> files = Arbitraries.of("./main.go", "example.com/a/main.go", "/abs/x.go", "C:\\x.go", "a.go",
                "");
        Arbitrary<String> nums = Arbitraries.of("1", "0", "12", "-3", "99999999999", "x", "");
        Arbitrary<String> messages = Arbitraries.of("moved to heap: buf", "make([]byte, n) escapes to heap",
                "v escapes to heap:", "v escapes to heap in f:", "  flow: {heap} = &{storage for v}:",
                "  flow: {heap} \u2190 &{storage for v}:", "    from v (spill) at ./main.go:3:4",
                "    from sinkAny = v (assign) at ./main.go:3", "    from return buf (return)",
                "    from total (captured by a closure) at x.go:1:1", "    from x (interface-converted)",
                "    from x (too large for stack)", "    from x (non-constant size)", "    from f(x) (call parameter)",
                "leaking param: p", "leaking param content: p", "leaking param: p to result ~r0 level=0",
                "parameter p leaks to {heap} with derefs=0:", "can inline f", "can inline f with cost 12 as: func() {}",
                "cannot inline f: function too complex: cost 123 exceeds budget 80", "cannot inline f: marked go:noinline",
                "cannot inline f: function too complex: cost 99999999999 exceeds budget 80",
                "inlining call to fmt.Println", "Found IsInBounds", "Found IsSliceInBounds", "x does not escape",
                "undefined: foo", "", " escapes to heap", "moved to heap: ");
        Arbitrary<String> positioned = Arbitraries.strings().ofMaxLength(2).flatMap(cut -> files.flatMap(f ->
                nums.flatMap(l -> nums.flatMap(c -> messages.map(m -> {
                    String line = f + ":" + l + ":" + c + ": " + m;
                    return cut.isEmpty() ? line : line.substring(0, Math.max(0, line.length() - cut.length() * 7));
                })))));
        Arbitrary<String> json = Arbitraries.of("{\"range\":{\"start\":{\"line\":3,\"character\":4}},\"code\":\"escape\","
                        + "\"message\":\"\"}",
                "{\"range\":{\"start\":{\"line\":3,\"character\":4}},\"code\":\"escape\",\"message\":\"v escapes to heap\","
                        + "\"relatedInformation\":[{\"location\":{\"uri\":\"file://a.go\",\"range\":{\"start\":{\"line\":3,"
                        + "\"character\":4}}},\"message\":\"escflow:    flow: {heap} = &{storage for v}:\"}]}",
                "{\"range\":{\"start\":{\"line\":0}},\"code\":\"isInBounds\"}",
                "{\"range\":{\"start\":{\"line\":9,\"character\":1}},\"code\":\"cannotInlineFunction\","
                        + "\"message\":\"function too complex: cost 100 exceeds budget 80\"}",
                "{\"range\":[],\"code\":1}", "{}", "[", "{\"range\":{\"start\":{\"line\":1e400}}}", "{\"a\":{\"b\":{\"c\":"
                        + "{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":1}}}}}}}}}}}}}}}}}");
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> header = Arbitraries.of("# example.com/app", "# command-line-arguments", "go: downloading x");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, positioned), net.jqwik.api.Tuple.of(2, json),
                net.jqwik.api.Tuple.of(1, junk), net.jqwik.api.Tuple.of(1, header)).list().ofMaxSize(30);
    }
}
