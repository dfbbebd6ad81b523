package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;

import java.util.HashMap;
import java.util.Map;

/**
 * Which P and which goroutine each thread (M) holds, followed through the state transitions as
 * Go's reader keeps an event's context: the P and goroutine an event "happened on"
 * (Go's {@code Event.Proc()} and {@code Event.Goroutine()}), for the analyses that need them.
 */
final class ThreadContexts {
    static final long NONE = -1;

    private final Map<Long, Long> procOfThread = new HashMap<>();
    private final Map<Long, Long> goroutineOfThread = new HashMap<>();

    /** The P the event's thread holds before the event, or {@link #NONE}. */
    long proc(TraceEvent e) {
        if (e.hasContext()) {
            return e.contextProc(); // an old-format event names its P
        }
        return procOfThread.getOrDefault(e.thread(), NONE);
    }

    /** The goroutine the event's thread runs before the event, or {@link #NONE}. */
    long goroutine(TraceEvent e) {
        if (e.hasContext()) {
            return e.contextGoroutine();
        }
        return goroutineOfThread.getOrDefault(e.thread(), NONE);
    }

    /** Follows one transition (call after reading the context of its event). */
    void apply(StateTransition t) {
        TraceEvent e = t.event();
        if (t.goroutine()) {
            boolean status = e.type() == TraceEventType.GO_STATUS || e.type() == TraceEventType.GO_STATUS_STACK;
            long thread = status ? e.arg("m") : e.thread();
            if (t.to().equals("Running") || t.to().equals("Syscall")) {
                goroutineOfThread.put(thread, t.id());
            } else if (!status) {
                goroutineOfThread.remove(thread, t.id());
            }
            return;
        }
        switch (e.type()) {
            case PROC_START, PROC_STATUS -> {
                if (t.to().equals("Running")) {
                    procOfThread.put(e.thread(), t.id());
                }
            }
            case PROC_STOP -> procOfThread.remove(e.thread());
            case PROC_STEAL -> procOfThread.remove(e.arg("m"), t.id());
            default -> {
            }
        }
    }
}
