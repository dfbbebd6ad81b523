package dev.godiag.cli;

import dev.godiag.format.Gzip;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Peers;
import dev.godiag.util.RawUtf8;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "godiag top" against Go 1.27's "go tool pprof -top", live and byte for byte, on what other
 * programs write: names pprof's symbolizer rewrites (Go generics instantiated with func types
 * and methodful interfaces, mangled and demangled C++ and Rust), the Java agent's legacy
 * profiles, names that are not valid UTF-8 (pprof prints their bytes), and rows tied at file
 * granularity (which pprof orders at random: only those groups are compared as sets).
 */
class ForeignProfileParityTest {
    @TempDir
    static Path dir;
    private static Path pprof;

    @BeforeAll
    static void findPprof() {
        pprof = Peers.pprof127();
    }

    // ---- names ------------------------------------------------------------------------

    /** A Go program's allocations in generic code instantiated with func types and interfaces. */
    @TestFactory
    Stream<DynamicTest> goGenericsInstantiatedWithFuncsAndInterfaces() throws Exception {
        Path profile = genericsProfile();
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> flags : List.of(
                List.of("-nodecount=40"),
                List.of("-nodecount=40", "-sample_index=alloc_objects"),
                List.of("-nodecount=40", "-cum"),
                List.of("-nodecount=40", "-lines"),
                List.of("-nodecount=40", "-filefunctions"),
                List.of("-nodecount=40", "-focus=Apply\\[go.shape.func int\\]"),
                List.of("-nodecount=40", "-show=Box\\[go.shape.func int\\]|interface \\{ Size int \\}"),
                List.of("-nodecount=40", "-ignore=func string"),
                List.of("-nodecount=40", "-hide=\\(\\*Box"))) {
            tests.add(parity(flags, profile));
        }
        return tests.stream();
    }

    /**
     * "godiag merge" writes the names pprof's -proto writes (simplified name, original system
     * name); with --pgo it keeps the names Go's compiler matches.
     */
    @Test
    void mergeWritesPprofsNamesButPgoKeepsTheCompilers() throws Exception {
        Path profile = genericsProfile();
        Path merged = dir.resolve("merged.pb.gz");
        godiag(List.of("merge", "-o", merged.toString(), profile.toString()));
        Profile m = dev.godiag.format.ProfileReader.read(Files.readAllBytes(merged), Gzip.DEFAULT_LIMIT);
        assertThat(List.of(m.functions().name)).contains("main.Apply[go.shape.func int]")
                .doesNotContain("main.Apply[go.shape.func(int) int]");
        assertThat(List.of(m.functions().systemName)).contains("main.Apply[go.shape.func(int) int]");
        // as pprof's own -proto names them
        Profile p = dev.godiag.format.ProfileReader.read(runBytes(List.of(pprof.toString(), "-proto",
                profile.toString())), Gzip.DEFAULT_LIMIT);
        assertThat(List.of(m.functions().name)).containsExactlyInAnyOrder(p.functions().name);

        // a CPU profile through a generic function: the PGO profile keeps the runtime's name
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count")
                .sampleType("cpu", "nanoseconds");
        b.period(new dev.godiag.model.ValueType("cpu", "nanoseconds"), 10_000_000);
        String apply = "main.Apply[go.shape.func(int) int]";
        int fApply = b.addFunction(1, apply, apply, "main.go", 40);
        int fMain = b.addFunction(2, "main.main", "main.main", "main.go", 10);
        b.addLine(fApply, 42, 0);
        int lApply = b.endLocation(1, -1, 0x1000, false);
        b.addLine(fMain, 15, 0);
        int lMain = b.endLocation(2, -1, 0x2000, false);
        b.addSampleLocation(lApply);
        b.addSampleLocation(lMain);
        b.endSample(10, 100_000_000);
        Path cpu = dir.resolve("generic.cpu.pb.gz");
        write(b.build(), cpu);
        Path pgo = dir.resolve("generic.pgo");
        godiag(List.of("merge", "--pgo", "-o", pgo.toString(), cpu.toString()));
        Profile g = dev.godiag.format.ProfileReader.read(Files.readAllBytes(pgo), Gzip.DEFAULT_LIMIT);
        assertThat(List.of(g.functions().name)).contains(apply).doesNotContain("main.Apply[go.shape.func int]");
    }

    /** testdata/gen/generics built with Go 1.27 (the shared fixture, -trimpath), run once; returns its profile. */
    private static Path genericsProfile() throws Exception {
        Path out = dir.resolve("generics.allocs.pprof");
        if (Files.exists(out)) {
            return out;
        }
        Path log = dir.resolve("generics.log");
        Path binary = GoFixtures.build(Tools.go127(), "generics");
        run(new ProcessBuilder(binary.toString(), out.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()), "the generics program", log);
        return out;
    }

    private static void run(ProcessBuilder pb, String what, Path log) throws Exception {
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(what + " timed out");
        }
        assertThat(p.exitValue()).as(what + ": " + Files.readString(log)).isZero();
    }

    /**
     * Names as profilers of C++ and Rust programs write them: mangled (also with macOS's extra
     * '_'), demangled with parameters and template arguments, a name that differs from the
     * system name (pprof keeps it), an empty name with a mangled system name (pprof fills it).
     */
    @TestFactory
    Stream<DynamicTest> cppAndRustNames() throws IOException {
        Path profile = dir.resolve("native.pb.gz");
        write(nativeProfile(), profile);
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> flags : List.of(
                List.of("-nodecount=60"),
                List.of("-nodecount=60", "-cum"),
                List.of("-nodecount=60", "-lines"),
                List.of("-nodecount=60", "-focus=ns::Widget::draw"),
                List.of("-nodecount=60", "-ignore=std::vector"),
                List.of("-nodecount=60", "-show=mycrate|hyper"),
                List.of("-nodecount=60", "-hide=::drop$"),
                List.of("-nodecount=60", "-all_frames"))) {
            tests.add(parity(flags, profile));
        }
        return tests.stream();
    }

    /** {name, system name} pairs; each becomes a leaf under "main" with its own weight. */
    private static final String[][] NATIVE_FUNCTIONS = {
        // demangled C++: parameters and template arguments go
        {"std::vector<int, std::allocator<int> >::push_back(int const&)", null},
        {"ns::Widget::draw(ns::Canvas&) const", null},
        {"ns::f(int)", null},
        {"ns::f(double)", null}, // the same row as ns::f(int) once simplified
        {"(anonymous namespace)::helper()", null},
        {"void std::__1::__function::__func<Lambda, std::__1::allocator<Lambda>, void ()>::operator()()", null},
        {"operator new(unsigned long)", null}, // no "::" or brackets: left as it is
        {"a)b::c(d", null}, // a ')' before any '(': pprof stops there
        {"java.lang.Thread.<init>", null},
        // mangled C++
        {"_ZN2ns6Widget4drawERNS_6CanvasE", null},
        {"_ZNKSt6vectorIiSaIiEE4sizeEv", null},
        {"_ZZN2ns3runEvENKUliE_clEi", null},
        {"_ZN12_GLOBAL__N_16workerEPv", null},
        {"_ZThn16_N2ns6Widget4drawERNS_6CanvasE", null},
        {"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE6appendEPKc", null},
        {"_ZN2ns6WidgetD2Ev", null},
        {"_ZN2ns3fooIiEEvT_.cold", null},
        {"_ZN3foo3barB5cxx11Ev", null},
        {"__ZN2ns6Widget6resizeEii", null},
        {"_ZTVN2ns6WidgetE", null},
        {"_ZN2ns6Widget4drawERNS_6CanvasE.cold", null},
        {"_Z13not_mangled_", null}, // does not parse: left as it is
        // Rust, legacy and v0 mangling, and demangled
        {"_ZN4core3ptr13drop_in_place17h0123456789abcdefE", null},
        {"_ZN5hyper5proto2h14role6Client6encode17h9f1e2d3c4b5a6978E", null},
        {"_ZN60_$LT$alloc..string..String$u20$as$u20$core..fmt..Display$GT$3fmt17h1a2b3c4d5e6f7081E", null},
        {"_RNvCs1234_7mycrate4main", null},
        {"_RNvNtCs1234_7mycrate5inner3run", null},
        {"_RINvCs1234_7mycrate7processmE", null},
        {"_RNCNvCs1234_7mycrate4main0", null},
        {"_RNvMNtCs1234_7mycrate5inputNtB2_6Reader4read", null},
        {"<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop", null},
        {"core::ptr::drop_in_place<tokio::runtime::Runtime>", null},
        {"std::rt::lang_start::{{closure}}", null},
        // a name the profiler already chose, and an empty one
        {"pretty::name(int)", "_ZN6pretty4nameEi"},
        {"", "_ZN6hidden4funcEv"},
    };

    private static Profile nativeProfile() {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("cpu", "nanoseconds");
        b.period(new dev.godiag.model.ValueType("cpu", "nanoseconds"), 10_000_000);
        // pprof drops frames by their simplified names: this one only matches after demangling
        b.dropFrames("ns::Widget::~Widget");
        int main = b.addFunction(1, "main", "main", "main.cc", 1);
        b.addLine(main, 5, 0);
        int mainLoc = b.endLocation(1, -1, 0x1000, false);
        for (int i = 0; i < NATIVE_FUNCTIONS.length; i++) {
            String name = NATIVE_FUNCTIONS[i][0];
            String system = NATIVE_FUNCTIONS[i][1] != null ? NATIVE_FUNCTIONS[i][1] : name;
            int f = b.addFunction(i + 2, name, system, "lib" + (i % 3) + ".cc", 10 * i);
            b.addLine(f, 10 * i + 3, 0);
            int loc = b.endLocation(i + 2, -1, 0x2000 + 16L * i, false);
            b.addSampleLocation(loc);
            b.addSampleLocation(mainLoc);
            b.endSample(10_000_000L * (i + 1));
        }
        return b.build();
    }

    // ---- Java's legacy profiles -------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> javaLegacyProfiles() throws IOException {
        Path heap = dir.resolve("java.heap");
        Files.writeString(heap, """
                --- heapz 1 ---
                format = java
                resolution = bytes
                      7048     1 @ 0x00000003 0x00000004 0x00000005
                      4752     9 @ 0x0000002b 0x00000004 0x00000005
                       880     1 @ 0x00000035 0x00000036 0x00000005
                    524288    16 @ 0x00000003 0x00000036 0x00000005
                       240     5 @ 0x00000097

                 0x00000003 com.example.cache.Table.resize (Table.java:213)
                 0x00000004 com.example.cache.Table.put (Table.java:160)
                 0x00000005 com.example.Main.main (Main.java:12)
                 0x0000002b [Ljava.lang.Object; (Unknown Source)
                 0x00000035 com.example.io.Buffer.<init> (Buffer.java:40)
                 0x00000036 com.example.io.Reader.fill  (Reader.java:77)
                """, StandardCharsets.UTF_8);
        Path contention = dir.resolve("java.contention");
        Files.writeString(contention, """
                --- contentionz 1 ---
                format = java
                resolution = microseconds
                sampling period = 100
                ms since reset = 6019923
                         1     1 @ 0x00000003 0x00000004
                        14     1 @ 0x0000000d 0x0000000e 0x00000004
                         2     2 @ 0x00000003 0x00000004
                         2     3 @ 0x00000036 0x00000037 0x00000038


                 0x0000003 com.example.Lock.acquire (Lock.java:31)
                 0x0000004 com.example.Worker.run (Worker.java:-1)
                 0x000000d com.example.Queue.take (Queue.java:88)
                 0x000000e com.example.Worker.poll (Worker.java:0)
                 0x0000036 com.example.nio.Selector.select (/usr/lib/jvm/lib/libnio.so)
                 0x0000037 some generated stub/JIT code
                 0x0000038 GC
                """, StandardCharsets.UTF_8);
        String symbols = """
                 0x00000001 GC
                 0x00000002 com.example.Main.main (Main.java:5)
                 0x00000003 some generated stub/JIT
                 0x00000004 com.example.Parser.parse (Parser.java:120)
                """;
        long[] words = {0, 3, 1, 10000, 0, 2, 2, 1, 2, 5, 3, 4, 3, 2, 1, 3, 4, 9, 2, 0, 1, 0};
        Path cpu32 = dir.resolve("java.cpu32");
        Files.write(cpu32, cpuProfile(ByteOrder.LITTLE_ENDIAN, 4, symbols, words));
        Path cpu64 = dir.resolve("java.cpu64");
        Files.write(cpu64, cpuProfile(ByteOrder.BIG_ENDIAN, 8, symbols.strip(), words));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : List.of(heap, contention, cpu32, cpu64)) {
            for (List<String> flags : List.of(
                    List.of("-nodecount=40"),
                    List.of("-nodecount=40", "-cum"),
                    List.of("-nodecount=40", "-lines"),
                    List.of("-nodecount=40", "-files"),
                    List.of("-nodecount=40", "-sample_index=0"),
                    List.of("-nodecount=40", "-focus=Worker|Main"))) {
                tests.add(parity(flags, f));
            }
        }
        tests.add(parity(List.of("-nodecount=40", "-mean_delay"), contention));
        return tests.stream();
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

    // ---- names that are not UTF-8 ------------------------------------------------------

    /** pprof prints a name's bytes as they are; so must godiag (compared as bytes). */
    @TestFactory
    Stream<DynamicTest> invalidUtf8NamesPrintTheirBytes() throws IOException {
        byte[][] names = {
            bytes("main.f", 0xff),
            bytes("main.f", 0xfe), // differs from the one above only in the invalid byte: another row
            bytes("main.truncated", 0xe2, 0x82),
            bytes("main.surrogate", 0xed, 0xa0, 0x80),
            bytes("main.overlong", 0xc0, 0xaf),
            bytes("main.pi", 0xcf, 0x80), // valid
            bytes("main.mixed", 0xcf, 0x80, 0x80, 0x41),
            // tied on flat, so ordered by name: Go compares the bytes
            bytes("main.tie", 0xff),
            bytes("main.tie", 0xee, 0x80, 0x80),
            bytes("main.tie", 0xf0, 0x9f, 0x98, 0x80),
            bytes("main.tie", 0x80),
            bytes("main.tie", 0xc3, 0xa9),
        };
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count");
        int main = b.addFunction(1, "main.main", "main.main", "main.go", 1);
        b.addLine(main, 3, 0);
        int mainLoc = b.endLocation(1, -1, 0x100, false);
        for (int i = 0; i < names.length; i++) {
            String name = RawUtf8.decode(names[i]);
            String file = RawUtf8.decode(bytes("src/" + i, 0xff, '.', 'g', 'o'));
            int f = b.addFunction(i + 2, name, name, file, 1);
            b.addLine(f, 7, 0);
            int loc = b.endLocation(i + 2, -1, 0x200 + 16L * i, false);
            b.addSampleLocation(loc);
            b.addSampleLocation(mainLoc);
            b.endSample(i < 7 ? 3L * i + 2 : 100);
        }
        Path profile = dir.resolve("utf8.pb.gz");
        write(b.build(), profile);
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> flags : List.of(List.of("-nodecount=40"), List.of("-nodecount=40", "-lines"),
                List.of("-nodecount=40", "-files"), List.of("-nodecount=40", "-focus=main\\.f."))) {
            tests.add(parity(flags, profile));
        }
        return tests.stream();
    }

    private static byte[] bytes(String ascii, int... more) {
        byte[] a = ascii.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(a, a.length + more.length);
        for (int i = 0; i < more.length; i++) {
            out[a.length + i] = (byte) more[i];
        }
        return out;
    }

    // ---- ties at file granularity -----------------------------------------------------

    /**
     * At -files, one file is several nodes (one per function start line); rows of one file tied
     * on the sort value come out of pprof in a different order on every run. Everything else is
     * compared in order.
     */
    @TestFactory
    Stream<DynamicTest> filesGranularityTies() throws IOException {
        Path tied = dir.resolve("tied.pb.gz");
        write(tiedProfile(), tied);
        List<Path> files = new ArrayList<>(List.of(tied));
        files.addAll(Corpus.glob("go1.27/*/cpu.pprof"));
        files.add(Corpus.file("go1.27/leakysvc/heap.t3.pprof"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            for (List<String> flags : List.of(List.of("-nodecount=40", "-files"),
                    List.of("-nodecount=40", "-files", "-cum"), List.of("-nodecount=8", "-files"),
                    List.of("-nodefraction=0", "-files", "-cum"))) {
                tests.add(parity(flags, f));
            }
        }
        return tests.stream();
    }

    /**
     * Four functions of one file, all with flat 5 and different cum (so sorted by cum, the rows'
     * flats make sum% depend on their order), and one of another file.
     */
    private static Profile tiedProfile() {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count");
        int[] locs = new int[5];
        for (int i = 0; i < 5; i++) {
            String file = i < 4 ? "pkg/a.go" : "pkg/b.go";
            int f = b.addFunction(i + 1, "pkg.f" + i, "pkg.f" + i, file, 10L * (i + 1));
            b.addLine(f, 10L * (i + 1) + 2, 0);
            locs[i] = b.endLocation(i + 1, -1, 0x100 + 16L * i, false);
        }
        // f0 <- f1 <- f2 <- f3: each is a leaf once, with 5; f4 alone with 5
        for (int leaf = 0; leaf < 4; leaf++) {
            for (int i = leaf; i < 4; i++) {
                b.addSampleLocation(locs[i]);
            }
            b.endSample(5);
        }
        b.addSampleLocation(locs[4]);
        b.endSample(5);
        return b.build();
    }

    /** pprof's order of tied rows is random; godiag's is fixed: by cum, the larger first. */
    @Test
    void godiagOrdersTiedRowsTheSameEveryTime() throws IOException {
        Path tied = dir.resolve("tied-order.pb.gz");
        write(tiedProfile(), tied);
        String first = new String(godiag(List.of("top", "-files", tied.toString())), StandardCharsets.UTF_8);
        String second = new String(godiag(List.of("top", "-files", tied.toString())), StandardCharsets.UTF_8);
        assertThat(second).isEqualTo(first);
        List<String> aRows = first.lines().filter(l -> l.endsWith("pkg/a.go")).toList();
        // flat 5 each; cum 20, 15, 10, 5 (f3 is under nothing, f0 under everything)
        assertThat(aRows).extracting(l -> l.substring(24, 35).strip()).containsExactly("20", "15", "10", "5");
    }

    // ---- running both ------------------------------------------------------------------

    private static void write(Profile p, Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            ProtoProfileWriter.write(p, os);
        }
    }

    private static DynamicTest parity(List<String> flags, Path file) {
        return DynamicTest.dynamicTest(String.join(" ", flags) + " " + file.getFileName(), () -> {
            List<String> pprofCmd = new ArrayList<>(List.of(pprof.toString(), "-top"));
            pprofCmd.addAll(flags);
            pprofCmd.add(file.toString());
            byte[] want = runBytes(pprofCmd);
            List<String> godiagCmd = new ArrayList<>(List.of("top"));
            godiagCmd.addAll(flags);
            godiagCmd.add(file.toString());
            byte[] got = godiag(godiagCmd);
            boolean cum = flags.contains("-cum");
            // ISO-8859-1: one char per byte, so the comparison is of the bytes
            assertThat(TopOutput.normalizeTies(new String(got, StandardCharsets.ISO_8859_1), cum))
                    .isEqualTo(TopOutput.normalizeTies(new String(want, StandardCharsets.ISO_8859_1), cum));
        });
    }

    /** godiag's standard output as bytes; fails on a non-zero exit. */
    private static byte[] godiag(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args.toArray(String[]::new), o, e);
        }
        assertThat(code).as("godiag failed: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toByteArray();
    }

    /** pprof's standard output as bytes (it need not be UTF-8); fails on a non-zero exit. */
    private static byte[] runBytes(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("TZ", "UTC");
        pb.environment().put("PPROF_TMPDIR", dir.toString());
        pb.environment().put("PPROF_BINARY_PATH", dir.resolve("no-binaries").toString());
        Path out = Files.createTempFile(dir, "pprof", ".out");
        Path err = Files.createTempFile(dir, "pprof", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        assertThat(p.exitValue()).as("pprof failed: %s", Files.readString(err, StandardCharsets.ISO_8859_1))
                .isZero();
        return Files.readAllBytes(out);
    }
}
