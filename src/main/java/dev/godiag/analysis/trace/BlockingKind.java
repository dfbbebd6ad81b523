package dev.godiag.analysis.trace;

import dev.godiag.model.trace.TraceEventType;

/**
 * The four pprof-like profiles {@code go tool trace -pprof=KIND} computes from a trace: which state
 * a goroutine's time is counted in and for which block reasons (Go's cmd/trace/pprof.go).
 */
public enum BlockingKind {
    /** Waiting on the network poller (block reason "network"): Go's IO profile. */
    NET("net", "Waiting", "waiting on the network"),
    /** Waiting on channels, select and sync primitives (reasons containing chan, sync or select). */
    SYNC("sync", "Waiting", "blocked on synchronization"),
    /** In a system call, any reason. */
    SYSCALL("syscall", "Syscall", "in system calls"),
    /** Runnable, waiting for a P (scheduler latency), any reason. */
    SCHED("sched", "Runnable", "waiting to be scheduled");

    private final String flag;
    private final String state;
    private final String meaning;

    BlockingKind(String flag, String state, String meaning) {
        this.flag = flag;
        this.state = state;
        this.meaning = meaning;
    }

    /** The name {@code go tool trace -pprof=} takes. */
    public String flag() {
        return flag;
    }

    /** Go's name of the goroutine state whose time this profile counts. */
    public String state() {
        return state;
    }

    /** What a goroutine counted here was doing, for reports. */
    public String meaning() {
        return meaning;
    }

    /** Whether a transition into {@code to} for {@code reason} starts a wait of this kind, as Go decides. */
    public boolean starts(String to, String reason) {
        if (!state.equals(to)) {
            return false;
        }
        return switch (this) {
            case NET -> reason.equals("network");
            case SYNC -> reason.contains("chan") || reason.contains("sync") || reason.contains("select");
            case SYSCALL, SCHED -> true;
        };
    }

    /**
     * Whether a transition starts a wait of this kind in an old-format trace (Go 1.11-1.21), as the
     * cmd/trace of those Go versions decides from their own events: blocks on channels, select,
     * sync and the GC (its EvGoBlockGC) for sync; only a creation or an unblock (not a preemption or
     * a yield) for sched; for syscall every syscall starts one, and only those that blocked count
     * ({@link #countsOldFormat}).
     */
    public boolean startsOldFormat(String to, String reason, TraceEventType event) {
        if (!state.equals(to)) {
            return false;
        }
        return switch (this) {
            case NET -> reason.equals("network");
            case SYNC -> OLD_SYNC_REASONS.contains(reason);
            case SYSCALL -> true;
            case SCHED -> event == TraceEventType.GO_UNBLOCK || event == TraceEventType.GO_CREATE;
        };
    }

    /**
     * Whether an old-format wait ending in state {@code to} counts: a syscall only when it blocked
     * (it ends runnable, having lost its P; Go 1.19 links only those), every other wait always.
     */
    public boolean countsOldFormat(String to) {
        return this != SYSCALL || to.equals("Runnable");
    }

    /** The block reasons Go 1.19's sync profile takes (EvGoBlockSend, Recv, Select, Sync, Cond, GC). */
    private static final java.util.Set<String> OLD_SYNC_REASONS = java.util.Set.of("chan send", "chan receive",
            "select", "sync", "sync.(*Cond).Wait", "GC mark assist wait for work");

    /** The kind named by {@code go tool trace}'s flag value, if any. */
    public static java.util.Optional<BlockingKind> ofFlag(String flag) {
        for (BlockingKind k : values()) {
            if (k.flag.equals(flag)) {
                return java.util.Optional.of(k);
            }
        }
        return java.util.Optional.empty();
    }
}
