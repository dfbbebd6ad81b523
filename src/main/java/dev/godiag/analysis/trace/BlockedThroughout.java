package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.util.GoSymbols;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The goroutines that waited from the start of the trace (or from their creation in it) to its end
 * and were never woken: the trace's view of a goroutine leak. They are grouped by wait reason and
 * the frames of the stack they blocked at, keyed by the frames (stack ids are per generation).
 *
 * <p>A goroutine already blocked when the trace starts is first seen in the first generation's
 * GoStatus (Go 1.23 and later give its stack with GoStatusStack; Go gives no wait reason for it).
 * Every later generation states it again (Waiting to Waiting), which changes nothing here. Per
 * goroutine only a few numbers are kept, and one interned copy of each distinct blocking stack.
 * The runtime's own goroutines (whose stacks hold only runtime frames) are left out, as goroutine
 * reports leave them out.
 */
public final class BlockedThroughout implements TraceConsumer {
    private static final String WAITING = "Waiting";
    private static final String NOT_EXIST = "NotExist";
    private static final String UNDETERMINED = "Undetermined";

    /** One goroutine that is blocked now and has not been woken since the trace first saw it blocked. */
    private static final class Blocked {
        final long since;
        final boolean beforeTrace;
        String reason;
        int stack;

        Blocked(long since, boolean beforeTrace, String reason, int stack) {
            this.since = since;
            this.beforeTrace = beforeTrace;
            this.reason = reason;
            this.stack = stack;
        }
    }

    private final Map<List<TraceFrame>, Integer> stackIds = new HashMap<>();
    private final List<List<TraceFrame>> stacks = new ArrayList<>(List.of(List.of()));
    private final Map<Long, Blocked> blocked = new HashMap<>();
    /** Goroutines seen running (or runnable) at some time: a later block is not "from creation". */
    private final Set<Long> createdInTrace = new HashSet<>();
    private long firstGeneration = -1;
    private long start = -1;
    private long end = -1;

    @Override
    public void accept(TraceChanges c) {
        if (firstGeneration < 0) {
            firstGeneration = c.generation().number();
        }
        List<TraceEvent> events = c.generation().events();
        if (!events.isEmpty()) {
            if (start < 0) {
                start = events.get(0).time();
            }
            end = Math.max(end, events.get(events.size() - 1).time());
        }
        boolean first = c.generation().number() == firstGeneration;
        for (StateTransition t : c.transitions()) {
            if (t.goroutine()) {
                apply(c, t, first);
            }
        }
    }

    private void apply(TraceChanges c, StateTransition t, boolean firstGeneration) {
        long id = t.id();
        if (WAITING.equals(t.to())) {
            if (WAITING.equals(t.from())) {
                Blocked b = blocked.get(id);
                if (b != null && b.stack == 0 && t.stack() != 0) {
                    b.stack = intern(c, t.stack()); // a later status with the stack its first lacked
                }
                return;
            }
            if (UNDETERMINED.equals(t.from())) {
                // first seen blocked: throughout the trace only if seen so at its start
                if (firstGeneration) {
                    blocked.put(id, new Blocked(t.time(), true, t.reason(), intern(c, t.stack())));
                }
                return;
            }
            // a block while the trace runs: from creation to the end if it is the goroutine's first
            if (createdInTrace.remove(id) || NOT_EXIST.equals(t.from())) {
                blocked.put(id, new Blocked(t.time(), false, t.reason(), intern(c, t.stack())));
            }
            return;
        }
        blocked.remove(id); // woken, ended or otherwise no longer waiting: it was not blocked throughout
        if (NOT_EXIST.equals(t.from())) {
            createdInTrace.add(id);
        } else if (NOT_EXIST.equals(t.to())) {
            createdInTrace.remove(id);
        }
    }

    private int intern(TraceChanges c, long stack) {
        if (stack == 0) {
            return 0;
        }
        List<TraceFrame> frames = c.generation().stack(stack).frames().stream()
                .map(f -> new TraceFrame(0, f.function(), f.file(), f.line())).toList();
        if (frames.isEmpty()) {
            return 0;
        }
        return stackIds.computeIfAbsent(frames, k -> {
            stacks.add(k);
            return stacks.size() - 1;
        });
    }

    /** The groups of goroutines blocked at the end, most goroutines first. */
    public List<BlockedGroup> result() {
        Map<String, BlockedGroup> groups = new LinkedHashMap<>();
        long traceEnd = Math.max(end, 0);
        for (Blocked b : blocked.values()) {
            String key = b.reason + "\u0000" + b.stack;
            long waited = b.beforeTrace ? traceEnd - Math.max(start, 0) : traceEnd - b.since;
            BlockedGroup prev = groups.get(key);
            groups.put(key, prev == null
                    ? new BlockedGroup(b.reason, stacks.get(b.stack), 1, b.beforeTrace ? 1 : 0, waited, waited)
                    : new BlockedGroup(prev.reason(), prev.frames(), prev.goroutines() + 1,
                    prev.sinceTraceStart() + (b.beforeTrace ? 1 : 0), Math.min(prev.shortestNanos(), waited),
                    Math.max(prev.longestNanos(), waited)));
        }
        return groups.values().stream()
                .filter(g -> !g.runtimeOnly()) // the runtime's own goroutines (GC workers, sweeper, tracer) park so
                .sorted(Comparator.comparingInt(BlockedGroup::goroutines).reversed()
                        .thenComparing(g -> g.frames().isEmpty() ? "" : g.frames().get(0).function()))
                .toList();
    }

    /**
     * Goroutines blocked at one stack for one reason from the trace's start or their creation to
     * its end.
     *
     * @param reason          Go's wait reason ("chan receive", "sync.Mutex.Lock"...); empty for
     *                        goroutines blocked before the trace began (Go records none for them)
     * @param frames          the stack they blocked at, innermost first; empty when the trace has none
     * @param goroutines      how many
     * @param sinceTraceStart how many of them were blocked already when the trace started
     * @param shortestNanos   the shortest of their waits within the trace
     * @param longestNanos    the longest (the whole trace for those blocked before it)
     */
    public record BlockedGroup(String reason, List<TraceFrame> frames, int goroutines, int sinceTraceStart,
                               long shortestNanos, long longestNanos) {
        public BlockedGroup {
            frames = List.copyOf(frames);
        }

        /**
         * Where the program blocked, as a Go engineer reads the stack: the innermost frame of the
         * program's own code, else of the standard library, else the innermost; null without frames.
         */
        public TraceFrame site() {
            TraceFrame stdlib = null;
            for (TraceFrame f : frames) {
                GoSymbols.Kind k = GoSymbols.kindOf(GoSymbols.packageOf(f.function()));
                if (k == GoSymbols.Kind.OWN) {
                    return f;
                }
                if (stdlib == null && k == GoSymbols.Kind.STDLIB) {
                    stdlib = f;
                }
            }
            return stdlib != null ? stdlib : frames.isEmpty() ? null : frames.get(0);
        }

        /** Whether every frame is the runtime's: one of its own goroutines (or a stack the trace lacks). */
        public boolean runtimeOnly() {
            TraceFrame at = site();
            return at == null || GoSymbols.kindOf(GoSymbols.packageOf(at.function())) == GoSymbols.Kind.RUNTIME;
        }

        /** Whether a frame of this stack is at {@code function}, {@code file}:{@code line} (one path may end the other). */
        public boolean blockedAt(String function, String file, long line) {
            for (TraceFrame f : frames) {
                if (f.line() == line && f.function().equals(function) && sameFile(f.file(), file)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean sameFile(String a, String b) {
            String x = a.replace('\\', '/');
            String y = b.replace('\\', '/');
            return x.equals(y) || x.endsWith("/" + y) || y.endsWith("/" + x);
        }
    }
}
