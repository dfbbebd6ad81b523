package dev.godiag.analysis.goroutine;

import dev.godiag.model.StackFrame;
import dev.godiag.util.GoSymbols;

import java.util.List;
import java.util.Set;

/**
 * Says of a bucket of goroutines whether it is a leak, and why, in words an engineer can act on.
 *
 * <ul>
 * <li><b>definite leak</b>: nothing can ever wake it: a receive or send on a nil channel, a
 * {@code select {}} with no cases, or the runtime's own leak detection marked it "(leaked)"
 * (Go 1.26+ GC-based detection, goroutineleak profiles).</li>
 * <li><b>likely leak</b>: blocked on a channel, select or sync primitive, in the service's own code
 * or created by it, and either growing across snapshots, or waiting for minutes, or many identical
 * goroutines blocked at the same line.</li>
 * <li><b>benign</b>: goroutines every Go program has: the main goroutine serving, accept loops,
 * connections waiting for the next request, signal handling, the runtime's GC and timer workers,
 * the test runner, the goroutine writing the dump, and idle worker pools (many alike waiting for
 * input, started together: one creator and nearly consecutive goroutine ids).</li>
 * <li><b>unknown</b>: the rest (a running goroutine, a short wait with no growth, many alike whose
 * number stays the same across three snapshots or more).</li>
 * </ul>
 */
public final class GoroutineVerdicts {
    private GoroutineVerdicts() {
    }

    public enum Verdict {
        DEFINITE_LEAK("definite-leak"), LIKELY_LEAK("likely-leak"), UNKNOWN("unknown"), BENIGN("benign");

        private final String id;

        Verdict(String id) {
            this.id = id;
        }

        /** The JSON and CLI spelling. */
        public String id() {
            return id;
        }
    }

    /**
     * A verdict with its reason.
     *
     * @param blockedAt where the goroutines wait (first frame in own code, else the leaf)
     * @param createdAt the go statement that started them, or null
     */
    public record Assessment(Verdict verdict, String reason, StackFrame blockedAt, StackFrame createdAt) {
    }

    /** Thresholds of "likely". */
    public record Thresholds(int manyIdentical, int longWaitMinutes) {
        public static final Thresholds DEFAULT = new Thresholds(10, 5);
    }

    /** States in which a goroutine waits for another goroutine to do something. */
    private static final Set<String> BLOCKING = Set.of("chan receive", "chan send", "select", "semacquire",
            "sync.Mutex.Lock", "sync.RWMutex.Lock", "sync.RWMutex.RLock", "sync.WaitGroup.Wait", "sync.Cond.Wait",
            "chan receive (synctest)", "chan send (synctest)", "select (synctest)", "sync.WaitGroup.Wait (synctest)",
            "sync.Cond.Wait (synctest)");

    /**
     * @param counts the bucket's counts per snapshot in time order (one element with one snapshot)
     */
    public static Assessment assess(GoroutineBuckets.Bucket b, long[] counts, Thresholds t) {
        StackFrame at = b.focusFrame();
        StackFrame created = b.createdBy();
        // profiles record no state: the runtime function a goroutine parks in says what it waits for
        String state = b.state().isEmpty() ? stateFromStack(b.frames()) : b.state();
        String stateText = b.state().isEmpty() && !state.isEmpty() ? "'" + state + "' (from the stack)"
                : describe(state);
        String where = at == null ? "" : " at " + at.function() + " (" + at.location() + ")";
        String origin = created == null ? "" : ", started by " + created.function() + " (" + created.location() + ")";

        if (state.startsWith("chan receive (nil chan)") || state.startsWith("chan send (nil chan)")) {
            boolean send = state.startsWith("chan send");
            return new Assessment(Verdict.DEFINITE_LEAK, (send ? "sends on" : "receives from")
                    + " a nil channel" + where + ": that never completes, the goroutine can never exit" + origin
                    + ". Make the channel before starting the goroutine, or select on a context's Done.", at, created);
        }
        if (state.startsWith("select (no cases)")) {
            return new Assessment(Verdict.DEFINITE_LEAK, "blocks forever in select {}" + where
                    + ": an empty select never returns" + origin
                    + ". Wait on a context's Done channel or a quit channel instead.", at, created);
        }
        if (b.leaked() > 0) {
            return new Assessment(Verdict.DEFINITE_LEAK, "the Go runtime's leak detection found "
                    + (b.leaked() == b.count() ? "them" : b.leaked() + " of " + b.count())
                    + " unreachable: blocked in " + stateText + where + " on something no running goroutine"
                    + " can reach, so nothing can ever wake them" + origin + ".", at, created);
        }
        String benign = benignReason(b, state);
        if (benign != null) {
            return new Assessment(Verdict.BENIGN, benign, at, created);
        }
        boolean blocking = isBlocking(state);
        boolean ours = b.kind() == GoroutineBuckets.StackKind.OWN || created != null
                && GoSymbols.kindOf(GoSymbols.packageOf(created.function())) == GoSymbols.Kind.OWN;
        boolean busy = state.equals("running") || state.equals("runnable");
        if (ours && !busy && onlyGrows(counts)) {
            // growth needs no state: the same parked stack piling up over time is the leak's signature
            return new Assessment(Verdict.LIKELY_LEAK, "only grows (" + join(counts) + " across the snapshots):"
                    + (state.isEmpty() ? " parked" : " blocked in " + stateText) + where + origin
                    + ". Something that should wake or stop them (a close, a send, a Done, an Unlock, a"
                    + " timeout) never happens.", at, created);
        }
        if (blocking && ours) {
            if (b.maxWait() >= t.longWaitMinutes()) {
                return new Assessment(Verdict.LIKELY_LEAK, b.count() + " blocked in " + stateText + where
                        + " for " + b.minWait() + (b.minWait() == b.maxWait() ? "" : "-" + b.maxWait())
                        + " minutes" + origin + ".", at, created);
            }
            if (b.count() >= t.manyIdentical() && steady(counts)) {
                // the same number in three snapshots or more while the service worked: a fixed set of
                // goroutines (a pool), not one per request
                return new Assessment(Verdict.UNKNOWN, b.count() + " alike in " + stateText + where + origin
                        + ", steady at " + b.count() + " across " + counts.length + " snapshots: a fixed set"
                        + " (a pool), not one per request.", at, created);
            }
            if (b.count() >= t.manyIdentical()) {
                boolean waitingForWork = state.startsWith("chan receive") || state.startsWith("select");
                if (waitingForWork && startedTogether(b)) {
                    // started in one go by one goroutine, and they wait for input: a worker pool idling
                    return new Assessment(Verdict.BENIGN, b.count() + " goroutines started together ("
                            + (b.creatorCount() == 1 ? "by goroutine " + b.creators().get(0) + ", " : "")
                            + b.idRuns() + " run" + (b.idRuns() == 1 ? "" : "s")
                            + " of consecutive ids) waiting for work in " + stateText + where
                            + ": an idle worker pool.", at, created);
                }
                String creators = b.creatorCount() > 1 ? ", started by " + b.creatorCount() + " different goroutines"
                        : b.idRuns() == 0 ? " (the input has no goroutine ids: if one goroutine started them"
                        + " together as a worker pool, this is expected)"
                        : ", started one at a time" + (b.creatorCount() == 1 ? " by goroutine " + b.creators().get(0)
                        : "") + " (their ids are scattered among other goroutines', not a pool started at once)";
                return new Assessment(Verdict.LIKELY_LEAK, b.count() + " identical goroutines blocked in "
                        + stateText + where + origin + creators + ". That many goroutines waiting at one line"
                        + " usually means each request starts one that nothing ends: give it a way out (a"
                        + " context, a buffered channel, a timeout).", at, created);
            }
        }
        String hint = !state.isEmpty() ? "" : b.count() >= t.manyIdentical() && ours
                ? "; " + b.count() + " alike in the service's code: take a debug=2 dump (it has states and wait"
                + " times) or several snapshots to see whether they leak" : "";
        return new Assessment(Verdict.UNKNOWN, (state.isEmpty() ? "state not recorded" : stateText) + where
                + origin + (blocking && !ours ? "; waits in library code" : "") + hint + ".", at, created);
    }

    /** What the runtime would print for a goroutine parked in these frames (leaf first); "" if unclear. */
    public static String stateFromStack(List<StackFrame> frames) {
        for (StackFrame f : frames) {
            String fn = f.function();
            String state = switch (fn) {
                case "runtime.block" -> "select (no cases)";
                case "runtime.selectgo" -> "select";
                case "runtime.chanrecv", "runtime.chanrecv1", "runtime.chanrecv2" -> "chan receive";
                case "runtime.chansend", "runtime.chansend1" -> "chan send";
                case "sync.runtime_SemacquireWaitGroup", "sync.(*WaitGroup).Wait" -> "sync.WaitGroup.Wait";
                case "sync.runtime_SemacquireMutex", "internal/sync.runtime_SemacquireMutex", "sync.(*Mutex).Lock",
                     "internal/sync.(*Mutex).Lock" -> "sync.Mutex.Lock";
                case "sync.runtime_SemacquireRWMutex", "sync.(*RWMutex).Lock" -> "sync.RWMutex.Lock";
                case "sync.runtime_SemacquireRWMutexR", "sync.(*RWMutex).RLock" -> "sync.RWMutex.RLock";
                case "sync.runtime_notifyListWait", "sync.(*Cond).Wait" -> "sync.Cond.Wait";
                case "sync.runtime_Semacquire" -> "semacquire";
                case "internal/poll.runtime_pollWait", "runtime.netpollblock" -> "IO wait";
                case "time.Sleep" -> "sleep";
                case "os/signal.signal_recv" -> "signal";
                case "runtime/pprof.writeGoroutineStacks", "runtime/pprof.writeRuntimeProfile" -> "running";
                default -> null;
            };
            if (state != null) {
                return state;
            }
        }
        return "";
    }

    /**
     * Evidence of a pool: goroutines one goroutine started in one loop (one creator, or the dump does
     * not say) have nearly consecutive ids, as the runtime hands out ids in batches per P; goroutines
     * started one per request or message are spread among the ids of everything started in between.
     * Without ids (profiles) there is no evidence.
     */
    static boolean startedTogether(GoroutineBuckets.Bucket b) {
        return b.creatorCount() <= 1 && b.idRuns() > 0 && b.idRuns() <= 1 + b.count() / IDS_PER_BATCH;
    }

    /** Goroutine ids a P takes at a time (runtime's _GoidCacheBatch): a loop's ids jump at most once per batch. */
    private static final int IDS_PER_BATCH = 16;

    static boolean isBlocking(String state) {
        return BLOCKING.contains(state) || state.startsWith("semacquire") || state.startsWith("sync.");
    }

    /** The same non-zero count in three snapshots or more. */
    static boolean steady(long[] counts) {
        if (counts.length < 3 || counts[0] == 0) {
            return false;
        }
        for (long c : counts) {
            if (c != counts[0]) {
                return false;
            }
        }
        return true;
    }

    /** Sustained growth: rises from one snapshot to the next at least twice and never falls. */
    public static boolean onlyGrows(long[] counts) {
        int rises = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] < counts[i - 1]) {
                return false;
            }
            rises += counts[i] > counts[i - 1] ? 1 : 0;
        }
        return rises >= 2;
    }

    private static String describe(String state) {
        return state.isEmpty() ? "an unknown state" : "'" + state + "'";
    }

    private static String join(long[] counts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            sb.append(i == 0 ? "" : " → ").append(counts[i]);
        }
        return sb.toString();
    }

    /** Why goroutines like these are part of a healthy program, or null. */
    private static String benignReason(GoroutineBuckets.Bucket b, String state) {
        List<StackFrame> frames = b.frames();
        if (has(frames, "runtime/pprof.writeGoroutine") || has(frames, "runtime/pprof.writeRuntimeProfile")
                || has(frames, "runtime/pprof.writeGoroutineStacks") || has(frames, "runtime.Stack")
                || has(frames, "runtime/debug.Stack")) {
            return "the goroutine that wrote this dump.";
        }
        if (has(frames, "net.(*TCPListener).Accept") || has(frames, "net.(*UnixListener).Accept")
                || has(frames, "net/http.(*Server).Serve")) {
            return "an accept loop waiting for connections (net/http.(*Server).Serve or a listener's Accept).";
        }
        if (has(frames, "net/http.(*conn).serve") && state.equals("IO wait")) {
            return "an idle keep-alive connection waiting for its next request; it ends when the client"
                    + " closes or the server's IdleTimeout/ReadTimeout expires.";
        }
        if (has(frames, "net/http.(*connReader).backgroundRead")) {
            return "an HTTP server connection's background read while its request is being handled.";
        }
        if (has(frames, "net/http.(*persistConn).readLoop") || has(frames, "net/http.(*persistConn).writeLoop")) {
            return "an HTTP client connection kept in the idle pool; it ends with the connection (see"
                    + " Transport.IdleConnTimeout).";
        }
        if (has(frames, "os/signal.signal_recv") || has(frames, "os/signal.loop")) {
            return "the os/signal handler loop.";
        }
        if (has(frames, "testing.tRunner") && (has(frames, "testing.(*T).Run") || has(frames, "testing.runTests"))
                || has(frames, "testing.(*M).Run") || has(frames, "testing.runTests")) {
            return "the test runner waiting for tests to finish.";
        }
        for (String f : List.of("runtime.gcBgMarkWorker", "runtime.bgsweep", "runtime.bgscavenge",
                "runtime.forcegchelper", "runtime.runfinq", "runtime.runCleanups", "runtime.timerproc",
                "runtime.unique_runtime_registerUniqueMapCleanup", "runtime.ensureSigM", "runtime.main")) {
            if (has(frames, f) && !has(frames, "main.main")) {
                return "a runtime worker (" + f.substring("runtime.".length()) + ") every Go program has.";
            }
        }
        if (!frames.isEmpty() && frames.get(frames.size() - 1).function().equals("main.main")
                && b.count() == 1) {
            return "the main goroutine" + (state.isEmpty() ? "" : ", in '" + state + "'") + ".";
        }
        return null;
    }

    private static boolean has(List<StackFrame> frames, String function) {
        for (StackFrame f : frames) {
            if (f.function().equals(function)) {
                return true;
            }
        }
        return false;
    }
}
