package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.util.LongObjectMap;

/**
 * Which P and which goroutine each thread (M) holds, followed through the state transitions as
 * Go's reader keeps an event's context: the P and goroutine an event "happened on"
 * (Go's {@code Event.Proc()} and {@code Event.Goroutine()}), for the analyses that need them.
 */
final class ThreadContexts {
    static final long NONE = -1;

    // asked for every event: primitive keys, so that a thread id is not boxed per lookup
    private final LongObjectMap<Long> procOfThread = new LongObjectMap<>();
    private final LongObjectMap<Long> goroutineOfThread = new LongObjectMap<>();

    /** The P the event's thread holds before the event, or {@link #NONE}. */
    long proc(TraceEvent e) {
        if (e.hasContext()) {
            return e.contextProc(); // an old-format event names its P
        }
        Long p = procOfThread.get(e.thread());
        return p != null ? p : NONE;
    }

    /** The goroutine the event's thread runs before the event, or {@link #NONE}. */
    long goroutine(TraceEvent e) {
        if (e.hasContext()) {
            return e.contextGoroutine();
        }
        Long g = goroutineOfThread.get(e.thread());
        return g != null ? g : NONE;
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
                removeIf(goroutineOfThread, thread, t.id());
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
            case PROC_STEAL -> removeIf(procOfThread, e.arg("m"), t.id());
            default -> {
            }
        }
    }

    /** Removes {@code key} when it maps to {@code value} (Map.remove(key, value)). */
    private static void removeIf(LongObjectMap<Long> map, long key, long value) {
        Long v = map.get(key);
        if (v != null && v == value) {
            map.remove(key);
        }
    }
}
