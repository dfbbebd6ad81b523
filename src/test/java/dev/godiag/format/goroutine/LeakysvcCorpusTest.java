package dev.godiag.format.goroutine;

import dev.godiag.format.InputSource;
import dev.godiag.model.Goroutine;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.StackFrame;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seven leaks of the corpus's leakysvc (its README's ground truth) in every snapshot and form.
 */
class LeakysvcCorpusTest {
    /** function, blocking line of main.go, 1.19 state, 1.27 state (README table). */
    record Leak(String function, int line, String state119, String state127) {
    }

    static final List<Leak> LEAKS = List.of(
            new Leak("main.leakRange.func1", 30, "chan receive", "chan receive"),
            new Leak("main.leakSend.func1", 43, "chan send", "chan send"),
            new Leak("main.leakSelect.func1", 55, "select (no cases)", "select (no cases)"),
            new Leak("main.leakNil.func1", 63, "chan receive (nil chan)", "chan receive (nil chan)"),
            new Leak("main.leakCtx.func1", 73, "chan receive", "chan receive"),
            new Leak("main.leakMutex.func1", 83, "semacquire", "sync.Mutex.Lock"),
            new Leak("main.leakWG.func2", 94, "semacquire", "sync.WaitGroup.Wait"));
    static final long[] COUNTS = {0, 60, 120, 180, 185};
    static final String MAIN_GO = "example.com/shop/leakysvc/main.go";

    static Stream<Arguments> snapshots() {
        List<Arguments> a = new ArrayList<>();
        for (String v : List.of("go1.19", "go1.27")) {
            for (int t = 0; t <= 4; t++) {
                for (String form : List.of("goroutine.t%d.debug2.txt", "goroutine.t%d.debug1.txt",
                        "goroutine.t%d.pprof", "goroutineleak.t%d.debug1.txt", "goroutineleak.t%d.pprof")) {
                    if (v.equals("go1.19") && form.startsWith("goroutineleak")) {
                        continue;
                    }
                    a.add(Arguments.of(v, t, form.formatted(t)));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("snapshots")
    void everyLeakWithItsCountAndBlockingLine(String version, int t, String file) {
        GoroutineDump d = load(version + "/leakysvc/" + file);
        assertEquals(List.of(), d.warnings());
        boolean leakProfile = file.startsWith("goroutineleak");
        for (Leak leak : LEAKS) {
            long count = 0;
            for (Goroutine g : d.goroutines()) {
                StackFrame f = frameOf(g, leak.function());
                if (f != null) {
                    assertEquals(MAIN_GO, f.file(), leak.function());
                    assertEquals(leak.line(), f.line(), leak.function());
                    count += g.count();
                    if (leakProfile) {
                        assertTrue(g.leaked());
                    }
                }
            }
            // Go's goroutineleak profile cannot see the mutex leak (a global keeps it reachable)
            long expected = leakProfile && leak.function().equals("main.leakMutex.func1") ? 0 : COUNTS[t];
            assertEquals(expected, count, leak.function() + " in " + file);
        }
        if (leakProfile) {
            assertEquals(6 * COUNTS[t], d.total());
            assertTrue(d.format().startsWith("goroutineleak"), d.format());
        }
        if (!file.endsWith("debug2.txt")) {
            for (Goroutine g : d.goroutines()) {
                assertEquals("", g.state());
                assertEquals(-1, g.waitMinutes());
            }
        }
    }

    private static final Pattern HEADER = Pattern.compile("^goroutine (\\d+) \\[(.*)\\]:$");

    @ParameterizedTest(name = "{0} t{1}")
    @MethodSource("dumps")
    void debug2StatesMinutesAndLeakedMarkers(String version, int t) throws IOException {
        String rel = version + "/leakysvc/goroutine.t" + t + ".debug2.txt";
        GoroutineDump d = load(rel);
        // the headers, read with a regular expression
        Map<Long, String> rawHeader = new HashMap<>();
        for (String l : Files.readAllLines(Corpus.file(rel))) {
            Matcher m = HEADER.matcher(l);
            if (m.matches()) {
                rawHeader.put(Long.parseLong(m.group(1)), m.group(2));
            }
        }
        assertEquals(rawHeader.size(), d.goroutines().size());
        int minutesSeen = 0;
        int leakedSeen = 0;
        for (Goroutine g : d.goroutines()) {
            String h = rawHeader.get(g.id());
            Matcher m = Pattern.compile(", (\\d+) minutes").matcher(h);
            int minutes = m.find() ? Integer.parseInt(m.group(1)) : 0;
            assertEquals(minutes, g.waitMinutes(), h);
            minutesSeen += minutes > 0 ? 1 : 0;
            assertEquals(h.contains(" (leaked)"), g.leaked(), h);
            leakedSeen += g.leaked() ? 1 : 0;
            assertEquals(1, g.count());
            assertTrue(g.sourceLine() > 0);
        }
        if (t == 4) {
            assertTrue(minutesSeen > 0, "t4 waits show minutes");
        }
        if (version.equals("go1.27") && t >= 2) {
            assertTrue(leakedSeen > 0, "Go 1.27 marks leaked goroutines");
        }
        for (Leak leak : LEAKS) {
            String expected = version.equals("go1.19") ? leak.state119() : leak.state127();
            for (Goroutine g : d.goroutines()) {
                if (frameOf(g, leak.function()) != null) {
                    assertEquals(expected, g.state(), leak.function());
                    assertEquals("main." + leak.function().substring(5, leak.function().indexOf('.', 5)),
                            g.createdBy().function());
                    assertEquals(version.equals("go1.27"), g.creatorId() > 0, "creator id from Go 1.21 on");
                }
            }
        }
    }

    static Stream<Arguments> dumps() {
        List<Arguments> a = new ArrayList<>();
        for (String v : List.of("go1.19", "go1.27")) {
            for (int t = 0; t <= 4; t++) {
                a.add(Arguments.of(v, t));
            }
        }
        return a.stream();
    }

    static StackFrame frameOf(Goroutine g, String function) {
        for (StackFrame f : g.frames()) {
            if (f.function().equals(function)) {
                return f;
            }
        }
        return null;
    }

    static GoroutineDump load(String rel) {
        Path p = Corpus.file(rel);
        return GoroutineSources.load(p.toString(), InputSource.FetchOptions.DEFAULT, 1L << 30);
    }
}
