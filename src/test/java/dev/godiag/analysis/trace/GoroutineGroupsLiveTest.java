package dev.godiag.analysis.trace;

import dev.godiag.format.trace.TraceReader;
import dev.godiag.format.trace.TraceStates;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import dev.godiag.testutil.TraceFixtures;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Goroutine groups of real traces against Go 1.27's own reader ({@code go tool trace -d=parsed}):
 * every goroutine is counted once, in the group of the root frame of the first transition stack Go
 * shows for it; and on tracework, each scenario's goroutines spend their time where the scenario
 * makes them wait.
 */
class GoroutineGroupsLiveTest {
    private static final Pattern TRANSITION = Pattern.compile(
            "StateTransition Time=\\d+ GoID=(\\d+) (\\w+)->(\\w+) ");

    static TraceAnalysis analyse(Path trace) throws Exception {
        TraceAnalyzer a = new TraceAnalyzer(trace.toString());
        TraceStates states = new TraceStates();
        TraceSummary s;
        try (InputStream in = Files.newInputStream(trace)) {
            s = new TraceReader().read(in, g -> a.accept(states.apply(g)));
        }
        return a.finish(s.minor(), s.warning());
    }

    /** Start function -> goroutines, from Go's parsed dump: named by their first transition stack's root. */
    static Map<String, Long> goGroups(Path trace) {
        Peers.Result r = Peers.run(List.of(Tools.go127().toString(), "tool", "trace", "-d=parsed",
                trace.toString()), null);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Map<Long, String> names = new HashMap<>();
        Set<Long> named = new HashSet<>();
        List<String> lines = r.stdout().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = TRANSITION.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            long id = Long.parseLong(m.group(1));
            names.putIfAbsent(id, "");
            if (m.group(2).equals(m.group(3)) || named.contains(id)) {
                continue; // Go's summary skips a transition to the same state
            }
            String root = null;
            int j = i + 1;
            if (j < lines.size() && lines.get(j).equals("TransitionStack=")) {
                for (j++; j < lines.size() && lines.get(j).startsWith("\t"); j++) {
                    String l = lines.get(j);
                    if (!l.startsWith("\t\t")) {
                        root = l.substring(1, l.lastIndexOf(" @ "));
                    }
                }
            }
            if (root != null) {
                names.put(id, root);
                named.add(id);
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        names.values().forEach(n -> counts.merge(n, 1L, Long::sum));
        return counts;
    }

    private static Map<String, Long> godiagGroups(TraceAnalysis a) {
        Map<String, Long> counts = new TreeMap<>();
        a.goroutineGroups().forEach(g -> counts.put(g.name(), g.count()));
        return counts;
    }

    @Test
    void groupsCountWhatGosReaderShows() throws Exception {
        for (Path trace : List.of(Corpus.file("go1.27/cpuwork/trace.out"), TraceFixtures.allScenarios127())) {
            Map<String, Long> want = goGroups(trace);
            assertThat(godiagGroups(analyse(trace))).as(trace.toString()).isEqualTo(want);
        }
    }

    /** The largest part of a split, syscall time with and without a P counted as one. */
    private static long largest(GoroutineTimes t) {
        return java.util.stream.LongStream.of(t.exec(), t.schedWait(), t.blockNet(), t.blockSync(), t.blockOther(),
                t.syscall() + t.syscallBlock()).max().orElseThrow();
    }

    @Test
    void tracedScenariosWaitWhereTheyShould() throws Exception {
        Path trace = TraceFixtures.allScenarios127();
        Map<String, GoroutineGroup> groups = new HashMap<>();
        analyse(trace).goroutineGroups().forEach(g -> groups.put(g.name(), g));
        assertThat(groups.get("main.convoyWorker").count()).isEqualTo(8);
        assertThat(groups.get("main.netClient").count()).isEqualTo(4);
        assertThat(groups.get("main.syscallWorker").count()).isEqualTo(2);
        assertThat(groups.get("main.spinner").count()).isEqualTo(32);
        // with GOMAXPROCS 2 and 32 spinners every group also waits for a P: each scenario's own wait
        // is its largest part, not necessarily a majority
        GoroutineTimes convoy = groups.get("main.convoyWorker").sum();
        assertThat(convoy.blockSync()).as("convoy").isEqualTo(largest(convoy));
        GoroutineTimes net = groups.get("main.netClient").sum();
        assertThat(net.blockNet()).as("net").isEqualTo(largest(net));
        GoroutineTimes sys = groups.get("main.syscallWorker").sum();
        assertThat(sys.syscall() + sys.syscallBlock()).as("syscall").isEqualTo(largest(sys));
        GoroutineTimes spin = groups.get("main.spinner").sum();
        assertThat(spin.schedWait()).as("spinner").isEqualTo(largest(spin));
        for (GoroutineGroup g : groups.values()) {
            GoroutineTimes s = g.sum();
            long split = s.exec() + s.schedWait() + s.blockNet() + s.blockSync() + s.blockOther() + s.syscall()
                    + s.syscallBlock() + g.unknown();
            // Go floors each goroutine's unknown time at zero: the split covers the total, never less,
            // and exceeds it only where a goroutine's parts overran its lifetime (a CI run saw 49 µs
            // of 3.98 s in a main group), never by more than a sliver
            assertThat(split).as(g.name()).isGreaterThanOrEqualTo(s.total());
            if (g.name().startsWith("main.")) {
                assertThat(split - s.total()).as(g.name()).isLessThanOrEqualTo(s.total() / 1000);
            }
        }
    }
}
