package dev.godiag.model.trace;

/**
 * A goroutine or P changing state, as Go's reader names it ({@code NotExist->Runnable} for a
 * GoCreate, {@code Running->Waiting} with the block reason for a GoBlock, ...).
 *
 * @param goroutine true for a goroutine (id = goroutine id), false for a P (id = P id)
 * @param reason    the GoStop/GoBlock reason string, else empty
 * @param stack     the stack id (in the event's generation) Go's reader gives the transition, its
 *                  {@code TransitionStack}: the new goroutine's start for a creation, where the goroutine
 *                  stopped, blocked or entered a syscall, a GoStatusStack's stack; 0 for none (a
 *                  GoUnblock's own stack, the unblocker's, is the event's)
 * @param event     the event that made the change
 */
public record StateTransition(long time, boolean goroutine, long id, String from, String to, String reason,
                              long stack, TraceEvent event) {
    /**
     * The stack id of the event itself, Go's {@code Event.Stack()}: the creator's for a GoCreate, the
     * unblocker's for a GoUnblock, where it blocked for a GoBlock; 0 when the event has none.
     */
    public long eventStack() {
        int i = event.type().stackArg();
        return i < 0 ? 0 : event.args()[i];
    }
}
