package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.util.LongObjectMap;
import dev.godiag.model.trace.TraceRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutator utilization of the whole program over time, as Go 1.27's
 * {@code internal/trace.MutatorUtilizationV2} computes it with the flags {@code go tool trace}'s MMU
 * page uses by default (system view; STW, background workers and mark assist, not sweep): after each
 * event, 1 - (Ps doing GC) / GOMAXPROCS, where a stop-the-world for GC takes every P, and a P does GC
 * while it runs a background mark worker (a goroutine labelled "GC ..." other than "GC (idle)") or a
 * goroutine in a mark assist. Nothing is counted before the first GOMAXPROCS (ProcsChange) event;
 * the series ends with utilization 0 at the last event, as Go's does. A point is kept only where the
 * utilization changes (the lowest at equal times), in two primitive arrays: 16 bytes per change.
 */
public final class MutatorUtilization implements TraceConsumer {
    private static final String ASSIST = "GC mark assist";

    private long[] times = new long[1024];
    private double[] utils = new double[1024];
    private int n;

    private int[] gc = new int[0];
    private int stw;
    private int generations;
    private long lastGeneration = -1;
    private long lastTime = -1;
    private final Map<Long, String> goStates = new HashMap<>();
    private final Set<Long> inAssist = new HashSet<>();
    private final Set<Long> bgMark = new HashSet<>();
    private final LongObjectMap<Long> procOfThread = new LongObjectMap<>();
    private final Map<Long, Long> threadOfProc = new HashMap<>();
    private final Map<Long, Long> goroutineOfThread = new HashMap<>();
    private final List<long[]> procsCounts = new ArrayList<>();

    @Override
    public void accept(TraceChanges c) {
        // a generation may come in parts: consecutive changes with the same number
        if (c.generation().number() != lastGeneration) {
            generations++;
            lastGeneration = c.generation().number();
        }
        // transitions and ranges come in event order, each event's together: walk them beside the events
        List<StateTransition> transitions = c.transitions();
        List<TraceRange> ranges = c.ranges();
        int ti = 0;
        int ri = 0;
        for (TraceEvent e : c.generation().events()) {
            lastTime = e.time();
            long proc = procOf(e);
            if (e.type() == TraceEventType.PROCS_CHANGE) {
                procsChange(e.time(), (int) Math.max(0, Math.min(e.arg("procs_value"), 1 << 16)));
            }
            boolean counting = gc.length > 0;
            for (; ti < transitions.size() && transitions.get(ti).event() == e; ti++) {
                // which thread runs which P and goroutine is followed from the start, as Go's reader does
                transition(transitions.get(ti), proc, counting);
                proc = procOf(e);
            }
            for (; ri < ranges.size() && ranges.get(ri).event() == e; ri++) {
                if (counting) {
                    range(ranges.get(ri), proc);
                }
            }
            if (!counting) {
                continue; // Go counts nothing before it knows GOMAXPROCS
            }
            if (e.type() == TraceEventType.GO_LABEL) {
                String label = c.generation().string(e.arg("label_string"));
                Long g = e.hasContext() ? Long.valueOf(e.contextGoroutine()) : goroutineOfThread.get(e.thread());
                if (label.startsWith("GC ") && !label.equals("GC (idle)") && g != null) {
                    bgMark.add(g);
                    bump(proc, 1);
                }
            }
            int gcPs = 0;
            if (stw > 0) {
                gcPs = gc.length;
            } else {
                for (int v : gc) {
                    if (v > 0) {
                        gcPs++;
                    }
                }
            }
            add(e.time(), 1 - (double) gcPs / gc.length);
        }
    }

    /** The P the event happened on: an old-format event names it, else its thread's. */
    private long procOf(TraceEvent e) {
        if (e.hasContext()) {
            return e.contextProc();
        }
        Long p = procOfThread.get(e.thread());
        return p != null ? p : -1;
    }

    private void procsChange(long time, int procs) {
        if (gc.length == 0 && procs > 0) {
            add(time, 1);
        }
        gc = Arrays.copyOf(gc, procs);
        if (procsCounts.isEmpty() || procsCounts.getLast()[1] != procs) {
            procsCounts.add(new long[] {time, procs});
        }
    }

    private void transition(StateTransition t, long proc, boolean counting) {
        if (!t.goroutine()) {
            if (t.to().equals("Running")) {
                procOfThread.put(t.event().thread(), t.id());
                threadOfProc.put(t.id(), t.event().thread());
            } else if (t.from().equals("Running")) {
                Long m = threadOfProc.remove(t.id());
                Long p = m == null ? null : procOfThread.get(m);
                if (p != null && p == t.id()) {
                    procOfThread.remove(m);
                }
            }
            return;
        }
        long g = t.id();
        boolean was = executing(t.from());
        boolean is = executing(t.to());
        if (inAssist.contains(g) || bgMark.contains(g)) {
            if (!was && is) {
                bump(proc, 1);
            } else if (was && !is) {
                bump(proc, -1);
            }
        }
        if (counting) {
            goStates.put(g, t.to());
            if (t.to().equals("NotExist")) {
                goStates.remove(g);
            }
        }
        // a status event names the thread the goroutine runs on; other events run on their own thread
        long thread = t.event().type().argIndex("m") >= 0 ? t.event().arg("m") : t.event().thread();
        if (t.to().equals("Running") || t.to().equals("Syscall")) {
            goroutineOfThread.put(thread, g);
        } else if (was) {
            goroutineOfThread.remove(thread, g);
        }
    }

    private void range(TraceRange r, long proc) {
        boolean isStw = r.name().startsWith("stop-the-world") && r.name().contains("GC");
        boolean assist = r.name().equals(ASSIST);
        switch (r.edge()) {
            case "RangeActive" -> {
                if (generations > 1) {
                    return; // after a whole generation these repeat what is known: Go ignores them
                }
                if (assist && executing(goStates.getOrDefault(r.scopeId(), ""))) {
                    backdate();
                }
                begin(isStw, assist, r, proc);
            }
            case "RangeBegin" -> begin(isStw, assist, r, proc);
            case "RangeEnd" -> {
                if (isStw) {
                    stw--;
                } else if (assist) {
                    bump(proc, -1);
                    inAssist.remove(r.scopeId());
                }
            }
            default -> {
            }
        }
    }

    private void begin(boolean isStw, boolean assist, TraceRange r, long proc) {
        if (isStw) {
            stw++;
        } else if (assist) {
            bump(proc, 1);
            if (r.scopeId() >= 0) {
                inAssist.add(r.scopeId());
            }
        }
    }

    /** A mark assist running since the trace began: take 1/GOMAXPROCS off everything so far, as Go does. */
    private void backdate() {
        int pi = 0;
        for (int i = 0; i < n;) {
            if (pi < procsCounts.size() - 1 && procsCounts.get(pi + 1)[0] < times[i]) {
                pi++;
                continue;
            }
            utils[i] = Math.max(0, utils[i] - 1.0 / procsCounts.get(pi)[1]);
            i++;
        }
    }

    private void bump(long proc, int delta) {
        if (proc >= 0 && proc < gc.length) {
            gc[(int) proc] += delta;
        }
    }

    private static boolean executing(String state) {
        return state.equals("Running") || state.equals("Syscall");
    }

    private void add(long time, double util) {
        if (n > 0) {
            if (utils[n - 1] == util) {
                return;
            }
            if (times[n - 1] == time) {
                utils[n - 1] = Math.min(utils[n - 1], util);
                return;
            }
        }
        if (n == times.length) {
            times = Arrays.copyOf(times, n * 2);
            utils = Arrays.copyOf(utils, n * 2);
        }
        times[n] = time;
        utils[n] = util;
        n++;
    }

    /** The series so far, closed with utilization 0 at the last event, as an MMU curve. */
    public MmuCurve curve() {
        if (n > 0 && lastTime >= 0) {
            add(lastTime, 0);
        }
        return new MmuCurve(times, utils, n);
    }
}
