package dev.godiag.analysis.goroutine;


import dev.godiag.analysis.goroutine.GoroutineBuckets.Bucket;
import dev.godiag.analysis.goroutine.GoroutineBuckets.Similarity;
import dev.godiag.analysis.goroutine.GoroutineVerdicts.Thresholds;
import dev.godiag.analysis.goroutine.GoroutineVerdicts.Verdict;
import dev.godiag.format.goroutine.GoroutineSources;
import dev.godiag.model.GoroutineDump;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Buckets and verdicts on small hand-written dumps whose right answer is clear by reading them. */
class GoroutineVerdictsTest {
    static GoroutineDump dump(String text) {
        return GoroutineSources.fromBytes(text.getBytes(StandardCharsets.UTF_8), "test.txt", 1 << 20);
    }

    static Verdict verdict(String text) {
        List<Bucket> buckets = GoroutineBuckets.of(dump(text), Similarity.ANY_VALUE);
        assertThat(buckets).hasSize(1);
        return GoroutineVerdicts.assess(buckets.get(0), new long[]{buckets.get(0).count()}, Thresholds.DEFAULT)
                .verdict();
    }

    static String goroutine(long id, String header, String... frames) {
        StringBuilder sb = new StringBuilder("goroutine ").append(id).append(" [").append(header).append("]:\n");
        for (String f : frames) {
            int at = f.indexOf(") ") + 1; // "function(args) file:line +0xpc"
            sb.append(f, 0, at).append('\n').append('\t').append(f.substring(at + 1)).append('\n');
        }
        return sb.append('\n').toString();
    }

    @Test
    void similarityDecidesWhetherArgumentsSplitBuckets() {
        String text = goroutine(1, "chan receive", "main.worker(0xc000123450, 0x3) /app/main.go:10 +0x1f")
                + goroutine(2, "chan receive", "main.worker(0xc000999990, 0x3) /app/main.go:10 +0x1f")
                + goroutine(3, "chan receive", "main.worker(0xc000999990, 0x4) /app/main.go:10 +0x1f");
        GoroutineDump d = dump(text);
        assertThat(GoroutineBuckets.of(d, Similarity.ANY_VALUE)).hasSize(1);
        // pointers differ, the small value 0x3 vs 0x4 does not count as one
        assertThat(GoroutineBuckets.of(d, Similarity.ANY_POINTER)).extracting(Bucket::count)
                .containsExactlyInAnyOrder(2L, 1L);
        assertThat(GoroutineBuckets.of(d, Similarity.EXACT)).hasSize(3);
    }

    @Test
    void nilChannelsAndEmptySelectsNeverWake() {
        assertThat(verdict(goroutine(7, "chan send (nil chan)", "main.f() /app/main.go:5 +0x1"))).isEqualTo(
                Verdict.DEFINITE_LEAK);
        assertThat(verdict(goroutine(7, "chan receive (nil chan)", "main.f() /app/main.go:5 +0x1"))).isEqualTo(
                Verdict.DEFINITE_LEAK);
        assertThat(verdict(goroutine(7, "select (no cases)", "main.f() /app/main.go:5 +0x1"))).isEqualTo(
                Verdict.DEFINITE_LEAK);
    }

    @Test
    void likelyNeedsLongWaitsOrManyAlike() {
        String one = goroutine(9, "chan receive, 2 minutes", "main.wait() /app/main.go:5 +0x1");
        assertThat(verdict(one)).isEqualTo(Verdict.UNKNOWN);
        String longWait = goroutine(9, "chan receive, 12 minutes", "main.wait() /app/main.go:5 +0x1");
        assertThat(verdict(longWait)).isEqualTo(Verdict.LIKELY_LEAK);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            many.append(goroutine(100 + i, "sync.Mutex.Lock", "sync.(*Mutex).Lock(...) sync/mutex.go:46",
                    "main.handle() /app/main.go:30 +0x1"));
        }
        assertThat(verdict(many.toString())).isEqualTo(Verdict.LIKELY_LEAK);
    }

    @Test
    void aPoolStartedByOneGoroutineIdlesRequestsStartedByManyLeak() {
        StringBuilder pool = new StringBuilder();
        StringBuilder leak = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            pool.append(goroutine(100 + i, "chan receive", "main.worker(0xc0001) /app/pool.go:12 +0x1")
                    .replace("\n\n", "\ncreated by main.startPool in goroutine 1\n\t/app/pool.go:8 +0x2\n\n"));
            leak.append(goroutine(200 + i, "chan receive", "main.handle.func1() /app/h.go:20 +0x1")
                    .replace("\n\n", "\ncreated by main.handle in goroutine " + (300 + i) + "\n\t/app/h.go:19 +0x2\n\n"));
        }
        assertThat(verdict(pool.toString())).isEqualTo(Verdict.BENIGN);
        assertThat(verdict(leak.toString())).isEqualTo(Verdict.LIKELY_LEAK);
    }

    @Test
    void runtimeAndServerPlumbingIsBenign() {
        assertThat(verdict(goroutine(4, "chan receive", "os/signal.signal_recv() runtime/sigqueue.go:152 +0x1",
                "os/signal.loop() os/signal/signal_unix.go:23 +0x1"))).isEqualTo(Verdict.BENIGN);
        assertThat(verdict(goroutine(5, "GC worker (idle)", "runtime.gopark(0x0?) runtime/proc.go:435 +0x1",
                "runtime.gcBgMarkWorker(0x0?) runtime/mgc.go:1463 +0x1"))).isEqualTo(Verdict.BENIGN);
        assertThat(verdict(goroutine(6, "IO wait, 40 minutes",
                "internal/poll.runtime_pollWait(0x7f, 0x72) runtime/netpoll.go:351 +0x85",
                "net/http.(*conn).serve(0xc000, {0x1, 0x2}) net/http/server.go:2157 +0x6dc")))
                .isEqualTo(Verdict.BENIGN);
        assertThat(verdict(goroutine(8, "chan receive", "testing.(*T).Run(0xc0, {0x5, 0x3}, 0x1) "
                        + "testing/testing.go:1750 +0x1",
                "testing.runTests.func1(0xc0) testing/testing.go:2161 +0x1",
                "testing.tRunner(0xc0, 0xc1) testing/testing.go:1690 +0x1"))).isEqualTo(Verdict.BENIGN);
    }

    @Test
    void growthAcrossSnapshotsMakesALikelyLeakEvenWithoutAState() {
        Bucket b = GoroutineBuckets.of(dump(goroutine(3, "IO wait", "main.poll() /app/main.go:9 +0x1")),
                Similarity.ANY_VALUE).get(0);
        assertThat(GoroutineVerdicts.assess(b, new long[]{1, 5, 9}, Thresholds.DEFAULT).verdict())
                .isEqualTo(Verdict.LIKELY_LEAK);
        // up and down is not "only grows"
        assertThat(GoroutineVerdicts.assess(b, new long[]{1, 5, 2, 9}, Thresholds.DEFAULT).verdict())
                .isEqualTo(Verdict.UNKNOWN);
        assertThat(GoroutineAnalysis.change(new long[]{0, 0, 4})).isEqualTo(GoroutineAnalysis.Change.NEW);
        assertThat(GoroutineAnalysis.change(new long[]{0, 2, 4})).isEqualTo(GoroutineAnalysis.Change.ONLY_GROWS);
        assertThat(GoroutineAnalysis.change(new long[]{3, 0})).isEqualTo(GoroutineAnalysis.Change.VANISHED);
        assertThat(GoroutineAnalysis.change(new long[]{3, 3})).isEqualTo(GoroutineAnalysis.Change.STEADY);
    }

    @Test
    void profilesHaveNoStateButTheStackTellsIt() {
        assertThat(GoroutineVerdicts.stateFromStack(List.of(
                new dev.godiag.model.StackFrame("runtime.gopark", null, "runtime/proc.go", 435),
                new dev.godiag.model.StackFrame("runtime.block", null, "runtime/select.go", 104),
                new dev.godiag.model.StackFrame("main.f", null, "main.go", 5)))).isEqualTo("select (no cases)");
        assertThat(GoroutineVerdicts.stateFromStack(List.of(
                new dev.godiag.model.StackFrame("main.f", null, "main.go", 5)))).isEmpty();
    }
}
