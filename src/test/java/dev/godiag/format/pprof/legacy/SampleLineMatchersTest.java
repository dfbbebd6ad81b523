package dev.godiag.format.pprof.legacy;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The linear-time stand-ins for pprof's sample and thread-header regexes. */
class SampleLineMatchersTest {
    @Test
    void contentionSampleSplitsADigitRunAsPprofsRegexDoes() {
        // "1234 @" has no space between the two numbers: backtracking makes them 123 and 4
        assertThat(ContentionSampleLine.match("1234 @ 0x1")).containsExactly("123", "4", " 0x1");
        assertThat(ContentionSampleLine.match("x 12  34 @ 0x1 y")).containsExactly("12", "34", " 0x1 ");
        assertThat(ContentionSampleLine.match("1 @ 0x1")).isNull();
        assertThat(HeapSampleLine.match("a-1: -2 [3: 4 ] @ 0x5"))
                .containsExactly("-1", "-2", "3", "4", " 0x5");
        assertThat(HeapSampleLine.match("1: 2 [3 : 4] @ 0x5")).isNull();
        assertThat(HeapSampleLine.match("1: 2 [3: 4]@ 0x5")).isNull();
    }

    /**
     * The linear matchers against pprof's regexes themselves, run by Java's engine (same
     * leftmost-first semantics as Go's; fine on short strings), on random lines made of the
     * characters that matter.
     */
    @Test
    void sampleMatchersAgreeWithPprofsRegexes() {
        java.util.regex.Pattern heap = java.util.regex.Pattern.compile(
                "(-?\\d+): *(-?\\d+) *\\[ *(\\d+): *(\\d+) *] @([ x0-9a-f]*)");
        java.util.regex.Pattern contention = java.util.regex.Pattern.compile("(\\d+) *(\\d+) @([ x0-9a-f]*)");
        java.util.regex.Pattern thread = java.util.regex.Pattern.compile(
                "--- Thread ([0-9A-Fa-f]+) \\(name: (.*)/(\\d+)\\) stack: ---");
        String[] heapLine = {"-", "12", ":", " ", "-", "3", " ", "[", " ", "45", ":", " ", "6", " ", "]", " @", " 0x1f",
            " 0xa"};
        String[] contentionLine = {"12", " ", "34", " @", " 0x1f", " 0xa"};
        String[] threadLine = {"--- Thread ", "1a", " (name: ", "x", "/", "12", ") stack: ---"};
        String[] parts = {"1", "23", "-", ":", " ", "[", "]", "@", "x", "0x1f", "a", " @ ", "/", "--- Thread ",
            " (name: ", ") stack: ---", "g"};
        Random random = new Random(7);
        int[] matched = new int[3];
        for (int i = 0; i < 200_000; i++) {
            String line = perturb(random, heapLine, parts);
            String[] h = groups(heap, line);
            assertThat(HeapSampleLine.match(line)).as(line).isEqualTo(h);
            String cline = perturb(random, contentionLine, parts);
            String[] c = groups(contention, cline);
            assertThat(ContentionSampleLine.match(cline)).as(cline).isEqualTo(c);
            String t = perturb(random, threadLine, parts);
            boolean isThread = thread.matcher(t).find();
            assertThat(ThreadHeader.find(t)).as(t).isEqualTo(isThread);
            matched[0] += h != null ? 1 : 0;
            matched[1] += c != null ? 1 : 0;
            matched[2] += isThread ? 1 : 0;
        }
        assertThat(Arrays.stream(matched).min().orElse(0))
                .as("matches per pattern %s, so that the agreement means something", Arrays.toString(matched))
                .isGreaterThan(300);
    }

    /** The Java agent's attribute, sample and symbol-table lines against pprof's regexes. */
    @Test
    void javaMatchersAgreeWithPprofsRegexes() {
        // Go's \w is [0-9A-Za-z_], \s is [\t\n\f\r ], '.' is anything but '\n'
        java.util.regex.Pattern attribute = java.util.regex.Pattern.compile("([0-9A-Za-z_ ]+)=([0-9A-Za-z_ ]+)");
        java.util.regex.Pattern sample = java.util.regex.Pattern.compile(" *([0-9]+) +([0-9]+) +@ +([ x0-9a-f]*)");
        java.util.regex.Pattern symbol = java.util.regex.Pattern.compile(
                "^[\\t\\n\\f\\r ]*0x([0-9A-Fa-f]+)[\\t\\n\\f\\r ]+([^\\n]*)[\\t\\n\\f\\r ]*\\z");
        java.util.regex.Pattern fileLine = java.util.regex.Pattern.compile(
                "^([^\\n]*)[\\t\\n\\f\\r ]+\\(([^\\n]+):(-?[0-9]+)\\)\\z");
        java.util.regex.Pattern path = java.util.regex.Pattern.compile(
                "^([^\\n]*)[\\t\\n\\f\\r ]+\\(([^\\n]*)\\)\\z");
        String[] attributeLine = {"sampling", " ", "period", " ", "=", " ", "100"};
        String[] sampleLine = {" ", "12", "  ", "3", " ", "@", " ", "0x1f", " ", "0xa"};
        String[] symbolLine = {"0x", "1f", " ", "com.x.Foo.run", " ", "(", "Foo.java", ":", "12", ")"};
        String[] parts = {"1", "23", "-", ":", " ", "\t", "(", ")", "=", "@", "x", "0x", "0x1f", "a", ".", "/",
            "lib/x.so", "Foo.java", "_", "é"};
        Random random = new Random(11);
        int[] matched = new int[5];
        for (int i = 0; i < 100_000; i++) {
            String a = perturb(random, attributeLine, parts);
            String[] ag = groups(attribute, a);
            assertThat(JavaProfileParser.attribute(a)).as(a).isEqualTo(ag);
            String sl = perturb(random, sampleLine, parts);
            String[] sg = groups(sample, sl);
            assertThat(JavaProfileParser.sample(sl)).as(sl).isEqualTo(sg);
            String sym = GoStrings.trimSpace(perturb(random, symbolLine, parts));
            String[] yg = groups(symbol, sym);
            assertThat(JavaProfileParser.symbolLine(sym)).as(sym).isEqualTo(yg);
            String rest = sym.length() > 3 ? sym.substring(3) : sym;
            String[] fg = groups(fileLine, rest);
            assertThat(JavaProfileParser.functionFileLine(rest)).as(rest).isEqualTo(fg);
            String[] pg = groups(path, rest);
            assertThat(JavaProfileParser.functionPath(rest)).as(rest).isEqualTo(pg);
            matched[0] += ag != null ? 1 : 0;
            matched[1] += sg != null ? 1 : 0;
            matched[2] += yg != null ? 1 : 0;
            matched[3] += fg != null ? 1 : 0;
            matched[4] += pg != null ? 1 : 0;
        }
        assertThat(Arrays.stream(matched).min().orElse(0))
                .as("matches per pattern %s, so that the agreement means something", Arrays.toString(matched))
                .isGreaterThan(300);
    }

    /** A valid line's tokens, each kept, dropped, replaced or preceded by a random part. */
    private static String perturb(Random random, String[] template, String[] parts) {
        StringBuilder b = new StringBuilder();
        for (String token : template) {
            int dice = random.nextInt(20);
            if (dice == 0) {
                continue;
            }
            if (dice <= 2) {
                b.append(parts[random.nextInt(parts.length)]);
            }
            b.append(dice == 3 ? parts[random.nextInt(parts.length)] : token);
        }
        return b.toString();
    }

    private static String[] groups(java.util.regex.Pattern p, String line) {
        java.util.regex.Matcher m = p.matcher(line);
        if (!m.find()) {
            return null;
        }
        String[] g = new String[m.groupCount()];
        for (int i = 0; i < g.length; i++) {
            g[i] = m.group(i + 1);
        }
        return g;
    }
}
