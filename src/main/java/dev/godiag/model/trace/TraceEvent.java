package dev.godiag.model.trace;

/**
 * One timed event as written: its type, its time in nanoseconds (Go's clock: the batch's
 * timestamp and the deltas, each scaled by the generation's frequency as Go scales them), the
 * thread (M) whose batch held it, and its arguments in the order of {@link TraceEventType#args()}.
 * The goroutine and P an event applies to come from the scheduler state, not from the event.
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
}
