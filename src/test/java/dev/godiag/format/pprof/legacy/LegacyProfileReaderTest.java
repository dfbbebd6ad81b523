package dev.godiag.format.pprof.legacy;

import dev.godiag.format.Gzip;
import dev.godiag.format.ProfileLoader;
import dev.godiag.util.BadInputException;
import dev.godiag.format.ProfileReader;
import dev.godiag.format.pprof.RawProfileDumper;
import dev.godiag.model.Profile;
import dev.godiag.model.ValueType;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link LegacyProfileReader} against the real pprof: pprof's own goldens, the live
 * {@code go tool pprof} on the corpus and on hand-made inputs for the odd corners, plus malformed
 * and hostile inputs.
 */
class LegacyProfileReaderTest {
    private static final Path CORPUS = Path.of("..", "shared", "corpus");
    private static final Path UPSTREAM = CORPUS.resolve("upstream").resolve("pprof");

    // ------------------------------------------------------------------------------------
    // 1. pprof's goldens: each *.string is pprof's Profile.String() straight after Parse

    static Stream<Path> upstreamGoldens() throws IOException {
        if (!Files.isDirectory(UPSTREAM)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(UPSTREAM)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".string")).sorted().toList().stream();
        }
    }

    @Test
    void upstreamGoldensArePresentOrSkipped() throws IOException {
        assumeTrue(Files.isDirectory(UPSTREAM), "corpus absent: " + UPSTREAM);
        assertThat(upstreamGoldens().count()).isEqualTo(4);
    }

    /** Exact: legacy profiles carry no time stamp, so the dump does not depend on the time zone. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamGoldens")
    void upstreamFileMatchesPprofGolden(Path golden) throws IOException {
        String name = golden.getFileName().toString();
        Path input = golden.resolveSibling(name.substring(0, name.length() - ".string".length()));
        Profile p = LegacyProfileReader.parse(Files.readAllBytes(input));
        assertThat(p).isNotNull();
        assertThat(RawProfileDumper.dump(p)).isEqualTo(Files.readString(golden));
    }

    @Test
    void upstreamKinds() throws IOException {
        assumeTrue(Files.isDirectory(UPSTREAM), "corpus absent: " + UPSTREAM);
        assertThat(parseFile(UPSTREAM.resolve("profile__gobench.heap")).kind()).isEqualTo("heap-text");
        assertThat(parseFile(UPSTREAM.resolve("profile__go.godoc.thread")).kind()).isEqualTo("threadcreate-text");
        assertThat(parseFile(UPSTREAM.resolve("profile__go.crc32.cpu")).kind()).isEqualTo("cpu-legacy");
        assertThat(parseFile(UPSTREAM.resolve("profile__gobench.cpu")).kind()).isEqualTo("cpu-legacy");
    }

    // ------------------------------------------------------------------------------------
    // 2. the corpus' debug=1 files against the live pprof

    static Stream<Path> debug1Files() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String version : List.of("go1.19", "go1.27")) {
            Path dir = CORPUS.resolve(version);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir, 2)) {
                s.filter(f -> f.getFileName().toString().endsWith(".debug1.txt")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @Test
    void debug1FilesArePresentOrSkipped() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS.resolve("go1.27")), "corpus absent: " + CORPUS);
        assertThat(debug1Files().count()).isGreaterThanOrEqualTo(30);
    }

    /**
     * The whole -raw dump must match. Three things separate it from Parse's result, and are
     * accounted for: pprof's driver prunes drop_frames (a no-op here: pruning matches function
     * names and legacy profiles have none, which is asserted); the driver gives a profile without
     * mappings one empty mapping (added here the same way); and godiag keeps the heap's
     * "# runtime.MemStats" trailer as comments, which pprof drops (those lines are removed here).
     * Where pprof rejects the file, the reader must throw BadInputException.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("debug1Files")
    void corpusFileMatchesLivePprof(Path file, @TempDir Path tmp) throws Exception {
        Path go = Tools.go127();
        byte[] data = Files.readAllBytes(file);
        PprofRun raw = runPprof(go, tmp, "-raw", file);
        if (raw.exitCode != 0) {
            assertThatThrownBy(() -> LegacyProfileReader.parse(data)).isInstanceOf(BadInputException.class);
            return;
        }
        Profile p = LegacyProfileReader.parse(data);
        assertThat(p).isNotNull();
        assertThat(p.functions().size()).as("functions (pprof would prune by their names)").isZero();
        assertThat(comparableDump(p)).isEqualTo(raw.stdout);

        // drop/keep frames are not in the -raw dump; pprof's -proto output carries them
        PprofRun proto = runPprof(go, tmp, "-proto", file);
        assertThat(proto.exitCode).isZero();
        Profile viaPprof = ProfileReader.read(proto.bytes, Gzip.DEFAULT_LIMIT);
        assertThat(p.dropFrames()).isEqualTo(viaPprof.dropFrames());
        assertThat(p.keepFrames()).isEqualTo(viaPprof.keepFrames());
    }

    /** What of the corpus can be checked without pprof: kinds, types, the MemStats trailer. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("debug1Files")
    void corpusFileHasExpectedShape(Path file) throws IOException {
        String name = file.getFileName().toString();
        byte[] data = Files.readAllBytes(file);
        if (file.toString().contains("go1.19") && name.startsWith("threadcreate")) {
            // Go 1.19 wrote "5 @" with no addresses; pprof rejects it as malformed, and so do we
            assertThatThrownBy(() -> LegacyProfileReader.parse(data)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("line 2");
            return;
        }
        Profile p = LegacyProfileReader.parse(data);
        assertThat(p).isNotNull();
        String kind = name.substring(0, name.indexOf('.'));
        switch (kind) {
            case "heap", "allocs" -> {
                assertThat(p.kind()).isEqualTo("heap-text");
                assertThat(typeNames(p)).containsExactly("alloc_objects", "alloc_space", "inuse_objects",
                        "inuse_space");
                assertThat(p.periodType()).isEqualTo(new ValueType("space", "bytes"));
                assertThat(p.period()).isEqualTo(512 * 1024); // Go writes heap/1048576, twice its rate
                assertThat(p.comments().get(0)).isEqualTo("# runtime.MemStats");
                assertThat(p.comments()).allMatch(c -> c.startsWith("# "));
                assertThat(p.comments()).anyMatch(c -> c.startsWith("# NumGC = "));
                assertThat(memStatsLines(data)).isEqualTo(p.comments());
            }
            case "mutex", "block" -> {
                assertThat(p.kind()).isEqualTo(kind + "-text");
                assertThat(typeNames(p)).containsExactly("contentions", "delay");
                assertThat(p.sampleTypes().get(1).unit()).isEqualTo("nanoseconds");
                assertThat(p.comments()).isEmpty();
            }
            default -> {
                assertThat(p.kind()).isEqualTo(kind + "-text");
                assertThat(p.sampleTypes()).containsExactly(new ValueType(kind, "count"));
                assertThat(p.samples().hasLabels()).as("pprof ignores '# labels:' lines").isFalse();
            }
        }
    }

    // ------------------------------------------------------------------------------------
    // hand-made inputs for the corners the corpus does not reach; expected dumps are pprof's

    static Stream<Arguments> syntheticCases() {
        return Stream.of(
                Arguments.of("mutex attributes and a memory map", ascii("""
                        --- mutex:
                        cycles/second=3000000000
                        sampling period=0x10
                        ms since reset=1500
                        1234 @ 0x10 0x20
                         5 6 @ 0x30 0x20
                        # comment
                        77  8 @ 0x40
                        --- Memory map: ---
                        0x0-0x25 /nonexist/bin
                        00000030-00000050 r-xp 00000000 fd:01 123 /nonexist/lib.so.1
                        """), golden("""
                        PeriodType: contentions count|
                        Period: 16|
                        Duration: 1.5s|
                        Samples:|
                        contentions/count delay/nanoseconds|
                                 64        656: 1 2 |
                                 96         26: 3 2 |
                                128        410: 4 |
                        Locations|
                             1: 0xf M=1 |
                             2: 0x1f M=1 |
                             3: 0x2f M=3 |
                             4: 0x3f M=2 |
                        Mappings|
                        1: 0x0/0x25/0x0 /nonexist/bin  |
                        2: 0x30/0x50/0x0 /nonexist/lib.so.1  |
                        3: 0x0/0xffffffffffffffff/0x0   |
                        """)),
                Arguments.of("C++ contentionz", ascii("""
                        --- contentionz 1 ---
                        cycles/second = 1000
                        sampling period = 2
                        discarded samples = 3
                        10 20 @ 0x5 0x6
                        """), golden("""
                        PeriodType: contentions count|
                        Period: 2|
                        Samples:|
                        contentions/count delay/nanoseconds|
                                 40   20000000: 1 2 |
                        Locations|
                             1: 0x4 M=1 |
                             2: 0x5 M=1 |
                        Mappings|
                        1: 0x0/0xffffffffffffffff/0x0   |
                        """)),
                Arguments.of("heap samples found anywhere in the line", ascii("""
                        heap profile: 1: 2 [3: 4] @ heap_v2/1000
                        foo 1: 200 [3: 400] @ 0x1 x 0x2 zz 0x3
                        -2: -20 [3: 30] @
                          0: 0 [0: 0] @ 0x1
                        """), golden("""
                        PeriodType: space bytes|
                        Period: 1000|
                        Samples:|
                        alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes|
                                 24       3204          5       1103: 1 2 |
                                        bytes:[200]|
                                301       3015       -201      -2010: |
                                        bytes:[10]|
                                  0          0          0          0: 1 |
                                        bytes:[0]|
                        Locations|
                             1: 0x0 |
                             2: 0x1 M=1 |
                        Mappings|
                        1: 0x0/0xffffffffffffffff/0x0   |
                        """)),
                Arguments.of("heap with maps: hugepage, adjacent pieces, non-executable", ascii("""
                        heap profile: 5: 100 [7: 200] @ heap/2048
                        5: 100 [7: 200] @ 0x401000 0x7f0000001000 0x900000 0x1

                        MAPPED_LIBRARIES:
                        7ffff7a00000-7ffff7bcd000 r-xp 00000000 08:01 1 /anon_hugepage (deleted)
                        00400000-00452000 r-xp 00000000 08:01 2 /nonexist/a.out
                        00452000-00460000 r-xp 00052000 08:01 2 /nonexist/a.out
                        7f0000000000-7f0000100000 r-xp 00000000 08:01 3 /nonexist/libc.so.6
                        7f0000100000-7f0000200000 rw-p 00000000 08:01 3 /nonexist/libc.so.6
                        """), golden("""
                        PeriodType: space bytes|
                        Period: 1024|
                        Samples:|
                        alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes|
                                254       7268        258       5170: 1 2 3 4 |
                                        bytes:[20]|
                        Locations|
                             1: 0x400fff M=2 |
                             2: 0x7f0000000fff M=3 |
                             3: 0x8fffff M=4 |
                             4: 0x0 |
                        Mappings|
                        1: 0x7ffff7a00000/0x7ffff7bcd000/0x0 /anon_hugepage  |
                        2: 0x400000/0x460000/0x0 /nonexist/a.out  |
                        3: 0x7f0000000000/0x7f0000100000/0x0 /nonexist/libc.so.6  |
                        4: 0x0/0xffffffffffffffff/0x0   |
                        """)),
                Arguments.of("goroutine: octal count, $variables, glog prefix, brief maps", ascii("""
                        goroutine profile: total 12
                        010 @ 0x5 0x6 0x11 0x21 0x401001 0x40000a
                        --- Memory map: ---
                        bin=/nonexist
                        bin=/other
                        $b=zzz
                        I0101 12:00:00.000000 1 file.cc:12] 0x0-0x8 $bin/prog (@1) abc123
                        0x10 0x20 [vdso]
                        0x20-0x30 $bin/x.so
                        0x400100 0x500000 $b$bin/main (@100)
                        0x40000000-0x40001000 r--p 00000000 08:01 1 /nonexist/ro
                        0x4000x8000 /weird
                        """), golden("""
                        PeriodType: goroutine count|
                        Period: 1|
                        Samples:|
                        goroutine/count|
                                  8: 1 2 3 4 5 6 |
                        Locations|
                             1: 0x4 M=1 |
                             2: 0x5 M=1 |
                             3: 0x10 M=2 |
                             4: 0x20 M=3 |
                             5: 0x401000 M=4 |
                             6: 0x400009 M=4 |
                        Mappings|
                        1: 0x0/0x8/0x1 /nonexist/prog abc123 |
                        2: 0x10/0x20/0x0 [vdso]  |
                        3: 0x20/0x30/0x0 /nonexist/x.so  |
                        4: 0x400000/0x500000/0x0 $b/nonexist/main  |
                        5: 0x400/0x8000/0x0 /weird  |
                        """)),
                Arguments.of("goroutine: mappings merged, main binary moved first", ascii("""
                        goroutine profile: total 1
                        1 @ 0x1001 0x2001 0x3001 0x5001
                        --- Memory map: ---
                        1000-2000 r-xp 00000000 08:01 1 /nonexist/p.so
                        2000-3000 r-xp 00001000 08:01 1 /nonexist/p.so
                        3000-4000 r-xp 00005000 08:01 1 /nonexist/p.so
                        5000-6000 r-xp 00000000 08:01 1 [stack]
                        6000-7000 r-xp 00000000 08:01 1 /nonexist/main (deleted)
                        """), golden("""
                        PeriodType: goroutine count|
                        Period: 1|
                        Samples:|
                        goroutine/count|
                                  1: 1 2 3 4 |
                        Locations|
                             1: 0x1000 M=3 |
                             2: 0x2000 M=3 |
                             3: 0x3000 M=3 |
                             4: 0x5000 M=2 |
                        Mappings|
                        1: 0x6000/0x7000/0x0 /nonexist/main  |
                        2: 0x5000/0x6000/0x0 [stack]  |
                        3: 0x1000/0x4000/0x0 /nonexist/p.so  |
                        """)),
                Arguments.of("threadz", ascii("""
                        --- threadz 1 ---
                        some preamble
                        --- Thread 1a (name: foo/123) stack: ---
                          PC: 0x10 0x20
                          0x30
                        --- Thread 1b (name: bar/124) stack: ---
                          same as previous thread
                        --- Thread 1c (name: baz/125) stack: ---
                         0x11 0x12 0x20
                        ---- no stack trace for thread 7
                        --- Memory map: ---
                        0x0-0x100 /nonexist/t
                        """), golden("""
                        PeriodType: thread count|
                        Period: 1|
                        Samples:|
                        thread/count|
                                  2: 1 2 3 |
                                  1: 4 4 2 |
                        Locations|
                             1: 0x10 M=1 |
                             2: 0x1f M=1 |
                             3: 0x2f M=1 |
                             4: 0x11 M=1 |
                        Mappings|
                        1: 0x0/0x100/0x0 /nonexist/t  |
                        """)),
                Arguments.of("binary CPU: duplicate leaf dropped after ids are given", cpuProfile(ByteOrder.LITTLE_ENDIAN, 8,
                        "00000000-00010000 r-xp 00000000 08:01 2 /nonexist/cpuprog\n",
                        0, 3, 0, 10000, 0,
                        5, 3, 0x1000, 0x1000, 0x2001,
                        1, 2, 0x3000, 0x4001,
                        0, 1, 0), golden("""
                        PeriodType: cpu nanoseconds|
                        Period: 10000000|
                        Samples:|
                        samples/count cpu/nanoseconds|
                                  5   50000000: 1 3 |
                                  1   10000000: 4 5 |
                        Locations|
                             1: 0x1000 M=1 |
                             2: 0xfff M=1 |
                             3: 0x2000 M=1 |
                             4: 0x3000 M=1 |
                             5: 0x4000 M=1 |
                        Mappings|
                        1: 0x0/0x10000/0x0 /nonexist/cpuprog  |
                        """)),
                Arguments.of("binary CPU, 32-bit big-endian: signal frames stripped", cpuProfile(ByteOrder.BIG_ENDIAN, 4, "",
                        signalFrameSamples()), golden(signalFrameGolden())),
                Arguments.of("binary CPU without end marker", cpuProfile(ByteOrder.LITTLE_ENDIAN, 4, "",
                        0, 3, 0, 100, 0, 3, 2, 0x10, 0x21, 1, 1, 0x10), golden("""
                        PeriodType: cpu nanoseconds|
                        Period: 100000|
                        Samples:|
                        samples/count cpu/nanoseconds|
                                  3     300000: 1 2 |
                                  1     100000: 1 |
                        Locations|
                             1: 0x10 M=1 |
                             2: 0x20 M=1 |
                        Mappings|
                        1: 0x0/0xffffffffffffffff/0x0   |
                        """)),
                Arguments.of("heap without rate: no un-sampling", ascii("""
                        heap profile: 5: 100 [7: 100] @ heap
                        5: 100 [7: 100] @ 0x10 0x20
                        """), golden("""
                        PeriodType: space bytes|
                        Period: 0|
                        Samples:|
                        alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes|
                                  7        100          5        100: 1 2 |
                                        bytes:[20]|
                        Locations|
                             1: 0xf M=1 |
                             2: 0x1f M=1 |
                        Mappings|
                        1: 0x0/0xffffffffffffffff/0x0   |
                        """)),
                Arguments.of("growthz heap", ascii("""
                        heap profile: 1: 2 [1: 2] @ growthz
                        1: 2 [1: 2] @ 0x10 0x20
                        """), golden("""
                        PeriodType: space bytes|
                        Period: 1|
                        Samples:|
                        objects/count space/bytes|
                                  1          2: 1 2 |
                                        bytes:[2]|
                        Locations|
                             1: 0xf M=1 |
                             2: 0x1f M=1 |
                        Mappings|
                        1: 0x0/0xffffffffffffffff/0x0   |
                        """)),
                // the Java agent's text: the count second, values times the sampling period, frames
                // from the symbol table (last line for an address wins, unused ones skipped)
                Arguments.of("Java contention text", ascii("""
                        --- contentionz 1 ---
                        format = java
                        resolution = microseconds
                        sampling period = 100
                        ms since reset = 2000
                          10 1 @ 0x1 0x2
                          012 2 @ 0x3 0x2 0x9
                        garbage

                         0x1 com.example.Lock.lock (Lock.java:10)
                         0x2 com.example.Main.run  (Main.java:-3)
                         0x3 com.example.Native.call (lib/x86/libnative.so)
                         0x8 unused.Method (U.java:1)
                         0x1 com.example.Later (Later.java:4)
                        """), golden("""
                        PeriodType: contentions count|
                        Period: 100|
                        Duration: 2s|
                        Samples:|
                        contentions/count delay/microseconds|
                                100       1000: 1 2 |
                                200       1000: 3 2 4 |
                        Locations|
                             1: 0x0 com.example.Later Later.java:4:0 s=0|
                             2: 0x0 com.example.Main.run  Main.java:0:0 s=0|
                             3: 0x0 com.example.Native.call libnative.so:0:0 s=0|
                             4: 0x0 M=1 |
                        Mappings|
                        1: 0x0/0xffffffffffffffff/0x0   |
                        """)),
                Arguments.of("Java binary CPU, 64-bit big-endian, symbols unterminated",
                        cpuProfile(ByteOrder.BIG_ENDIAN, 8,
                                " 0x1 GC\n 0x2 com.example.Main.main (Main.java:5)\n 0x3 some generated stub/JIT",
                                0, 3, 1, 10000, 0, 2, 2, 1, 2, 1, 3, 3, 1, 7, 0, 1, 0), golden("""
                        PeriodType: cpu nanoseconds|
                        Period: 10000000|
                        Samples:|
                        samples/count cpu/nanoseconds|
                                  2   20000000: 1 2 |
                                  1   10000000: 3 1 4 |
                        Locations|
                             1: 0x0 GC :0:0 s=0|
                             2: 0x0 com.example.Main.main Main.java:5:0 s=0|
                             3: 0x0 STUB :0:0 s=0|
                             4: 0x0 M=1 |
                        Mappings|
                        1: 0x0/0xffffffffffffffff/0x0   |
                        """)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syntheticCases")
    void syntheticCaseMatchesRecordedPprofOutput(String name, byte[] input, String expected) {
        Profile p = LegacyProfileReader.parse(input);
        assertThat(p).isNotNull();
        assertThat(RawProfileDumper.dump(p)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syntheticCases")
    void syntheticCaseMatchesLivePprof(String name, byte[] input, String expected, @TempDir Path tmp)
            throws Exception {
        Path go = Tools.go127();
        Path file = tmp.resolve("input");
        Files.write(file, input);
        PprofRun raw = runPprof(go, tmp, "-raw", file);
        assertThat(raw.exitCode).isZero();
        assertThat(comparableDump(LegacyProfileReader.parse(input))).isEqualTo(raw.stdout);
    }

    // ------------------------------------------------------------------------------------
    // 3. malformed input: one-line BadInputException naming the line, nothing else

    static Stream<Arguments> malformedInputs() {
        return Stream.of(
                Arguments.of("truncated heap header", ascii("heap profile: 1: 2 [3"),
                        "heap profile line 1: malformed header"),
                Arguments.of("truncated goroutine header", ascii("goroutine profile: total"),
                        "goroutine profile line 1: malformed header"),
                Arguments.of("header after a comment", ascii("# note\nheap profile: 1: 2 [3: 4] @ heap/2\n"),
                        "heap profile line 2: malformed header"),
                Arguments.of("garbage count", ascii("goroutine profile: total 3\nabc @ 0x1\n"),
                        "goroutine profile line 2: expected"),
                Arguments.of("count in bad octal", ascii("goroutine profile: total 3\n09 @ 0x1\n"),
                        "goroutine profile line 2: bad count"),
                Arguments.of("count too large", ascii("goroutine profile: total 3\n99999999999999999999 @ 0x1\n"),
                        "goroutine profile line 2: bad count"),
                Arguments.of("address too large", ascii("goroutine profile: total 3\n1 @ 0x11112222333344445\n"),
                        "goroutine profile line 2: address 0x11112222333344445 does not fit"),
                Arguments.of("count line with trailing junk", ascii("threadcreate profile: total 3\n1 @ 0x1 z\n"),
                        "threadcreate profile line 2: expected"),
                Arguments.of("garbage heap counts", ascii("heap profile: 1: 2 [3: 4] @ heap/1024\nx: y [3: 4] @ 0x1\n"),
                        "heap profile line 2: expected"),
                Arguments.of("heap count too large",
                        ascii("heap profile: 1: 2 [3: 4] @ heap/1024\n99999999999999999999: 1 [1: 1] @ 0x1\n"),
                        "heap profile line 2: inuse count 99999999999999999999 is out of range"),
                Arguments.of("heap count 0 with bytes", ascii("heap profile: 1: 2 [3: 4] @ heap/1024\n0: 5 [0: 0] @ 0x1\n"),
                        "heap profile line 2: inuse count was 0 but inuse bytes was 5"),
                Arguments.of("absurd heap rate", ascii("heap profile: 1: 2 [3: 4] @ heap/99999999999999999999999\n"),
                        "heap profile line 1: sampling rate"),
                Arguments.of("unknown heap kind", ascii("heap profile: 1: 2 [3: 4] @ heap_v9/1024\n"),
                        "heap profile line 1: unknown heap profile kind \"heap_v9\""),
                Arguments.of("un-sampling overflows",
                        ascii("heap profile: 1: 2 [3: 4] @ heap_v2/4611686018427387904\n"
                                + "9223372036854775807: 9223372036854775807 [0: 0] @ 0x1\n"),
                        "heap profile line 2: sample value"),
                Arguments.of("absurd sampling period", ascii("--- mutex:\ncycles/second=1\nsampling period=99999999999999999999\n"),
                        "mutex profile line 3: bad sampling period"),
                Arguments.of("truncated attribute", ascii("--- mutex:\ncycles/second="),
                        "mutex profile line 2: bad cycles/second \"\""),
                Arguments.of("contention values overflow",
                        ascii("--- mutex:\nsampling period=4611686018427387904\n1 3 @ 0x1\n"),
                        "mutex profile line 3: value 3 * 4611686018427387904 overflows"),
                Arguments.of("ms since reset overflows", ascii("--- contention:\nms since reset=9223372036854775807\n"),
                        "contention profile line 2: value"),
                Arguments.of("unknown attribute", ascii("--- contention:\nfoo=1\n"),
                        "contention profile line 2: unknown attribute \"foo\""),
                Arguments.of("garbage contention sample", ascii("--- contention:\ncycles/second=1\nabc\n"),
                        "contention profile line 3: expected"),
                Arguments.of("thread stack without end", ascii("--- threadz 1 ---\n--- Thread 1 (name: a/1) stack: ---\n0x1\n"),
                        "thread profile line 3: expected"),
                Arguments.of("line over 64 KiB", ascii("goroutine profile: total 1\n1 @" + " 0x1".repeat(20_000) + "\n"),
                        "goroutine profile line 2: line longer than 65535 bytes"),
                Arguments.of("binary CPU with absurd period", cpuProfile(ByteOrder.LITTLE_ENDIAN, 8, "",
                        0, 3, 0, 1L << 62, 0), "sampling period 4611686018427387904 us is out of range"),
                Arguments.of("binary CPU sample deeper than the file", cpuProfile(ByteOrder.LITTLE_ENDIAN, 8, "",
                        0, 3, 0, 100, 0, 1, 1000, 0x10), "truncated or corrupt sample at byte 40"),
                Arguments.of("binary CPU count overflows", cpuProfile(ByteOrder.LITTLE_ENDIAN, 8, "",
                        0, 3, 0, 1000, 0, 1L << 60, 1, 0x10), "sample count 1152921504606846976 overflows"),
                // pprof reads these but then finds no sample types to report on
                Arguments.of("Java contention profile without resolution",
                        ascii("--- contentionz 1 ---\nformat = java\n"),
                        "Java contention profile: no \"resolution\" attribute"),
                Arguments.of("Java heap profile without resolution", ascii("--- heapz 1 ---\nformat = java\n"),
                        "Java heap profile: no \"resolution\" attribute"),
                Arguments.of("Java heap sample with count 0",
                        ascii("--- heapz 1 ---\nformat = java\nresolution = bytes\n 10 0 @ 0x1\n"),
                        "Java heap profile line 4: sample count must not be 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInputs")
    void malformedInputIsRejectedOnOneLine(String name, byte[] input, String message) {
        Throwable t = catchThrowable(() -> LegacyProfileReader.parse(input));
        assertThat(t).isExactlyInstanceOf(BadInputException.class).hasMessageContaining(message);
        assertThat(t.getMessage()).doesNotContain("\n", "\r").hasSizeLessThan(200);
    }

    static Stream<Arguments> notLegacyInputs() {
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("prose", ascii("My profile: a story\nof things\n")),
                Arguments.of("json", ascii("{\"a\": 1}\n")),
                Arguments.of("Java heap text of another format", ascii("--- heapz 1 ---\nformat = cpp\n")),
                Arguments.of("short binary", new byte[] {0, 0, 0}),
                Arguments.of("one huge line", ascii("x".repeat(70_000))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notLegacyInputs")
    void otherDataIsNotALegacyProfile(String name, byte[] input) {
        assertThat(LegacyProfileReader.parse(input)).isNull();
    }

    /** Cut and scrambled profiles: a profile, null, or BadInputException, never anything else. */
    @Test
    void mutatedProfilesFailOnlyWithBadInput() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        syntheticCases().forEach(a -> seeds.add((byte[]) a.get()[1]));
        for (Path f : debug1Files().toList()) {
            seeds.add(Files.readAllBytes(f));
        }
        byte[] alphabet = "0123456789 @x:[]-#\n=abcf".getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(42);
        for (byte[] seed : seeds) {
            for (int round = 0; round < 60; round++) {
                byte[] data = mutate(seed, random, alphabet);
                try {
                    LegacyProfileReader.parse(data);
                } catch (BadInputException expected) {
                    assertThat(expected.getMessage()).doesNotContain("\n");
                } catch (RuntimeException e) {
                    throw new AssertionError("unexpected " + e + " on input:\n"
                            + new String(data, 0, Math.min(data.length, 400), StandardCharsets.ISO_8859_1), e);
                }
            }
        }
    }

    /**
     * Lines built to make a backtracking regex engine crawl, or a parser copy a line once per
     * character: each is read or refused with one line, and the work is bounded by what the parse
     * allocates (linear in the input, where copying per character would be gigabytes). How fast
     * is bench/'s question, not a test's: a wall-clock bound fails on a busy machine.
     */
    @Test
    void hostileLinesAreReadOrRefusedWithAllocationLinearInTheirSize() {
        String digits = "1".repeat(60_000);
        List<byte[]> inputs = List.of(
                ascii("--- contention:\ncycles/second=1\n" + digits + "\n"),
                ascii("--- contention:\ncycles/second=1\n" + "1 ".repeat(30_000) + "\n"),
                ascii("heap profile: 1: 2 [3: 4] @ heap/2\n" + digits + "\n"),
                ascii("heap profile: 1: 2 [3: 4] @ heap/2\n" + "-1:".repeat(20_000) + "\n"),
                ascii("--- Thread 1 (name: " + "--- Thread 1 (name: ".repeat(3_000) + ") stack: ---\n"),
                ascii("goroutine profile: total 1\n1 @ 0x1\n--- Memory map: ---\n" + "0-" + "a".repeat(60_000) + "z\n"),
                ascii("goroutine profile: total 1\n1 @ 0x1\n--- Memory map: ---\n" + "a".repeat(60_000) + "z\n"),
                ascii("goroutine profile: total 1\n1 @ 0x1\n--- Memory map: ---\n0-1" + " ".repeat(60_000) + "z\n"));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (byte[] input : inputs) {
            parseOrRefuse(input); // the parsers' classes and patterns are loaded, not counted
        }
        for (byte[] input : inputs) {
            long before = threads.getCurrentThreadAllocatedBytes();
            parseOrRefuse(input);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // measured: at most 3.3 MB for these 60 kB (the "-1:" line, 20,000 fields)
            assertThat(allocated).as("bytes allocated for a %d-byte input", input.length)
                    .isLessThan(128L * input.length + (4 << 20));
        }
    }

    private static void parseOrRefuse(byte[] input) {
        try {
            LegacyProfileReader.parse(input);
        } catch (BadInputException refused) {
            assertThat(refused.getMessage()).doesNotContain("\n");
        }
    }

    @Test
    void javaBinaryCpuProfileWithoutSamplesIsAnEmptyProfile() {
        Profile p = LegacyProfileReader.parse(cpuProfile(ByteOrder.LITTLE_ENDIAN, 8, "", 0, 3, 1, 100, 0));
        assertThat(p.kind()).isEqualTo("java-cpu");
        assertThat(typeNames(p)).containsExactly("samples", "cpu");
        assertThat(p.period()).isEqualTo(100_000);
        assertThat(p.samples().size()).isZero();
    }

    @Test
    void frameInfoFollowsTheSampleTypes() {
        Profile heap = LegacyProfileReader.parse(ascii("heap profile: 1: 2 [1: 2] @ heap/2\n1: 2 [1: 2] @ 0x1\n"));
        assertThat(heap.dropFrames()).startsWith("calloc|cfree|malloc|free|").contains("|runtime\\..*|");
        assertThat(heap.keepFrames()).isEqualTo("runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*");
        Profile mutex = LegacyProfileReader.parse(ascii("--- mutex:\n1 1 @ 0x1\n"));
        assertThat(mutex.dropFrames()).startsWith("RecordLockProfileData|(base::)?RecordLockProfileData.*|");
        assertThat(mutex.keepFrames()).isEmpty();
        Profile goroutine = LegacyProfileReader.parse(ascii("goroutine profile: total 1\n1 @ 0x1\n"));
        assertThat(goroutine.dropFrames()).isEqualTo(
                "ProfileData::Add|ProfileData::prof_handler|CpuProfiler::prof_handler|__pthread_sighandler|__restore");
    }

    @Test
    void windowsLineEndingsAreAccepted() {
        Profile p = LegacyProfileReader.parse(ascii("goroutine profile: total 2\r\n2 @ 0x11 0x21\r\n"));
        assertThat(p).isNotNull();
        assertThat(p.samples().value(0, 0)).isEqualTo(2);
        assertThat(p.locations().address).containsExactly(0x10, 0x20);
    }

    // ------------------------------------------------------------------------------------
    // helpers

    private static Profile parseFile(Path f) throws IOException {
        return LegacyProfileReader.parse(Files.readAllBytes(f));
    }

    private static List<String> typeNames(Profile p) {
        return p.sampleTypes().stream().map(ValueType::type).toList();
    }

    /** The "# runtime.MemStats" line and the '#' lines after it, as in the file. */
    private static List<String> memStatsLines(byte[] data) {
        List<String> lines = new String(data, StandardCharsets.UTF_8).lines().toList();
        int from = lines.indexOf("# runtime.MemStats");
        return lines.subList(from, lines.size()).stream().filter(l -> l.startsWith("#")).toList();
    }

    /** Our dump as pprof's driver would print it (see corpusFileMatchesLivePprof). */
    private static String comparableDump(Profile p) {
        String dump = RawProfileDumper.dump(ProfileLoader.withMapping(p));
        return Arrays.stream(dump.split("\n", -1)).filter(l -> !l.startsWith("Comment: #"))
                .collect(Collectors.joining("\n"));
    }


    private record PprofRun(int exitCode, byte[] bytes, String stdout) {
    }

    /**
     * Runs {@code go tool pprof FLAG file}. PPROF_BINARY_PATH points at an empty directory so
     * that pprof finds no binary to symbolize with, and TZ is fixed.
     */
    private static PprofRun runPprof(Path go, Path tmp, String flag, Path file) throws Exception {
        Path noBinaries = Files.createDirectories(tmp.resolve("no-binaries"));
        ProcessBuilder pb = new ProcessBuilder(go.toString(), "tool", "pprof", flag, file.toAbsolutePath().toString());
        pb.environment().put("TZ", "UTC");
        pb.environment().put("PPROF_BINARY_PATH", noBinaries.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process proc = pb.start();
        byte[] out;
        try (InputStream in = proc.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!proc.waitFor(120, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError("pprof timed out on " + file);
        }
        return new PprofRun(proc.exitValue(), out, new String(out, StandardCharsets.UTF_8));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Expected dumps are written with '|' marking line ends, so trailing blanks stay visible. */
    private static String golden(String text) {
        return text.replace("|\n", "\n");
    }

    private static byte[] cpuProfile(ByteOrder order, int width, String trailer, long... words) {
        byte[] tail = trailer.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(words.length * width + tail.length).order(order);
        for (long w : words) {
            if (width == 4) {
                b.putInt((int) w);
            } else {
                b.putLong(w);
            }
        }
        b.put(tail);
        return b.array();
    }

    /**
     * 40 samples whose second and third frames are the same everywhere (as a signal handler's
     * would be) plus one that differs: both frames go, as 41 - 41/32 samples share each.
     */
    private static long[] signalFrameSamples() {
        List<Long> w = new ArrayList<>(List.of(0L, 3L, 0L, 5000L, 0L));
        for (int i = 0; i < 40; i++) {
            w.addAll(List.of(1L, 3L, 0x1000L + i % 3, 0xdeadL, 0x2000L));
        }
        w.addAll(List.of(2L, 3L, 0x1000L, 0x1001L, 0x3001L));
        w.addAll(List.of(0L, 1L, 0L));
        return w.stream().mapToLong(Long::longValue).toArray();
    }

    private static String signalFrameGolden() {
        StringBuilder b = new StringBuilder("""
                PeriodType: cpu nanoseconds|
                Period: 5000000|
                Samples:|
                samples/count cpu/nanoseconds|
                """);
        for (int i = 0; i < 40; i++) {
            b.append("          1    5000000: ").append(i % 3 + 1).append(" |\n");
        }
        b.append("""
                          2   10000000: 1 1 4 |
                Locations|
                     1: 0x1000 M=1 |
                     2: 0x1001 M=1 |
                     3: 0x1002 M=1 |
                     4: 0x3000 M=1 |
                Mappings|
                1: 0x0/0xffffffffffffffff/0x0   |
                """);
        return b.toString();
    }

    private static byte[] mutate(byte[] seed, Random random, byte[] alphabet) {
        byte[] data = seed.length == 0 ? new byte[1] : seed.clone();
        switch (random.nextInt(3)) {
            case 0 -> data = Arrays.copyOf(data, random.nextInt(data.length + 1)); // truncate
            case 1 -> { // scramble a few bytes
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    data[random.nextInt(data.length)] = alphabet[random.nextInt(alphabet.length)];
                }
            }
            default -> { // arbitrary bytes
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    data[random.nextInt(data.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return data;
    }
}
