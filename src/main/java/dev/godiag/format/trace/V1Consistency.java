package dev.godiag.format.trace;

import dev.godiag.format.trace.V1TraceParser.Damage;
import dev.godiag.format.trace.V1TraceParser.Trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's v1 post-processing of an ordered old-format trace: checks the scheduler's story holds (a P
 * runs one goroutine at a time, a goroutine runs before it blocks and waits before it is unblocked,
 * GCs, stops and sweeps begin before they end, regions nest) and fails on the first contradiction,
 * as Go does; on the way it moves GC starts to the GC's fake P and unblocks of network waits to
 * the netpoller's, and drops stack ids the stack table lacks.
 */
final class V1Consistency {
    private static final int DEAD = 0;
    private static final int RUNNABLE = 1;
    private static final int RUNNING = 2;
    private static final int WAITING = 3;

    private static final class G {
        int state;
        int ev = -1;
        int evStart = -1;
        int evCreate = -1;
        int evMarkAssist = -1;
    }

    private static final class P {
        boolean running;
        long g;
        int evSweep = -1;
    }

    private final Trace t;
    private final Map<Long, G> gs = new HashMap<>();
    private final Map<Integer, P> ps = new HashMap<>();
    private final Map<Long, Integer> tasks = new HashMap<>();
    private final Map<Long, List<Integer>> activeRegions = new HashMap<>();

    V1Consistency(Trace t) {
        this.t = t;
    }

    void check() {
        G g0 = new G();
        g0.state = RUNNING;
        gs.put(0L, g0);
        int evGc = -1;
        int evStw = -1;
        for (int i = 0; i < t.count; i++) {
            int ev = t.order[i];
            int type = t.type[ev];
            long goid = t.goroutine[ev];
            switch (type) {
                case V1TraceParser.EV_PROC_START -> {
                    P p = p(ev);
                    if (p.running) {
                        throw fail("p %d is running before start", t.proc[ev], ev);
                    }
                    p.running = true;
                }
                case V1TraceParser.EV_PROC_STOP -> {
                    P p = p(ev);
                    if (!p.running) {
                        throw fail("p %d is not running before stop", t.proc[ev], ev);
                    }
                    if (p.g != 0) {
                        throw fail("p %d is running a goroutine during stop", t.proc[ev], ev);
                    }
                    p.running = false;
                }
                case V1TraceParser.EV_GC_START -> {
                    if (evGc != -1) {
                        throw fail("previous GC is not ended before a new one", 0, ev);
                    }
                    evGc = ev;
                    t.proc[ev] = V1TraceParser.GC_P;
                }
                case V1TraceParser.EV_GC_DONE -> {
                    if (evGc == -1) {
                        throw fail("bogus GC end", 0, ev);
                    }
                    evGc = -1;
                }
                case V1TraceParser.EV_STW_START -> {
                    if (evStw != -1) {
                        throw fail("previous STW is not ended before a new one", 0, ev);
                    }
                    evStw = ev;
                }
                case V1TraceParser.EV_STW_DONE -> {
                    if (evStw == -1) {
                        throw fail("bogus STW end", 0, ev);
                    }
                    evStw = -1;
                }
                case V1TraceParser.EV_GC_SWEEP_START -> {
                    P p = p(ev);
                    if (p.evSweep != -1) {
                        throw fail("previous sweeping is not ended before a new one", 0, ev);
                    }
                    p.evSweep = ev;
                }
                case V1TraceParser.EV_GC_MARK_ASSIST_START -> {
                    G g = g(goid);
                    if (g.evMarkAssist != -1) {
                        throw fail("previous mark assist is not ended before a new one", 0, ev);
                    }
                    g.evMarkAssist = ev;
                }
                // mark assists may be under way when tracing starts: an end alone is fine
                case V1TraceParser.EV_GC_MARK_ASSIST_DONE -> g(goid).evMarkAssist = -1;
                case V1TraceParser.EV_GC_SWEEP_DONE -> {
                    P p = p(ev);
                    if (p.evSweep == -1) {
                        throw fail("bogus sweeping end", 0, ev);
                    }
                    p.evSweep = -1;
                }
                case V1TraceParser.EV_GO_WAITING, V1TraceParser.EV_GO_IN_SYSCALL -> {
                    G g = peek(goid);
                    if (g.state != RUNNABLE) {
                        throw fail("g %d is not runnable before it is found waiting or in a syscall", goid, ev);
                    }
                    g = g(goid);
                    g.state = WAITING;
                    g.ev = ev;
                }
                case V1TraceParser.EV_GO_CREATE -> {
                    checkRunning(ps.get(t.proc[ev]), peek(goid), ev, true);
                    if (gs.containsKey(t.arg0[ev])) {
                        throw fail("g %d already exists", t.arg0[ev], ev);
                    }
                    G created = new G();
                    created.state = RUNNABLE;
                    created.ev = ev;
                    created.evCreate = ev;
                    gs.put(t.arg0[ev], created);
                }
                case V1TraceParser.EV_GO_START, V1TraceParser.EV_GO_START_LABEL -> {
                    if (peek(goid).state != RUNNABLE) {
                        throw fail("g %d is not runnable before start", goid, ev);
                    }
                    P p = p(ev);
                    if (p.g != 0) {
                        throw fail("p %d is already running a goroutine while it starts another", t.proc[ev], ev);
                    }
                    G g = g(goid);
                    g.state = RUNNING;
                    g.evStart = ev;
                    p.g = goid;
                    if (g.evCreate != -1) {
                        t.stack[ev] = (int) t.arg1[g.evCreate];
                        g.evCreate = -1;
                    }
                    g.ev = -1;
                }
                case V1TraceParser.EV_GO_END, V1TraceParser.EV_GO_STOP -> {
                    checkRunning(ps.get(t.proc[ev]), peek(goid), ev, false);
                    G g = g(goid);
                    g.evStart = -1;
                    g.state = DEAD;
                    p(ev).g = 0;
                    if (type == V1TraceParser.EV_GO_END) {
                        activeRegions.remove(goid);
                    }
                }
                case V1TraceParser.EV_GO_SCHED, V1TraceParser.EV_GO_PREEMPT -> {
                    checkRunning(ps.get(t.proc[ev]), peek(goid), ev, false);
                    G g = g(goid);
                    g.state = RUNNABLE;
                    g.evStart = -1;
                    p(ev).g = 0;
                    g.ev = ev;
                }
                case V1TraceParser.EV_GO_UNBLOCK -> {
                    if (peek(goid).state != RUNNING) {
                        throw fail("g %d is not running while unpark", goid, ev);
                    }
                    P p = ps.get(t.proc[ev]);
                    if (t.proc[ev] != V1TraceParser.TIMER_P && (p == null ? 0 : p.g) != goid) {
                        throw fail("p %d is not running the unparking goroutine", t.proc[ev], ev);
                    }
                    long target = t.arg0[ev];
                    if (peek(target).state != WAITING) {
                        throw fail("g %d is not waiting before unpark", target, ev);
                    }
                    G g1 = g(target);
                    if (g1.ev != -1 && t.type[g1.ev] == V1TraceParser.EV_GO_BLOCK_NET) {
                        t.proc[ev] = V1TraceParser.NETPOLL_P;
                    }
                    g1.state = RUNNABLE;
                    g1.ev = ev;
                }
                case V1TraceParser.EV_GO_SYS_CALL -> {
                    checkRunning(ps.get(t.proc[ev]), peek(goid), ev, false);
                    g(goid).ev = ev;
                }
                case V1TraceParser.EV_GO_SYS_BLOCK -> {
                    checkRunning(ps.get(t.proc[ev]), peek(goid), ev, false);
                    G g = g(goid);
                    g.state = WAITING;
                    g.evStart = -1;
                    p(ev).g = 0;
                }
                case V1TraceParser.EV_GO_SYS_EXIT -> {
                    if (peek(goid).state != WAITING) {
                        throw fail("g %d is not waiting during syscall exit", goid, ev);
                    }
                    G g = g(goid);
                    g.state = RUNNABLE;
                    g.ev = ev;
                }
                case V1TraceParser.EV_GO_SLEEP, V1TraceParser.EV_GO_BLOCK, V1TraceParser.EV_GO_BLOCK_SEND,
                     V1TraceParser.EV_GO_BLOCK_RECV, V1TraceParser.EV_GO_BLOCK_SELECT,
                     V1TraceParser.EV_GO_BLOCK_SYNC, V1TraceParser.EV_GO_BLOCK_COND,
                     V1TraceParser.EV_GO_BLOCK_NET, V1TraceParser.EV_GO_BLOCK_GC -> {
                    checkRunning(ps.get(t.proc[ev]), peek(goid), ev, false);
                    G g = g(goid);
                    g.state = WAITING;
                    g.ev = ev;
                    g.evStart = -1;
                    p(ev).g = 0;
                }
                case V1TraceParser.EV_USER_TASK_CREATE -> {
                    if (tasks.putIfAbsent(t.arg0[ev], ev) != null) {
                        throw fail("task id conflicts (id:%d)", t.arg0[ev], ev);
                    }
                }
                case V1TraceParser.EV_USER_TASK_END -> tasks.remove(t.arg0[ev]);
                case V1TraceParser.EV_USER_REGION -> region(ev, goid);
                default -> {
                }
            }
            long stack = Integer.toUnsignedLong(t.stack[ev]);
            if (stack != 0 && !t.stacks.containsKey(stack)) {
                t.stack[ev] = 0;
            }
        }
    }

    private void region(int ev, long goid) {
        long mode = t.arg1[ev];
        List<Integer> regions = activeRegions.get(goid);
        if (mode == 0) {
            activeRegions.computeIfAbsent(goid, k -> new ArrayList<>()).add(ev);
        } else if (mode == 1) {
            if (regions != null && !regions.isEmpty()) {
                int s = regions.getLast();
                if (t.arg0[s] != t.arg0[ev] || t.arg2[s] != t.arg2[ev]) {
                    throw fail("misuse of region in goroutine %d: its end does not match the innermost begin",
                            goid, ev);
                }
                regions.removeLast();
                if (regions.isEmpty()) {
                    activeRegions.remove(goid);
                }
            }
        } else {
            throw fail("invalid user region mode %d", mode, ev);
        }
    }

    private void checkRunning(P p, G g, int ev, boolean allowG0) {
        long goid = t.goroutine[ev];
        if (g.state != RUNNING) {
            throw fail("g %d is not running while it acts", goid, ev);
        }
        if ((p == null ? 0 : p.g) != goid) {
            throw fail("p %d is not running the goroutine that acts", t.proc[ev], ev);
        }
        if (!allowG0 && goid == 0) {
            throw fail("g 0 did an event only a goroutine does (%d)", t.type[ev], ev);
        }
    }

    /** A goroutine's state without recording it (Go reads a zero value for one it never saw). */
    private G peek(long goid) {
        G g = gs.get(goid);
        return g != null ? g : new G();
    }

    private G g(long goid) {
        return gs.computeIfAbsent(goid, k -> new G());
    }

    private P p(int ev) {
        return ps.computeIfAbsent(t.proc[ev], k -> new P());
    }

    private Damage fail(String format, long value, int ev) {
        return new Damage(String.format(format, value) + " (time " + t.time[ev] + ")");
    }
}
