package dev.godiag.format.trace;

import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GoSort against Go 1.27's own slices.SortFunc (testdata/gen/gosort): the same keys leave the
 * handles in the same order, ties included, on short and long slices, sorted, reversed, few
 * distinct values and random ones (pdqsort's insertion, partition, pattern-breaking and heapsort paths).
 */
class GoSortTest {
    @Test
    void handlesWithEqualKeysEndWhereGosSortLeavesThem() throws IOException, InterruptedException {
        Random r = new Random(20261202);
        List<long[]> cases = new ArrayList<>();
        for (int c = 0; c < 600; c++) {
            int n = c < 40 ? c : 1 + r.nextInt(c % 3 == 0 ? 400 : 90);
            long[] keys = new long[n];
            int shape = c % 6;
            for (int i = 0; i < n; i++) {
                keys[i] = switch (shape) {
                    case 0 -> r.nextInt(4);
                    case 1 -> i / 3;
                    case 2 -> n - i / 2;
                    case 3 -> r.nextLong(1_000_000);
                    case 4 -> i % 7 == 0 ? r.nextInt(5) : i;
                    default -> (i * 37L) % 11;
                };
            }
            cases.add(keys);
        }
        Path bin = GoFixtures.build(Tools.go127(), "gosort");
        Path in = Files.createTempFile("gosort", ".in");
        Path out = Files.createTempFile("gosort", ".out");
        try {
            Files.writeString(in, cases.stream().map(k -> Arrays.stream(k).mapToObj(Long::toString)
                    .collect(Collectors.joining(" "))).collect(Collectors.joining("\n", "", "\n")));
            Process p = new ProcessBuilder(bin.toString()).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("hang guard").isTrue();
            assertThat(p.exitValue()).isZero();
            List<String> go = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertThat(go).hasSize(cases.size());
            for (int c = 0; c < cases.size(); c++) {
                long[] keys = cases.get(c);
                int[] handles = new int[keys.length];
                for (int i = 0; i < handles.length; i++) {
                    handles[i] = i;
                }
                GoSort.sort(handles, handles.length, h -> keys[h]);
                String ours = Arrays.stream(handles).mapToObj(Integer::toString).collect(Collectors.joining(" "));
                assertThat(ours).as("case %d: %s", c, Arrays.toString(keys)).isEqualTo(go.get(c));
            }
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }
}
