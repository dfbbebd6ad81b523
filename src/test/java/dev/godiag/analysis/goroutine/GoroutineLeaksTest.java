package dev.godiag.analysis.goroutine;

import dev.godiag.analysis.goroutine.GoroutineBuckets.Similarity;
import dev.godiag.analysis.goroutine.GoroutineVerdicts.Thresholds;
import dev.godiag.analysis.goroutine.GoroutineVerdicts.Verdict;
import dev.godiag.model.GoroutineDump;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.godiag.analysis.goroutine.GoroutineVerdictsTest.dump;
import static dev.godiag.analysis.goroutine.GoroutineVerdictsTest.goroutine;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leaks grouped by cause on hand-written dumps in the shapes Go 1.19 and Go 1.27 print: what the
 * right grouping and primitive are is clear by reading the stacks.
 */
class GoroutineLeaksTest {
    static final String CREATED = "created by main.(*server).handle in goroutine %d\n\t/app/server.go:40 +0x2\n";

    /** A goroutine with a "created by" line (Go 1.21+ names the creator goroutine). */
    static String created(long id, long creator, String header, String... frames) {
        return goroutine(id, header, frames).replace("\n\n", "\n" + String.format(CREATED, creator) + "\n");
    }

    static List<GoroutineLeaks.Leak> leaks(String... snapshots) {
        List<GoroutineDump> dumps = java.util.Arrays.stream(snapshots).map(GoroutineVerdictsTest::dump).toList();
        return GoroutineLeaks.of(GoroutineAnalysis.of(dumps, Similarity.ANY_VALUE, Thresholds.DEFAULT));
    }

    /** An RWMutex whose read lock leaked: one writer holds the slot, writers and readers queue. */
    static String rwmutex(boolean go119, int writers, int readers) {
        StringBuilder sb = new StringBuilder();
        long id = 100;
        String sem = go119 ? "sync.runtime_SemacquireMutex(0xc0000a8018?, 0x0?, 0x0?) runtime/sema.go:77 +0x25"
                : "sync.runtime_SemacquireRWMutex(0xc0000a8018?, 0x0?, 0x0?) runtime/sema.go:105 +0x25";
        sb.append(created(id++, 7, go119 ? "semacquire" : "sync.RWMutex.Lock", sem,
                "sync.(*RWMutex).Lock(0xc0000a8010) sync/rwmutex.go:" + (go119 ? 146 : 155) + " +0x65",
                "main.(*store).put(0xc0000a8000, 0x1) /app/store.go:30 +0x29"));
        for (int i = 1; i < writers; i++) {
            String[] frames = go119 ? new String[]{
                    "sync.runtime_SemacquireMutex(0xc0000a8014?, 0x0?, 0x1?) runtime/sema.go:77 +0x25",
                    "sync.(*Mutex).lockSlow(0xc0000a8010) sync/mutex.go:171 +0x165",
                    "sync.(*Mutex).Lock(...) sync/mutex.go:90",
                    "sync.(*RWMutex).Lock(0xc0000a8010) sync/rwmutex.go:144 +0x2e",
                    "main.(*store).put(0xc0000a8000, 0x2) /app/store.go:30 +0x29"} : new String[]{
                    "internal/sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?) runtime/sema.go:95 +0x25",
                    "internal/sync.(*Mutex).lockSlow(0xc0000a8010) internal/sync/mutex.go:149 +0x15a",
                    "internal/sync.(*Mutex).Lock(...) internal/sync/mutex.go:70",
                    "sync.(*Mutex).Lock(...) sync/mutex.go:46",
                    "sync.(*RWMutex).Lock(0x0?) sync/rwmutex.go:150 +0x65",
                    "main.(*store).put(0xc0000a8000, 0x2) /app/store.go:30 +0x29"};
            sb.append(created(id++, 8 + i, go119 ? "semacquire" : "sync.Mutex.Lock", frames));
        }
        for (int i = 0; i < readers; i++) {
            String leaf = go119 ? "sync.runtime_SemacquireMutex(0xc0000a801c?, 0x0?, 0x0?) runtime/sema.go:77 +0x25"
                    : "sync.runtime_SemacquireRWMutexR(0x0?, 0x0?, 0x0?) runtime/sema.go:100 +0x25";
            sb.append(created(id++, 300 + i, go119 ? "semacquire" : "sync.RWMutex.RLock", leaf,
                    "sync.(*RWMutex).RLock(...) sync/rwmutex.go:" + (go119 ? 71 : 74),
                    "main.(*store).get(0xc0000a8000, 0x3) /app/store.go:20 +0x39"));
        }
        return sb.toString();
    }

    @Test
    void theWriterHoldingAnRwmutexAndEveryoneQueuedBehindItAreOneLeak() {
        for (boolean go119 : new boolean[]{true, false}) {
            List<GoroutineLeaks.Leak> ls = leaks(rwmutex(go119, 12, 20));
            assertThat(ls).as(go119 ? "go1.19" : "go1.27").hasSize(1);
            GoroutineLeaks.Leak l = ls.get(0);
            assertThat(l.primitive()).isEqualTo(Primitive.RWMUTEX);
            assertThat(l.last()).isEqualTo(32);
            assertThat(l.members()).hasSize(3);
            assertThat(l.blockedAt().function()).isIn("main.(*store).get", "main.(*store).put");
            assertThat(l.explanation()).isEqualTo("32 goroutines: a read lock is never released (a reader returns"
                    + " without RUnlock): 1 writer holds the writer slot waiting for the readers to leave at"
                    + " main.(*store).put (/app/store.go:30), 11 more writers queue behind it at main.(*store).put"
                    + " (/app/store.go:30), and 20 readers queue behind the pending writer at main.(*store).get"
                    + " (/app/store.go:20)");
        }
    }

    @Test
    void eachPrimitiveIsNamedFromTheStackWhateverTheState() {
        String wg119 = goroutine(5, "semacquire", "sync.runtime_Semacquire(0xc0?) runtime/sema.go:62 +0x25",
                "sync.(*WaitGroup).Wait(0xc0?) sync/waitgroup.go:139 +0x52", "main.f() /app/a.go:9 +0x1");
        String cond = goroutine(6, "sync.Cond.Wait", "sync.runtime_notifyListWait(0xc0, 0x4) runtime/sema.go:617 +0x1",
                "sync.(*Cond).Wait(0xc0) sync/cond.go:71 +0x85", "main.g() /app/a.go:19 +0x1");
        String mutex119 = goroutine(7, "semacquire", "sync.runtime_SemacquireMutex(0xc0?, 0x0?, 0x1?) runtime/sema.go:77",
                "sync.(*Mutex).lockSlow(0xc0) sync/mutex.go:171 +0x165", "sync.(*Mutex).Lock(...) sync/mutex.go:90",
                "main.h() /app/a.go:29 +0x1");
        String sleep = goroutine(8, "sleep", "time.Sleep(0x3b9aca00) runtime/time.go:195 +0x125",
                "main.poll() /app/a.go:39 +0x1");
        assertThat(primitive(wg119)).isEqualTo(Primitive.WAITGROUP);
        assertThat(primitive(cond)).isEqualTo(Primitive.COND);
        assertThat(primitive(mutex119)).isEqualTo(Primitive.MUTEX);
        assertThat(primitive(sleep)).isEqualTo(Primitive.TICKER);
        assertThat(primitive(goroutine(9, "chan send", "main.s() /app/a.go:49 +0x1"))).isEqualTo(Primitive.CHAN_SEND);
        assertThat(primitive(goroutine(9, "chan receive (nil chan)", "main.s() /app/a.go:49 +0x1")))
                .isEqualTo(Primitive.NIL_CHANNEL);
    }

    private static Primitive primitive(String text) {
        GoroutineBuckets.Bucket b = GoroutineBuckets.of(dump(text), Similarity.ANY_VALUE).get(0);
        return Primitive.of(b.frames(), b.state());
    }

    /** A loop on a channel that keeps delivering: some of its goroutines are caught awake at the line. */
    @Test
    void goroutinesCaughtAwakeAtALeakingReceiveMakeItATicker() {
        String[] snaps = new String[3];
        for (int s = 0; s < 3; s++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10 * (s + 1); i++) {
                sb.append(created(1000 + 2L * i, 500 + i, i == 3 ? "runnable" : "chan receive",
                        "main.(*server).watch(0xc0, 0x1) /app/w.go:12 +0x88"));
            }
            snaps[s] = sb.toString();
        }
        List<GoroutineLeaks.Leak> ls = leaks(snaps);
        assertThat(ls).hasSize(1);
        assertThat(ls.get(0).primitive()).isEqualTo(Primitive.TICKER);
        assertThat(ls.get(0).counts()).containsExactly(10, 20, 30);
        assertThat(ls.get(0).awake()).isEqualTo(1);
        // with none awake it stays a receive
        List<GoroutineLeaks.Leak> parked = leaks(snaps[0].replace("runnable", "chan receive"),
                snaps[1].replace("runnable", "chan receive"), snaps[2].replace("runnable", "chan receive"));
        assertThat(parked.get(0).primitive()).isEqualTo(Primitive.CHAN_RECEIVE);
    }

    /**
     * A pool needs evidence: consecutive goroutine ids (one loop started them). Go 1.19 dumps do not
     * name the creator goroutine; the verdict is the same as from a Go 1.27 dump.
     */
    @Test
    void aPoolIsOneRunOfIdsInEveryVersion() {
        for (boolean named : new boolean[]{true, false}) {
            StringBuilder pool = new StringBuilder();
            StringBuilder spawned = new StringBuilder();
            for (int i = 0; i < 12; i++) {
                String creator = "created by main.start" + (named ? " in goroutine 1" : "") + "\n\t/app/p.go:8 +0x2\n";
                pool.append(goroutine(20 + i, "chan receive", "main.worker() /app/p.go:12 +0x1")
                        .replace("\n\n", "\n" + creator + "\n"));
                // one per message, by the same long-lived loop: ids spread among the other goroutines it starts
                spawned.append(goroutine(20 + 3L * i, "chan receive", "main.worker() /app/p.go:12 +0x1")
                        .replace("\n\n", "\n" + creator + "\n"));
            }
            assertThat(verdict(pool.toString())).as(named ? "named" : "go1.19").isEqualTo(Verdict.BENIGN);
            assertThat(verdict(spawned.toString())).as(named ? "named" : "go1.19").isEqualTo(Verdict.LIKELY_LEAK);
        }
        assertThat(GoroutineBuckets.runs(new long[]{5, 3, 4, 9, 10, 20})).isEqualTo(3);
    }

    private static Verdict verdict(String text) {
        GoroutineBuckets.Bucket b = GoroutineBuckets.of(dump(text), Similarity.ANY_VALUE).get(0);
        return GoroutineVerdicts.assess(b, new long[]{b.count()}, Thresholds.DEFAULT).verdict();
    }

    @Test
    void theRuntimesDeadlockMessageIsKept() {
        GoroutineDump d = dump("fatal error: all goroutines are asleep - deadlock!\n\n"
                + goroutine(1, "chan send", "main.main() /app/main.go:5 +0x1"));
        assertThat(d.deadlocked()).isTrue();
        assertThat(d.fatalError()).isEqualTo("all goroutines are asleep - deadlock!");
        assertThat(dump(goroutine(1, "chan send", "main.main() /app/main.go:5 +0x1")).fatalError()).isNull();
        // every goroutine of the service is stuck for good, the main one too
        GoroutineAnalysis.Result a = GoroutineAnalysis.of(List.of(d), Similarity.ANY_VALUE, Thresholds.DEFAULT);
        assertThat(a.rows()).hasSize(1);
        assertThat(a.rows().get(0).assessment().verdict()).isEqualTo(Verdict.DEFINITE_LEAK);
        assertThat(a.rows().get(0).assessment().reason()).contains("deadlock", "main.main (/app/main.go:5)");
    }
}
