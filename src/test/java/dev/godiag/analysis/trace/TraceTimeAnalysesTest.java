package dev.godiag.analysis.trace;

import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.TraceFixtures;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The time analyses on real traces: tasks and stop-the-world pauses against Go 1.27's
 * {@code go tool trace -d=parsed}; the heatmap's invariants; the starvation rule on tracework's
 * starve scenario (must fire) and on a healthy corpus trace and a tasks-only run (must not).
 */
class TraceTimeAnalysesTest {
    private static final Pattern RANGE = Pattern.compile(
            "Range(Begin|End|Active) Time=(\\d+) Name=\"([^\"]*)\" Scope=(\\S+)");

    @Test
    void tasksAgreeWithGoAndShowTheSlowTenth() throws Exception {
        Path trace = TraceFixtures.trace(Tools.go127(), "tasks", "1s");
        List<String> parsed = parsed(trace);
        long begins = parsed.stream().filter(l -> l.contains(" TaskBegin ") && l.contains("Type=\"request\"")).count();
        long ends = parsed.stream().filter(l -> l.contains(" TaskEnd ") && l.contains("Type=\"request\"")).count();
        TraceAnalysis a = TraceAnalyses.of(trace);
        UserTasks.TypeStats request = a.userTasks().tasks().stream().filter(t -> t.type().equals("request"))
                .findFirst().orElseThrow();
        // Go's count: complete and incomplete; a task of this scenario begins and ends inside the trace
        assertThat(request.count()).isEqualTo(Math.max(begins, ends));
        assertThat(request.count() - request.incomplete()).isEqualTo(request.durations().count());
        assertThat(request.count()).isGreaterThan(30);
        // every 10th request takes ~25 ms, the others ~2 ms: the slow ones are about a tenth
        long slow = request.durations().buckets().stream().filter(b -> b.lowNanos() >= 20_000_000L)
                .mapToLong(LogHistogram.Bucket::count).sum();
        assertThat((double) slow / request.durations().count()).isBetween(0.05, 0.2);
        assertThat(request.slowest()).isNotEmpty();
        assertThat(request.slowest().subList(0, (int) Math.min(slow, request.slowest().size())))
                .allMatch(i -> i.durationNanos() >= 24_000_000L);
        assertThat(request.durations().p50Nanos()).isBetween(1_900_000L, 10_000_000L);
        assertThat(request.slowest().getFirst().logs()).anyMatch(l -> l.startsWith("status: "));
        UserTasks.TypeStats db = a.userTasks().regions().stream().filter(t -> t.type().equals("db")).findFirst()
                .orElseThrow();
        long regionBegins = parsed.stream().filter(l -> l.contains(" RegionBegin ") && l.contains("\"db\"")).count();
        assertThat(db.count()).isGreaterThanOrEqualTo(regionBegins).isLessThanOrEqualTo(regionBegins + 1);
        assertThat(db.durations().p50Nanos()).isBetween(1_000_000L, 5_000_000L);
    }

    @Test
    void stopTheWorldPausesEqualGosRanges() throws Exception {
        for (Path trace : List.of(Corpus.file("go1.27/cpuwork/trace.out"), TraceFixtures.allScenarios127())) {
            List<String> parsed = parsed(trace);
            Map<String, long[]> want = new TreeMap<>();
            Map<String, Long> open = new HashMap<>();
            long marks = 0;
            boolean markOpen = false;
            for (String l : parsed) {
                Matcher m = RANGE.matcher(l);
                if (!m.find()) {
                    continue;
                }
                String name = m.group(3);
                long time = Long.parseLong(m.group(2));
                if (name.equals("GC concurrent mark phase")) {
                    // a cycle open across a generation boundary is repeated as RangeActive: count it once
                    if (!m.group(1).equals("End") && !markOpen) {
                        marks++;
                    }
                    markOpen = !m.group(1).equals("End");
                }
                if (!name.startsWith("stop-the-world")) {
                    continue;
                }
                String key = m.group(4);
                if (m.group(1).equals("End")) {
                    Long b = open.remove(key);
                    if (b != null) {
                        long[] k = want.computeIfAbsent(GcTraceAnalysis.kind(name), x -> new long[2]);
                        k[0]++;
                        k[1] += time - b;
                    }
                } else {
                    open.putIfAbsent(key, time);
                }
            }
            GcTrace gc = TraceAnalyses.of(trace).gc();
            Map<String, List<Long>> got = new TreeMap<>();
            gc.pausesByKind().forEach((k, v) -> got.put(k, List.of(v.count(), v.totalNanos())));
            Map<String, List<Long>> expected = new TreeMap<>();
            want.forEach((k, v) -> expected.put(k, List.of(v[0], v[1])));
            assertThat(got).as(trace.toString()).isEqualTo(expected);
            assertThat(gc.cycles()).isEqualTo(marks);
            assertThat(gc.pauses().count()).isEqualTo(want.values().stream().mapToLong(v -> v[0]).sum());
            assertThat(gc.mmu()).extracting(GcTrace.MmuPoint::utilization)
                    .allMatch(u -> u >= 0 && u <= 1).isSorted(); // longer windows never have a lower MMU here
        }
    }

    /**
     * Go's scheduler-latency profile ({@code go tool trace -pprof=sched}) sums the same runnable
     * intervals (from the event that made a goroutine runnable to its next state; zero-length ones
     * dropped): its count and total delay agree with godiag's within 1%.
     */
    @Test
    void schedulerWaitsAgreeWithGosSchedProfile() throws Exception {
        Path trace = Corpus.file("go1.27/cpuwork/trace.out");
        Path prof = Files.createTempFile("sched", ".pprof");
        try {
            Process p = new ProcessBuilder(Tools.go127().toString(), "tool", "trace", "-pprof=sched", trace.toString())
                    .redirectOutput(prof.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("go tool trace -pprof did not end (hang guard)");
            }
            List<String> raw = run(List.of(Tools.go127().toString(), "tool", "pprof", "-raw", prof.toString()));
            Pattern sample = Pattern.compile("^\\s+(\\d+)\\s+(\\d+):");
            long count = 0;
            long delay = 0;
            for (String l : raw) {
                Matcher m = sample.matcher(l);
                if (m.find()) {
                    count += Long.parseLong(m.group(1));
                    delay += Long.parseLong(m.group(2));
                }
            }
            assertThat(count).isGreaterThan(1000);
            SchedulerLatency s = TraceAnalyses.of(trace).schedulerLatency();
            assertThat((double) s.waits().count()).isCloseTo(count, within(count * 0.01));
            assertThat((double) s.waits().totalNanos()).isCloseTo(delay, within(delay * 0.01));
        } finally {
            Files.deleteIfExists(prof);
        }
    }

    private static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("run", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not end (hang guard)");
            }
            assertThat(p.exitValue()).isZero();
            return Files.readAllLines(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void heatmapHoldsAtMostGomaxprocsRunningAndAllGoroutineTime() {
        TraceAnalysis a = TraceAnalyses.of(TraceFixtures.allScenarios127());
        Heatmap h = a.heatmap();
        assertThat(h.buckets()).hasSizeBetween(100, 200);
        assertThat(h.gomaxprocs()).isEqualTo(2); // the starve scenario sets it
        double sum = 0;
        for (Heatmap.Bucket b : h.buckets()) {
            assertThat(b.running()).isLessThanOrEqualTo(h.gomaxprocs() + 1e-9);
            assertThat(b.gcMark()).isBetween(0.0, 1.0 + 1e-9);
            sum += (b.running() + b.runnable() + b.network() + b.sync() + b.syscall() + b.otherWaiting())
                    * b.widthNanos();
        }
        // 32 spinners runnable or running, 8 convoy workers and 4 net clients waiting: at least that many on average
        double mean = sum / a.overview().durationNanos();
        assertThat(mean).isGreaterThan(32 + 8 + 4 - 1);
        // the scheduler analysis' own time-weighted runnable mean equals the heatmap's
        double runnable = h.buckets().stream().mapToDouble(b -> b.runnable() * b.widthNanos()).sum()
                / a.overview().durationNanos();
        assertThat(runnable).isCloseTo(a.schedulerLatency().meanRunnable(), within(0.01 * runnable + 0.01));
    }

    @Test
    void starvationFiresOnStarveOnly() {
        Diagnoser d = Diagnoser.withRegisteredRules();
        TraceAnalysis starve = TraceAnalyses.of(TraceFixtures.trace(Tools.go127(), "starve", "1s"));
        List<Finding> f = findings(d, starve);
        assertThat(f).hasSize(1);
        Finding s = f.getFirst();
        assertThat(s.evidence().get("gomaxprocs")).isEqualTo(2L);
        assertThat(((Number) s.evidence().get("meanRunnable")).doubleValue()).isGreaterThan(8);
        assertThat(s.location().function()).isEqualTo("main.spinner");
        assertThat(findings(d, TraceAnalyses.of(Corpus.file("go1.27/cpuwork/trace.out")))).isEmpty();
        assertThat(findings(d, TraceAnalyses.of(TraceFixtures.trace(Tools.go127(), "tasks", "1s")))).isEmpty();
    }

    private static List<Finding> findings(Diagnoser d, TraceAnalysis a) {
        DiagnosisInput in = new DiagnosisInput();
        in.add(DiagnosisInput.Kind.TRACE, a.source(), a);
        return d.run(in, RuleConfig.DEFAULT).stream().filter(x -> x.rule().equals("trace.scheduler-starvation"))
                .toList();
    }

    private static List<String> parsed(Path trace) throws IOException, InterruptedException {
        Path out = Files.createTempFile("trace-parsed", ".txt");
        try {
            Process p = new ProcessBuilder(Tools.go127().toString(), "tool", "trace", "-d=parsed", trace.toString())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("go tool trace -d=parsed did not end (hang guard)");
            }
            assertThat(p.exitValue()).isZero();
            try (Stream<String> lines = Files.lines(out)) {
                return lines.toList();
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
