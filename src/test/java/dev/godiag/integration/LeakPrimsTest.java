package dev.godiag.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Item 2 and the goroutine parts of item 9 of issue 12 on a real program: testdata/gen/leakprims
 * (an RWMutex read lock never released, a Cond never signalled, a ticker loop that never ends, a
 * WaitGroup whose Done is skipped; a worker pool that is healthy; and, alone, a lock-order deadlock)
 * built with Go 1.27 and Go 1.19 and run once per version. Each leak is one goroutines.leak finding
 * with its primitive's card, at the line the bug blocks (found in the program's source), with the
 * counts the program itself kept; both versions give the same verdicts; the deadlock is critical.
 */
class LeakPrimsTest {
    @TempDir
    static Path runs;
    private static final Map<String, Path> OUTPUTS = new HashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WORKERS = 16;
    private static final String TIMERS = "goroutines.timers-per-request";

    /** The output directory of one run per Go version: snapshots, stuck.json, and deadlock/stderr.log. */
    private static synchronized Path output(String goVersion) throws IOException {
        Path out = OUTPUTS.get(goVersion);
        if (out == null) {
            Path binary = GoFixtures.build(Tools.go(goVersion), "leakprims");
            out = runs.resolve(goVersion);
            Files.createDirectories(out.resolve("deadlock"));
            Peers.Result r = Peers.run(List.of(binary.toString(), "-out", out.toString(), "-workers",
                    Integer.toString(WORKERS), "-rwmutex", "-cond", "-ticker", "-waitgroup", "-afterfunc"), null);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("leakprims: done");
            Peers.Result dead = Peers.run(List.of(binary.toString(), "-deadlock"), null);
            assertThat(dead.exitCode()).as("the runtime's exit status for a fatal error").isEqualTo(2);
            Files.writeString(out.resolve("deadlock/stderr.log"), dead.stderr());
            OUTPUTS.put(goVersion, out);
        }
        return out;
    }

    private static List<String> files(Path out, String suffix) {
        List<String> f = new ArrayList<>();
        for (int i = 0; i <= 3; i++) {
            f.add(out.resolve("goroutine.t" + i + suffix).toString());
        }
        return f;
    }

    private static JsonNode diagnose(List<String> inputs) throws IOException {
        List<String> args = new ArrayList<>(List.of("diagnose", "--format", "json"));
        args.addAll(inputs);
        Peers.Result r = Godiag.run(args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return JSON.readTree(r.stdout());
    }

    private static List<JsonNode> findings(JsonNode d, String rule) {
        List<JsonNode> out = new ArrayList<>();
        d.get("findings").forEach(f -> {
            if (f.get("rule").asText().equals(rule)) {
                out.add(f);
            }
        });
        return out;
    }

    /** The line of the program's source holding this text (once). */
    private static int line(String text) throws IOException {
        List<String> src = Files.readAllLines(GoFixtures.source("leakprims").resolve("main.go"));
        int found = -1;
        for (int i = 0; i < src.size(); i++) {
            if (src.get(i).contains(text)) {
                assertThat(found).as("'%s' appears once in main.go", text).isEqualTo(-1);
                found = i + 1;
            }
        }
        assertThat(found).as(text).isPositive();
        return found;
    }

    /** The program's own count of stuck goroutines of a shape, per snapshot. */
    private static List<Long> stuck(Path out, String shape) throws IOException {
        List<Long> counts = new ArrayList<>();
        for (JsonNode s : JSON.readTree(out.resolve("stuck.json").toFile())) {
            counts.add(s.get(shape).asLong());
        }
        return counts;
    }

    private static JsonNode byPrimitive(List<JsonNode> leaks, String primitive) {
        List<JsonNode> m = leaks.stream().filter(f -> f.get("evidence").get("primitive").asText().equals(primitive))
                .toList();
        assertThat(m).as("one leak on %s", primitive).hasSize(1);
        return m.get(0);
    }

    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void eachLeakIsOneFindingWithItsPrimitive(String goVersion) throws Exception {
        Path out = output(goVersion);
        List<String> dumps = files(out, ".debug2.txt");
        List<JsonNode> leaks = findings(diagnose(dumps), "goroutines.leak");
        // a goroutine woken by its ticker is caught runnable at the loop's line in some snapshot, or not
        boolean caughtAwake = false;
        for (String f : dumps) {
            String text = Files.readString(Path.of(f));
            caughtAwake |= text.matches("(?s).*\\[runnable\\]:\nmain\\.\\(\\*server\\)\\.watch\\(.*");
        }
        String ticker = caughtAwake ? "ticker" : "chan-receive";
        assertThat(leaks).extracting(f -> f.get("evidence").get("primitive").asText())
                .containsExactlyInAnyOrder("rwmutex", "cond", "waitgroup", ticker);

        Map<String, String[]> expected = Map.of(
                "rwmutex", new String[]{"rwmutex", "main.(*cache).put", "c.mu.Lock()"},
                "cond", new String[]{"cond", "main.(*gate).wait", "g.opened.Wait()"},
                "waitgroup", new String[]{"waitgroup", "main.(*server).fanout", "wg.Add(parts)"},
                ticker, new String[]{"ticker", "main.(*server).watch", "for range t.C"});
        for (Map.Entry<String, String[]> e : expected.entrySet()) {
            JsonNode f = byPrimitive(leaks, e.getKey());
            String shape = e.getValue()[0];
            assertThat(f.get("location").get("function").asText()).isEqualTo(e.getValue()[1]);
            int at = shape.equals("waitgroup") ? lineAfter(e.getValue()[2], "wg.Wait()") : line(e.getValue()[2]);
            assertThat(f.get("location").get("line").asInt()).as(shape).isEqualTo(at);
            // all the goroutines of the shape, as the program counted them, in one finding
            List<Long> counts = new ArrayList<>();
            f.get("evidence").get("countsPerSnapshot").forEach(c -> counts.add(c.asLong()));
            assertThat(counts).as(shape).isEqualTo(stuck(out, shape));
            assertThat(f.get("severity").asText()).isEqualTo("critical");
            String card = e.getKey().equals("chan-receive") ? "goroutines.leak.chan-receive"
                    : "goroutines.leak." + e.getKey();
            assertThat(f.get("cards").get(0).get("id").asText()).isEqualTo(card);
        }
        // the RWMutex: the writer holding the slot, the writers behind it and the readers, explained together
        JsonNode rw = byPrimitive(leaks, "rwmutex");
        assertThat(rw.get("summary").asText()).contains("a read lock is never released", "1 writer holds the writer slot",
                "readers queue behind the pending writer at main.(*cache).get (example.com/godiag/leakprims/main.go:"
                        + line("c.mu.RLock()") + ")");
        assertThat(rw.get("evidence").get("buckets").size()).isGreaterThanOrEqualTo(3);
        // the pool of 16 idle workers, started together, is no leak
        assertThat(leaks).noneMatch(f -> f.get("location").get("function").asText().contains("startPool"));
    }

    /** The pool reads as a pool from both versions' dumps: Go 1.19's do not name the creator goroutine. */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void theWorkerPoolIsBenignInEveryVersion(String goVersion) throws Exception {
        Path out = output(goVersion);
        Peers.Result r = Godiag.run("goroutines", "--format", "json", out.resolve("goroutine.t3.debug2.txt").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode pool = null;
        for (JsonNode b : JSON.readTree(r.stdout()).get("buckets")) {
            if (b.get("blockedAt").get("function").asText().equals("main.(*server).startPool.func1")) {
                pool = b;
            }
        }
        assertThat(pool).isNotNull();
        assertThat(pool.get("count").asInt()).isEqualTo(WORKERS);
        assertThat(pool.get("verdict").asText()).isEqualTo("benign");
        assertThat(pool.get("reason").asText()).contains("idle worker pool");
    }

    /** Profiles have no states: the same leaks from the sync and channel frames (no ticker: nothing says awake). */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void theProtoProfilesGiveTheSameLeaks(String goVersion) throws Exception {
        Path out = output(goVersion);
        List<JsonNode> leaks = findings(diagnose(files(out, ".pprof")), "goroutines.leak");
        assertThat(leaks).extracting(f -> f.get("evidence").get("primitive").asText())
                .containsExactlyInAnyOrder("rwmutex", "cond", "waitgroup", "chan-receive");
        assertThat(byPrimitive(leaks, "rwmutex").get("evidence").get("count").asLong())
                .isEqualTo(stuck(out, "rwmutex").get(3));
    }

    /**
     * Go 1.19 and 1.27 dumps of the same program, in both forms: the same leaks, primitives, lines,
     * counts, severities (whether a ticker's goroutine is caught awake is chance, so the ticker and
     * the plain receive compare equal; a lookup that finds its key before the read lock leaks
     * returns, so a run's RWMutex count is compared with that run's own count of stuck goroutines).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".pprof", ".debug2.txt"})
    void bothVersionsGiveTheSameVerdicts(String form) throws Exception {
        Map<String, String> shapeOf = Map.of("rwmutex", "rwmutex", "cond", "cond", "waitgroup", "waitgroup",
                "ticker", "ticker", "chan-receive", "ticker");
        List<List<String>> per = new ArrayList<>();
        for (String v : List.of("1.19", "1.27")) {
            List<String> rows = new ArrayList<>();
            for (JsonNode f : findings(diagnose(files(output(v), form)), "goroutines.leak")) {
                String primitive = f.get("evidence").get("primitive").asText();
                long count = f.get("evidence").get("count").asLong();
                List<Long> own = stuck(output(v), shapeOf.get(primitive));
                rows.add(primitive.replace("ticker", "chan-receive") + " "
                        + f.get("location").get("function").asText() + ":" + f.get("location").get("line").asInt()
                        + " " + (count == own.get(own.size() - 1) ? "the program's count" : count + " goroutines")
                        + " " + f.get("severity").asText());
            }
            rows.sort(null);
            per.add(rows);
        }
        assertThat(per.get(0)).hasSize(4).isEqualTo(per.get(1));
    }

    /**
     * With the heap profiles beside the dumps, the loop waiting on a channel in a function that holds
     * live tickers is a ticker leak whether or not a snapshot caught one of its goroutines awake.
     */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void theHeapNamesTheTickerOfALeakingLoop(String goVersion) throws Exception {
        Path out = output(goVersion);
        List<String> inputs = files(out, ".debug2.txt");
        inputs.addAll(heaps(out));
        JsonNode d = diagnose(inputs);
        JsonNode f = byPrimitive(findings(d, "goroutines.leak"), "ticker");
        assertThat(f.get("location").get("function").asText()).isEqualTo("main.(*server).watch");
        assertThat(f.get("location").get("line").asInt()).isEqualTo(line("for range t.C"));
        assertThat(f.get("summary").asText()).contains("the heap holds live tickers made in main.(*server).watch");
        assertThat(f.get("cards").get(0).get("id").asText()).isEqualTo("goroutines.leak.ticker");
        // the live tickers themselves are the same cause's evidence, not a finding of their own
        List<String> related = new ArrayList<>();
        f.get("related").forEach(r -> related.add(r.get("rule").asText()));
        assertThat(related).contains(TIMERS);
        assertThat(findings(d, TIMERS)).noneMatch(t -> t.get("location").get("function").asText().contains("watch"));
        // the other loops wait on what they wait on
        assertThat(findings(d, "goroutines.leak")).extracting(l -> l.get("evidence").get("primitive").asText())
                .containsExactlyInAnyOrder("rwmutex", "cond", "waitgroup", "ticker");
    }

    /**
     * A deadline armed per request with time.AfterFunc and never stopped leaves no goroutine: the
     * heap profiles show the timers, counted as the program counts them and as pprof sums their live
     * objects; the 1 ms AfterFunc timers of -cond fire and are gone, so they are no finding.
     */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void timersArmedPerRequestAndNeverStoppedAreFound(String goVersion) throws Exception {
        Path out = output(goVersion);
        JsonNode d = diagnose(heaps(out));
        List<JsonNode> timers = findings(d, TIMERS);
        assertThat(timers).as("the deadlines and the loops' tickers, not the timers that fired")
                .extracting(t -> t.get("location").get("function").asText())
                .containsExactlyInAnyOrder("main.(*server).handle", "main.(*server).watch");
        JsonNode ticker = timers.stream().filter(t -> t.get("evidence").get("constructor").asText()
                .equals("time.NewTicker")).findFirst().orElseThrow();
        assertLiveTimers(out, ticker, "watch", "ticker");
        JsonNode f = timers.stream().filter(t -> t.get("location").get("function").asText()
                .equals("main.(*server).handle")).findFirst().orElseThrow();
        JsonNode ev = f.get("evidence");
        assertThat(ev.get("constructor").asText()).isEqualTo("time.AfterFunc");
        assertThat(f.get("location").get("line").asInt()).isEqualTo(line("time.AfterFunc(10*time.Minute"));
        assertLiveTimers(out, f, "handle", "afterfunc");
        // 120 is a pile worth a look, not proof: a timer per live session grows the same way
        assertThat(f.get("severity").asText()).isEqualTo("info");
        assertThat(f.get("cards").get(0).get("id").asText()).isEqualTo(TIMERS);
        assertThat(f.get("cards").get(0).get("verify").toString())
                .contains("-peek '^time\\\\.AfterFunc$' " + out.resolve("heap.t3.pprof"))
                .contains("grep -n 'time.AfterFunc\\\\|Stop()' example.com/godiag/leakprims/main.go");
        // one heap profile is no series
        assertThat(findings(diagnose(List.of(out.resolve("heap.t3.pprof").toString())), TIMERS)).isEmpty();
    }

    /**
     * A timer finding's live objects per heap profile as pprof sums them under the function (Go
     * 1.19's time.startTimer grows the runtime's shared timer heap under whichever call needs more
     * room: not one timer's object), and its timers as the program counts them (live objects over
     * the objects one call makes: an estimate, within one).
     */
    private static void assertLiveTimers(Path out, JsonNode finding, String method, String shape) throws IOException {
        JsonNode ev = finding.get("evidence");
        List<Long> pending = stuck(out, shape);
        for (int t = 0; t <= 3; t++) {
            Peers.Result pprof = Peers.run(List.of(Peers.pprof127().toString(), "-top", "-nodefraction=0",
                    "-sample_index=inuse_objects", "-focus", "^main\\.\\(\\*server\\)\\." + method + "$",
                    "-ignore", "^time\\.startTimer$", "-show", "^time\\.",
                    out.resolve("heap.t" + t + ".pprof").toString()), null);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("accounting for (\\d+), ").matcher(pprof.stdout());
            assertThat(m.find()).as("pprof: %s %s", pprof.stdout(), pprof.stderr()).isTrue();
            assertThat(ev.get("liveObjectsPerSnapshot").get(t).asLong()).as("%s t%d", method, t)
                    .isEqualTo(Long.parseLong(m.group(1)));
            assertThat(ev.get("timersPerSnapshot").get(t).asLong()).as("%s t%d", method, t)
                    .isCloseTo(pending.get(t), org.assertj.core.data.Offset.offset(1L));
        }
    }

    private static List<String> heaps(Path out) {
        List<String> f = new ArrayList<>();
        for (int i = 0; i <= 3; i++) {
            f.add(out.resolve("heap.t" + i + ".pprof").toString());
        }
        return f;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void aDeadlockIsCritical(String goVersion) throws Exception {
        Path log = output(goVersion).resolve("deadlock/stderr.log");
        assertThat(Files.readString(log)).startsWith("fatal error: all goroutines are asleep - deadlock!");
        JsonNode d = diagnose(List.of(log.toString()));
        List<JsonNode> dead = findings(d, "goroutines.deadlock");
        assertThat(dead).hasSize(1);
        JsonNode f = dead.get(0);
        assertThat(f.get("severity").asText()).isEqualTo("critical");
        // the first goroutine holds accounts and waits for ledger
        assertThat(f.get("location").get("function").asText()).isEqualTo("main.deadlock.func1");
        assertThat(f.get("location").get("line").asInt()).isEqualTo(lineAfter("accounts.Lock()", "ledger.Lock()"));
        assertThat(f.get("evidence").get("lockWaiters").asInt()).isEqualTo(2);
        assertThat(f.get("summary").asText()).contains("locks taken in different orders", "sync.WaitGroup");
        assertThat(f.get("cards").get(0).get("id").asText()).isEqualTo("goroutines.deadlock");
        // every goroutine is stuck after a deadlock: no leak findings besides it
        assertThat(findings(d, "goroutines.leak")).isEmpty();
    }

    /** The first line holding {@code text} after the first line holding {@code after}. */
    private static int lineAfter(String after, String text) throws IOException {
        List<String> src = Files.readAllLines(GoFixtures.source("leakprims").resolve("main.go"));
        int from = -1;
        for (int i = 0; i < src.size(); i++) {
            if (from < 0 && src.get(i).contains(after)) {
                from = i;
            } else if (from >= 0 && src.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " after " + after);
    }
}
