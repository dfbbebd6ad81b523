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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns events into state transitions of goroutines and Ps and into the runtime's ranges (GC,
 * stop-the-world, sweep, mark assist: {@link TraceRange}) and user annotations ({@link UserAnnotation}), generation after generation (keep one
 * per read: it remembers states across generations). An event that acts on "the current goroutine"
 * (GoBlock, GoStop, GoSyscallBegin, GoDestroy...) or "the current P" (ProcStop) applies to the one
 * its thread (M) last started, as the runtime writes them. Events are taken in the generation's
 * order, without Go's sequence-number checks. On an ordinary trace (the corpus's) every transition
 * and its time equal {@code go tool trace}'s; Go's own edge-case traces (Ps stolen from syscalls,
 * ProcStatus Syscall/SyscallAbandoned, events whose clocks contradict their sequence numbers,
 * statuses first seen after the first generation) still differ: that needs Go's ordering state machine.
 * Events of an old-format trace (Go 1.11-1.21) name their goroutine and P and come already in Go's
 * order ({@link V1TraceConverter}); for them those are used, and their statuses start from
 * Undetermined, as in Go.
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
    private final Map<Long, GoState> goroutines = new HashMap<>();
    private final Map<Long, ProcState> procs = new HashMap<>();
    private final Map<Long, Long> goroutineOfThread = new HashMap<>();
    private final Map<Long, Long> procOfThread = new HashMap<>();

    private final Map<Long, String> stopTheWorldOfGoroutine = new HashMap<>();
    /** Old-format traces: a stop's end takes the kind of the last stop begun (Go's converter carries it). */
    private String lastStopTheWorld = "stop-the-world ()";

    /** Tasks begun and not ended: their parent and type, which their end reports. */
    private final Map<Long, long[]> taskParents = new HashMap<>();
    private final Map<Long, String> taskTypes = new HashMap<>();

    /** The transitions and ranges of this generation's events. */
    public TraceChanges apply(TraceGeneration g) {
        List<StateTransition> out = new ArrayList<>();
        List<TraceRange> ranges = new ArrayList<>();
        List<UserAnnotation> notes = new ArrayList<>();
        for (TraceEvent e : g.events()) {
            long m = e.thread();
            // events of an old-format trace name their goroutine and P, as Go's converted events do
            boolean named = e.hasContext();
            long cur = named ? e.contextGoroutine() : goroutineOfThread.getOrDefault(m, NONE);
            long curProc = named ? e.contextProc() : procOfThread.getOrDefault(m, NONE);
            switch (e.type()) {
                case USER_TASK_BEGIN -> {
                    long task = e.arg("task");
                    // Go: a task under the background task has no parent
                    long parent = e.arg("parent_task") == 0 ? NONE : e.arg("parent_task");
                    String type = g.string(e.arg("name_string"));
                    taskParents.put(task, new long[] {parent});
                    taskTypes.put(task, type);
                    notes.add(new UserAnnotation(e.time(), "TaskBegin", task, parent, type, "", "", cur,
                            e.arg("stack"), e));
                }
                case USER_TASK_END -> {
                    long task = e.arg("task");
                    long[] parent = taskParents.remove(task);
                    String type = taskTypes.remove(task);
                    notes.add(new UserAnnotation(e.time(), "TaskEnd", task, parent == null ? NONE : parent[0],
                            type == null ? "" : type, "", "", cur, e.arg("stack"), e));
                }
                case USER_REGION_BEGIN, USER_REGION_END -> notes.add(new UserAnnotation(e.time(),
                        e.type() == TraceEventType.USER_REGION_BEGIN ? "RegionBegin" : "RegionEnd", e.arg("task"),
                        NONE, g.string(e.arg("name_string")), "", "", cur, e.arg("stack"), e));
                case USER_LOG -> notes.add(new UserAnnotation(e.time(), "Log", e.arg("task"), NONE, "",
                        g.string(e.arg("key_string")), g.string(e.arg("value_string")), cur, e.arg("stack"), e));
                case STW_BEGIN -> {
                    String name = "stop-the-world (" + g.string(e.arg("kind_string")) + ")";
                    stopTheWorldOfGoroutine.put(cur, name);
                    lastStopTheWorld = name;
                    ranges.add(new TraceRange(e.time(), BEGIN, name, GOROUTINE, cur, e));
                }
                case STW_END -> ranges.add(new TraceRange(e.time(), END, named ? lastStopTheWorld
                        : stopTheWorldOfGoroutine.getOrDefault(cur, "stop-the-world"), GOROUTINE, cur, e));
                case GC_BEGIN -> ranges.add(new TraceRange(e.time(), BEGIN, GC_MARK, GLOBAL, NONE, e));
                case GC_ACTIVE -> ranges.add(new TraceRange(e.time(), ACTIVE, GC_MARK, GLOBAL, NONE, e));
                case GC_END -> ranges.add(new TraceRange(e.time(), END, GC_MARK, GLOBAL, NONE, e));
                case GC_SWEEP_BEGIN -> ranges.add(new TraceRange(e.time(), BEGIN, SWEEP, PROC, curProc, e));
                case GC_SWEEP_ACTIVE -> ranges.add(new TraceRange(e.time(), ACTIVE, SWEEP, PROC, e.arg("p"), e));
                case GC_SWEEP_END -> ranges.add(new TraceRange(e.time(), END, SWEEP, PROC, curProc, e));
                case GC_MARK_ASSIST_BEGIN -> ranges.add(new TraceRange(e.time(), BEGIN, ASSIST, GOROUTINE, cur, e));
                case GC_MARK_ASSIST_ACTIVE -> ranges.add(new TraceRange(e.time(), ACTIVE, ASSIST, GOROUTINE,
                        e.arg("g"), e));
                case GC_MARK_ASSIST_END -> ranges.add(new TraceRange(e.time(), END, ASSIST, GOROUTINE, cur, e));
                case GO_STATUS, GO_STATUS_STACK -> {
                    long id = e.arg("g");
                    GoState to = GoState.of(e.arg("gstatus"));
                    if (to == GoState.RUNNING || to == GoState.SYSCALL) {
                        goroutineOfThread.put(e.arg("m"), id);
                    }
                    GoState from = named ? GoState.UNDETERMINED : goroutines.getOrDefault(id, GoState.UNDETERMINED);
                    go(out, e, id, from, to, "",
                            e.type() == TraceEventType.GO_STATUS_STACK ? e.arg("stack") : 0);
                }
                case GO_CREATE, GO_CREATE_BLOCKED -> go(out, e, e.arg("new_g"), GoState.NOT_EXIST,
                        e.type() == TraceEventType.GO_CREATE ? GoState.RUNNABLE : GoState.WAITING, "", e.arg("stack"));
                case GO_CREATE_SYSCALL -> {
                    goroutineOfThread.put(m, e.arg("new_g"));
                    go(out, e, e.arg("new_g"), GoState.NOT_EXIST, GoState.SYSCALL, "", 0);
                }
                case GO_START -> {
                    goroutineOfThread.put(m, e.arg("g"));
                    go(out, e, e.arg("g"), GoState.RUNNABLE, GoState.RUNNING, "", 0);
                }
                case GO_STOP, GO_BLOCK -> {
                    goroutineOfThread.remove(m);
                    go(out, e, cur, GoState.RUNNING, e.type() == TraceEventType.GO_STOP ? GoState.RUNNABLE
                            : GoState.WAITING, g.string(e.arg("reason_string")), e.arg("stack"));
                }
                case GO_UNBLOCK -> go(out, e, e.arg("g"), GoState.WAITING, GoState.RUNNABLE, "", e.arg("stack"));
                case GO_DESTROY -> {
                    goroutineOfThread.remove(m);
                    go(out, e, cur, GoState.RUNNING, GoState.NOT_EXIST, "", 0);
                }
                case GO_DESTROY_SYSCALL -> {
                    goroutineOfThread.remove(m);
                    go(out, e, cur, GoState.SYSCALL, GoState.NOT_EXIST, "", 0);
                }
                case GO_SYSCALL_BEGIN -> go(out, e, cur, GoState.RUNNING, GoState.SYSCALL, "", e.arg("stack"));
                case GO_SYSCALL_END -> go(out, e, cur, GoState.SYSCALL, GoState.RUNNING, "", 0);
                case GO_SYSCALL_END_BLOCKED -> {
                    goroutineOfThread.remove(m);
                    go(out, e, cur, GoState.SYSCALL, GoState.RUNNABLE, "", 0);
                }
                case GO_SWITCH, GO_SWITCH_DESTROY -> {
                    goroutineOfThread.put(m, e.arg("g"));
                    go(out, e, cur, GoState.RUNNING, e.type() == TraceEventType.GO_SWITCH ? GoState.WAITING
                            : GoState.NOT_EXIST, "", 0);
                    go(out, e, e.arg("g"), GoState.WAITING, GoState.RUNNING, "", 0);
                }
                case PROC_STATUS -> {
                    long p = e.arg("p");
                    ProcState to = ProcState.of(e.arg("pstatus"));
                    if (to == ProcState.RUNNING) {
                        procOfThread.put(m, p);
                    }
                    proc(out, e, p, named ? ProcState.UNDETERMINED : procs.getOrDefault(p, ProcState.UNDETERMINED),
                            to);
                }
                case PROC_START -> {
                    procOfThread.put(m, e.arg("p"));
                    proc(out, e, e.arg("p"), ProcState.IDLE, ProcState.RUNNING);
                }
                case PROC_STOP -> {
                    Long p = procOfThread.remove(m);
                    proc(out, e, named ? curProc : p == null ? NONE : p, ProcState.RUNNING, ProcState.IDLE);
                }
                case PROC_STEAL -> {
                    procOfThread.remove(e.arg("m"), e.arg("p"));
                    proc(out, e, e.arg("p"), ProcState.RUNNING, ProcState.IDLE);
                }
                default -> {
                }
            }
        }
        return new TraceChanges(g, out, ranges, notes);
    }

    private void go(List<StateTransition> out, TraceEvent e, long id, GoState from, GoState to, String reason,
                    long stack) {
        if (to == GoState.NOT_EXIST) {
            goroutines.remove(id);
        } else {
            goroutines.put(id, to);
        }
        out.add(new StateTransition(e.time(), true, id, from.goName(), to.goName(), reason, stack, e));
    }

    private void proc(List<StateTransition> out, TraceEvent e, long id, ProcState from, ProcState to) {
        procs.put(id, to);
        out.add(new StateTransition(e.time(), false, id, from.goName(), to.goName(), "", 0, e));
    }
}
