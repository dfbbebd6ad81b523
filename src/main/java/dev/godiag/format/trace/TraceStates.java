package dev.godiag.format.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns events into state transitions of goroutines and Ps, generation after generation (keep one
 * per read: it remembers states across generations). An event that acts on "the current goroutine"
 * (GoBlock, GoStop, GoSyscallBegin, GoDestroy...) or "the current P" (ProcStop) applies to the one
 * its thread (M) last started, as the runtime writes them. Events are taken in the generation's
 * order, without Go's sequence-number checks. On an ordinary trace (the corpus's) every transition
 * and its time equal {@code go tool trace}'s; Go's own edge-case traces (Ps stolen from syscalls,
 * ProcStatus Syscall/SyscallAbandoned, events whose clocks contradict their sequence numbers,
 * statuses first seen after the first generation) still differ: that needs Go's ordering state machine.
 */
public final class TraceStates {
    private static final long NONE = -1;
    private final Map<Long, GoState> goroutines = new HashMap<>();
    private final Map<Long, ProcState> procs = new HashMap<>();
    private final Map<Long, Long> goroutineOfThread = new HashMap<>();
    private final Map<Long, Long> procOfThread = new HashMap<>();

    /** The transitions of this generation's events, in event order. */
    public List<StateTransition> transitions(TraceGeneration g) {
        List<StateTransition> out = new ArrayList<>();
        for (TraceEvent e : g.events()) {
            long m = e.thread();
            long cur = goroutineOfThread.getOrDefault(m, NONE);
            switch (e.type()) {
                case GO_STATUS, GO_STATUS_STACK -> {
                    long id = e.arg("g");
                    GoState to = GoState.of(e.arg("gstatus"));
                    if (to == GoState.RUNNING || to == GoState.SYSCALL) {
                        goroutineOfThread.put(e.arg("m"), id);
                    }
                    go(out, e, id, goroutines.getOrDefault(id, GoState.UNDETERMINED), to, "",
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
                    proc(out, e, p, procs.getOrDefault(p, ProcState.UNDETERMINED), to);
                }
                case PROC_START -> {
                    procOfThread.put(m, e.arg("p"));
                    proc(out, e, e.arg("p"), ProcState.IDLE, ProcState.RUNNING);
                }
                case PROC_STOP -> {
                    Long p = procOfThread.remove(m);
                    proc(out, e, p == null ? NONE : p, ProcState.RUNNING, ProcState.IDLE);
                }
                case PROC_STEAL -> {
                    procOfThread.remove(e.arg("m"), e.arg("p"));
                    proc(out, e, e.arg("p"), ProcState.RUNNING, ProcState.IDLE);
                }
                default -> {
                }
            }
        }
        return out;
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
