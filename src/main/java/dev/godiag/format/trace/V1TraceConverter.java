package dev.godiag.format.trace;

import dev.godiag.format.trace.V1TraceParser.Trace;
import dev.godiag.model.trace.CpuSample;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceStack;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a parsed old-format trace into events of the new format as Go 1.27's {@code tracev1.go}
 * does: block and stop kinds become GoBlock/GoStop with Go's reason strings ("chan receive",
 * "network", "sync", "select"...), stop-the-world kinds become Go's names, goroutines and Ps first
 * seen at the trace's start become GoStatus/ProcStatus events, a syscall that did not block becomes
 * a 1 ns GoSyscallBegin/GoSyscallEnd pair, one that blocked a GoSyscallBegin ended by the later
 * GoSysExit (GoSyscallEndBlocked), user logs' inline messages and Go's own names get string ids
 * after the trace's, and times become strictly increasing (each at least 1 ns after the last).
 *
 * <p>Go reads an old trace as one generation. godiag hands it over in slices of at most
 * {@code sliceEvents} events: several {@link TraceGeneration}s numbered 1, 2, ... sharing one string
 * table and one stack table, with the trace's frequency; {@link TraceStates} carries states across
 * them, so the slices read as the one generation Go sees. Each event names its goroutine and P
 * ({@link TraceEvent#withContext}), as Go's converted events do.
 */
final class V1TraceConverter {
    private static final long NONE = -1;
    // Go's builtin strings, in the order of its constants
    private static final List<String> BUILTIN = List.of("forever", "preempted", "runtime.Gosched", "sleep",
            "chan send", "chan receive", "network", "sync", "sync.(*Cond).Wait", "select", "",
            "GC mark assist wait for work", "", "GC mark termination", "GC sweep termination", "write heap dump",
            "goroutine profile", "goroutine profile cleanup", "all goroutine stack trace", "read mem stats",
            "AllThreadsSyscall", "GOMAXPROCS", "start trace", "stop trace", "CountPagesInUse (test)",
            "ReadMetricsSlow (test)", "ReadMemStatsSlow (test)", "PageCachePagesLeaked (test)",
            "ResetDebugLog (test)");
    private static final int S_FOREVER = 0;
    private static final int S_PREEMPTED = 1;
    private static final int S_GOSCHED = 2;
    private static final int S_SLEEP = 3;
    private static final int S_CHAN_SEND = 4;
    private static final int S_CHAN_RECV = 5;
    private static final int S_NETWORK = 6;
    private static final int S_SYNC = 7;
    private static final int S_SYNC_COND = 8;
    private static final int S_SELECT = 9;
    private static final int S_EMPTY = 10;
    private static final int S_MARK_ASSIST_WAIT = 11;
    private static final int S_STW_UNKNOWN = 12;
    private static final int STW_REASONS = 17;
    private static final long GO_RUNNABLE = 1;
    private static final long GO_RUNNING = 2;
    private static final long GO_SYSCALL = 3;
    private static final long GO_WAITING = 4;
    private static final long PROC_RUNNING = 1;
    private static final long PROC_IDLE = 2;

    private final Trace t;
    private final int sliceEvents;
    private final Consumer<TraceGeneration> sink;
    private final Map<Long, String> strings;
    private final Map<Long, TraceStack> stacks;
    private final long[] builtinIds = new long[BUILTIN.size()];
    private final long inlineBase;
    private final BitSet blockedSyscalls;

    private boolean preInit = true;
    private final Set<Long> createdPreInit = new LinkedHashSet<>();
    private final Set<Long> seenProcs = new HashSet<>();
    private final Map<Long, Long> procThreads = new HashMap<>();
    private long lastStwReason;
    private long lastTime = -1;

    private List<TraceEvent> events = new ArrayList<>();
    private List<CpuSample> samples = new ArrayList<>();
    private int generations;
    private long handed;

    private V1TraceConverter(Trace t, int sliceEvents, Consumer<TraceGeneration> sink) {
        this.t = t;
        this.sliceEvents = sliceEvents;
        this.sink = sink;
        Map<Long, String> table = new HashMap<>(t.strings);
        long max = 0;
        for (long id : t.strings.keySet()) {
            if (Long.compareUnsigned(id, max) > 0) {
                max = id;
            }
        }
        if (Long.compareUnsigned(max + t.inlineStrings.size() + BUILTIN.size(), max) < 0) {
            throw new BadInputException("Go 1." + t.version + " trace (old format): its string ids overflow");
        }
        inlineBase = max + 1;
        for (int i = 0; i < t.inlineStrings.size(); i++) {
            table.put(inlineBase + i, t.inlineStrings.get(i));
        }
        long builtinBase = inlineBase + t.inlineStrings.size();
        for (int c = 0; c < BUILTIN.size(); c++) {
            builtinIds[c] = builtinBase + c;
            table.put(builtinIds[c], BUILTIN.get(c));
        }
        strings = Collections.unmodifiableMap(table);
        Map<Long, TraceStack> resolved = new HashMap<>(t.stacks.size() * 2);
        for (Map.Entry<Long, long[]> e : t.stacks.entrySet()) {
            List<TraceFrame> frames = new ArrayList<>(e.getValue().length);
            for (long pc : e.getValue()) {
                long[] f = t.frames.get(pc);
                frames.add(new TraceFrame(pc, table.getOrDefault(f[0], ""), table.getOrDefault(f[1], ""), f[2]));
            }
            resolved.put(e.getKey(), new TraceStack(e.getKey(), frames));
        }
        stacks = Collections.unmodifiableMap(resolved);
        blockedSyscalls = blockedSyscalls(t);
    }

    /** Converts the trace, handing the consumer slices of at most {@code sliceEvents} events. */
    static TraceSummary convert(Trace t, int sliceEvents, Consumer<TraceGeneration> sink) {
        V1TraceConverter c = new V1TraceConverter(t, sliceEvents, sink);
        for (int i = 0; i < t.count; i++) {
            c.convert(i, t.order[i]);
            if (c.events.size() >= sliceEvents) {
                c.handOver();
            }
        }
        if (!c.events.isEmpty() || !c.samples.isEmpty() || c.generations == 0) {
            c.handOver();
        }
        return new TraceSummary(t.version, c.generations, c.handed, Optional.empty());
    }

    private void handOver() {
        generations++;
        handed += events.size();
        sink.accept(new TraceGeneration(generations, t.ticksPerSecond, strings, stacks,
                Collections.unmodifiableList(events), Collections.unmodifiableList(samples), -1, -1, 0));
        events = new ArrayList<>();
        samples = new ArrayList<>();
    }

    /**
     * Whether each syscall blocked: Go looks at the goroutine's next event, a GoSysBlock when it did.
     * One backward pass gives every syscall's answer (Go scans forward from each).
     */
    private static BitSet blockedSyscalls(Trace t) {
        BitSet blocked = new BitSet();
        Map<Long, Integer> nextType = new HashMap<>();
        for (int i = t.count - 1; i >= 0; i--) {
            int e = t.order[i];
            if (t.type[e] == V1TraceParser.EV_GO_SYS_CALL
                    && nextType.getOrDefault(t.goroutine[e], -1) == V1TraceParser.EV_GO_SYS_BLOCK) {
                blocked.set(i);
            }
            nextType.put(t.goroutine[e], (int) t.type[e]);
        }
        return blocked;
    }

    private void convert(int position, int e) {
        int type = t.type[e];
        long time = t.time[e];
        long g = t.goroutine[e];
        long p = t.proc[e];
        long stack = Integer.toUnsignedLong(t.stack[e]);
        TraceEventType mapped;
        long[] args = null;
        switch (type) {
            case V1TraceParser.EV_GOMAXPROCS -> {
                if (preInit) {
                    // the first Gomaxprocs ends the trace's start: goroutines created before it and
                    // seen neither running, waiting nor in a syscall were runnable
                    preInit = false;
                    for (long id : createdPreInit) {
                        emit(TraceEventType.GO_STATUS, time, NONE, new long[] {id, NONE, GO_RUNNABLE}, NONE, NONE);
                    }
                    createdPreInit.clear();
                    return;
                }
                mapped = TraceEventType.PROCS_CHANGE;
            }
            case V1TraceParser.EV_PROC_START -> {
                procThreads.put(p, t.arg0[e]);
                mapped = seenProcs.add(p) ? TraceEventType.PROC_STATUS : TraceEventType.PROC_START;
                args = mapped == TraceEventType.PROC_STATUS ? new long[] {p, PROC_RUNNING} : new long[] {p, 0};
            }
            case V1TraceParser.EV_PROC_STOP -> {
                mapped = seenProcs.add(p) ? TraceEventType.PROC_STATUS : TraceEventType.PROC_STOP;
                args = mapped == TraceEventType.PROC_STATUS ? new long[] {p, PROC_IDLE} : new long[0];
            }
            case V1TraceParser.EV_GC_START -> mapped = TraceEventType.GC_BEGIN;
            case V1TraceParser.EV_GC_DONE -> mapped = TraceEventType.GC_END;
            case V1TraceParser.EV_STW_START -> {
                lastStwReason = builtinIds[S_STW_UNKNOWN + stopReason(t.arg0[e])];
                mapped = TraceEventType.STW_BEGIN;
                args = new long[] {lastStwReason, 0};
            }
            case V1TraceParser.EV_STW_DONE -> mapped = TraceEventType.STW_END;
            case V1TraceParser.EV_GC_SWEEP_START -> mapped = TraceEventType.GC_SWEEP_BEGIN;
            case V1TraceParser.EV_GC_SWEEP_DONE -> mapped = TraceEventType.GC_SWEEP_END;
            case V1TraceParser.EV_GO_CREATE -> {
                if (preInit) {
                    createdPreInit.add(t.arg0[e]);
                    return;
                }
                mapped = TraceEventType.GO_CREATE;
            }
            case V1TraceParser.EV_GO_START -> {
                if (preInit) {
                    mapped = TraceEventType.GO_STATUS;
                    args = new long[] {t.arg0[e], NONE, GO_RUNNING};
                    createdPreInit.remove(t.arg0[e]);
                } else {
                    mapped = TraceEventType.GO_START;
                }
            }
            case V1TraceParser.EV_GO_START_LABEL -> {
                long m = procThreads.getOrDefault(p, NONE);
                emit(TraceEventType.GO_START, time, m, new long[] {t.arg0[e], t.arg1[e]}, g, p);
                emit(TraceEventType.GO_LABEL, time, m, new long[] {t.arg2[e]}, g, p);
                return;
            }
            case V1TraceParser.EV_GO_END -> mapped = TraceEventType.GO_DESTROY;
            case V1TraceParser.EV_GO_STOP -> {
                mapped = TraceEventType.GO_BLOCK;
                args = reason(S_FOREVER, stack);
            }
            case V1TraceParser.EV_GO_SCHED -> {
                mapped = TraceEventType.GO_STOP;
                args = reason(S_GOSCHED, stack);
            }
            case V1TraceParser.EV_GO_PREEMPT -> {
                mapped = TraceEventType.GO_STOP;
                args = reason(S_PREEMPTED, stack);
            }
            case V1TraceParser.EV_GO_SLEEP, V1TraceParser.EV_GO_BLOCK, V1TraceParser.EV_GO_BLOCK_SEND,
                 V1TraceParser.EV_GO_BLOCK_RECV, V1TraceParser.EV_GO_BLOCK_SELECT, V1TraceParser.EV_GO_BLOCK_SYNC,
                 V1TraceParser.EV_GO_BLOCK_COND, V1TraceParser.EV_GO_BLOCK_NET, V1TraceParser.EV_GO_BLOCK_GC -> {
                mapped = TraceEventType.GO_BLOCK;
                args = reason(blockReason(type), stack);
            }
            case V1TraceParser.EV_GO_UNBLOCK -> mapped = TraceEventType.GO_UNBLOCK;
            case V1TraceParser.EV_GO_SYS_CALL -> {
                mapped = TraceEventType.GO_SYSCALL_BEGIN;
                args = new long[] {0, stack};
                if (!blockedSyscalls.get(position)) {
                    // a syscall that did not block: Go makes it 1 ns long
                    long m = procThreads.getOrDefault(p, NONE);
                    emit(mapped, time, m, args, g, p);
                    emit(TraceEventType.GO_SYSCALL_END, time + 1, m, new long[0], g, p);
                    return;
                }
            }
            case V1TraceParser.EV_GO_SYS_EXIT -> mapped = TraceEventType.GO_SYSCALL_END_BLOCKED;
            case V1TraceParser.EV_GO_SYS_BLOCK -> {
                return;
            }
            case V1TraceParser.EV_GO_WAITING, V1TraceParser.EV_GO_IN_SYSCALL -> {
                mapped = TraceEventType.GO_STATUS;
                args = new long[] {t.arg0[e], NONE, type == V1TraceParser.EV_GO_WAITING ? GO_WAITING : GO_SYSCALL};
                createdPreInit.remove(t.arg0[e]);
            }
            case V1TraceParser.EV_HEAP_ALLOC -> mapped = TraceEventType.HEAP_ALLOC;
            case V1TraceParser.EV_HEAP_GOAL -> mapped = TraceEventType.HEAP_GOAL;
            case V1TraceParser.EV_GC_MARK_ASSIST_START -> mapped = TraceEventType.GC_MARK_ASSIST_BEGIN;
            case V1TraceParser.EV_GC_MARK_ASSIST_DONE -> mapped = TraceEventType.GC_MARK_ASSIST_END;
            case V1TraceParser.EV_USER_TASK_CREATE -> {
                mapped = TraceEventType.USER_TASK_BEGIN;
                args = new long[] {t.arg0[e], t.arg1[e] == 0 ? NONE : t.arg1[e], t.arg2[e], stack};
            }
            case V1TraceParser.EV_USER_TASK_END -> mapped = TraceEventType.USER_TASK_END;
            case V1TraceParser.EV_USER_REGION -> {
                mapped = t.arg1[e] == 0 ? TraceEventType.USER_REGION_BEGIN : TraceEventType.USER_REGION_END;
                args = new long[] {t.arg0[e], t.arg2[e], stack};
            }
            case V1TraceParser.EV_USER_LOG -> {
                mapped = TraceEventType.USER_LOG;
                args = new long[] {t.arg0[e], t.arg1[e], inlineBase + t.arg3[e], stack};
            }
            case V1TraceParser.EV_CPU_SAMPLE -> {
                sample(time, p, g, stack);
                return;
            }
            default -> throw new BadInputException("Go 1." + t.version + " trace (old format) holds event type "
                    + type + ", which Go's reader does not convert");
        }
        if (args == null) {
            // Go copies the old arguments in order, then puts the stack where the new event has one
            args = new long[mapped.args().size()];
            for (int i = 0; i < args.length && i < 4; i++) {
                args[i] = t.arg(e, i);
            }
            int at = mapped.argIndex("stack");
            if (V1TraceParser.hasStack(type) && at >= 0) {
                args[at] = stack;
            }
        }
        long m = p != NONE ? procThreads.getOrDefault(p, NONE) : NONE;
        if (type == V1TraceParser.EV_PROC_STOP) {
            procThreads.remove(p);
        }
        emit(mapped, time, m, args, g == 0 ? NONE : g, p);
    }

    private long[] reason(int builtin, long stack) {
        return new long[] {builtinIds[builtin], stack};
    }

    private static int blockReason(int type) {
        return switch (type) {
            case V1TraceParser.EV_GO_SLEEP -> S_SLEEP;
            case V1TraceParser.EV_GO_BLOCK_SEND -> S_CHAN_SEND;
            case V1TraceParser.EV_GO_BLOCK_RECV -> S_CHAN_RECV;
            case V1TraceParser.EV_GO_BLOCK_SELECT -> S_SELECT;
            case V1TraceParser.EV_GO_BLOCK_SYNC -> S_SYNC;
            case V1TraceParser.EV_GO_BLOCK_COND -> S_SYNC_COND;
            case V1TraceParser.EV_GO_BLOCK_NET -> S_NETWORK;
            case V1TraceParser.EV_GO_BLOCK_GC -> S_MARK_ASSIST_WAIT;
            default -> S_EMPTY;
        };
    }

    /** Go's STWReason: before 1.21 kinds 0 and 1 are the GC's two stops; 1.21 writes Go's reason numbers. */
    private int stopReason(long kind) {
        if (t.version < 21) {
            return kind == 0 || kind == 1 ? (int) kind + 1 : 0;
        }
        return t.version == 21 && kind >= 0 && kind < STW_REASONS ? (int) kind : 0;
    }

    private void emit(TraceEventType type, long time, long thread, long[] args, long g, long p) {
        lastTime = time <= lastTime ? lastTime + 1 : time;
        events.add(TraceEvent.withContext(type, lastTime, thread, args, g, p));
    }

    private void sample(long time, long p, long g, long stack) {
        lastTime = time <= lastTime ? lastTime + 1 : time;
        samples.add(new CpuSample(lastTime, NONE, p, g, stack));
    }
}
