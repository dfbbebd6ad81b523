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
 * never another exception, never an allocation from a damaged length. And the binary's DWARF
 * damaged: types change names in the profile, never what a root retains, never an exception.
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
        for (int i = 0; i < g.interior().edge().length; i++) {
            int k = g.interior().edge()[i];
            assertThat(k).isBetween(0, g.edgeCount() - 1);
            assertThat((long) g.interior().offset()[i]).isBetween(1L, g.size()[g.edgeTarget()[k]] - 1);
        }
        long total = 0;
        for (long s : g.size()) {
            total += s;
        }
        assertThat(Retention.compute(g).reachableBytes()).isBetween(0L, total);
    }

    /** A binary with uncompressed DWARF (so that damage reaches the entries), its dump, and what it retains. */
    private static final class Plain {
        static final Path BINARY = GoFixtures.build(Tools.go127(), "retention", "-ldflags=-compressdwarf=false");
        static final byte[] BYTES;
        static final Path DUMP = DIR.resolve("plain.dump");
        static final long[][] SECTIONS; // .debug_info and .debug_abbrev: offset, size
        static final java.util.Map<String, Long> RETAINED = new java.util.HashMap<>();

        static {
            try {
                Process p = new ProcessBuilder(BINARY.toString(), "-scale", "0", "-chain", "20", "-out",
                        DUMP.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new AssertionError("testdata/gen/retention failed");
                }
                BYTES = Files.readAllBytes(BINARY);
                SECTIONS = new long[][]{section(BYTES, ".debug_info"), section(BYTES, ".debug_abbrev")};
                Retention.compute(HeapDumpReader.read(DUMP, ElfSymbols.read(BINARY))).roots()
                        .forEach(r -> RETAINED.put(r.name(), r.bytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        /** A section's file offset and size, from the ELF section headers. */
        static long[] section(byte[] elf, String name) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int shoff = (int) b.getLong(0x28);
            int entsize = Short.toUnsignedInt(b.getShort(0x3a));
            int count = Short.toUnsignedInt(b.getShort(0x3c));
            int names = (int) b.getLong(shoff + Short.toUnsignedInt(b.getShort(0x3e)) * entsize + 0x18);
            for (int i = 0; i < count; i++) {
                int h = shoff + i * entsize;
                int n = names + b.getInt(h);
                int end = n;
                while (elf[end] != 0) {
                    end++;
                }
                if (new String(elf, n, end - n, java.nio.charset.StandardCharsets.US_ASCII).equals(name)) {
                    return new long[]{b.getLong(h + 0x18), b.getLong(h + 0x20)};
                }
            }
            throw new AssertionError("no section " + name);
        }
    }

    @Property(tries = 100)
    void damagedDwarfRenamesFramesButRetainsTheSame(@ForAll("edits") List<int[]> edits) throws IOException {
        byte[] b = Plain.BYTES.clone();
        for (int[] e : edits) {
            long[] sec = Plain.SECTIONS[Math.floorMod(e[3], 2)];
            int at = (int) (sec[0] + Math.floorMod(e[0], (int) sec[1]));
            b[at] = e[1] == 0 ? (byte) (b[at] ^ 0x01) : (byte) e[2];
        }
        Path f = DIR.resolve("damaged-dwarf");
        Files.write(f, b);
        ElfSymbols symbols = ElfSymbols.read(f); // the symbol table is intact: never refused
        net.jqwik.api.statistics.Statistics.collect(symbols.types().count() > 0 ? "types read" : "no types");
        var report = Retention.compute(HeapDumpReader.read(Plain.DUMP, symbols));
        java.util.Map<String, Long> retained = new java.util.HashMap<>();
        report.roots().forEach(r -> retained.put(r.name(), r.bytes()));
        assertThat(retained).isEqualTo(Plain.RETAINED);
        long total = 0;
        for (int i = 0; i < report.profile().samples().size(); i++) {
            total += report.profile().samples().value(i, 1);
        }
        assertThat(total).isEqualTo(report.reachableBytes());
    }

    @Provide
    Arbitrary<List<int[]>> edits() {
        Arbitrary<int[]> edit = Arbitraries.integers().array(int[].class).ofSize(4)
                .map(a -> new int[]{a[0], Math.floorMod(a[1], 3), a[2], Math.floorMod(a[3], 2)});
        return edit.list().ofMinSize(1).ofMaxSize(4);
    }
}
