package dev.godiag.server;

import dev.godiag.server.ArchiveBuilder.TarEntry;
import dev.godiag.server.UploadArchives.Limits;
import dev.godiag.server.UploadArchives.UploadFile;
import dev.godiag.testutil.Corpus;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadArchivesTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Limits DEFAULTS = Limits.defaults();

    /** The leakysvc capture: file name to bytes. */
    private static Map<String, byte[]> capture() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (Path p : Corpus.glob("go1.27/leakysvc/*")) {
            files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        assertThat(files).containsKeys("cpu.pprof", "gctrace.log", "goroutine.t0.debug2.txt");
        return files;
    }

    private static Map<String, byte[]> unpacked(String name, byte[] data) {
        Map<String, byte[]> files = new TreeMap<>();
        for (UploadFile f : UploadArchives.unpack(name, data, DEFAULTS)) {
            assertThat(files.put(f.name(), f.data())).as("duplicate " + f.name()).isNull();
        }
        return files;
    }

    private static void assertSameFiles(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, bytes) -> assertThat(actual.get(name)).as(name).isEqualTo(bytes));
    }

    private static String refusal(String name, byte[] data, Limits limits) {
        try {
            List<UploadFile> files = UploadArchives.unpack(name, data, limits);
            throw new AssertionError(name + " was accepted: " + files.stream().map(UploadFile::name).toList());
        } catch (BadInputException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith(name + ": ");
            return e.getMessage();
        }
    }

    private static String refusal(String name, byte[] data) {
        return refusal(name, data, DEFAULTS);
    }

    @Test
    void aZipOfACaptureDirectoryExpandsToItsFilesUnderTheirPaths() throws IOException {
        Map<String, byte[]> capture = capture();
        Map<String, byte[]> entries = ArchiveBuilder.ordered();
        entries.put("leakysvc/", new byte[0]);
        capture.forEach((name, bytes) -> entries.put("leakysvc/" + name, bytes));
        entries.put("leakysvc/./extra/notes.txt", "kept".getBytes(StandardCharsets.UTF_8));

        Map<String, byte[]> expected = new TreeMap<>();
        capture.forEach((name, bytes) -> expected.put("leakysvc/" + name, bytes));
        expected.put("leakysvc/extra/notes.txt", "kept".getBytes(StandardCharsets.UTF_8));
        assertSameFiles(unpacked("capture.zip", ArchiveBuilder.zip(entries)), expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix", "ustar"})
    void aTarGzFromGnuTarExpandsToItsRegularFilesOnly(String format, @TempDir Path dir) throws Exception {
        Map<String, byte[]> capture = capture();
        Path root = dir.resolve("leakysvc");
        Files.createDirectories(root.resolve("sub"));
        for (var e : capture.entrySet()) {
            Files.write(root.resolve(e.getKey()), e.getValue());
        }
        Files.writeString(root.resolve(".DS_Store"), "finder");
        Files.createDirectories(root.resolve("__MACOSX"));
        Files.writeString(root.resolve("__MACOSX/._cpu.pprof"), "resource fork");
        Files.writeString(root.resolve("._gctrace.log"), "resource fork");
        Files.createSymbolicLink(root.resolve("link-to-passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("sub/cpu-again.pprof"), Path.of("../cpu.pprof"));
        Files.createLink(root.resolve("hard.pprof"), root.resolve("cpu.pprof"));
        // longer than ustar's 100-byte name field: a GNU 'L' record or a pax path record (ustar: prefix)
        String longName = "sub/" + "a".repeat(90) + "/" + "b".repeat(60) + ".txt";
        Files.createDirectories(root.resolve(longName).getParent());
        Files.writeString(root.resolve(longName), "long");

        byte[] archive = ArchiveBuilder.gnuTar(dir, dir.resolve("out.tar.gz"),
                "--format=" + format, "-czf", "out.tar.gz", "leakysvc");

        Map<String, byte[]> expected = new TreeMap<>();
        capture.forEach((name, bytes) -> expected.put("leakysvc/" + name, bytes));
        expected.put("leakysvc/" + longName, "long".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> actual = unpacked("capture.tar.gz", archive);
        // GNU tar stores the second name of a hard link as a link ('1') entry: skipped, never followed
        String hardLinkKept = actual.containsKey("leakysvc/hard.pprof") ? "leakysvc/hard.pprof" : null;
        assertThat(hardLinkKept).as("the hard link is skipped, or is the entry holding the data")
                .satisfiesAnyOf(h -> assertThat(h).isNull(),
                        h -> assertThat(actual).doesNotContainKey("leakysvc/cpu.pprof"));
        if (hardLinkKept != null) {
            expected.put(hardLinkKept, expected.remove("leakysvc/cpu.pprof"));
        }
        assertSameFiles(actual, expected);

        // the limit counts entries (files, directories, links), not the GNU or pax records before them
        int entries;
        try (var walk = Files.walk(root)) {
            entries = (int) walk.count();
        }
        Limits exact = new Limits(DEFAULTS.maxTotalBytes(), entries, DEFAULTS.maxEntryBytes());
        assertThat(UploadArchives.unpack("capture.tar.gz", archive, exact)).hasSize(actual.size());
        Limits oneFewer = new Limits(DEFAULTS.maxTotalBytes(), entries - 1, DEFAULTS.maxEntryBytes());
        assertThat(refusal("capture.tar.gz", archive, oneFewer))
                .isEqualTo("capture.tar.gz: more than " + (entries - 1) + " entries (the limit)");
    }

    @Test
    void aPlainTarAndArchivesUnderOtherNamesAreRecognisedByTheirContent(@TempDir Path dir) throws Exception {
        Map<String, byte[]> capture = capture();
        for (var e : capture.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        byte[] tar = ArchiveBuilder.gnuTar(dir, dir.resolve("c.tar"), "-cf", "c.tar", "--exclude=c.tar", ".");
        Map<String, byte[]> zip = ArchiveBuilder.ordered();
        zip.putAll(capture);

        assertSameFiles(unpacked("capture.tar", tar), capture);
        assertSameFiles(unpacked("upload.bin", tar), capture);
        assertSameFiles(unpacked("capture.tgz", ArchiveBuilder.gzip(tar)), capture);
        assertSameFiles(unpacked("capture", ArchiveBuilder.gzip(tar)), capture);
        assertSameFiles(unpacked("capture.tar.gz", ArchiveBuilder.zip(zip)), capture);
    }

    @Test
    void aProfileOrAGzippedProfileStaysOneFileAsItIs() throws IOException {
        byte[] cpu = capture().get("cpu.pprof");
        byte[] gzipped = ArchiveBuilder.gzip(capture().get("gctrace.log"));

        assertThat(UploadArchives.unpack("cpu.pprof", cpu, DEFAULTS))
                .singleElement().satisfies(f -> {
                    assertThat(f.name()).isEqualTo("cpu.pprof");
                    assertThat(f.data()).isSameAs(cpu);
                });
        assertThat(UploadArchives.unpack("gctrace.log.gz", gzipped, DEFAULTS))
                .singleElement().satisfies(f -> assertThat(f.data()).isEqualTo(gzipped));
        // a client path as some browsers send it keeps its last segment only
        assertThat(UploadArchives.unpack("C:\\Users\\me\\cpu.pprof", cpu, DEFAULTS).getFirst().name())
                .isEqualTo("cpu.pprof");
        assertThat(UploadArchives.unpack("../../cpu.pprof", cpu, DEFAULTS).getFirst().name()).isEqualTo("cpu.pprof");
        assertThat(refusal("uploads/..", cpu)).isEqualTo("uploads/..: not a usable file name");
    }

    @Test
    void archivesInsideAnArchiveAreKeptAsFiles() throws IOException {
        byte[] inner = ArchiveBuilder.zip(capture());
        byte[] innerTarGz = ArchiveBuilder.gzip(ArchiveBuilder.tar(List.of(TarEntry.file("x.txt", new byte[3]))));
        Map<String, byte[]> outer = ArchiveBuilder.ordered();
        outer.put("run1/capture.zip", inner);
        outer.put("run1/old.tar.gz", innerTarGz);

        assertSameFiles(unpacked("all.zip", ArchiveBuilder.zip(outer)), new TreeMap<>(outer));
    }

    @Test
    void aZipBombStopsAtTheLimitWithoutHoldingWhatItInflates() {
        byte[] bomb = ArchiveBuilder.zipOfZeros(1, 1L << 30);
        assertThat(bomb.length).isLessThan(8 << 20);

        long before = THREADS.getCurrentThreadAllocatedBytes();
        assertThat(refusal("capture.zip", bomb)).isEqualTo("capture.zip: entry zeros0.bin expands beyond 512 MiB"
                + " (the limit for one file; a decompression bomb?)");
        assertThat(THREADS.getCurrentThreadAllocatedBytes() - before).as("bytes allocated while refusing")
                .isLessThan(32L << 20);

        // a central directory that claims a small size changes nothing: the inflated bytes decide
        byte[] lying = ArchiveBuilder.patchCentral(bomb, "zeros0.bin", null, 1000L);
        assertThat(refusal("capture.zip", lying)).contains("entry zeros0.bin expands beyond 512 MiB");
    }

    @Test
    void manyEntriesStopAtTheTotalLimitAndTheEntryCount() {
        Limits limits = new Limits(10L << 20, 100, 8L << 20);
        assertThat(refusal("capture.zip", ArchiveBuilder.zipOfZeros(3, 4L << 20), limits))
                .isEqualTo("capture.zip: expands beyond 10 MiB in total (the limit; a decompression bomb?)");
        assertThat(UploadArchives.unpack("capture.zip", ArchiveBuilder.zipOfZeros(2, 4L << 20), limits)).hasSize(2);

        Map<String, byte[]> many = ArchiveBuilder.ordered();
        for (int i = 0; i <= 100; i++) {
            many.put("f" + i + ".txt", new byte[]{1});
        }
        assertThat(refusal("capture.zip", ArchiveBuilder.zip(many), limits))
                .isEqualTo("capture.zip: more than 100 entries (the limit)");
        List<TarEntry> tarEntries = many.entrySet().stream().map(e -> TarEntry.file(e.getKey(), e.getValue())).toList();
        assertThat(refusal("capture.tar.gz", ArchiveBuilder.gzip(ArchiveBuilder.tar(tarEntries)), limits))
                .isEqualTo("capture.tar.gz: more than 100 entries (the limit)");
    }

    @Test
    void aGzipBombInsideATarStopsAtTheLimit() {
        byte[] bomb = ArchiveBuilder.tarGzOfZeros(List.of(), "zeros.bin", 600L << 20);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        assertThat(refusal("capture.tar.gz", bomb)).isEqualTo("capture.tar.gz: entry zeros.bin expands beyond 512 MiB"
                + " (the limit for one file; a decompression bomb?)");
        assertThat(THREADS.getCurrentThreadAllocatedBytes() - before).as("bytes allocated while refusing")
                .isLessThan(1L << 20);

        // files within the per-file limit, a hidden one among them (skipped, yet inflated: it counts)
        Limits limits = new Limits(64L << 20, 100, 40L << 20);
        List<TarEntry> lead = List.of(TarEntry.file("cpu.pprof", new byte[30 << 20]),
                TarEntry.file(".hidden", new byte[20 << 20]));
        byte[] overTotal = ArchiveBuilder.tarGzOfZeros(lead, "more.bin", 20L << 20);
        before = THREADS.getCurrentThreadAllocatedBytes();
        assertThat(refusal("capture.tar.gz", overTotal, limits))
                .isEqualTo("capture.tar.gz: expands beyond 64 MiB in total (the limit; a decompression bomb?)");
        assertThat(THREADS.getCurrentThreadAllocatedBytes() - before).as("bytes allocated while refusing")
                .isLessThan(64L << 20); // the 30 MiB file kept (as its bytes arrive), not the skipped one
    }

    @Test
    void pathsThatLeaveTheArchiveRefuseTheWholeUpload() throws IOException {
        byte[] cpu = capture().get("cpu.pprof");
        Map<String, byte[]> zip = ArchiveBuilder.ordered();
        zip.put("cpu.pprof", cpu);
        zip.put("../../etc/passwd", new byte[]{'x'});
        assertThat(refusal("capture.zip", ArchiveBuilder.zip(zip)))
                .isEqualTo("capture.zip: entry ../../etc/passwd: path leaves the archive");

        assertThat(refusal("capture.tar.gz", ArchiveBuilder.gzip(ArchiveBuilder.tar(List.of(
                TarEntry.file("cpu.pprof", cpu), TarEntry.file("../x", new byte[1]))))))
                .isEqualTo("capture.tar.gz: entry ../x: path leaves the archive");
        assertThat(refusal("capture.tar", ArchiveBuilder.tar(List.of(TarEntry.file("a/../../x", new byte[1])))))
                .isEqualTo("capture.tar: entry a/../../x: path leaves the archive");
        assertThat(refusal("capture.tar", ArchiveBuilder.tar(List.of(TarEntry.file("a/../b", new byte[1])))))
                .isEqualTo("capture.tar: entry a/../b: path has a '..' segment");
        assertThat(refusal("capture.zip", ArchiveBuilder.zip("..\\..\\windows\\evil.dll", new byte[1])))
                .isEqualTo("capture.zip: entry ..\\..\\windows\\evil.dll: path leaves the archive");
    }

    @Test
    void absolutePathsAndNulBytesAreRefused() {
        assertThat(refusal("capture.tar", ArchiveBuilder.tar(List.of(TarEntry.file("/etc/passwd", new byte[1])))))
                .isEqualTo("capture.tar: entry /etc/passwd: absolute path");
        assertThat(refusal("capture.zip", ArchiveBuilder.zip("/tmp/x", new byte[1])))
                .isEqualTo("capture.zip: entry /tmp/x: absolute path");
        assertThat(refusal("capture.zip", ArchiveBuilder.zip("C:\\Windows\\x.dll", new byte[1])))
                .isEqualTo("capture.zip: entry C:\\Windows\\x.dll: absolute path");
        assertThat(refusal("capture.zip", ArchiveBuilder.zip("cpu.pprof\0.txt", new byte[1])))
                .isEqualTo("capture.zip: entry cpu.pprof\\x00.txt: path holds a NUL byte");
    }

    @Test
    void symlinksAreSkippedNotFollowed() throws IOException {
        byte[] cpu = capture().get("cpu.pprof");
        byte[] tar = ArchiveBuilder.tar(List.of(TarEntry.symlink("passwd", "/etc/passwd"),
                TarEntry.symlink("up", "../../.."), TarEntry.file("cpu.pprof", cpu)));
        assertSameFiles(unpacked("capture.tar", tar), Map.of("cpu.pprof", cpu));

        // Info-ZIP keeps a symlink as an entry whose data is the target and whose mode says "link"
        Map<String, byte[]> zip = ArchiveBuilder.ordered();
        zip.put("passwd", "/etc/passwd".getBytes(StandardCharsets.UTF_8));
        zip.put("cpu.pprof", cpu);
        zip.put("fifo", new byte[0]);
        byte[] withLink = ArchiveBuilder.patchCentral(ArchiveBuilder.zip(zip), "passwd", 0120777, null);
        byte[] withFifo = ArchiveBuilder.patchCentral(withLink, "fifo", 0010644, null);
        byte[] regularMode = ArchiveBuilder.patchCentral(withFifo, "cpu.pprof", 0100644, null);
        assertSameFiles(unpacked("capture.zip", regularMode), Map.of("cpu.pprof", cpu));
    }

    @Test
    void truncatedOrDamagedArchivesAnswerOneLine() throws IOException {
        Map<String, byte[]> capture = capture();
        byte[] zip = ArchiveBuilder.zip(capture);
        byte[] tar = ArchiveBuilder.tar(capture.entrySet().stream()
                .map(e -> TarEntry.file(e.getKey(), e.getValue())).toList());
        byte[] tarGz = ArchiveBuilder.gzip(tar);

        assertThat(refusal("capture.zip", Arrays.copyOf(zip, zip.length / 2)))
                .isEqualTo("capture.zip: not a valid zip: no end of central directory (truncated?)");
        assertThat(refusal("capture.tar.gz", Arrays.copyOf(tarGz, tarGz.length / 2)))
                .isEqualTo("capture.tar.gz: not a valid tar.gz: truncated: the gzip data ends early");
        int inFirstFile = 512 + 100;
        assertThat(refusal("capture.tar", Arrays.copyOf(tar, inFirstFile)))
                .isEqualTo("capture.tar: not a valid tar: truncated: the archive ends inside allocs.pprof");
        assertThat(refusal("capture.tar", Arrays.copyOf(tar, tar.length - 1024)))
                .isEqualTo("capture.tar: not a valid tar: truncated: the archive ends without its end-of-archive blocks");

        byte[] damagedHeader = tar.clone();
        damagedHeader[512 + 4096] ^= 0x55; // inside the second header (allocs.pprof is 4011 bytes: 8 blocks)
        assertThat(refusal("capture.tar", damagedHeader))
                .isEqualTo("capture.tar: not a valid tar: damaged header at byte 4608 (checksum mismatch)");

        byte[] damagedData = zip.clone();
        damagedData[30 + "allocs.pprof".length() + 200] ^= 0x55;
        assertThat(refusal("capture.zip", damagedData)).satisfiesAnyOf(
                m -> assertThat(m).isEqualTo("capture.zip: not a valid zip: entry allocs.pprof: checksum mismatch (damaged data)"),
                m -> assertThat(m).isEqualTo("capture.zip: not a valid zip: entry allocs.pprof: damaged deflate data"));
    }

    @Test
    void aNameThatPromisesAnArchiveMustHoldOne() throws IOException {
        byte[] cpu = capture().get("cpu.pprof");
        assertThat(refusal("capture.zip", cpu)).isEqualTo("capture.zip: not a valid zip: it does not start with a zip signature");
        assertThat(refusal("capture.tar", cpu)).isEqualTo("capture.tar: not a valid tar: it does not start with a tar header");
        assertThat(refusal("capture.tar.gz", "plain text".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("capture.tar.gz: not a valid tar.gz: it is not gzip data");
        assertThat(refusal("capture.tgz", ArchiveBuilder.gzip(capture().get("gctrace.log"))))
                .isEqualTo("capture.tgz: not a valid tar.gz: the gzip data does not start with a tar header");
    }

    @Test
    void anArchiveWithNothingToAnalyseOrTheSamePathTwiceIsRefused() {
        Map<String, byte[]> hidden = ArchiveBuilder.ordered();
        hidden.put("dir/", new byte[0]);
        hidden.put("__MACOSX/._cpu.pprof", new byte[]{1});
        hidden.put(".env", new byte[]{1});
        assertThat(refusal("capture.zip", ArchiveBuilder.zip(hidden))).isEqualTo("capture.zip: the archive holds no"
                + " files to analyse (directories, links, hidden files and __MACOSX entries are skipped)");

        byte[] twice = ArchiveBuilder.tar(List.of(TarEntry.file("cpu.pprof", new byte[1]),
                TarEntry.file("./cpu.pprof", new byte[2])));
        assertThat(refusal("capture.tar", twice)).isEqualTo("capture.tar: entry cpu.pprof appears twice");
    }
}
