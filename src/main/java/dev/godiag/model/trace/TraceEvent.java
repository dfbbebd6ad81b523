package dev.godiag.model.trace;

/**
 * One timed event as written: its type, its time in nanoseconds (Go's clock: the batch's
 * timestamp and the deltas, each scaled by the generation's frequency as Go scales them), the
 * thread (M) whose batch held it, and its arguments in the order of {@link TraceEventType#args()}.
 * The goroutine and P an event applies to come from the scheduler state, not from the event,
 * except for events converted from an old-format trace (Go 1.11-1.21): there Go's reader gives
 * each event its goroutine and P directly (the thread does not determine them), and so do these
 * events, as two values after the arguments ({@link #hasContext()}).
 */
public record TraceEvent(TraceEventType type, long time, long thread, long[] args) {
    /** The named argument ({@code "g"}, {@code "reason_string"}, ...). */
    public long arg(String name) {
        int i = type.argIndex(name);
        if (i < 0) {
            throw new IllegalArgumentException(type.goName() + " has no argument " + name);
        }
        return args[i];
    }

    /** An event that names the goroutine and P it happened on (-1: none), as converted old-format events do. */
    public static TraceEvent withContext(TraceEventType type, long time, long thread, long[] args, long goroutine,
                                         long proc) {
        long[] all = java.util.Arrays.copyOf(args, type.args().size() + 2);
        all[all.length - 2] = goroutine;
        all[all.length - 1] = proc;
        return new TraceEvent(type, time, thread, all);
    }

    /** True when the event names its goroutine and P ({@link #withContext}); else the thread's state decides. */
    public boolean hasContext() {
        return args.length == type.args().size() + 2;
    }

    /** The goroutine the event happened on (-1: none); only when {@link #hasContext()}. */
    public long contextGoroutine() {
        return args[args.length - 2];
    }

    /** The P the event happened on (-1: none); only when {@link #hasContext()}. */
    public long contextProc() {
        return args[args.length - 1];
    }
}
