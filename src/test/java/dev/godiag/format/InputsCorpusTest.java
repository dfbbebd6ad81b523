package dev.godiag.format;

import dev.godiag.format.pprof.RawProfileDumper;
import dev.godiag.model.Goroutine;
import dev.godiag.model.MemStats;
import dev.godiag.testutil.Corpus;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every corpus file (both Go trees and the upstream files, inputs and non-inputs alike) read by
 * {@link Inputs} from the file and from its bytes with no name: the same kind and the same content,
 * down to every sample, goroutine and GC cycle. The only input where the answer differs is one
 * where the content cannot tell: Go's debug=1 text of the allocs endpoint is byte for byte the
 * format of the heap endpoint (one heap profile with in-use and allocation columns), so without a
 * name it is a heap profile, with the same data.
 */
class InputsCorpusTest {
    private static final ReadLimits LIMITS = ReadLimits.DEFAULT;

    static List<String> corpusFiles() {
        Path root = Corpus.root();
        return Corpus.glob("**").stream().map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
    }

    @ParameterizedTest
    @MethodSource("corpusFiles")
    void fileAndNamelessBytesAgree(String rel) throws IOException {
        Path file = Corpus.file(rel);
        byte[] data = Files.readAllBytes(file);
        Object fromFile = read(new Source.File(file));
        Object fromBytes = read(new Source.Bytes("", data));

        assertThat(describe(fromFile)).as("kind of %s from the file", rel).isEqualTo(expected(rel));
        String expectedWithoutName = rel.endsWith("allocs.debug1.txt") ? "profile heap" : expected(rel);
        assertThat(describe(fromBytes)).as("kind of %s from nameless bytes", rel).isEqualTo(expectedWithoutName);
        assertThat(content(fromBytes, "")).as("content of %s", rel).isEqualTo(content(fromFile, file.toString()));
        if (fromFile instanceof Input in) {
            // detect names the kind before reading; goroutine profiles are profile.proto until read
            boolean goroutineProfile = in instanceof Input.Goroutines g && g.dump().format().endsWith("profile");
            assertThat(Inputs.detect(Arrays.copyOf(data, Math.min(data.length, Inputs.SNIFF))))
                    .as("detect on the head of %s", rel).isEqualTo(goroutineProfile ? InputKind.PROFILE : in.kind());
        }
    }

    /** The input read, or the message of the BadInputException without the source's name. */
    private static Object read(Source s) {
        try {
            return Inputs.read(s, LIMITS);
        } catch (BadInputException e) {
            return "bad input: " + e.getMessage().substring(s.name().length() + 2);
        }
    }

    /** Inputs gzipped: the kind is told through the compression, the content is the same. */
    @ParameterizedTest
    @MethodSource("corpusFiles")
    void gzippedBytesAgree(String rel) throws IOException {
        Path file = Corpus.file(rel);
        byte[] data = Files.readAllBytes(file);
        if (data.length > 0 && (data[0] & 0xff) == 0x1f) {
            return; // gzipped already (profile.proto)
        }
        Object plain = read(new Source.File(file));
        if (plain instanceof Input.Unrecognised) {
            return; // a gzipped non-input is a "profile" that does not read: nothing to compare
        }
        String gzName = file.getFileName() + ".gz"; // named as a user would: heap/allocs text needs the name
        Object gz = read(new Source.Bytes(gzName, gzip(data)));
        assertThat(describe(gz)).as(rel).isEqualTo(describe(plain));
        assertThat(content(gz, gzName)).as(rel).isEqualTo(content(plain, file.toString()));
    }

    /** The load-test summaries of testdata/load (hey, wrk, vegeta text and JSON, latency CSVs) likewise. */
    @ParameterizedTest
    @MethodSource("loadFiles")
    void loadSummariesFromFileAndBytesAgree(String name) throws IOException {
        Path file = Path.of("testdata", "load", name);
        Input fromFile = Inputs.read(new Source.File(file), LIMITS);
        Input fromBytes = Inputs.read(new Source.Bytes("", Files.readAllBytes(file)), LIMITS);
        InputKind expected = name.equals("README.md") ? InputKind.UNRECOGNISED : InputKind.LOAD_SUMMARY;
        assertThat(fromFile.kind()).as(name).isEqualTo(expected);
        assertThat(fromBytes.kind()).as(name).isEqualTo(expected);
        assertThat(content(fromBytes, "")).as(name).isEqualTo(content(fromFile, file.toString()));
    }

    static List<String> loadFiles() throws IOException {
        try (var s = Files.list(Path.of("testdata", "load"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * What a user expects each corpus file to be, from the corpus README: the profiles by the
     * endpoint that wrote them, the snapshots and logs by what they are, the rest not an input.
     */
    static String expected(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        if (rel.startsWith("go1.")) {
            if (name.startsWith("goroutine")) {
                return "goroutines";
            }
            if (name.equals("gctrace.log")) {
                return "gctrace";
            }
            if (name.startsWith("vars.")) {
                return "expvar";
            }
            if (name.equals("trace.out")) {
                return "trace";
            }
            if (rel.equals("go1.19/cpuwork/threadcreate.debug1.txt")) {
                // Go 1.19 wrote stacks without addresses ("5 @"): pprof refuses it too (malformed profile format)
                return "bad input";
            }
            return "profile " + name.substring(0, name.indexOf('.')); // cpu, heap, allocs, block, mutex, threadcreate
        }
        if (rel.startsWith("upstream/goleak/")) {
            return name.endsWith(".txt") ? "goroutines" : "unrecognised";
        }
        if (rel.startsWith("upstream/benchstat/")) {
            // benchstat's inputs (its outputs, .stdout/.stderr, are tables, not results)
            boolean input = name.endsWith(".txt") || name.startsWith("benchfmt-files-");
            return input ? "benchmarks" : "unrecognised";
        }
        if (rel.startsWith("upstream/pprof/")) {
            if (name.endsWith(".cpu")) {
                return "profile cpu";
            }
            if (name.endsWith(".heap") || name.endsWith(".crash")) {
                return "profile heap"; // go.nomappings.crash is an unsymbolized heap profile
            }
            if (name.endsWith(".thread")) {
                return "profile threadcreate";
            }
            return "unrecognised"; // LICENSE and pprof's -raw dumps (*.string)
        }
        return "unrecognised"; // the README
    }

    private static String describe(Object read) {
        return read instanceof Input.Profile p ? "profile " + p.profileKind().id()
                : read instanceof Input in ? in.kind().name().toLowerCase(java.util.Locale.ROOT) : "bad input";
    }

    /** Everything read, without the name the reader was given. */
    static String content(Object read, String name) {
        if (!(read instanceof Input in)) {
            return (String) read;
        }
        return switch (in) {
            case Input.Profile p -> RawProfileDumper.dump(p.profile());
            case Input.Goroutines g -> g.dump().format() + " " + g.timeNanos() + " " + g.dump().goroutines()
                    + " " + g.dump().warnings();
            case Input.GcTraceLog l -> l.trace().cycles() + " " + l.trace().scavenges() + " "
                    + Arrays.toString(l.trace().gcForcedLines()) + " " + l.trace().sched() + " "
                    + l.trace().scanStatLines() + " " + l.trace().lines() + " " + l.trace().warnings();
            case Input.Expvar v -> v.vars().cmdline() + " " + memstats(v.vars().memstats()) + " " + v.vars().others();
            case Input.Prometheus m -> m.metrics().families() + " " + m.metrics().warnings();
            case Input.Benchmarks b -> b.file().results().toString().replace("file=" + name + ", ", "file=, ") + " "
                    + b.file().units() + " "
                    + b.file().warnings().stream().map(w -> w.substring(name.length())).toList();
            case Input.Load l -> l.summary().toString().replaceAll("\\[D@\\w+", "")
                    + Arrays.toString(l.summary().samples());
            case Input.Metrics m -> m.metrics().toString();
            case Input.Trace t -> "go 1." + t.goMinor() + " trace";
            case Input.CompilerLog c -> c.diagnostics().toString();
            case Input.HeapDump d -> "heap dump";
            case Input.Unrecognised u -> u.reason();
        };
    }

    private static String memstats(MemStats m) {
        return m == null ? "null" : m.toString().replaceAll("\\[J@\\w+", "") + Arrays.toString(m.pauseNs())
                + Arrays.toString(m.pauseEnd());
    }

    /**
     * The corpus traces (Go 1.27 writes the 1.26 format, Go 1.19 its own) are traces whether named or
     * not, gzipped or not, with the Go version of their header; a file is handed on as the file (to be
     * streamed), and the trace reader gives the same trace through any of the three.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"go1.27/cpuwork/trace.out,26", "go1.19/cpuwork/trace.out,19"})
    void tracesAreTracesNamedOrNotGzippedOrNot(String rel, int minor) throws IOException {
        Path file = Corpus.file(rel);
        byte[] data = Files.readAllBytes(file);
        byte[] gz = gzip(data);
        assertThat(Inputs.detect(Arrays.copyOf(data, Inputs.SNIFF))).isEqualTo(InputKind.TRACE);
        assertThat(Inputs.detect(Arrays.copyOf(gz, Math.min(gz.length, Inputs.SNIFF)))).isEqualTo(InputKind.TRACE);
        Path gzFile = Files.createTempFile("trace", ".out.gz");
        try {
            Files.write(gzFile, gz);
            List<Source> sources = List.of(new Source.File(file), new Source.Bytes("", data),
                    new Source.Bytes("", gz), new Source.File(gzFile));
            List<String> summaries = new java.util.ArrayList<>();
            for (Source s : sources) {
                Input.Trace t = (Input.Trace) Inputs.read(s, LIMITS);
                assertThat(t.goMinor()).isEqualTo(minor);
                if (s instanceof Source.File) {
                    assertThat(t.source()).as("a file is streamed again, not read").isEqualTo(s);
                }
                summaries.add(traceSummary(t));
            }
            assertThat(summaries).as("the same trace through every source").containsOnly(summaries.get(0));
            assertThat(summaries.get(0)).startsWith(minor + " ").endsWith(" Optional.empty");
            // a command that wants goroutines or runtime data says what the trace is, and what to use
            Input asGoroutines = Inputs.read(new Source.Bytes("t", gz), LIMITS, Inputs.Expect.GOROUTINES);
            assertThat(((Input.Unrecognised) asGoroutines).reason())
                    .isEqualTo("an execution trace: use 'godiag trace', or 'godiag trace --pprof sync -o FILE'"
                            + " for a profile of it");
        } finally {
            Files.delete(gzFile);
        }
    }

    /** The trace reader's summary of a trace input, or its one-line error without the name. */
    private static String traceSummary(Input.Trace t) {
        try {
            long[] changes = new long[1];
            var s = dev.godiag.format.trace.TraceSources.read(t.source(), t.limits(),
                    c -> changes[0] += c.transitions().size());
            return s.minor() + " " + s.generations() + " " + s.events() + " " + changes[0] + " " + s.warning();
        } catch (BadInputException e) {
            return e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
        }
    }

    /** Anchors from the corpus README, read from nameless bytes: the leaks' goroutine counts at t4. */
    @Test
    void leakCountsFromBytes() throws IOException {
        for (String form : List.of("debug2.txt", "debug1.txt", "pprof")) {
            byte[] data = Files.readAllBytes(Corpus.file("go1.27/leakysvc/goroutine.t4." + form));
            Input.Goroutines g = (Input.Goroutines) Inputs.read(new Source.Bytes("", data), LIMITS);
            long leakRange = 0;
            for (Goroutine r : g.dump().goroutines()) {
                if (!r.frames().isEmpty() && r.frames().stream().anyMatch(f -> f.function().equals("main.leakRange.func1"))) {
                    leakRange += r.count();
                }
            }
            assertThat(leakRange).as(form).isEqualTo(185);
        }
    }

    /** The gctrace cycles are the log's "gc N @" lines, counted by hand. */
    @Test
    void gcCyclesFromBytesAreTheLogsGcLines() throws IOException {
        for (String v : List.of("go1.19", "go1.27")) {
            byte[] data = Files.readAllBytes(Corpus.file(v + "/leakysvc/gctrace.log"));
            long gcLines = new String(data, StandardCharsets.UTF_8).lines().filter(l -> l.matches("gc \\d+ @.*")).count();
            Input.GcTraceLog log = (Input.GcTraceLog) Inputs.read(new Source.Bytes("", data), LIMITS);
            assertThat(log.trace().cycles()).as(v).hasSize((int) gcLines);
            assertThat(gcLines).isPositive();
        }
    }

    /** Block and mutex protos without names: the unlock leaves tell, in both trees and both programs. */
    @Test
    void blockAndMutexProtosByTheirStacks() throws IOException {
        for (String dir : List.of("go1.19/cpuwork", "go1.27/cpuwork", "go1.19/leakysvc", "go1.27/leakysvc")) {
            for (String k : List.of("block", "mutex")) {
                byte[] data = Files.readAllBytes(Corpus.file(dir + "/" + k + ".pprof"));
                Input.Profile p = (Input.Profile) Inputs.read(new Source.Bytes("", data), LIMITS);
                assertThat(p.profileKind().id()).as(dir + "/" + k).isEqualTo(k);
                // a misleading name does not override the stacks
                String other = k.equals("block") ? "mutex.pprof" : "block.pprof";
                Input.Profile named = (Input.Profile) Inputs.read(new Source.Bytes(other, data), LIMITS);
                assertThat(named.profileKind().id()).as(dir + "/" + k + " named " + other).isEqualTo(k);
            }
        }
    }

    /** Errors name the source; an unknown text is no error but says what it looked like. */
    @Test
    void unrecognisedAndBadInputs() {
        Input notes = Inputs.read(new Source.Bytes("notes.txt", "\njust some words\n".getBytes(StandardCharsets.UTF_8)),
                LIMITS);
        assertThat(notes).isEqualTo(new Input.Unrecognised("notes.txt",
                "text in no format godiag reads (first line: \"just some words\")"));
        assertThat(Inputs.detect(new byte[0])).isEqualTo(InputKind.UNRECOGNISED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Inputs.read(new Source.Bytes("x", new byte[0]), LIMITS))
                .isInstanceOf(BadInputException.class).hasMessage("x: empty input");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Inputs.read(new Source.Bytes("cut.pprof",
                        Arrays.copyOf(readCorpus("go1.27/cpuwork/cpu.pprof"), 100)), LIMITS))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("cut.pprof: truncated gzip data");
        // metrics JSON and vegeta JSON are told from /debug/vars by their top-level keys
        assertThat(Inputs.detect("{\"metrics\":[{\"name\":\"x\",\"values\":[1]}]}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(InputKind.METRICS_JSON);
        assertThat(Inputs.detect("{\"cmdline\":[\"x\"],\"metrics\":[1]}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(InputKind.EXPVAR);
        assertThat(Inputs.detect("{\"latencies\":{\"mean\":1}}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(InputKind.LOAD_SUMMARY);
    }

    private static byte[] readCorpus(String rel) {
        try {
            return Files.readAllBytes(Corpus.file(rel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
