package dev.godiag.format.heapdump;

import dev.godiag.analysis.retention.Retention;
import dev.godiag.format.elf.ElfSymbols;
import dev.godiag.model.heap.HeapGraph;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;
import dev.godiag.util.BadInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real heap dump (testdata/gen/retention with -scale 0, Go 1.27) cut, overwritten and spliced at
 * random: the reader gives a graph whose every edge and root edge names an object, or one line;
 * never another exception, never an allocation from a damaged length.
 */
class HeapDumpFuzzProperties {
    private static final Path DIR;
    private static final Path BINARY;
    private static final byte[] DUMP;
    private static final ElfSymbols SYMBOLS;

    static {
        try {
            BINARY = GoFixtures.build(Tools.go127(), "retention");
            DIR = Files.createTempDirectory("godiag-heapdump-fuzz");
            Path dump = DIR.resolve("seed.dump");
            Process p = new ProcessBuilder(BINARY.toString(), "-scale", "0", "-out", dump.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("testdata/gen/retention failed");
            }
            DUMP = Files.readAllBytes(dump);
            SYMBOLS = ElfSymbols.read(BINARY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Property(tries = 300)
    void mutatedDumpsAreReadOrRefusedInOneLine(@ForAll("edits") List<int[]> edits) throws IOException {
        byte[] b = DUMP.clone();
        for (int[] e : edits) {
            // most of a dump is buffer contents; aim half the edits at the first 64 KiB of records
            int at = Math.floorMod(e[0], e[3] % 2 == 0 ? Math.min(b.length, 1 << 16) : b.length);
            switch (e[1]) {
                case 0 -> b = Arrays.copyOf(b, at); // truncate
                case 1 -> b[at] = (byte) e[2]; // overwrite a byte
                default -> { // splice in a uvarint of 2^63 and more
                    byte[] big = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                            (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
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
        Path f = DIR.resolve("mutated.dump");
        Files.write(f, b);
        HeapGraph g;
        try {
            g = HeapDumpReader.read(f, SYMBOLS);
        } catch (BadInputException ex) {
            assertThat(ex.getMessage()).doesNotContain("\n").isNotBlank();
            return;
        }
        int n = g.objectCount();
        assertThat(g.edgeStart()).hasSize(n + 1);
        for (int t : g.edgeTarget()) {
            assertThat(t).isBetween(0, n - 1);
        }
        for (int t : g.rootEdgeTarget()) {
            assertThat(t).isBetween(0, n - 1);
        }
        long total = 0;
        for (long s : g.size()) {
            total += s;
        }
        assertThat(Retention.compute(g).reachableBytes()).isBetween(0L, total);
    }

    @Provide
    Arbitrary<List<int[]>> edits() {
        Arbitrary<int[]> edit = Arbitraries.integers().array(int[].class).ofSize(4)
                .map(a -> new int[]{a[0], Math.floorMod(a[1], 3), a[2], Math.floorMod(a[3], 2)});
        return edit.list().ofMinSize(1).ofMaxSize(4);
    }
}
