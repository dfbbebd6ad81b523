package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceRange;
import dev.godiag.model.trace.TraceStack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small trace written by hand, whose times the tests work out on paper. One thread (M 1) holds
 * P 0; g1 (main.main) runs from the start, g5 (main.worker) is created at 200:
 *
 * <pre>
 *  100 P0 status Running          110 g1 status Running (first seen)
 *  200 g1 creates g5 (Runnable)    300 g1 blocks "chan receive"
 *  310 g5 starts                   320..380 g5 in GC mark assist
 *  400 g5 blocks "network"         800 g5 unblocked (by the stack 12)
 *  850 g5 starts                   900 g5 enters a syscall (stack 11)
 *  950 P0 stolen from the syscall  1000 g5 leaves it blocked (Runnable)
 * 1010 g5 starts                  1050 g1 unblocked
 * 1100 g5 exits                   1200 the trace's last event (g1 still Runnable)
 * </pre>
 */
final class HandTrace {
    private HandTrace() {
    }

    static TraceChanges changes() {
        List<StateTransition> ts = new ArrayList<>();
        List<TraceEvent> events = new ArrayList<>();
        go(ts, events, TraceEventType.PROC_STATUS, 100, false, 0, "Undetermined", "Running", "", 0, 0, 1);
        go(ts, events, TraceEventType.GO_STATUS, 110, true, 1, "Undetermined", "Running", "", 0, 1, 1, 2);
        go(ts, events, TraceEventType.GO_CREATE, 200, true, 5, "NotExist", "Runnable", "", 8, 5, 7, 8);
        go(ts, events, TraceEventType.GO_BLOCK, 300, true, 1, "Running", "Waiting", "chan receive", 9, 0, 9);
        go(ts, events, TraceEventType.GO_START, 310, true, 5, "Runnable", "Running", "", 0, 5, 1);
        TraceEvent assistBegin = event(events, TraceEventType.GC_MARK_ASSIST_BEGIN, 320, 0);
        TraceEvent assistEnd = event(events, TraceEventType.GC_MARK_ASSIST_END, 380);
        go(ts, events, TraceEventType.GO_BLOCK, 400, true, 5, "Running", "Waiting", "network", 10, 0, 10);
        go(ts, events, TraceEventType.GO_UNBLOCK, 800, true, 5, "Waiting", "Runnable", "", 12, 5, 2, 12);
        go(ts, events, TraceEventType.GO_START, 850, true, 5, "Runnable", "Running", "", 0, 5, 3);
        go(ts, events, TraceEventType.GO_SYSCALL_BEGIN, 900, true, 5, "Running", "Syscall", "", 11, 1, 11);
        go(ts, events, TraceEventType.PROC_STEAL, 950, false, 0, "Running", "Idle", "", 0, 0, 2, 1);
        go(ts, events, TraceEventType.GO_SYSCALL_END_BLOCKED, 1000, true, 5, "Syscall", "Runnable", "", 0);
        go(ts, events, TraceEventType.GO_START, 1010, true, 5, "Runnable", "Running", "", 0, 5, 4);
        go(ts, events, TraceEventType.GO_UNBLOCK, 1050, true, 1, "Waiting", "Runnable", "", 0, 1, 1, 0);
        go(ts, events, TraceEventType.GO_DESTROY, 1100, true, 5, "Running", "NotExist", "", 0);
        event(events, TraceEventType.PROC_STOP, 1200);
        Map<Long, TraceStack> stacks = Map.of(
                7L, stack(7, f(0x7000, "main.worker", 20)),
                8L, stack(8, f(0x8000, "main.main", 12)),
                9L, stack(9, f(0x9000, "runtime.chanrecv1", 160), f(0x9100, "main.main", 14)),
                10L, stack(10, f(0xa000, "internal/poll.(*FD).Read", 165), f(0xa100, "main.worker", 25)),
                11L, stack(11, f(0xb000, "syscall.Syscall", 70), f(0xb100, "main.worker", 30)),
                12L, stack(12, f(0xc000, "internal/poll.runtime_pollWait", 340), f(0xc100, "main.poller", 5)));
        TraceGeneration g = new TraceGeneration(1, 1_000_000_000L, Map.of(), stacks, events, List.of(), -1, -1, 0);
        List<TraceRange> ranges = List.of(
                new TraceRange(320, "RangeBegin", "GC mark assist", "Goroutine", 5, assistBegin),
                new TraceRange(380, "RangeEnd", "GC mark assist", "Goroutine", 5, assistEnd));
        return new TraceChanges(g, ts, ranges, List.of());
    }

    private static TraceFrame f(long pc, String function, long line) {
        return new TraceFrame(pc, function, function.startsWith("main.") ? "example.com/app/main.go" : "lib.go", line);
    }

    private static TraceStack stack(long id, TraceFrame... frames) {
        return new TraceStack(id, List.of(frames));
    }

    private static TraceEvent event(List<TraceEvent> events, TraceEventType type, long time, long... args) {
        TraceEvent e = new TraceEvent(type, time, 1, args);
        events.add(e);
        return e;
    }

    private static void go(List<StateTransition> ts, List<TraceEvent> events, TraceEventType type, long time,
                           boolean goroutine, long id, String from, String to, String reason, long stack,
                           long... args) {
        ts.add(new StateTransition(time, goroutine, id, from, to, reason, stack, event(events, type, time, args)));
    }
}
