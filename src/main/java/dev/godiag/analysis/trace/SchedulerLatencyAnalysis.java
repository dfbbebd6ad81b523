package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceFrame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Measures {@link SchedulerLatency}: keeps, per goroutine now runnable, when it became so and the
 * stack that made it; per stack, the waits' sums (at most {@link #MAX_STACKS} stacks, the rest under
 * an empty stack); the {@link #WORST} longest waits; and the number of runnable goroutines over time.
 */
public final class SchedulerLatencyAnalysis implements TraceConsumer {
    static final int WORST = 20;
    static final int MAX_STACKS = 5000;
    private static final int TOP_STACKS = 20;
    private static final String RUNNABLE = "Runnable";
    private static final String RUNNING = "Running";

    private final LogHistogram waits = new LogHistogram();
    private final Map<Long, Pending> runnable = new HashMap<>();
    private final Map<List<TraceFrame>, long[]> byStack = new HashMap<>();
    private final PriorityQueue<SchedulerLatency.Wait> worst =
            new PriorityQueue<>(Comparator.comparingLong(SchedulerLatency.Wait::durationNanos));
    private long first = -1;
    private long last = -1;
    private long runnableNow;
    private long maxRunnable;
    private double runnableArea;
    private long overProcsTime;
    private long procs;
    private long maxProcs;

    /** A goroutine made runnable: when, by what event (and reason), with the event's stack. */
    private record Pending(long since, TraceEventType type, String reason, List<TraceFrame> stack) {
        /** What made it runnable, as reported: computed only for the waits kept. */
        String by() {
            return reason.isEmpty() ? type.goName() : type.goName() + " (" + reason + ")";
        }
    }

    /** The accumulators of {@code byStack} by frame list identity (a generation's stacks are shared lists). */
    private final Map<List<TraceFrame>, long[]> byStackSeen = new IdentityHashMap<>();
    private Map<Long, ?> byStackSeenTable;

    @Override
    public void accept(TraceChanges c) {
        if (c.generation().stacks() != byStackSeenTable) {
            // a new generation (not another part of the same): its stack lists are new objects
            byStackSeenTable = c.generation().stacks();
            byStackSeen.clear();
        }
        List<TraceEvent> events = c.generation().events();
        if (events.isEmpty()) {
            return;
        }
        if (first < 0) {
            first = events.getFirst().time();
            last = first;
        }
        // GOMAXPROCS changes and transitions in time order (times are strictly increasing over a trace)
        List<TraceEvent> procsChanges = events.stream().filter(e -> e.type() == TraceEventType.PROCS_CHANGE).toList();
        int pi = 0;
        for (StateTransition t : c.transitions()) {
            while (pi < procsChanges.size() && procsChanges.get(pi).time() <= t.time()) {
                advance(procsChanges.get(pi).time());
                procs = procsChanges.get(pi).arg("procs_value");
                maxProcs = Math.max(maxProcs, procs);
                pi++;
            }
            if (t.goroutine()) {
                advance(t.time());
                transition(c, t);
            }
        }
        for (; pi < procsChanges.size(); pi++) {
            advance(procsChanges.get(pi).time());
            procs = procsChanges.get(pi).arg("procs_value");
            maxProcs = Math.max(maxProcs, procs);
        }
        advance(events.getLast().time());
    }

    private void advance(long t) {
        if (t > last) {
            runnableArea += (double) runnableNow * (t - last);
            if (procs > 0 && runnableNow > procs) {
                overProcsTime += t - last;
            }
            last = t;
        }
    }

    private void transition(TraceChanges c, StateTransition t) {
        if (t.from().equals(t.to())) {
            return; // a generation's status event repeating a known state
        }
        if (t.to().equals(RUNNABLE)) {
            runnableNow++;
            maxRunnable = Math.max(maxRunnable, runnableNow);
            List<TraceFrame> stack = t.eventStack() == 0 ? List.of() : c.generation().stack(t.eventStack()).frames();
            runnable.put(t.id(), new Pending(t.time(), t.event().type(), t.reason(), stack));
        } else if (t.from().equals(RUNNABLE)) {
            runnableNow = Math.max(0, runnableNow - 1);
            Pending p = runnable.remove(t.id());
            if (p != null && t.to().equals(RUNNING)) {
                record(t.id(), p, t.time() - p.since());
            }
        }
    }

    private void record(long g, Pending p, long wait) {
        waits.add(wait);
        long[] s = byStackSeen.get(p.stack());
        if (s == null) {
            List<TraceFrame> key = byStack.containsKey(p.stack()) || byStack.size() < MAX_STACKS ? p.stack() : List.of();
            s = byStack.computeIfAbsent(key, k -> new long[3]);
            byStackSeen.put(p.stack(), s);
        }
        s[0]++;
        s[1] += wait;
        s[2] = Math.max(s[2], wait);
        if (worst.size() < WORST || wait > worst.peek().durationNanos()) {
            worst.add(new SchedulerLatency.Wait(g, p.since(), wait, p.by(), p.stack()));
            if (worst.size() > WORST) {
                worst.poll();
            }
        }
    }

    /** The scheduler latency of everything fed. */
    public SchedulerLatency build() {
        List<SchedulerLatency.Wait> w = new ArrayList<>(worst);
        w.sort(Comparator.comparingLong(SchedulerLatency.Wait::durationNanos).reversed()
                .thenComparingLong(SchedulerLatency.Wait::startNanos));
        List<SchedulerLatency.WaitStack> stacks = new ArrayList<>();
        byStack.forEach((k, v) -> stacks.add(new SchedulerLatency.WaitStack(k, v[0], v[1], v[2])));
        stacks.sort(Comparator.comparingLong(SchedulerLatency.WaitStack::totalNanos).reversed());
        long span = Math.max(0, last - first);
        return new SchedulerLatency(waits.summary(), List.copyOf(w),
                List.copyOf(stacks.subList(0, Math.min(TOP_STACKS, stacks.size()))), maxRunnable,
                span == 0 ? 0 : runnableArea / span, maxProcs, span == 0 ? 0 : (double) overProcsTime / span);
    }
}
