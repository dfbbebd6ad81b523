package dev.godiag.format.runtime;

import dev.godiag.model.GcTrace;
import dev.godiag.testutil.Corpus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Corpus gctrace logs cut, spliced and overwritten at random: the reader never throws, counts every
 * line, and each warning names a line of the input.
 */
class GcTraceFuzzProperties {
    private static final List<String> SEEDS = List.of("go1.19/cpuwork/gctrace.log", "go1.27/leakysvc/gctrace.log");

    @Property(tries = 300)
    void mutatedLogsNeverThrow(@ForAll("seeds") int seed, @ForAll("edits") List<int[]> edits) throws IOException {
        byte[] b = Files.readAllBytes(Corpus.file(SEEDS.get(seed)));
        for (int[] e : edits) {
            int at = Math.floorMod(e[0], b.length);
            switch (e[1]) {
                case 0 -> b = java.util.Arrays.copyOf(b, at); // truncate
                case 1 -> b[at] = (byte) e[2]; // overwrite a byte
                default -> { // splice a huge number in
                    byte[] big = "100000000000000000000000000000".getBytes();
                    byte[] n = new byte[b.length + big.length];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(big, 0, n, at, big.length);
                    System.arraycopy(b, at, n, at + big.length, b.length - at);
                    b = n;
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        GcTrace t = GcTraceReader.read(new ByteArrayInputStream(b), "fuzz");
        long newlines = 0;
        for (byte x : b) {
            if (x == '\n') {
                newlines++;
            }
        }
        long expectedLines = newlines + (b.length > 0 && b[b.length - 1] != '\n' ? 1 : 0);
        assertThat(t.lines()).isEqualTo(expectedLines);
        for (String w : t.warnings()) {
            long line = Long.parseLong(w.substring(5, w.indexOf(':')));
            assertThat(line).isBetween(1L, expectedLines);
        }
    }

    @Provide
    Arbitrary<Integer> seeds() {
        return Arbitraries.integers().between(0, SEEDS.size() - 1);
    }

    @Provide
    Arbitrary<List<int[]>> edits() {
        Arbitrary<int[]> edit = Arbitraries.integers().array(int[].class).ofSize(3)
                .map(a -> new int[]{a[0], Math.floorMod(a[1], 3), a[2]});
        return edit.list().ofMaxSize(6);
    }
}
