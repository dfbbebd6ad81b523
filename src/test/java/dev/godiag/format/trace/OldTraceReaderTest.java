package dev.godiag.format.trace;

import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.testutil.Corpus;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Old-format traces (Go 1.11-1.21) against Go 1.27's own reader of them, {@code go tool trace
 * -d=parsed}: every event (its kind, time, thread, P and goroutine) and every state transition.
 */
class OldTraceReaderTest {
    private static final Path CORPUS = Corpus.file("go1.19/cpuwork/trace.out");

    @Test
    void theCorpusGo119TraceIsGos() throws Exception {
        Read r = read(CORPUS);
        assertThat(r.summary.minor()).isEqualTo(19);
        assertThat(r.summary.warning()).isEmpty();
        List<String> parsed = GoTraceDump.lines(CORPUS, "-d=parsed");
        assertSameAsGo(r, parsed);
        assertThat(GoTraceDump.goTransitions(parsed)).hasSizeGreaterThan(100_000);
    }

    @Test
    void slicesOfTheTraceReadAsTheWholeTraceDoes() throws Exception {
        Read whole = read(CORPUS);
        List<TraceGeneration> slices = new ArrayList<>();
        TraceSummary s;
        try (InputStream in = Files.newInputStream(CORPUS)) {
            assertThat(in.readNBytes(16)).asString().startsWith("go 1.19 trace");
            s = new V1TraceReader(V1TraceReader.DEFAULT_MAX_BYTES, V1TraceReader.DEFAULT_MAX_EVENTS, 5000)
                    .read(in, 19, slices::add);
        }
        long events = whole.generations.stream().mapToLong(g -> g.events().size()).sum();
        assertThat(s.events()).isEqualTo(events);
        assertThat(s.generations()).isEqualTo(slices.size());
        // a slice ends after the old event that filled it, which may give two new ones
        assertThat(slices).hasSizeGreaterThanOrEqualTo((int) (events / 5001)).allSatisfy(g -> {
            assertThat(g.events()).hasSizeLessThanOrEqualTo(5001);
            assertThat(g.strings()).isSameAs(slices.getFirst().strings());
            assertThat(g.stacks()).isSameAs(slices.getFirst().stacks());
        });
        assertThat(GoTraceDump.ourTransitionList(slices)).isEqualTo(GoTraceDump.ourTransitionList(whole.generations));
        assertThat(GoTraceDump.ourRanges(slices)).isEqualTo(GoTraceDump.ourRanges(whole.generations));
        assertThat(GoTraceDump.counted(GoTraceDump.ourEvents(slices), Map.of()))
                .isEqualTo(GoTraceDump.counted(GoTraceDump.ourEvents(whole.generations), Map.of()));
    }

    @Test
    void anOldTraceOverTheLimitsIsRefusedWithOneLine() throws IOException {
        for (V1TraceReader small : List.of(new V1TraceReader(1 << 20, V1TraceReader.DEFAULT_MAX_EVENTS, 1000),
                new V1TraceReader(V1TraceReader.DEFAULT_MAX_BYTES, 1000, 1000))) {
            try (InputStream in = Files.newInputStream(CORPUS)) {
                in.skipNBytes(16);
                assertThatThrownBy(() -> small.read(in, 19, g -> { })).isInstanceOf(BadInputException.class)
                        .hasMessageContaining("more than").hasMessageNotContaining("\n");
            }
        }
    }

    @Test
    void aTruncatedOldTraceIsRefusedWithOneLineAsGoRefusesIt(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(CORPUS);
        Path cut = dir.resolve("cut.out");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> read(cut)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("damaged").hasMessageNotContaining("\n");
        Process p = new ProcessBuilder(Tools.go127().toString(), "tool", "trace", "-d=parsed", cut.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("go tool trace did not end (hang guard)");
        }
        assertThat(p.exitValue()).as("Go refuses the cut trace too").isNotZero();
    }

    /**
     * A Go 1.19 program traced now ({@code testdata/gen/oldtracework}: channels, select, mutex,
     * cond, sleep, Gosched, network, syscalls, GC assists, user tasks, CPU samples) against Go 1.27.
     */
    @Test
    void aGo119ProgramTracedNowIsGos(@TempDir Path dir) throws Exception {
        Path binary = GoFixtures.build(Tools.go119(), "oldtracework");
        Path trace = dir.resolve("trace.out");
        Process p = new ProcessBuilder(binary.toString(), "-out", trace.toString(), "-duration", "400ms")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("oldtracework did not end (hang guard)");
        }
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("oldtracework: done");
        Read r = read(trace);
        assertThat(r.summary.minor()).isEqualTo(19);
        assertThat(r.summary.warning()).isEmpty();
        List<String> parsed = GoTraceDump.lines(trace, "-d=parsed");
        assertSameAsGo(r, parsed);
        Set<String> reasons = new TreeSet<>();
        GoTraceDump.ourTransitionList(r.generations).forEach(t -> reasons.add(t.what().replaceAll(".* Reason=", "")));
        assertThat(reasons).contains("\"chan receive\"", "\"chan send\"", "\"select\"", "\"sync\"",
                "\"sync.(*Cond).Wait\"", "\"sleep\"", "\"runtime.Gosched\"", "\"network\"");
        assertThat(r.generations.stream().mapToInt(g -> g.cpuSamples().size()).sum()).isPositive();
        assertThat(r.generations.stream().flatMap(g -> g.events().stream())
                .filter(e -> e.type() == TraceEventType.USER_LOG)).isNotEmpty();
    }

    /** Go 1.27's own old-format testdata (traces of Go 1.11, 1.19 and 1.21 programs), each read whole. */
    @ParameterizedTest
    @MethodSource("goTestdata")
    void goTestdataTracesAreGos(String name) throws Exception {
        Path trace = testdata().resolve(name);
        Read r = read(trace);
        assertThat(r.summary.warning()).isEmpty();
        assertThat(r.summary.minor()).isEqualTo(Integer.parseInt(name.replaceAll(".*_1_(\\d+)_.*", "$1")));
        assertSameAsGo(r, GoTraceDump.lines(trace, "-d=parsed"));
    }

    static List<String> goTestdata() throws IOException {
        try (Stream<Path> files = Files.list(testdata())) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("_good")).sorted()
                    .toList();
            assertThat(names).hasSizeGreaterThanOrEqualTo(12);
            return names;
        }
    }

    private static Path testdata() {
        return Tools.go127().toAbsolutePath().getParent().getParent()
                .resolve("src/internal/trace/internal/tracev1/testdata");
    }

    /**
     * Every event (kind, time, thread, P, goroutine) and every transition equal Go's; where Go's
     * reader pushed events that shared a time 1 ns apart, in an order it draws from its map
     * iteration, they are compared by the start of that run ({@link GoTraceDump#runStarts}), and such
     * runs must stay rare.
     */
    static void assertSameAsGo(Read r, List<String> parsed) {
        List<GoTraceDump.Timed> goEvents = GoTraceDump.goEvents(parsed);
        List<GoTraceDump.Timed> ourEvents = GoTraceDump.ourEvents(r.generations);
        Map<Long, Long> goRuns = GoTraceDump.runStarts(goEvents);
        Map<Long, Long> ourRuns = GoTraceDump.runStarts(ourEvents);
        assertThat(ourRuns).as("the times events get, runs of 1 ns steps included").isEqualTo(goRuns);
        long moved = goRuns.entrySet().stream().filter(e -> !e.getKey().equals(e.getValue())).count();
        // a syscall that did not block is a 1 ns pair: those are most of the runs
        assertThat(moved).as("events pushed 1 ns after another").isLessThan(goEvents.size() / 4);
        Map<String, Integer> go = GoTraceDump.counted(goEvents, goRuns);
        Map<String, Integer> ours = GoTraceDump.counted(ourEvents, ourRuns);
        assertThat(go).isNotEmpty();
        assertThat(GoTraceDump.minus(ours, go)).as("events Go does not have").isEmpty();
        assertThat(GoTraceDump.minus(go, ours)).as("Go's events godiag lacks").isEmpty();
        go = GoTraceDump.counted(GoTraceDump.goTransitionList(parsed), goRuns);
        ours = GoTraceDump.counted(GoTraceDump.ourTransitionList(r.generations), ourRuns);
        assertThat(GoTraceDump.minus(ours, go)).as("transitions Go does not have").isEmpty();
        assertThat(GoTraceDump.minus(go, ours)).as("Go's transitions godiag lacks").isEmpty();
        go = GoTraceDump.counted(GoTraceDump.goRanges(parsed), goRuns);
        ours = GoTraceDump.counted(GoTraceDump.ourRanges(r.generations), ourRuns);
        assertThat(GoTraceDump.minus(ours, go)).as("ranges Go does not have").isEmpty();
        assertThat(GoTraceDump.minus(go, ours)).as("Go's ranges godiag lacks").isEmpty();
        go = GoTraceDump.counted(GoTraceDump.goAnnotations(parsed), goRuns);
        ours = GoTraceDump.counted(GoTraceDump.ourAnnotations(r.generations), ourRuns);
        assertThat(GoTraceDump.minus(ours, go)).as("annotations Go does not have").isEmpty();
        assertThat(GoTraceDump.minus(go, ours)).as("Go's annotations godiag lacks").isEmpty();
    }

    record Read(TraceSummary summary, List<TraceGeneration> generations) {
    }

    static Read read(Path trace) throws IOException {
        List<TraceGeneration> generations = new ArrayList<>();
        try (InputStream in = Files.newInputStream(trace)) {
            TraceSummary s = new TraceReader().read(in, generations::add);
            return new Read(s, generations);
        }
    }
}
