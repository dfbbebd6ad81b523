package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceRange;
import dev.godiag.model.trace.TraceStack;
import dev.godiag.model.trace.UserAnnotation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A small trace written by hand (one P, two goroutines, one GC with a stop-the-world, one task),
 * every number computed by hand in the comments:
 *
 * <pre>
 *   1000 ProcsChange 1; g1 Running (status)     6000 g2 Runnable->Running   (waited 4000)
 *   2000 g1 creates g2 (Runnable)               7000 g1 Waiting->Runnable   (unblocked)
 *   3000 GC mark begins, STW (GC sweep term.)   8000 GC mark ends
 *   4000 STW ends                               9000 g2 Running->Waiting "network"
 *   5000 g1 Running->Waiting "sync"             9500 g1 Runnable->Running   (waited 2500)
 *   2500..10500 task "req" 1                    11000 last event
 * </pre>
 */
class SyntheticTraceTest {
    private final List<TraceEvent> events = new ArrayList<>();
    private final List<StateTransition> transitions = new ArrayList<>();
    private final List<TraceRange> ranges = new ArrayList<>();
    private final List<UserAnnotation> notes = new ArrayList<>();
    private static final TraceFrame CREATOR = new TraceFrame(1, "main.serve", "main.go", 10);

    private TraceEvent event(TraceEventType type, long time, long... args) {
        long[] a = new long[type.args().size()];
        System.arraycopy(args, 0, a, 0, Math.min(args.length, a.length));
        TraceEvent e = new TraceEvent(type, time, 1, a);
        events.add(e);
        return e;
    }

    private void go(TraceEvent e, long g, String from, String to, String reason, long stack) {
        transitions.add(new StateTransition(e.time(), true, g, from, to, reason, stack, e));
    }

    private TraceAnalysis analyse() {
        TraceEvent procs = event(TraceEventType.PROCS_CHANGE, 1000, 1, 0);
        transitions.add(new StateTransition(1000, false, 0, "Undetermined", "Running", "", 0, procs));
        go(procs, 1, "Undetermined", "Running", "", 0);
        go(event(TraceEventType.GO_CREATE, 2000, 2, 0, 7), 2, "NotExist", "Runnable", "", 7);
        TraceEvent task = event(TraceEventType.USER_TASK_BEGIN, 2500);
        notes.add(new UserAnnotation(2500, "TaskBegin", 1, -1, "req", "", "", 1, 0, task));
        TraceEvent gc = event(TraceEventType.GC_BEGIN, 3000);
        ranges.add(new TraceRange(3000, "RangeBegin", GcTraceAnalysis.MARK, "None", -1, gc));
        TraceEvent stw = event(TraceEventType.STW_BEGIN, 3001);
        ranges.add(new TraceRange(3001, "RangeBegin", "stop-the-world (GC sweep termination)", "Goroutine", 1, stw));
        TraceEvent stwEnd = event(TraceEventType.STW_END, 4001);
        ranges.add(new TraceRange(4001, "RangeEnd", "stop-the-world (GC sweep termination)", "Goroutine", 1, stwEnd));
        go(event(TraceEventType.GO_BLOCK, 5000), 1, "Running", "Waiting", "sync", 0);
        go(event(TraceEventType.GO_START, 6000, 2), 2, "Runnable", "Running", "", 0);
        go(event(TraceEventType.GO_UNBLOCK, 7000, 1), 1, "Waiting", "Runnable", "", 0);
        TraceEvent gcEnd = event(TraceEventType.GC_END, 8000);
        ranges.add(new TraceRange(8000, "RangeEnd", GcTraceAnalysis.MARK, "None", -1, gcEnd));
        go(event(TraceEventType.GO_BLOCK, 9000), 2, "Running", "Waiting", "network", 0);
        go(event(TraceEventType.GO_START, 9500, 1), 1, "Runnable", "Running", "", 0);
        TraceEvent taskEnd = event(TraceEventType.USER_TASK_END, 10500);
        notes.add(new UserAnnotation(10500, "TaskEnd", 1, -1, "req", "", "", 1, 0, taskEnd));
        event(TraceEventType.GO_LABEL, 11000);
        TraceGeneration g = new TraceGeneration(1, 1_000_000_000L, Map.of(),
                Map.of(7L, new TraceStack(7, List.of(CREATOR))), events, List.of(), -1, -1, 0);
        TraceAnalyzer a = new TraceAnalyzer("hand");
        a.accept(new TraceChanges(g, transitions, ranges, notes));
        return a.finish(26, Optional.empty());
    }

    @Test
    void schedulerLatencyByHand() {
        SchedulerLatency s = analyse().schedulerLatency();
        assertThat(s.waits().count()).isEqualTo(2);
        assertThat(s.waits().totalNanos()).isEqualTo(4000 + 2500);
        assertThat(s.waits().maxNanos()).isEqualTo(4000);
        assertThat(s.waits().minNanos()).isEqualTo(2500);
        assertThat(s.worst()).extracting(SchedulerLatency.Wait::goroutine).containsExactly(2L, 1L);
        assertThat(s.worst().getFirst().startNanos()).isEqualTo(2000);
        assertThat(s.worst().getFirst().madeRunnableBy()).isEqualTo("GoCreate");
        assertThat(s.worst().getFirst().stack()).containsExactly(CREATOR);
        // g2 runnable 2000..6000 and g1 7000..9500 over 1000..11000: (4000 + 2500) / 10000
        assertThat(s.meanRunnable()).isCloseTo(0.65, within(1e-12));
        assertThat(s.maxRunnable()).isEqualTo(1);
        assertThat(s.gomaxprocs()).isEqualTo(1);
        assertThat(s.overProcsShare()).isZero();
    }

    @Test
    void gcByHand() {
        GcTrace gc = analyse().gc();
        assertThat(gc.cycles()).isEqualTo(1);
        assertThat(gc.markNanos()).isEqualTo(5000);
        assertThat(gc.markShare()).isCloseTo(0.5, within(1e-12));
        assertThat(gc.pauses().count()).isEqualTo(1);
        assertThat(gc.pauses().totalNanos()).isEqualTo(1000);
        assertThat(gc.pausesByKind()).containsOnlyKeys("GC sweep termination");
        // one P, world stopped 3001..4001: utilization 0 there, 1 elsewhere from 1000 to 11000; windows of
        // 1, 10 and 100 ms are cut to the 10 µs span: 9000 / 10000
        assertThat(gc.mmu()).extracting(GcTrace.MmuPoint::utilization)
                .allSatisfy(u -> assertThat(u).isCloseTo(0.9, within(1e-12)));
        assertThat(gc.mmuCurve().getFirst().windowNanos()).isEqualTo(1000);
        assertThat(gc.mmuCurve().getFirst().utilization()).isZero();
        assertThat(gc.mmuCurve()).filteredOn(p -> p.windowNanos() == 1995).singleElement()
                .satisfies(p -> assertThat(p.utilization()).isCloseTo(995 / 1995.0, within(1e-9)));
    }

    @Test
    void heatmapByHand() {
        Heatmap h = analyse().heatmap();
        assertThat(h.startNanos()).isEqualTo(1000);
        assertThat(h.bucketNanos()).isEqualTo(1000);
        assertThat(h.buckets()).hasSize(10);
        Heatmap.Bucket b0 = h.buckets().get(0); // 1000..2000: g1 running
        assertThat(b0.running()).isEqualTo(1.0);
        assertThat(b0.runnable()).isZero();
        Heatmap.Bucket b2 = h.buckets().get(2); // 3000..4000: g1 running, g2 runnable, GC on, STW 3001..4000
        assertThat(b2.runnable()).isEqualTo(1.0);
        assertThat(b2.gcMark()).isEqualTo(1.0);
        assertThat(b2.stw()).isCloseTo(0.999, within(1e-12));
        Heatmap.Bucket b4 = h.buckets().get(4); // 5000..6000: g1 waiting on sync, g2 runnable
        assertThat(b4.sync()).isEqualTo(1.0);
        assertThat(b4.runnable()).isEqualTo(1.0);
        assertThat(b4.running()).isZero();
        Heatmap.Bucket b8 = h.buckets().get(8); // 9000..10000: g2 on network, g1 runnable to 9500 then running
        assertThat(b8.network()).isEqualTo(1.0);
        assertThat(b8.runnable()).isEqualTo(0.5);
        assertThat(b8.running()).isEqualTo(0.5);
        assertThat(h.buckets().get(6).gcMark()).isEqualTo(1.0);
        assertThat(h.buckets().get(7).gcMark()).isZero();
        // goroutine-time: g1 from 1000, g2 from 2000, both to 11000
        double sum = h.buckets().stream().mapToDouble(b -> (b.running() + b.runnable() + b.network() + b.sync()
                + b.syscall() + b.otherWaiting()) * b.widthNanos()).sum();
        assertThat(sum).isCloseTo(10000 + 9000, within(1e-6));
    }

    @Test
    void taskByHand() {
        UserTasks t = analyse().userTasks();
        assertThat(t.tasks()).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("req");
            assertThat(x.count()).isEqualTo(1);
            assertThat(x.incomplete()).isZero();
            assertThat(x.slowest()).singleElement().satisfies(i -> {
                assertThat(i.durationNanos()).isEqualTo(8000);
                assertThat(i.startNanos()).isEqualTo(2500);
            });
        });
    }
}
