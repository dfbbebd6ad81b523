package dev.godiag.model;

import java.util.List;
import java.util.Map;

/**
 * A goroutine from a dump, or a group of identical ones (goroutine profiles and debug=1 text list
 * each distinct stack once, with its count and no state).
 *
 * @param id              the goroutine id; -1 for a group from a profile
 * @param count           how many goroutines this stands for (1 in a dump)
 * @param state           the runtime's wait reason or status as printed ("chan receive (nil chan)",
 *                        "IO wait", "running", "sync.Mutex.Lock"), without the minutes, the
 *                        thread lock and the markers below; "" when the source has none (profiles)
 * @param waitMinutes     the "N minutes" of the header; 0 when not printed (under a minute), -1
 *                        when the source cannot say (profiles)
 * @param lockedToThread  "locked to thread" was printed
 * @param leaked          the runtime marked it "(leaked)" (Go 1.26+ leak detection, or a
 *                        goroutineleak profile)
 * @param markers         other markers the runtime printed in the header, as printed without the
 *                        parentheses: "scan", "durable" (also when part of the wait reason, as in
 *                        "chan receive (durable)"), "synctest bubble 3"; empty when none
 * @param frames          the stack, leaf first (empty when the stack was unavailable)
 * @param elidedFrames    frames the runtime left out ("...N frames elided..."; -1: some, count
 *                        not printed)
 * @param createdBy       the go statement's function and location, or null (main, runtime-started)
 * @param creatorId       the goroutine that ran the go statement ("in goroutine N", Go 1.21+), or -1
 * @param ancestors       the "[originating from goroutine N]" stacks (GODEBUG=tracebackancestors),
 *                        nearest first
 * @param labels          pprof labels, in printed order; empty when none
 * @param stackUnavailable "goroutine running on other thread; stack unavailable"
 * @param sourceLine      the 1-based line of the header in the input; 0 for profiles
 */
public record Goroutine(long id, long count, String state, int waitMinutes, boolean lockedToThread, boolean leaked,
                        List<String> markers, List<StackFrame> frames, int elidedFrames, StackFrame createdBy,
                        long creatorId, List<Ancestor> ancestors, Map<String, String> labels,
                        boolean stackUnavailable, long sourceLine) {
    /**
     * A stack the goroutine descends from, as GODEBUG=tracebackancestors prints it.
     *
     * @param id           the ancestor goroutine
     * @param frames       its stack when it ran the go statement, leaf first
     * @param elidedFrames -1 when "...additional frames elided..." followed the frames, else 0
     * @param createdBy    the go statement that created the ancestor, or null (main goroutine)
     */
    public record Ancestor(long id, List<StackFrame> frames, int elidedFrames, StackFrame createdBy) {
    }
}
