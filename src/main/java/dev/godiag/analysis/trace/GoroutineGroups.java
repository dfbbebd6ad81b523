package dev.godiag.analysis.trace;

import dev.godiag.model.trace.CpuSample;
import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.model.trace.TraceRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Goroutines grouped by start function with the split of their time, computed as Go's trace
 * summarizer does (internal/trace/summary.go) and grouped as cmd/trace's goroutine page does: the
 * name is the root frame of the first transition stack seen (a new goroutine's start stack, or the
 * stack of a block, stop or syscall); time is accounted at each transition out of a state; a
 * goroutine first seen in a generation's status counts its state since that generation's start;
 * a syscall whose P is taken from it becomes syscall block time from then; ranges on a goroutine
 * count for it, ranges on a P for the goroutine that began and ended them. A goroutine is folded into
 * its group when it ends, so memory grows with the live goroutines and the groups, not the trace.
 *
 * <p>One difference: Go starts a generation's clock at its sync event (the batches' earliest
 * clock reading), which the reader does not keep; godiag takes the generation's first event, so a
 * goroutine alive at the trace's start lacks the few microseconds before it.
 */
public final class GoroutineGroups implements TraceConsumer {
    /** How many of the slowest goroutines each group keeps. */
    public static final int SLOWEST = 5;

    /** A goroutine being summarised (Go's GoroutineSummary with its private part). */
    private static final class Live {
        final long id;
        String name = "";
        long creation;
        long exec;
        long schedWait;
        final Map<String, Long> block = new TreeMap<>();
        long syscall;
        long syscallBlock;
        final Map<String, Long> ranges = new TreeMap<>();
        long lastStart;
        long lastRunnable;
        long lastBlock;
        String lastBlockReason = "";
        long lastSyscall;
        long lastSyscallBlock;
        final Map<String, Long> lastRange = new HashMap<>();

        Live(long id, long creation) {
            this.id = id;
            this.creation = creation;
        }

        GoroutineTimes snapshot(long now) {
            long e = exec + (lastStart != 0 ? now - lastStart : 0);
            long s = schedWait + (lastRunnable != 0 ? now - lastRunnable : 0)
                    + (lastSyscallBlock != 0 ? now - lastSyscallBlock : 0);
            Map<String, Long> b = new TreeMap<>(block);
            if (lastBlock != 0) {
                b.merge(lastBlockReason, now - lastBlock, Long::sum);
            }
            long sc = syscall + (lastSyscall != 0 ? now - lastSyscall : 0);
            Map<String, Long> r = new TreeMap<>(ranges);
            lastRange.forEach((k, ts) -> r.merge(k, now - ts, Long::sum));
            return new GoroutineTimes(id, name, now - creation, e, s, b, sc, syscallBlock, r);
        }
    }

    /** A group being summed, with its slowest goroutines. */
    private static final class Group {
        long count;
        GoroutineTimes sum;
        long unknown;
        final List<GoroutineTimes> slowest = new ArrayList<>();
    }

    private static final Comparator<GoroutineTimes> SLOWEST_FIRST =
            Comparator.comparingLong(GoroutineTimes::total).reversed().thenComparingLong(GoroutineTimes::id);

    private final Map<Long, Live> live = new HashMap<>();
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<Long, Long> syscallingP = new HashMap<>();
    private final Map<Long, Long> syscallingG = new HashMap<>();
    private final Map<String, Long> rangesP = new HashMap<>();
    private final ThreadContexts contexts = new ThreadContexts();
    private long syncTime;
    private long lastTime;

    @Override
    public void accept(TraceChanges changes) {
        List<TraceEvent> events = changes.generation().events();
        List<CpuSample> samples = changes.generation().cpuSamples();
        long first = Long.MAX_VALUE;
        if (!events.isEmpty()) {
            first = events.get(0).time();
            lastTime = Math.max(lastTime, events.get(events.size() - 1).time());
        }
        if (!samples.isEmpty()) {
            first = Math.min(first, samples.get(0).time());
            lastTime = Math.max(lastTime, samples.get(samples.size() - 1).time());
        }
        if (first == Long.MAX_VALUE) {
            return;
        }
        syncTime = first;
        // transitions and ranges in one order, as Go's summarizer sees the events (times are unique per event)
        List<StateTransition> ts = changes.transitions();
        List<TraceRange> rs = changes.ranges();
        int i = 0;
        int j = 0;
        while (i < ts.size() || j < rs.size()) {
            if (j >= rs.size() || i < ts.size() && ts.get(i).time() <= rs.get(j).time()) {
                StateTransition t = ts.get(i++);
                if (t.goroutine()) {
                    goroutine(t, changes);
                } else {
                    proc(t);
                }
                contexts.apply(t);
            } else {
                range(rs.get(j++));
            }
        }
    }

    private void goroutine(StateTransition t, TraceChanges changes) {
        String from = t.from();
        String to = t.to();
        if (from.equals(to)) {
            return;
        }
        long now = t.time();
        Live g = live.get(t.id());
        switch (from) {
            case "Undetermined" -> {
                g = new Live(t.id(), syncTime);
                long stateTime = now - syncTime;
                switch (to) {
                    case "Running" -> g.exec += stateTime;
                    case "Waiting" -> g.block.merge(t.reason(), stateTime, Long::sum);
                    case "Runnable" -> g.schedWait += stateTime;
                    case "Syscall" -> {
                        if (contexts.proc(t.event()) == ThreadContexts.NONE) {
                            g.syscallBlock += stateTime;
                        } else {
                            g.syscall += stateTime;
                        }
                    }
                    default -> {
                    }
                }
                live.put(t.id(), g);
            }
            case "NotExist" -> {
                g = new Live(t.id(), now);
                live.put(t.id(), g);
            }
            default -> {
                if (g == null) {
                    return; // ended already (blocked forever), or a state Go's reader would reject
                }
                out(g, from, now);
            }
        }
        if (g.name.isEmpty()) {
            List<TraceFrame> frames = changes.generation().stack(transitionStack(t)).frames();
            if (!frames.isEmpty()) {
                g.name = frames.get(frames.size() - 1).function();
            }
        }
        switch (to) {
            case "Running" -> g.lastStart = now;
            case "Runnable" -> g.lastRunnable = now;
            case "Waiting" -> {
                if (t.reason().equals("forever")) {
                    end(g, now);
                } else {
                    g.lastBlock = now;
                    g.lastBlockReason = t.reason();
                }
            }
            case "NotExist" -> end(g, now);
            case "Syscall" -> {
                long p = contexts.proc(t.event());
                syscallingP.put(p, g.id);
                syscallingG.put(g.id, p);
                g.lastSyscall = now;
            }
            default -> {
            }
        }
    }

    private void out(Live g, String from, long now) {
        switch (from) {
            case "Running" -> {
                g.exec += now - g.lastStart;
                g.lastStart = 0;
            }
            case "Waiting" -> {
                if (g.lastBlock != 0) {
                    g.block.merge(g.lastBlockReason, now - g.lastBlock, Long::sum);
                    g.lastBlock = 0;
                }
            }
            case "Runnable" -> {
                if (g.lastRunnable != 0) {
                    g.schedWait += now - g.lastRunnable;
                    g.lastRunnable = 0;
                }
            }
            case "Syscall" -> {
                if (g.lastSyscall != 0) {
                    if (g.lastSyscallBlock != 0) {
                        g.syscallBlock += now - g.lastSyscallBlock;
                        g.syscall += g.lastSyscallBlock - g.lastSyscall;
                    } else {
                        g.syscall += now - g.lastSyscall;
                    }
                    g.lastSyscall = 0;
                    g.lastSyscallBlock = 0;
                    Long p = syscallingG.remove(g.id);
                    if (p != null) {
                        syscallingP.remove(p);
                    }
                }
            }
            default -> {
            }
        }
    }

    /**
     * Go's StateTransition.Stack: the new goroutine's start stack for a creation, none for an unblock,
     * else the transition's own (the block's, stop's, syscall's or status's).
     */
    private static long transitionStack(StateTransition t) {
        TraceEventType type = t.event().type();
        if (type == TraceEventType.GO_CREATE || type == TraceEventType.GO_CREATE_BLOCKED) {
            return t.event().arg("new_stack");
        }
        return type == TraceEventType.GO_UNBLOCK ? 0 : t.stack();
    }

    private void proc(StateTransition t) {
        if (!t.from().equals(t.to()) && t.to().equals("Idle")) {
            Long g = syscallingP.remove(t.id());
            if (g != null && live.containsKey(g)) {
                live.get(g).lastSyscallBlock = t.time();
            }
        }
    }

    private void range(TraceRange r) {
        boolean end = r.edge().equals("RangeEnd");
        Live g = null;
        String procKey = r.scopeId() + "\u0000" + r.name();
        if (r.scope().equals("Goroutine")) {
            g = live.get(r.scopeId());
        } else if (r.scope().equals("Proc")) {
            long cur = contexts.goroutine(r.event());
            if (!end) {
                g = live.get(cur);
                if (g != null) {
                    rangesP.put(procKey, cur);
                }
            } else {
                Long owner = rangesP.remove(procKey);
                if (owner != null && owner == cur) {
                    g = live.get(owner);
                }
            }
        }
        if (g == null) {
            return;
        }
        switch (r.edge()) {
            case "RangeActive" -> {
                Long ts = g.lastRange.get(r.name());
                if (ts != null) {
                    g.ranges.merge(r.name(), syncTime - ts, Long::sum);
                }
                g.lastRange.put(r.name(), syncTime);
            }
            case "RangeBegin" -> g.lastRange.put(r.name(), r.time());
            default -> {
                Long ts = g.lastRange.remove(r.name());
                if (ts != null) {
                    g.ranges.merge(r.name(), r.time() - ts, Long::sum);
                }
            }
        }
    }

    private void end(Live g, long now) {
        live.remove(g.id);
        Long p = syscallingG.remove(g.id);
        if (p != null) {
            syscallingP.remove(p, g.id);
        }
        fold(g.snapshot(now));
    }

    private void fold(GoroutineTimes t) {
        Group group = groups.computeIfAbsent(t.name(), n -> new Group());
        group.count++;
        group.sum = group.sum == null ? new GoroutineTimes(-1, t.name(), t.total(), t.exec(), t.schedWait(),
                t.blockByReason(), t.syscall(), t.syscallBlock(), t.ranges()) : group.sum.plus(t);
        group.unknown += t.unknown();
        group.slowest.add(t);
        group.slowest.sort(SLOWEST_FIRST);
        if (group.slowest.size() > SLOWEST) {
            group.slowest.remove(SLOWEST);
        }
    }

    /** The groups of everything fed, by total execution time (as Go's page sorts them), then name. */
    public List<GoroutineGroup> build() {
        List<Live> rest = new ArrayList<>(live.values());
        rest.sort(Comparator.comparingLong(l -> l.id));
        for (Live g : rest) {
            fold(g.snapshot(lastTime));
        }
        live.clear();
        List<GoroutineGroup> out = new ArrayList<>();
        groups.forEach((name, g) -> out.add(new GoroutineGroup(name, g.count, g.sum, g.unknown, g.slowest)));
        out.sort(Comparator.comparingLong((GoroutineGroup g) -> g.sum().exec()).reversed()
                .thenComparing(GoroutineGroup::name));
        return List.copyOf(out);
    }
}
