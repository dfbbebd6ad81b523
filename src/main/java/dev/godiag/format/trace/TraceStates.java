package dev.godiag.format.trace;

import dev.godiag.model.trace.GoState;
import dev.godiag.model.trace.ProcState;
import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceRange;
import dev.godiag.model.trace.UserAnnotation;
import dev.godiag.util.BadInputException;
import dev.godiag.util.LongObjectMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns events into state transitions of goroutines and Ps and into the runtime's ranges (GC,
 * stop-the-world, sweep, mark assist: {@link TraceRange}) and user annotations ({@link UserAnnotation}),
 * generation after generation (keep one per read: it remembers states across generations).
 *
 * <p>It runs Go's ordering state machine ({@link TraceOrder}) over the generation's events, which
 * {@link TraceReader} has put in Go's order: that gives each event the goroutine and P it acts on
 * (a GoBlock blocks the goroutine its thread runs, a ProcStatus of a P about to be stolen belongs
 * to the thread holding it, a GoStatus of a goroutine sitting in a syscall to that goroutine's
 * thread), the state a status event replaces ({@code Undetermined} in the first generation,
 * {@code NotExist} for a P first seen later), and the events Go derives (a GoSwitch is an unblock,
 * a block and a start; a GoDestroySyscall with a P steals it from itself), each 1 ns after the
 * last as Go times them. Transitions and times equal {@code go tool trace}'s, Go's edge-case
 * traces included. Events out of Go's order (a generation not from {@link TraceReader}) throw
 * {@link BadInputException}.
 *
 * <p>Events of an old-format trace (Go 1.11-1.21) name their goroutine and P and come already
 * in Go's order and checked ({@link V1TraceConverter}), as Go's converted events skip its
 * ordering: for them the context is the event's own ({@link OldFormat}), their statuses start
 * from Undetermined, as in Go.
 */
public final class TraceStates {
    private static final long NONE = -1;
    private static final String BEGIN = "RangeBegin";
    private static final String ACTIVE = "RangeActive";
    private static final String END = "RangeEnd";
    private static final String GOROUTINE = "Goroutine";
    private static final String PROC = "Proc";
    private static final String GLOBAL = "None";
    private static final String GC_MARK = "GC concurrent mark phase";
    private static final String SWEEP = "GC incremental sweep";
    private static final String ASSIST = "GC mark assist";
    private static final String RUNNING = "Running";
    private static final String IDLE = "Idle";

    private final TraceOrder order = new TraceOrder();
    private final OldFormat oldFormat = new OldFormat();
    private Map<Long, String> reasonTable;
    private LongObjectMap<String> reasons;

    /** The transitions and ranges of this generation's events. */
    public TraceChanges apply(TraceGeneration g) {
        List<StateTransition> out = new ArrayList<>();
        List<TraceRange> ranges = new ArrayList<>();
        List<UserAnnotation> notes = new ArrayList<>();
        List<TraceOrder.Ordered> queue = new ArrayList<>(4);
        for (TraceEvent e : g.events()) {
            if (e.hasContext()) {
                apply(g, oldFormat.ordered(e, g), e.time(), e, out, ranges, notes);
                continue;
            }
            queue.clear();
            if (!order.advance(e, g.number(), g.strings(), queue)) {
                throw new BadInputException("invalid trace: " + e.type().goName() + " at " + e.time()
                        + " ns on thread " + e.thread() + " comes before the events it depends on");
            }
            int written = 0;
            while (queue.get(written).derived()) {
                written++;
            }
            for (int i = 0; i < queue.size(); i++) {
                // Go times derived events 1 ns apart around the event they come from
                apply(g, queue.get(i), e.time() + i - written, e, out, ranges, notes);
            }
        }
        return new TraceChanges(g, out, ranges, notes);
    }

    /**
     * The changes of a generation (or part of one) the reader has already ordered ({@code part}: the
     * ordering's result for each event, with its time), so that the ordering runs once per read.
     * Feed one {@code TraceStates} either this way or through {@link #apply(TraceGeneration)}, not both.
     */
    TraceChanges apply(TraceGeneration g, ThreadMerge.Part part) {
        if (part == null) {
            return apply(g);
        }
        int n = part.ordered().size();
        List<StateTransition> out = new ArrayList<>(n);
        List<TraceRange> ranges = new ArrayList<>();
        List<UserAnnotation> notes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            apply(g, part.ordered().get(i), part.times()[i], part.orderedEvents().get(i), out, ranges, notes);
        }
        return new TraceChanges(g, out, ranges, notes);
    }

    private void apply(TraceGeneration g, TraceOrder.Ordered o, long time, TraceEvent e, List<StateTransition> out,
                       List<TraceRange> ranges, List<UserAnnotation> notes) {
        long[] a = o.args();
        long cur = o.g();
        long curProc = o.p();
        long stack = o.derived() ? 0 : stackOf(e);
        // Go's transition stack: the new goroutine's own for a creation; the event's where the
        // goroutine itself stops, blocks, enters a syscall or reports its status; none otherwise
        long transitionStack = switch (o.type()) {
            case GO_CREATE, GO_CREATE_BLOCKED -> a[1];
            case GO_STOP, GO_BLOCK, GO_SYSCALL_BEGIN, GO_STATUS_STACK -> stack;
            default -> 0;
        };
        switch (o.type()) {
            case USER_TASK_BEGIN -> notes.add(new UserAnnotation(time, "TaskBegin", a[0], a[1], g.string(a[2]), "",
                    "", cur, stack, e));
            case USER_TASK_END -> notes.add(new UserAnnotation(time, "TaskEnd", a[0], o.extra(), o.text(), "", "",
                    cur, stack, e));
            case USER_REGION_BEGIN, USER_REGION_END -> notes.add(new UserAnnotation(time,
                    o.type() == TraceEventType.USER_REGION_BEGIN ? "RegionBegin" : "RegionEnd", a[0], NONE,
                    g.string(a[1]), "", "", cur, stack, e));
            case USER_LOG -> notes.add(new UserAnnotation(time, "Log", a[0], NONE, "", g.string(a[1]),
                    g.string(a[2]), cur, stack, e));
            case STW_BEGIN -> ranges.add(new TraceRange(time, BEGIN, stw(g, a[0]), GOROUTINE, cur, e));
            case STW_END -> ranges.add(new TraceRange(time, END, stw(g, o.extra()), GOROUTINE, cur, e));
            case GC_BEGIN -> ranges.add(new TraceRange(time, BEGIN, GC_MARK, GLOBAL, NONE, e));
            case GC_ACTIVE -> ranges.add(new TraceRange(time, ACTIVE, GC_MARK, GLOBAL, NONE, e));
            case GC_END -> ranges.add(new TraceRange(time, END, GC_MARK, GLOBAL, NONE, e));
            case GC_SWEEP_BEGIN -> ranges.add(new TraceRange(time, BEGIN, SWEEP, PROC, curProc, e));
            case GC_SWEEP_ACTIVE -> ranges.add(new TraceRange(time, ACTIVE, SWEEP, PROC, a[0], e));
            case GC_SWEEP_END -> ranges.add(new TraceRange(time, END, SWEEP, PROC, curProc, e));
            case GC_MARK_ASSIST_BEGIN -> ranges.add(new TraceRange(time, BEGIN, ASSIST, GOROUTINE, cur, e));
            case GC_MARK_ASSIST_ACTIVE -> ranges.add(new TraceRange(time, ACTIVE, ASSIST, GOROUTINE, a[0], e));
            case GC_MARK_ASSIST_END -> ranges.add(new TraceRange(time, END, ASSIST, GOROUTINE, cur, e));
            case GO_STATUS, GO_STATUS_STACK -> go(out, time, e, a[0], o.from(), goName(a[2]), "", transitionStack);
            case GO_CREATE -> go(out, time, e, a[0], "NotExist", "Runnable", "", transitionStack);
            case GO_CREATE_BLOCKED -> go(out, time, e, a[0], "NotExist", "Waiting", "", transitionStack);
            case GO_CREATE_SYSCALL -> go(out, time, e, a[0], "NotExist", "Syscall", "", transitionStack);
            case GO_START -> go(out, time, e, a[0], "Runnable", RUNNING, "", transitionStack);
            case GO_STOP -> go(out, time, e, cur, RUNNING, "Runnable", reason(g, a[0]), transitionStack);
            case GO_BLOCK -> go(out, time, e, cur, RUNNING, "Waiting", reason(g, a[0]), transitionStack);
            case GO_UNBLOCK, GO_SWITCH, GO_SWITCH_DESTROY -> go(out, time, e, a[0], "Waiting", "Runnable", "",
                    transitionStack);
            case GO_DESTROY -> go(out, time, e, cur, RUNNING, "NotExist", "", transitionStack);
            case GO_DESTROY_SYSCALL -> go(out, time, e, cur, "Syscall", "NotExist", "", transitionStack);
            case GO_SYSCALL_BEGIN -> go(out, time, e, cur, RUNNING, "Syscall", "", transitionStack);
            case GO_SYSCALL_END -> go(out, time, e, cur, "Syscall", RUNNING, "", transitionStack);
            case GO_SYSCALL_END_BLOCKED -> go(out, time, e, cur, "Syscall", "Runnable", "", transitionStack);
            case PROC_STATUS -> proc(out, time, e, a[0], o.from(), procName(a[1]));
            case PROC_START -> proc(out, time, e, a[0], IDLE, RUNNING);
            case PROC_STOP -> proc(out, time, e, curProc, RUNNING, IDLE);
            case PROC_STEAL -> proc(out, time, e, a[0], o.from(), IDLE);
            default -> {
            }
        }
    }

    /** The stack the written event carries (its own "stack" argument), 0 for none. */
    private static long stackOf(TraceEvent e) {
        int i = e.type().stackArg();
        return i < 0 ? 0 : e.args()[i];
    }

    /**
     * {@code g.string(id)} for the reason of every stop and block, without boxing the id: the
     * generation's table copied once into a primitive map (the parts of a generation share it).
     */
    private String reason(TraceGeneration g, long id) {
        if (g.strings() != reasonTable) {
            reasonTable = g.strings();
            reasons = new LongObjectMap<>(reasonTable.size());
            for (Map.Entry<Long, String> s : reasonTable.entrySet()) {
                reasons.put(s.getKey(), s.getValue());
            }
        }
        String s = reasons.get(id);
        return s != null ? s : "";
    }

    private static String stw(TraceGeneration g, long kind) {
        return "stop-the-world (" + g.string(kind) + ")";
    }

    /** Go's GoState for a wire status; 0 (Bad) is Go's zero state, Undetermined. */
    private static String goName(long status) {
        return status == 0 ? GoState.UNDETERMINED.goName() : GoState.of(status).goName();
    }

    /** Go's ProcState for a wire status: a P in a syscall is Running, an abandoned one Idle. */
    private static String procName(long status) {
        ProcState s = ProcState.of(status);
        return switch (s) {
            case RUNNING, SYSCALL -> RUNNING;
            case IDLE, SYSCALL_ABANDONED -> IDLE;
            default -> ProcState.UNDETERMINED.goName();
        };
    }

    private static void go(List<StateTransition> out, long time, TraceEvent e, long id, String from, String to,
                           String reason, long stack) {
        out.add(new StateTransition(time, true, id, from, to, reason, stack, e));
    }

    private static void proc(List<StateTransition> out, long time, TraceEvent e, long id, String from, String to) {
        out.add(new StateTransition(time, false, id, from, to, "", 0, e));
    }

    /**
     * What Go's ordering would give an old-format event, from the event itself: its goroutine and
     * P, Undetermined before a status, a task end's parent and type, a stop's kind (the last begun).
     */
    private static final class OldFormat {
        private final Map<Long, Object[]> tasks = new HashMap<>();
        private long lastStopKind;

        TraceOrder.Ordered ordered(TraceEvent e, TraceGeneration g) {
            long[] a = Arrays.copyOf(e.args(), e.type().args().size());
            String from = "";
            long extra = 0;
            String text = "";
            switch (e.type()) {
                case GO_STATUS, GO_STATUS_STACK, PROC_STATUS -> from = GoState.UNDETERMINED.goName();
                case PROC_STEAL -> from = RUNNING;
                case USER_TASK_BEGIN -> {
                    a[1] = a[1] == 0 ? NONE : a[1]; // a task under the background task has no parent
                    tasks.put(a[0], new Object[] {a[1], a[2]});
                }
                case USER_TASK_END -> {
                    Object[] t = tasks.remove(a[0]);
                    extra = t == null ? NONE : (long) t[0];
                    text = t == null ? "" : g.string((long) t[1]);
                }
                case STW_BEGIN -> lastStopKind = a[0];
                case STW_END -> extra = lastStopKind;
                default -> {
                }
            }
            return new TraceOrder.Ordered(e, e.type(), e.time(), e.contextGoroutine(), e.contextProc(), e.thread(),
                    a, from, extra, text);
        }
    }
}
