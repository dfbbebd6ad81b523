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
