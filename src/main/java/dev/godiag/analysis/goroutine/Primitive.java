package dev.godiag.analysis.goroutine;

import dev.godiag.model.StackFrame;

import java.util.List;
import java.util.Locale;

/**
 * What a parked goroutine waits on, named from its stack (the runtime and sync frames it parks in)
 * rather than from the wait-reason string, which differs between Go versions ("semacquire" in Go
 * 1.19 is "sync.Mutex.Lock", "sync.RWMutex.RLock" or "sync.WaitGroup.Wait" in later ones). Each
 * has the knowledge card that explains its leaks.
 */
public enum Primitive {
    NIL_CHANNEL("nil channel", "goroutines.leak.nil-channel"),
    EMPTY_SELECT("empty select", "goroutines.leak.empty-select"),
    CHAN_SEND("channel send", "goroutines.leak.chan-send"),
    CHAN_RECEIVE("channel receive", "goroutines.leak.chan-receive"),
    SELECT("select", "goroutines.leak.select"),
    CONTEXT("context", "goroutines.context-leak"),
    TICKER("ticker or timer", "goroutines.leak.ticker"),
    MUTEX("sync.Mutex", "goroutines.leak.mutex"),
    RWMUTEX("sync.RWMutex", "goroutines.leak.rwmutex"),
    WAITGROUP("sync.WaitGroup", "goroutines.leak.waitgroup"),
    COND("sync.Cond", "goroutines.leak.cond"),
    /** not parked on a primitive the stack names (IO wait, a runtime state, a profile without one) */
    OTHER("", "goroutines.leak");

    private final String label;
    private final String card;

    Primitive(String label, String card) {
        this.label = label;
        this.card = card;
    }

    /** "sync.RWMutex", "channel send"; "" for OTHER. */
    public String label() {
        return label;
    }

    /** The knowledge card explaining a leak on this primitive. */
    public String card() {
        return card;
    }

    /** The JSON spelling: "rwmutex", "chan-send". */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether goroutines waiting on it wait for another goroutine to give up a lock. */
    public boolean isLock() {
        return this == MUTEX || this == RWMUTEX;
    }

    /**
     * The primitive of a stack (leaf first) in a state ("" when the input records none, as profiles):
     * the sync frames first (a Cond's Wait or an RWMutex's Lock show the type even where the state says
     * "semacquire"), then the channel operation, then time.
     */
    public static Primitive of(List<StackFrame> frames, String state) {
        String s = state.isEmpty() ? GoroutineVerdicts.stateFromStack(frames) : state;
        if (s.startsWith("chan receive (nil chan)") || s.startsWith("chan send (nil chan)")) {
            return NIL_CHANNEL;
        }
        if (s.startsWith("select (no cases)")) {
            return EMPTY_SELECT;
        }
        for (StackFrame f : frames) {
            String fn = f.function();
            if (fn.startsWith("sync.(*RWMutex).") || fn.startsWith("sync.runtime_SemacquireRWMutex")) {
                return RWMUTEX;
            }
            if (fn.startsWith("sync.(*WaitGroup).") || fn.equals("sync.runtime_SemacquireWaitGroup")) {
                return WAITGROUP;
            }
            if (fn.startsWith("sync.(*Cond).") || fn.equals("sync.runtime_notifyListWait")) {
                return COND;
            }
        }
        for (StackFrame f : frames) {
            String fn = f.function();
            if (fn.startsWith("sync.(*Mutex).") || fn.startsWith("internal/sync.(*Mutex).")) {
                return MUTEX;
            }
            if (fn.equals("time.Sleep") || fn.startsWith("time.(*Ticker).") || fn.startsWith("time.(*Timer).")) {
                return TICKER;
            }
        }
        if (s.startsWith("chan send")) {
            return CHAN_SEND;
        }
        if (s.startsWith("chan receive")) {
            return CHAN_RECEIVE;
        }
        if (s.startsWith("select")) {
            return SELECT;
        }
        if (s.startsWith("sleep")) {
            return TICKER;
        }
        if (s.startsWith("sync.Mutex") || s.startsWith("semacquire")) {
            return MUTEX;
        }
        return OTHER;
    }

    /**
     * For an RWMutex waiter: whether it holds the writer slot and waits for the readers to leave (its
     * Lock is past the inner Mutex), as opposed to queueing on that Mutex or waiting in RLock.
     */
    static boolean holdsWriterSlot(List<StackFrame> frames) {
        for (StackFrame f : frames) {
            String fn = f.function();
            if (fn.equals("sync.(*RWMutex).Lock")) {
                return true;
            }
            if (fn.contains("(*Mutex).") || fn.startsWith("sync.(*RWMutex).RLock")
                    || fn.equals("sync.runtime_SemacquireRWMutexR")) {
                return false;
            }
        }
        return false;
    }

    /** For an RWMutex waiter: whether it waits in RLock. */
    static boolean isReader(List<StackFrame> frames) {
        for (StackFrame f : frames) {
            if (f.function().equals("sync.(*RWMutex).RLock") || f.function().equals("sync.runtime_SemacquireRWMutexR")) {
                return true;
            }
        }
        return false;
    }
}
