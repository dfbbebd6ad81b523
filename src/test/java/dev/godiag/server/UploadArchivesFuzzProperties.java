package dev.godiag.server;

import dev.godiag.badinput.FuzzTries;
import dev.godiag.server.ArchiveBuilder.TarEntry;
import dev.godiag.server.UploadArchives.Limits;
import dev.godiag.server.UploadArchives.UploadFile;
import dev.godiag.testutil.Corpus;
import dev.godiag.util.BadInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated bytes named x.zip, x.tar, x.tar.gz or x.pprof: unpacking answers files within
 * the limits, with paths that stay inside the upload, or one line naming the part; never another
 * exception.
 */
@AddLifecycleHook(FuzzTries.class)
class UploadArchivesFuzzProperties {
    /** Small limits, so that mutated sizes and counts reach them. */
    private static final Limits LIMITS = new Limits(2L << 20, 40, 1L << 20);
    private static final List<String> NAMES = List.of("x.zip", "x.tar.gz", "x.tar", "x.pprof");
    private static final List<byte[]> SEEDS = seeds();

    private static List<byte[]> seeds() {
        Map<String, byte[]> files = new TreeMap<>();
        try {
            for (Path p : Corpus.glob("go1.27/leakysvc/{cpu.pprof,gctrace.log,block.pprof,goroutine.t0.debug1.txt}")) {
                files.put("leakysvc/" + p.getFileName(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<TarEntry> tarEntries = new ArrayList<>();
        files.forEach((name, data) -> tarEntries.add(TarEntry.file(name, data)));
        tarEntries.add(TarEntry.symlink("leakysvc/link", "../x"));
        tarEntries.add(TarEntry.file("a".repeat(99), new byte[700]));
        byte[] tar = ArchiveBuilder.tar(tarEntries);
        byte[] zip = ArchiveBuilder.zip(files);
        return List.of(zip, tar, ArchiveBuilder.gzip(tar), ArchiveBuilder.zipOfZeros(3, 700_000),
                ArchiveBuilder.tarGzOfZeros(List.of(), "zeros.bin", 900_000));
    }

    @Property
    void mutatedArchivesAreUnpackedWithinTheLimitsOrRefusedInOneLine(@ForAll("seedIndex") int seed,
                                                                     @ForAll("names") String name,
                                                                     @ForAll long mutationSeed) {
        Random random = new Random(mutationSeed);
        byte[] data = SEEDS.get(seed).clone();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            data = mutate(data, random);
        }
        check(name, data);
    }

    @Property
    void randomBytesAreUnpackedWithinTheLimitsOrRefusedInOneLine(@ForAll("names") String name,
                                                                 @ForAll("prefixes") byte[] prefix,
                                                                 @ForAll byte[] rest) {
        byte[] data = Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, data, prefix.length, rest.length);
        check(name, data);
    }

    private static byte[] mutate(byte[] data, Random random) {
        if (data.length == 0) {
            return data;
        }
        int at = random.nextInt(data.length);
        return switch (random.nextInt(5)) {
            case 0 -> { // flip a byte
                data[at] ^= (byte) (1 + random.nextInt(255));
                yield data;
            }
            case 1 -> Arrays.copyOf(data, at); // truncate
            case 2 -> { // overwrite a run with a size-like value
                for (int i = at; i < Math.min(data.length, at + 1 + random.nextInt(8)); i++) {
                    data[i] = (byte) (random.nextBoolean() ? 0xff : '7');
                }
                yield data;
            }
            case 3 -> { // duplicate a slice (repeated headers and records)
                int length = Math.min(data.length - at, 1 + random.nextInt(1024));
                byte[] out = Arrays.copyOf(data, data.length + length);
                System.arraycopy(data, at, out, at + length, data.length - at);
                yield out;
            }
            default -> { // write '..' or '/' into the bytes (names)
                byte[] evil = random.nextBoolean() ? "../".getBytes() : "/".getBytes();
                System.arraycopy(evil, 0, data, at, Math.min(evil.length, data.length - at));
                yield data;
            }
        };
    }

    private static void check(String name, byte[] data) {
        List<UploadFile> files;
        try {
            files = UploadArchives.unpack(name, data, LIMITS);
        } catch (BadInputException e) {
            assertThat(e.getMessage()).startsWith(name + ": ").doesNotContain("\n");
            return;
        }
        assertThat(files).isNotEmpty().hasSizeLessThanOrEqualTo(LIMITS.maxEntries());
        long total = 0;
        Set<String> names = new HashSet<>();
        for (UploadFile f : files) {
            assertThat((long) f.data().length).isLessThanOrEqualTo(LIMITS.maxEntryBytes());
            total += f.data().length;
            assertThat(names.add(f.name())).as("unique " + f.name()).isTrue();
            assertThat(f.name()).doesNotStartWith("/").doesNotContain("\\").doesNotContain("\0")
                    .isNotEmpty();
            assertThat(f.name().split("/")).doesNotContain("..", ".", "");
        }
        assertThat(total).isLessThanOrEqualTo(LIMITS.maxTotalBytes());
    }

    @Provide
    Arbitrary<Integer> seedIndex() {
        return Arbitraries.integers().between(0, SEEDS.size() - 1);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of(NAMES);
    }

    /** Starts that pass the first check: the zip signatures, the gzip magic, or nothing. */
    @Provide
    Arbitrary<byte[]> prefixes() {
        return Arbitraries.of(new byte[]{'P', 'K', 3, 4}, new byte[]{'P', 'K', 5, 6}, new byte[]{0x1f, (byte) 0x8b, 8, 0},
                new byte[0]);
    }
}
