package dev.godiag.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, the join of a goroutine dump and an execution trace of the same program:
 * testdata/gen/leakprims run with Go 1.27 and -trace (a trace of one more round after the last
 * snapshot, every bug off, so the pool wakes and what leaked stays put). Each leak whose goroutines
 * are blocked (a read lock never released, a Cond never signalled, a WaitGroup never done) is
 * confirmed by the trace with as many goroutines as the dump holds at the leak's line (counted here
 * from the dump's text); the ticker loop, which its ticker wakes, is not; a healthy run (no bug)
 * gives no leak finding, confirmed or not; and the trace is an input of diagnose like any other.
 */
class TraceJoinTest {
    @TempDir
    static Path runs;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path leaky;
    private static Path healthy;

    @BeforeAll
    static void run() throws IOException {
        Path binary = GoFixtures.build(Tools.go127(), "leakprims");
        leaky = runs.resolve("leaky");
        healthy = runs.resolve("healthy");
        Files.createDirectories(leaky);
        Files.createDirectories(healthy);
        for (List<String> args : List.of(
                List.of(binary.toString(), "-out", leaky.toString(), "-rwmutex", "-cond", "-ticker", "-waitgroup",
                        "-trace"),
                List.of(binary.toString(), "-out", healthy.toString(), "-trace"))) {
            Peers.Result r = Peers.run(args, null);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("leakprims: done");
        }
    }

    private static JsonNode diagnose(String... inputs) throws IOException {
        List<String> args = new ArrayList<>(List.of("diagnose", "--format", "json"));
        args.addAll(List.of(inputs));
        Peers.Result r = Godiag.run(args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return JSON.readTree(r.stdout());
    }

    private static List<JsonNode> leaks(JsonNode d) {
        List<JsonNode> out = new ArrayList<>();
        d.get("findings").forEach(f -> {
            if (f.get("rule").asText().equals("goroutines.leak")) {
                out.add(f);
            }
        });
        return out;
    }

    /** The goroutines of a debug=2 dump whose stack has this function at this file:line. */
    private static int dumpCount(Path dump, String function, String file, int line) throws IOException {
        int n = 0;
        for (String g : Files.readString(dump).split("\n\n")) {
            if (g.contains("\n" + function + "(") && g.contains(file + ":" + line + " ")) {
                n++;
            }
        }
        return n;
    }

    @Test
    void blockedLeaksAreConfirmedByTheTraceWithTheDumpsCounts() throws IOException {
        Path dump = leaky.resolve("goroutine.t3.debug2.txt");
        JsonNode d = diagnose(dump.toString(), leaky.resolve("trace.out").toString());

        JsonNode traceRow = null;
        for (JsonNode row : d.get("inputs")) {
            if (row.get("kind").asText().equals("trace")) {
                traceRow = row;
            }
        }
        assertThat(traceRow).as("the trace among the inputs: %s", d.get("inputs")).isNotNull();
        assertThat(traceRow.get("detail").asText()).matches("trace, [0-9.]+m?s");

        List<String> confirmed = new ArrayList<>();
        for (JsonNode f : leaks(d)) {
            JsonNode ev = f.get("evidence");
            String primitive = ev.get("primitive").asText();
            if (ev.has("traceBlockedThroughout")) {
                confirmed.add(primitive);
                int expected = dumpCount(dump, ev.get("blockedAtFunction").asText(), ev.get("blockedAtFile").asText(),
                        ev.get("blockedAtLine").asInt());
                assertThat(expected).as(primitive).isPositive();
                assertThat(ev.get("traceBlockedThroughout").asInt()).as(primitive).isEqualTo(expected);
                assertThat(f.get("summary").asText()).as(primitive)
                        .contains("The execution trace confirms it: " + expected + " goroutines were blocked at"
                                + " this line for the whole ");
                assertThat(ev.get("trace").asText()).endsWith("trace.out");
            }
        }
        assertThat(confirmed).as("the blocked leaks, not the ticker loop its ticker wakes")
                .contains("rwmutex", "cond", "waitgroup").doesNotContain("ticker");
    }

    /**
     * godiag trace's own section: each group of goroutines blocked to the end at a main.* line holds
     * as many goroutines as the dump after the last round has at that line (nothing leaked during the
     * traced round); the pool's workers, woken by that round, are in no group.
     */
    @Test
    void theTraceReportListsWhatStayedBlockedWithTheDumpsCounts() throws IOException {
        Path dump = leaky.resolve("goroutine.t3.debug2.txt");
        Peers.Result r = Godiag.run("trace", "--format", "json", leaky.resolve("trace.out").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode groups = JSON.readTree(r.stdout()).get("blockedThroughout");
        // several stacks may block at one line (a writer in RWMutex.Lock, the next ones in its Mutex): by line
        java.util.Map<String, Integer> bySite = new java.util.TreeMap<>();
        for (JsonNode g : groups) {
            JsonNode f = g.get("frames").get(g.get("site").asInt());
            String fn = f.get("function").asText();
            assertThat(fn).as("a pool worker waits for work only between rounds").doesNotStartWith("main.(*server).startPool");
            if (fn.startsWith("main.")) {
                assertThat(g.get("sinceTraceStart").asInt()).as("blocked before the trace began")
                        .isEqualTo(g.get("goroutines").asInt());
                bySite.merge(fn + " " + f.get("file").asText() + " " + f.get("line").asInt(),
                        g.get("goroutines").asInt(), Integer::sum);
            }
        }
        assertThat(bySite).as(groups.toString()).hasSizeGreaterThanOrEqualTo(3);
        for (var e : bySite.entrySet()) {
            String[] site = e.getKey().split(" ");
            assertThat(e.getValue()).as(e.getKey())
                    .isEqualTo(dumpCount(dump, site[0], site[1], Integer.parseInt(site[2])));
        }
        Peers.Result text = Godiag.run("trace", leaky.resolve("trace.out").toString());
        assertThat(text.stdout()).contains("Blocked to the end, never woken:").contains(", the whole trace");
    }

    @Test
    void withoutTheTraceNoLeakSaysSo() throws IOException {
        JsonNode d = diagnose(leaky.resolve("goroutine.t3.debug2.txt").toString());
        assertThat(leaks(d)).isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("evidence").has("traceBlockedThroughout")).isFalse());
    }

    @Test
    void aHealthyRunGivesNoLeakConfirmedOrNot() throws IOException {
        JsonNode d = diagnose(healthy.resolve("goroutine.t3.debug2.txt").toString(),
                healthy.resolve("trace.out").toString());
        assertThat(leaks(d)).isEmpty();
        assertThat(d.get("findings").toString()).doesNotContain("traceBlockedThroughout");
    }

    @Test
    void aDirectoryWithTheTraceReadsItToo() throws IOException {
        JsonNode d = diagnose(leaky.toString());
        long traces = 0;
        for (JsonNode row : d.get("inputs")) {
            if (row.get("kind").asText().equals("trace")) {
                traces++;
            }
        }
        assertThat(traces).isEqualTo(1);
        assertThat(leaks(d)).anySatisfy(f -> assertThat(f.get("evidence").has("traceBlockedThroughout")).isTrue());
    }
}
