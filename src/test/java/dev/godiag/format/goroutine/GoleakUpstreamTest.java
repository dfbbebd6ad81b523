package dev.godiag.format.goroutine;

import dev.godiag.format.InputSource;
import dev.godiag.model.Goroutine;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.StackFrame;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * goleak's upstream dumps: every goroutine, frame, creator and ancestor is read. The expected
 * numbers come from plain line matching of the raw files, not from the reader.
 */
class GoleakUpstreamTest {
    private static final Pattern HEADER = Pattern.compile("^goroutine (\\d+) \\[([^\\]]*)\\]:$");
    private static final Pattern CREATED_IN = Pattern.compile("^created by \\S+ in goroutine (\\d+)$");

    @ParameterizedTest
    @ValueSource(strings = {"http.txt", "http.go1.20.txt", "http.tracebackancestors.txt"})
    void everyGoroutineFrameCreatorAndAncestorIsRead(String name) throws IOException {
        Path file = Corpus.file("upstream/goleak/" + name);
        List<String> raw = Files.readAllLines(file);
        List<Long> ids = new ArrayList<>();
        List<String> states = new ArrayList<>();
        int tabLines = 0;
        int creators = 0;
        int ancestors = 0;
        List<Long> creatorIds = new ArrayList<>();
        List<String> leafFunctions = new ArrayList<>();
        boolean afterHeader = false;
        for (String l : raw) {
            Matcher h = HEADER.matcher(l);
            if (h.matches()) {
                ids.add(Long.parseLong(h.group(1)));
                states.add(h.group(2));
                afterHeader = true;
                continue;
            }
            if (afterHeader && !l.isEmpty()) {
                leafFunctions.add(l.substring(0, l.lastIndexOf('(')));
            }
            afterHeader = false;
            if (l.startsWith("\t")) {
                tabLines++;
            } else if (l.startsWith("created by ")) {
                creators++;
                Matcher c = CREATED_IN.matcher(l);
                if (c.matches()) {
                    creatorIds.add(Long.parseLong(c.group(1)));
                }
            } else if (l.startsWith("[originating from goroutine ")) {
                ancestors++;
            }
        }
        int frames = tabLines - creators; // every frame and every creator has one location line

        GoroutineDump d = GoroutineSources.load(file.toString(), InputSource.FetchOptions.DEFAULT, 1L << 30);
        assertEquals("goroutine dump", d.format());
        assertEquals(List.of(), d.warnings());
        assertEquals(ids, d.goroutines().stream().map(Goroutine::id).toList());
        assertEquals(states, d.goroutines().stream().map(Goroutine::state).toList());
        assertEquals(leafFunctions, d.goroutines().stream().map(g -> g.frames().get(0).function()).toList());
        int readFrames = 0;
        int readCreators = 0;
        int readAncestors = 0;
        List<Long> readCreatorIds = new ArrayList<>();
        for (Goroutine g : d.goroutines()) {
            readFrames += g.frames().size();
            if (g.createdBy() != null) {
                readCreators++;
                assertTrue(g.createdBy().line() > 0, g.createdBy().toString());
            }
            if (g.creatorId() >= 0) {
                readCreatorIds.add(g.creatorId());
            }
            for (Goroutine.Ancestor a : g.ancestors()) {
                readAncestors++;
                readFrames += a.frames().size();
                if (a.createdBy() != null) {
                    readCreators++;
                }
            }
            for (StackFrame f : g.frames()) {
                assertTrue(f.line() > 0 && f.file().endsWith(".go"), f.toString());
            }
        }
        assertEquals(frames, readFrames, "frames");
        assertEquals(creators, readCreators, "creators");
        assertEquals(ancestors, readAncestors, "ancestor blocks");
        assertEquals(creatorIds, readCreatorIds, "creator ids");
    }

    @org.junit.jupiter.api.Test
    void ancestorsOfTheTransportGoroutine() {
        GoroutineDump d = GoroutineSources.load(Corpus.file("upstream/goleak/http.tracebackancestors.txt").toString(),
                InputSource.FetchOptions.DEFAULT, 1L << 30);
        Goroutine g = d.goroutines().stream().filter(x -> x.id() == 24).findFirst().orElseThrow();
        assertEquals("select", g.state());
        assertEquals("net/http.(*Transport).dialConn", g.createdBy().function());
        assertEquals(1776, g.createdBy().line());
        assertEquals(21, g.creatorId());
        assertEquals(List.of(21L, 1L), g.ancestors().stream().map(Goroutine.Ancestor::id).toList());
        Goroutine.Ancestor first = g.ancestors().get(0);
        assertEquals("net/http.(*Transport).dialConn", first.frames().get(0).function());
        assertEquals("...", first.frames().get(0).args());
        assertEquals("net/http.(*Transport).queueForDial", first.createdBy().function());
    }
}
