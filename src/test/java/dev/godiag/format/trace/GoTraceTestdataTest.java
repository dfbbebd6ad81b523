package dev.godiag.format.trace;

import dev.godiag.model.trace.ProcState;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceRange;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.model.trace.UserAnnotation;
import dev.godiag.testutil.Tools;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.DynamicTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The traces of Go 1.22, 1.23 and 1.25 that Go's own tests read (src/internal/trace/testdata/tests
 * of the Go 1.27 tree: the text form of Go's raw package, encoded back to the wire here). Those Go
 * expects to parse are read whole, each timed event once, and give Go's state transitions and
 * times (against {@code go tool trace -d=parsed} of Go 1.27 on the same wire bytes). Those Go expects
 * to fail (a GoCreateSyscall with a P, ...) are refused with one line naming Go's problem, and Go 1.27's
 * tool refuses them too.
 */
class GoTraceTestdataTest {
    private static final Map<String, Integer> STRUCTURAL = Map.ofEntries(Map.entry("EventBatch", 1),
            Map.entry("Stacks", 2), Map.entry("Stack", 3), Map.entry("Strings", 4), Map.entry("String", 5),
            Map.entry("CPUSamples", 6), Map.entry("CPUSample", 7), Map.entry("Frequency", 8),
            Map.entry("ExperimentalBatch", 49), Map.entry("Sync", 50), Map.entry("ClockSnapshot", 51),
            Map.entry("EndOfGeneration", 52));

    @TestFactory
    Stream<DynamicTest> tracesGoParsesAreReadWhole() throws IOException {
        Path dir = Tools.go127().getParent().getParent().resolve("src/internal/trace/testdata/tests");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(20);
        List<Path> succeeding = files.stream().filter(GoTraceTestdataTest::goExpectsSuccess).toList();
        assertThat(succeeding).hasSizeGreaterThanOrEqualTo(18);
        return succeeding.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Encoded t = encode(Files.readString(f));
            List<TraceGeneration> gens = new ArrayList<>();
            TraceSummary s = new TraceReader().read(new ByteArrayInputStream(t.bytes), gens::add);
            assertThat(s.warning()).isEmpty();
            assertThat(s.minor()).isEqualTo(t.minor);
            assertThat(gens).isNotEmpty();
            assertThat(gens.stream().mapToLong(g -> g.events().size()).sum()).isEqualTo(t.timedEvents);
            assertThat(gens.stream().mapToLong(g -> g.strings().size()).sum()).isEqualTo(t.strings);
            assertThat(gens.stream().mapToLong(g -> g.stacks().size()).sum()).isEqualTo(t.stacks);
        }));
    }

    @TestFactory
    Stream<DynamicTest> stateTransitionsAndTimesAreGos() throws IOException {
        List<Path> succeeding = testFiles().stream().filter(GoTraceTestdataTest::goExpectsSuccess).toList();
        assertThat(succeeding).hasSizeGreaterThanOrEqualTo(18);
        return succeeding.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Encoded t = encode(Files.readString(f));
            List<TraceGeneration> gens = new ArrayList<>();
            new TraceReader().read(new ByteArrayInputStream(t.bytes), gens::add);
            List<String> parsed = goParsed(t);
            Map<String, Integer> go = GoTraceDump.goTransitions(parsed);
            Map<String, Integer> ours = GoTraceDump.ourTransitions(gens);
            assertThat(go).isNotEmpty();
            assertThat(GoTraceDump.minus(ours, go)).as("transitions Go does not have").isEmpty();
            assertThat(GoTraceDump.minus(go, ours)).as("Go's transitions godiag lacks").isEmpty();
            Map<String, Integer> goStacks = GoTraceDump.goTransitionStacks(parsed);
            Map<String, Integer> ourStacks = GoTraceDump.ourTransitionStacks(gens);
            assertThat(GoTraceDump.minus(ourStacks, goStacks)).as("transition stacks Go does not have").isEmpty();
            assertThat(GoTraceDump.minus(goStacks, ourStacks)).as("Go's transition stacks godiag lacks").isEmpty();
            Map<String, Integer> goRanges = new TreeMap<>();
            for (String line : parsed) {
                Matcher m = RANGE.matcher(line);
                if (m.find()) {
                    goRanges.merge(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4), 1,
                            Integer::sum);
                }
            }
            Map<String, Integer> ourRanges = new TreeMap<>();
            TraceStates rangeStates = new TraceStates();
            for (TraceGeneration g : gens) {
                for (TraceRange r : rangeStates.apply(g).ranges()) {
                    ourRanges.merge(r.edge() + " " + r.time() + " " + r.name() + " " + r.scope()
                            + (r.scope().equals("None") ? "" : "(" + r.scopeId() + ")"), 1, Integer::sum);
                }
            }
            assertThat(GoTraceDump.minus(ourRanges, goRanges)).as("ranges Go does not have").isEmpty();
            assertThat(GoTraceDump.minus(goRanges, ourRanges)).as("Go's ranges godiag lacks").isEmpty();
            // every written event at Go's time: Go's events less those it derives from them
            List<Long> goTimes = new ArrayList<>();
            for (String line : parsed) {
                Matcher m = PARSED.matcher(line);
                if (m.find() && !m.group(1).equals("Sync") && !m.group(1).equals("StackSample")) {
                    goTimes.add(Long.parseLong(m.group(2)));
                }
            }
            List<Long> ourTimes = new ArrayList<>();
            TraceStates states = new TraceStates();
            for (TraceGeneration g : gens) {
                states.apply(g).transitions().forEach(s -> {
                    if (s.time() != s.event().time()) {
                        ourTimes.add(s.time()); // a derived event
                    }
                });
                g.events().forEach(e -> ourTimes.add(e.time()));
            }
            assertThat(ourTimes).containsExactlyInAnyOrderElementsOf(goTimes);
        }));
    }

    @TestFactory
    Stream<DynamicTest> tracesGoRefusesAreRefusedWithGosReason() throws IOException {
        List<Path> failing = testFiles().stream().filter(f -> !goExpectsSuccess(f)).toList();
        assertThat(failing).hasSizeGreaterThanOrEqualTo(2);
        return failing.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String text = Files.readString(f);
            String expect = text.substring(text.indexOf("-- expect --") + 12, text.indexOf("-- trace --")).strip();
            Matcher quoted = Pattern.compile("FAILURE \"(.*)\"").matcher(expect);
            assertThat(quoted.find()).as(expect).isTrue();
            Pattern goReason = Pattern.compile(quoted.group(1));
            Encoded t = encode(text);
            Path file = Files.createTempFile("go-testdata", ".trace");
            try {
                Files.write(file, t.bytes);
                assertThat(goReason.matcher(GoTraceDump.refusal(file, "-d=parsed")).find()).isTrue();
            } finally {
                Files.deleteIfExists(file);
            }
            TraceStates states = new TraceStates();
            assertThatThrownBy(() -> new TraceReader().read(new ByteArrayInputStream(t.bytes), states::apply))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageNotContaining("\n")
                    .satisfies(e -> assertThat(goReason.matcher(e.getMessage()).find()).as(e.getMessage()).isTrue());
        }));
    }

    /** Hand-made traces Go's reader refuses, and the words of its refusal. */
    @TestFactory
    Stream<DynamicTest> handMadeTracesAreRefusedAsGoRefusesThem() {
        String frequency = "Trace Go1.22\nEventBatch gen=1 m=0 time=0 size=5\nFrequency freq=15625000\n";
        Map<String, String> traces = Map.of(
                // goroutine 5 was never created nor given a status: its start can never come next
                "broken trace: failed to advance", frequency
                        + "EventBatch gen=1 m=0 time=0 size=4\nGoStart dt=1 g=5 g_seq=1\n",
                // a creation whose new goroutine's stack is not in the (empty) stack table
                "found invalid stack ID 7 for event GoCreate", frequency
                        + "EventBatch gen=1 m=0 time=0 size=9\nProcStatus dt=1 p=0 pstatus=1\n"
                        + "GoCreate dt=1 new_g=1 new_stack=7 stack=0\n",
                // a goroutine said to be running, then runnable, in one generation
                "inconsistent status for goroutine 1: old Running vs. new Runnable", frequency
                        + "EventBatch gen=1 m=0 time=0 size=10\nGoStatus dt=1 g=1 m=0 gstatus=2\n"
                        + "GoStatus dt=1 g=1 m=0 gstatus=1\n");
        return traces.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            Encoded t = encode("-- trace --\n" + c.getValue());
            Path file = Files.createTempFile("go-handmade", ".trace");
            try {
                Files.write(file, t.bytes);
                assertThat(GoTraceDump.refusal(file, "-d=parsed")).contains(c.getKey());
            } finally {
                Files.deleteIfExists(file);
            }
            assertThatThrownBy(() -> new TraceReader().read(new ByteArrayInputStream(t.bytes), g -> { }))
                    .isInstanceOf(BadInputException.class).hasMessageContaining(c.getKey())
                    .hasMessageNotContaining("\n");
        }));
    }

    private static final Pattern RANGE = Pattern.compile(
            "(Range(?:Begin|Active|End)) Time=(\\d+) Name=\"([^\"]*)\" Scope=(\\w+(?:\\(-?\\d+\\))?)");
    private static final Pattern PARSED = Pattern.compile("^M=\\S+ P=\\S+ G=\\S+ (\\w+) Time=(-?\\d+)");

    private static List<String> goParsed(Encoded t) throws IOException, InterruptedException {
        Path file = Files.createTempFile("go-testdata", ".trace");
        try {
            Files.write(file, t.bytes);
            return GoTraceDump.lines(file, "-d=parsed");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<Path> testFiles() throws IOException {
        Path dir = Tools.go127().getParent().getParent().resolve("src/internal/trace/testdata/tests");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
    }

    @Test
    void userTasksRegionsAndLogsAreGos() throws Exception {
        Path dir = Tools.go127().getParent().getParent().resolve("src/internal/trace/testdata/tests");
        Pattern note = Pattern.compile("G=(-?\\d+) ((?:Task|Region)(?:Begin|End)|Log) Time=(\\d+) (.*)$");
        for (String name : List.of("go122-annotations.test", "go122-annotations-stress.test",
                "go122-task-across-generations.test")) {
            Encoded t = encode(Files.readString(dir.resolve(name)));
            List<TraceGeneration> gens = new ArrayList<>();
            new TraceReader().read(new ByteArrayInputStream(t.bytes), gens::add);
            Path file = Files.createTempFile("go-testdata", ".trace");
            Map<String, Integer> go = new TreeMap<>();
            try {
                Files.write(file, t.bytes);
                for (String line : GoTraceDump.lines(file, "-d=parsed")) {
                    Matcher m = note.matcher(line);
                    if (m.find()) {
                        go.merge(m.group(2) + " " + m.group(3) + " G=" + m.group(1) + " " + m.group(4), 1,
                                Integer::sum);
                    }
                }
            } finally {
                Files.deleteIfExists(file);
            }
            Map<String, Integer> ours = new TreeMap<>();
            TraceStates states = new TraceStates();
            for (TraceGeneration g : gens) {
                for (UserAnnotation a : states.apply(g).annotations()) {
                    String detail = switch (a.kind()) {
                        case "TaskBegin", "TaskEnd" -> "ID=" + a.task() + " Parent=" + Long.toUnsignedString(a.parent())
                                + " Type=\"" + a.type() + "\"";
                        case "Log" -> "Task=" + a.task() + " Category=\"" + a.category() + "\" Message=\""
                                + a.message() + "\"";
                        default -> "Task=" + a.task() + " Type=\"" + a.type() + "\"";
                    };
                    ours.merge(a.kind() + " " + a.time() + " G=" + a.goroutine() + " " + detail, 1, Integer::sum);
                }
            }
            assertThat(go).as(name).isNotEmpty();
            assertThat(GoTraceDump.minus(ours, go)).as(name + ": annotations Go does not have").isEmpty();
            assertThat(GoTraceDump.minus(go, ours)).as(name + ": Go's annotations godiag lacks").isEmpty();
        }
    }

    @Test
    void eachGenerationScalesTimeByItsOwnFrequency() throws IOException {
        Path f = Tools.go127().getParent().getParent().resolve("src/internal/trace/testdata/tests/go125-sync.test");
        List<TraceGeneration> gens = new ArrayList<>();
        new TraceReader().read(new ByteArrayInputStream(encode(Files.readString(f)).bytes), gens::add);
        // generation 1: 1e9 ticks/s, ProcStatus 1 tick after its batch at tick 15
        assertThat(gens.getFirst().frequency()).isEqualTo(1_000_000_000L);
        assertThat(gens.getFirst().events().getFirst().time()).isEqualTo(16);
        assertThat(gens.getFirst().wallClockNanos()).isEqualTo(1_740_755_049_000_000_123L);
        // generation 3: 5e8 ticks/s, 2 ns a tick: batch at tick 40, one tick later
        TraceGeneration third = gens.stream().filter(g -> g.number() == 3).findFirst().orElseThrow();
        assertThat(third.events().getFirst().time()).isEqualTo(82);
        assertThat(third.events().getFirst().type()).isEqualTo(TraceEventType.PROC_STATUS);
        assertThat(ProcState.of(third.events().getFirst().arg("pstatus"))).isEqualTo(ProcState.RUNNING);
    }

    private static boolean goExpectsSuccess(Path f) {
        try {
            String text = Files.readString(f);
            return text.substring(text.indexOf("-- expect --") + 12).strip().startsWith("SUCCESS");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Encoded(byte[] bytes, int minor, long timedEvents, long strings, long stacks) {
    }

    /** Go's raw text form to the wire: a name and its arguments as varints, frames and data after. */
    private static Encoded encode(String txtar) {
        String trace = txtar.substring(txtar.indexOf("-- trace --") + 11).strip();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int minor = 0;
        long timed = 0;
        long strings = 0;
        long stacks = 0;
        Map<String, Integer> timedCodes = new HashMap<>();
        for (TraceEventType t : TraceEventType.values()) {
            timedCodes.put(t.goName(), t.code());
        }
        for (String line : trace.split("\n")) {
            if (line.startsWith("Trace Go1.")) {
                minor = Integer.parseInt(line.substring(10).strip());
                out.writeBytes(("go 1." + minor + " trace\0\0\0").getBytes(StandardCharsets.ISO_8859_1));
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            String[] tokens = line.strip().split(" ");
            if (line.startsWith("\t") && tokens[0].startsWith("data=")) {
                byte[] data = unquote(line.strip().substring(5));
                uvarint(out, data.length);
                out.writeBytes(data);
                continue;
            }
            if (!line.startsWith("\t")) {
                Integer code = STRUCTURAL.get(tokens[0]);
                if (code == null) {
                    code = timedCodes.get(tokens[0]);
                    assertThat(code).as("event %s", tokens[0]).isNotNull();
                    timed++;
                }
                strings += tokens[0].equals("String") ? 1 : 0;
                stacks += tokens[0].equals("Stack") ? 1 : 0;
                out.write(code);
            }
            for (String tok : Arrays.copyOfRange(tokens, line.startsWith("\t") ? 0 : 1, tokens.length)) {
                uvarint(out, Long.parseUnsignedLong(tok.substring(tok.indexOf('=') + 1)));
            }
        }
        return new Encoded(out.toByteArray(), minor, timed, strings, stacks);
    }

    private static void uvarint(ByteArrayOutputStream out, long v) {
        while (Long.compareUnsigned(v, 0x80) >= 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Go's strconv.Unquote for the escapes the raw text writer uses. */
    private static byte[] unquote(String quoted) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String s = quoted.substring(1, quoted.length() - 1);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> b.write('\n');
                case 't' -> b.write('\t');
                case 'x' -> {
                    b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> b.write(e);
            }
        }
        return b.toByteArray();
    }
}
