package dev.godiag.format.trace;

import dev.godiag.model.trace.GoState;
import dev.godiag.model.trace.ProcState;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceRange;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.testutil.Corpus;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The trace reader against Go 1.27's own reader: {@code go tool trace -d=wire} (the batches and
 * events as written) and {@code -d=parsed} (Go's events after ordering), on the corpus trace.
 */
class TraceReaderTest {
    private static final Path TRACE = Corpus.file("go1.27/cpuwork/trace.out");
    private static final Pattern PARSED_EVENT = Pattern.compile("^M=\\S+ P=\\S+ G=\\S+ (\\w+) Time=(-?\\d+)");

    private static List<TraceGeneration> generations;
    private static TraceSummary summary;

    @BeforeAll
    static void readCorpusTrace() throws IOException {
        generations = new ArrayList<>();
        try (InputStream in = Files.newInputStream(TRACE)) {
            summary = new TraceReader().read(in, generations::add);
        }
    }

    @Test
    void eventsStringsStacksAndSamplesAreThoseGoSeesOnTheWire() throws Exception {
        Map<String, Integer> goCounts = new TreeMap<>();
        for (String line : goTool("-d=wire")) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                goCounts.merge(line.split(" ", 2)[0], 1, Integer::sum);
            }
        }
        Map<String, Integer> timed = new TreeMap<>();
        int strings = 0;
        int stacks = 0;
        int samples = 0;
        for (TraceGeneration g : generations) {
            strings += g.strings().size();
            stacks += g.stacks().size();
            samples += g.cpuSamples().size();
            for (TraceEvent e : g.events()) {
                timed.merge(e.type().goName(), 1, Integer::sum);
            }
        }
        Map<String, Integer> goTimed = new TreeMap<>(goCounts);
        for (String structural : List.of("EventBatch", "Sync", "Frequency", "ClockSnapshot", "Strings", "String",
                "Stacks", "Stack", "CPUSamples", "CPUSample", "EndOfGeneration")) {
            goTimed.remove(structural);
        }
        assertThat(timed).isEqualTo(goTimed);
        assertThat(timed.get("GoCreate")).isPositive();
        assertThat(strings).isEqualTo(goCounts.get("String"));
        assertThat(stacks).isEqualTo(goCounts.get("Stack"));
        assertThat(samples).isEqualTo(goCounts.get("CPUSample"));
        assertThat(generations).hasSize(goCounts.get("EndOfGeneration"));
        assertThat(summary.minor()).isEqualTo(26);
        assertThat(summary.warning()).isEmpty();
        assertThat(summary.generations()).isEqualTo(generations.size());
    }

    @Test
    void timesAndDerivedEventsMatchGosParsedTrace() throws Exception {
        Map<String, Integer> kinds = new TreeMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int created = 0;
        List<Long> goTimes = new ArrayList<>();
        for (String line : goTool("-d=parsed")) {
            Matcher m = PARSED_EVENT.matcher(line);
            if (!m.find()) {
                continue;
            }
            kinds.merge(m.group(1), 1, Integer::sum);
            if (line.contains(" NotExist->")) {
                created++;
            }
            if (!m.group(1).equals("Sync")) {
                goTimes.add(Long.parseLong(m.group(2)));
            }
            if (!m.group(1).equals("Sync") && !m.group(1).equals("StackSample")) {
                first = Math.min(first, Long.parseLong(m.group(2)));
                last = Math.max(last, Long.parseLong(m.group(2)));
            }
        }
        List<TraceEvent> all = generations.stream().flatMap(g -> g.events().stream()).toList();
        assertThat(all.getFirst().time()).isEqualTo(first);
        assertThat(all.getLast().time()).isEqualTo(last);
        // one event of Go's per event written, and every time as Go computes it
        List<Long> times = new ArrayList<>();
        generations.forEach(g -> {
            g.events().forEach(e -> times.add(e.time()));
            g.cpuSamples().forEach(c -> times.add(c.time()));
        });
        times.sort(null);
        assertThat(times).isEqualTo(goTimes);
        assertThat(count(all, TraceEventType.GO_CREATE, TraceEventType.GO_CREATE_BLOCKED,
                TraceEventType.GO_CREATE_SYSCALL)).isEqualTo(created);
        // Go's metrics are the heap and GOMAXPROCS events, its labels the goroutine labels
        assertThat(count(all, TraceEventType.HEAP_ALLOC, TraceEventType.HEAP_GOAL, TraceEventType.PROCS_CHANGE))
                .isEqualTo(kinds.get("Metric"));
        assertThat(count(all, TraceEventType.GO_LABEL)).isEqualTo(kinds.get("Label"));
        assertThat(count(all, TraceEventType.STW_BEGIN, TraceEventType.GC_BEGIN, TraceEventType.GC_SWEEP_BEGIN,
                TraceEventType.GC_MARK_ASSIST_BEGIN, TraceEventType.USER_REGION_BEGIN, TraceEventType.GC_ACTIVE,
                TraceEventType.GC_SWEEP_ACTIVE, TraceEventType.GC_MARK_ASSIST_ACTIVE)).isEqualTo(kinds.get("RangeBegin"));
        assertThat(generations.stream().mapToInt(g -> g.cpuSamples().size()).sum()).isEqualTo(kinds.get("StackSample"));
    }

    @Test
    void stateTransitionsAreGosOneForOne() throws Exception {
        Map<String, Integer> go = GoTraceDump.goTransitions(goTool("-d=parsed"));
        Map<String, Integer> ours = GoTraceDump.ourTransitions(generations);
        assertThat(go).hasSizeGreaterThan(100_000);
        assertThat(GoTraceDump.minus(ours, go)).as("transitions Go does not have").isEmpty();
        assertThat(GoTraceDump.minus(go, ours)).as("Go's transitions godiag lacks").isEmpty();
    }

    @Test
    void goroutineTransitionsCarryGosTransitionStacks() throws Exception {
        Map<String, Integer> go = GoTraceDump.goTransitionStacks(goTool("-d=parsed"));
        Map<String, Integer> ours = GoTraceDump.ourTransitionStacks(generations);
        assertThat(go.keySet()).anyMatch(k -> k.contains("NotExist->Runnable [") && !k.endsWith("[]"));
        assertThat(GoTraceDump.minus(ours, go)).as("transitions and stacks Go does not have").isEmpty();
        assertThat(GoTraceDump.minus(go, ours)).as("Go's transitions and stacks godiag lacks").isEmpty();
    }

    @Test
    void eventsOutOfGosOrderAreRefusedByTheStatesWithOneLine() {
        TraceGeneration first = generations.getFirst();
        List<TraceEvent> reversed = new ArrayList<>(first.events());
        java.util.Collections.reverse(reversed);
        TraceGeneration shuffled = new TraceGeneration(first.number(), first.frequency(), first.strings(),
                first.stacks(), reversed, first.cpuSamples(), first.snapshotTime(), first.wallClockNanos(),
                first.skippedExperimentalBatches());
        assertThatThrownBy(() -> new TraceStates().apply(shuffled)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("invalid trace: ").hasMessageNotContaining("\n");
        // the same events in the reader's order are Go's: every one advances
        assertThat(new TraceStates().apply(first).transitions()).isNotEmpty();
    }

    @Test
    void gcAndStopTheWorldRangesAreGos() throws Exception {
        Pattern range = Pattern.compile("(Range(?:Begin|Active|End)) Time=(\\d+) Name=\"([^\"]*)\" Scope=(\\w+(?:\\(-?\\d+\\))?)");
        Map<String, Integer> go = new TreeMap<>();
        for (String line : goTool("-d=parsed")) {
            Matcher m = range.matcher(line);
            if (m.find()) {
                go.merge(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4), 1, Integer::sum);
            }
        }
        Map<String, Integer> ours = new TreeMap<>();
        TraceStates states = new TraceStates();
        for (TraceGeneration g : generations) {
            for (TraceRange r : states.apply(g).ranges()) {
                ours.merge(r.edge() + " " + r.time() + " " + r.name() + " " + r.scope()
                        + (r.scope().equals("None") ? "" : "(" + r.scopeId() + ")"), 1, Integer::sum);
            }
        }
        assertThat(go).hasSizeGreaterThan(900);
        assertThat(GoTraceDump.minus(ours, go)).as("ranges Go does not have").isEmpty();
        assertThat(GoTraceDump.minus(go, ours)).as("Go's ranges godiag lacks").isEmpty();
    }

    @Test
    void timesIncreaseStrictlyWithinAndAcrossGenerationsAsInGo() {
        long previous = Long.MIN_VALUE;
        for (TraceGeneration g : generations) {
            for (TraceEvent e : g.events()) {
                assertThat(e.time()).isGreaterThan(previous);
                previous = e.time();
            }
        }
    }

    @Test
    void blockReasonsStwKindsAndStacksResolveThroughTheTables() {
        List<String> reasons = new ArrayList<>();
        List<String> stwKinds = new ArrayList<>();
        boolean hotLockFrame = false;
        for (TraceGeneration g : generations) {
            for (TraceEvent e : g.events()) {
                if (e.type() == TraceEventType.GO_BLOCK) {
                    reasons.add(g.string(e.arg("reason_string")));
                    for (TraceFrame f : g.stack(e.arg("stack")).frames()) {
                        hotLockFrame |= f.function().equals("main.hotLock")
                                && f.file().equals("example.com/shop/cpuwork/main.go") && f.line() == 106;
                    }
                } else if (e.type() == TraceEventType.STW_BEGIN) {
                    stwKinds.add(g.string(e.arg("kind_string")));
                }
            }
        }
        assertThat(reasons).contains("sync", "sleep");
        assertThat(stwKinds).contains("start trace", "GC sweep termination");
        assertThat(hotLockFrame).isTrue();
        TraceGeneration firstGen = generations.getFirst();
        assertThat(firstGen.wallClockNanos()).isPositive();
        assertThat(firstGen.frequency()).isEqualTo(15_625_000);
        assertThat(firstGen.events().stream().filter(e -> e.type() == TraceEventType.GO_STATUS
                || e.type() == TraceEventType.GO_STATUS_STACK).map(e -> GoState.of(e.arg("gstatus")).goName()))
                .contains("Running").doesNotContain("Bad");
        assertThat(firstGen.events().stream().filter(e -> e.type() == TraceEventType.PROC_STATUS)
                .map(e -> ProcState.of(e.arg("pstatus")).goName())).contains("Running").doesNotContain("Bad");
    }

    @Test
    void aTruncatedTraceGivesTheGenerationsBeforeTheCutAndOneWarning() throws IOException {
        byte[] whole = Files.readAllBytes(TRACE);
        List<TraceGeneration> part = new ArrayList<>();
        TraceSummary s = new TraceReader().read(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length / 2)),
                part::add);
        assertThat(s.warning()).hasValueSatisfying(w -> assertThat(w).contains("truncated").doesNotContain("\n"));
        assertThat(part).isNotEmpty().hasSizeLessThan(generations.size());
        for (int i = 0; i < part.size(); i++) {
            assertThat(part.get(i).events()).hasSameSizeAs(generations.get(i).events());
        }
    }

    @Test
    void aGenerationOverTheLimitEndsTheReadWithAWarning() throws IOException {
        List<TraceGeneration> got = new ArrayList<>();
        try (InputStream in = Files.newInputStream(TRACE)) {
            TraceSummary s = new TraceReader(4096).read(in, got::add);
            assertThat(s.warning()).hasValueSatisfying(w -> assertThat(w).contains("more than"));
        }
        assertThat(got).isEmpty();
    }

    @Test
    void filesThatAreNotTracesAreRefusedWithOneLine() throws IOException {
        try (InputStream in = Files.newInputStream(Corpus.file("go1.27/cpuwork/cpu.pprof"))) {
            assertThatThrownBy(() -> new TraceReader().read(in, g -> { }))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("not a Go execution trace");
        }
        assertThatThrownBy(() -> new TraceReader().read(new ByteArrayInputStream(new byte[0]), g -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a Go execution trace");
        assertThatThrownBy(() -> new TraceReader().read(new ByteArrayInputStream(
                "go 1.24 trace\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), g -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("go 1.24");
    }

    private static int count(List<TraceEvent> events, TraceEventType... types) {
        List<TraceEventType> wanted = List.of(types);
        return (int) events.stream().filter(e -> wanted.contains(e.type())).count();
    }

    private static final Map<String, List<String>> DUMPS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Go's dump of the corpus trace in this mode, made once per run. */
    private static List<String> goTool(String mode) throws IOException, InterruptedException {
        List<String> lines = DUMPS.get(mode);
        if (lines == null) {
            lines = GoTraceDump.lines(TRACE, mode);
            DUMPS.put(mode, lines);
        }
        return lines;
    }
}
