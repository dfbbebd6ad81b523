package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.model.trace.TraceStack;
import dev.godiag.util.LongObjectMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four blocking profiles of {@code go tool trace -pprof=net|sync|syscall|sched}, computed as Go's
 * cmd/trace does: a goroutine's wait starts at a transition into the kind's state for one of its
 * reasons and ends at its next transition to another state; the wait counts, at the stack of the
 * event that started it, for the part of it that overlaps the goroutine's life from its first run
 * to its end (Go's filter of all goroutines, which drops the wait of a new goroutine for its first
 * run). Stacks are merged by their first 128 program counters, so the same stack in different
 * generations (whose stack ids differ) is one. Kept per goroutine and per stack, never per event.
 *
 * <p>An old-format trace (Go 1.11-1.21, whose events name their goroutine) is profiled as the
 * cmd/trace of those versions does ({@link BlockingKind#startsOldFormat}): each wait for its whole
 * length, with no goroutine-life filter, only waits whose event has a stack, so godiag's profiles
 * of a Go 1.19 trace are Go 1.19's.
 */
public final class BlockingProfiles implements TraceConsumer {
    /** How many frames Go compares and keeps (cmd/trace's pprofMaxStack). */
    static final int MAX_FRAMES = 128;

    private static final String RUNNING = "Running";
    private static final String NOT_EXIST = "NotExist";
    private static final String WAITING = "Waiting";

    /** A stack of one generation: its key across generations and its own frames. */
    private record StackRef(Key key, List<TraceFrame> frames) {
    }

    /** A wait being timed: when it began and where. */
    private record Wait(long start, StackRef stack) {
    }

    /** A wait that ended before its goroutine's first run is known: kept until the goroutine runs or ends. */
    private record Pending(BlockingKind kind, StackRef stack, long start, long end) {
    }

    /**
     * A stack by its program counters as Go compares them (the first 128, zero-padded, so trailing
     * zero PCs do not count), with the frames of the stack last recorded under it.
     */
    private static final class Key {
        final long[] pcs;
        final int hash;
        List<TraceFrame> frames = List.of();

        Key(long[] pcs) {
            this.pcs = pcs;
            this.hash = Arrays.hashCode(pcs);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(pcs, k.pcs);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A goroutine's life as Go's summary has it: first run (0: not yet) and end (-1: not yet). */
    private static final class Life {
        long firstRun;
        long end = -1;
        List<Pending> pending;
    }

    private static final BlockingKind[] KINDS = BlockingKind.values();

    /** Open waits by goroutine, one map per kind (by ordinal): looked up for every goroutine transition. */
    @SuppressWarnings("unchecked")
    private final LongObjectMap<Wait>[] waiting = new LongObjectMap[KINDS.length];
    private final Map<BlockingKind, Map<Key, long[]>> totals = new EnumMap<>(BlockingKind.class);
    private final Map<Key, Key> interned = new HashMap<>();
    private final LongObjectMap<Life> lives = new LongObjectMap<>();

    public BlockingProfiles() {
        for (BlockingKind k : BlockingKind.values()) {
            waiting[k.ordinal()] = new LongObjectMap<>();
            totals.put(k, new LinkedHashMap<>());
        }
    }

    /** Interned stacks by id, for the generation whose table is {@code stacksTable} (kept over its parts). */
    private Map<Long, StackRef> stacksOfGeneration = new HashMap<>();
    private Map<Long, ?> stacksTable;

    @Override
    public void accept(TraceChanges changes) {
        if (changes.generation().stacks() != stacksTable) {
            stacksTable = changes.generation().stacks();
            stacksOfGeneration = new HashMap<>();
        }
        for (StateTransition t : changes.transitions()) {
            if (!t.goroutine()) {
                continue;
            }
            Life life = life(t);
            boolean oldFormat = t.event().hasContext();
            for (BlockingKind kind : KINDS) {
                LongObjectMap<Wait> open = waiting[kind.ordinal()];
                Wait w = open.get(t.id());
                if (w == null) {
                    // Go 1.19 takes only waits whose event has a stack
                    if (oldFormat ? kind.startsOldFormat(t.to(), t.reason(), t.event().type())
                            && !changes.generation().stack(eventStack(t)).frames().isEmpty()
                            : kind.starts(t.to(), t.reason())) {
                        StackRef stack = stacksOfGeneration.computeIfAbsent(eventStack(t),
                                id -> intern(changes.generation().stack(id)));
                        open.put(t.id(), new Wait(t.time(), stack));
                    }
                    continue;
                }
                if (kind.state().equals(t.to())) {
                    continue; // the same state again (a generation's status): the wait goes on
                }
                open.remove(t.id());
                if (oldFormat) {
                    if (kind.countsOldFormat(t.to())) {
                        record(kind, w.stack(), t.time() - w.start());
                    }
                } else if (life.firstRun == 0) {
                    if (life.pending == null) {
                        life.pending = new ArrayList<>();
                    }
                    life.pending.add(new Pending(kind, w.stack(), w.start(), t.time()));
                } else {
                    record(kind, w.stack(), overlap(w.start(), t.time(), life.firstRun, life.end));
                }
            }
            if (NOT_EXIST.equals(t.to())) {
                settle(life, 0);
                lives.remove(t.id());
            }
        }
    }

    /**
     * The stack of the transition's event itself, Go's {@code Event.Stack()} (the creator's for a
     * creation, the unblocker's for an unblock), which Go's profiles record; not the transition stack.
     */
    static long eventStack(StateTransition t) {
        return t.eventStack();
    }

    /** The goroutine's life updated by this transition, as Go's summarizer would (old == new is skipped). */
    private Life life(StateTransition t) {
        Life life = lives.get(t.id());
        if (life == null) {
            life = new Life();
            lives.put(t.id(), life);
        }
        if (t.from().equals(t.to())) {
            return life;
        }
        if (RUNNING.equals(t.to()) && life.firstRun == 0) {
            // waits that ended before this first run lie wholly before the goroutine's interval
            life.firstRun = t.time();
            life.pending = null;
        }
        if (NOT_EXIST.equals(t.to()) || WAITING.equals(t.to()) && "forever".equals(t.reason())) {
            life.end = t.time();
        }
        return life;
    }

    /** Records the pending waits of a goroutine that never ran: Go's interval is then [0, end]. */
    private void settle(Life life, long firstRun) {
        if (life.pending == null) {
            return;
        }
        for (Pending p : life.pending) {
            record(p.kind(), p.stack(), overlap(p.start(), p.end(), firstRun, life.end));
        }
        life.pending = null;
    }

    /** Go's interval overlap of a wait [start, end] with the goroutine's [from, to] (to -1: still alive). */
    static long overlap(long start, long end, long from, long to) {
        long until = to < 0 ? Long.MAX_VALUE : to;
        if (until < start || end < from) {
            return 0;
        }
        return Math.min(end, until) - Math.max(start, from);
    }

    private void record(BlockingKind kind, StackRef stack, long nanos) {
        if (nanos <= 0) {
            return;
        }
        // Go keeps the frames of the stack it last recorded under these PCs
        stack.key().frames = stack.frames();
        long[] v = totals.get(kind).computeIfAbsent(stack.key(), k -> new long[3]);
        v[0]++;
        v[1] += nanos;
        v[2] = Math.max(v[2], nanos);
    }

    private StackRef intern(TraceStack stack) {
        List<TraceFrame> frames = stack.frames();
        if (frames.size() > MAX_FRAMES) {
            frames = frames.subList(0, MAX_FRAMES);
        }
        int n = frames.size();
        while (n > 0 && frames.get(n - 1).pc() == 0) {
            n--;
        }
        long[] pcs = new long[n];
        for (int i = 0; i < n; i++) {
            pcs[i] = frames.get(i).pc();
        }
        Key k = new Key(pcs);
        Key known = interned.putIfAbsent(k, k);
        return new StackRef(known == null ? k : known, List.copyOf(frames));
    }

    /** The four profiles of everything fed; waits still open at the end are not counted, as in Go. */
    public Map<BlockingKind, BlockingProfile> build() {
        lives.forEach((id, life) -> settle(life, 0));
        Map<BlockingKind, BlockingProfile> out = new EnumMap<>(BlockingKind.class);
        for (BlockingKind kind : BlockingKind.values()) {
            List<BlockingStack> stacks = new ArrayList<>();
            totals.get(kind).forEach((k, v) -> stacks.add(new BlockingStack(k.frames, v[0], v[1], v[2])));
            out.put(kind, new BlockingProfile(kind, stacks));
        }
        return Map.copyOf(out);
    }
}
