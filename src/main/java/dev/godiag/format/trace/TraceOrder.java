package dev.godiag.format.trace;

import dev.godiag.model.trace.GoState;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.util.BadInputException;
import dev.godiag.util.LongObjectMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Go's ordering of a trace's events (internal/trace's {@code ordering}): the scheduler state of
 * every goroutine, P and thread (M), which an event may only change when its preconditions hold
 * (a GoStart needs its goroutine runnable and the next sequence number, a GoSyscallEndBlocked
 * needs its P taken away, ...). {@link #advance} either takes an event, appending what it means
 * to the output (with the goroutine and P it acts on, and the extra events Go derives: a GoSwitch
 * is an unblock, a block and a start), or refuses it for now (false: another thread's event must
 * come first). An event that can never be valid throws {@link BadInputException} with Go's words.
 *
 * <p>The state lives across generations, as in Go: statuses carried over, sequence numbers reset
 * by each generation's status events; goroutines that end are dropped, so memory follows the
 * live goroutines, Ps and threads, not the trace's length.
 */
final class TraceOrder {
    static final long NONE = -1;

    // tracev2's goroutine and P status values on the wire
    private static final int G_RUNNABLE = 1;
    private static final int G_RUNNING = 2;
    private static final int G_SYSCALL = 3;
    private static final int G_WAITING = 4;
    private static final int P_RUNNING = 1;
    private static final int P_IDLE = 2;
    private static final int P_SYSCALL = 3;
    private static final int P_SYSCALL_ABANDONED = 4;
    private static final String[] G_NAMES = {"Bad", "Runnable", "Running", "Syscall", "Waiting"};
    private static final String[] P_NAMES = {"Bad", "Running", "Idle", "Syscall", "SyscallAbandoned"};

    private enum Need { NOT, MAY, MUST }

    private enum Gc { UNDETERMINED, NOT_RUNNING, RUNNING }

    /**
     * One event in Go's order with the context it acts in: {@code source} is the written event
     * (for derived events, the one they came from), {@code type}, {@code time} and {@code args}
     * what Go's reader reports (time before Go's strictly-increasing fix-up). {@code from} is the
     * state before a status or steal as Go names it; {@code extra} the STW kind string id of an
     * STWEnd or the parent of a UserTaskEnd; {@code text} the task type of a UserTaskEnd.
     */
    record Ordered(TraceEvent source, TraceEventType type, long time, long g, long p, long m, long[] args,
                   String from, long extra, String text) {
        /** True for the events Go derives (a GoSwitch's block and start, a GoDestroySyscall's steal). */
        boolean derived() {
            return type != source.type();
        }
    }

    private static class Ranges {
        final List<long[]> inFlight = new ArrayList<>(1);

        boolean has(long type, long desc) {
            for (long[] r : inFlight) {
                if (r[0] == type && r[1] == desc) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class GState extends Ranges {
        final long id;
        int status;
        long seqGen;
        long seq;
        final List<Object[]> regions = new ArrayList<>(0);

        GState(long id, int status, long gen) {
            this.id = id;
            this.status = status;
            this.seqGen = gen;
        }
    }

    private static final class PState extends Ranges {
        int status;
        long seqGen;
        long seq;

        PState(int status, long gen) {
            this.status = status;
            this.seqGen = gen;
        }
    }

    private static final class MState {
        final long id;
        long g = NONE;
        long p = NONE;

        MState(long id) {
            this.id = id;
        }
    }

    private final LongObjectMap<GState> gStates = new LongObjectMap<>();
    private final LongObjectMap<PState> pStates = new LongObjectMap<>();
    private final LongObjectMap<MState> mStates = new LongObjectMap<>();
    /** The threads in the order first seen (Go's search for a P's thread goes in this order). */
    private final List<MState> mOrder = new ArrayList<>();
    private final LongObjectMap<Object[]> activeTasks = new LongObjectMap<>();
    private long gcSeq;
    private Gc gcState = Gc.UNDETERMINED;
    private long initialGen;

    // the event being advanced: its context and where its output goes
    private TraceEvent ev;
    private long[] args;
    private long gen;
    private Map<Long, String> strings;
    private List<Ordered> out;
    private long curG;
    private long curP;
    private long curM;
    // the thread's P and goroutine after the event (set by the handler that takes it)
    private long nextP;
    private long nextG;

    /**
     * Tries to take {@code e}, written by its thread in generation {@code gen} whose string table is
     * {@code strings}; on success appends the events it stands for to {@code out} and returns true.
     *
     * @throws BadInputException when the event breaks the scheduler's rules (Go's reader fails there too)
     */
    boolean advance(TraceEvent e, long gen, Map<Long, String> strings, List<Ordered> out) {
        if (initialGen == 0) {
            initialGen = gen;
        }
        this.ev = e;
        // shared with the event: the two handlers that rewrite an argument copy them first
        this.args = e.args();
        this.gen = gen;
        this.strings = strings;
        this.out = out;
        long m = e.thread();
        MState ms = null;
        curM = m;
        curG = NONE;
        curP = NONE;
        if (m != NONE) {
            ms = thread(m);
            curG = ms.g;
            curP = ms.p;
        }
        boolean taken = dispatch();
        if (taken && ms != null) {
            ms.p = nextP;
            ms.g = nextG;
        }
        return taken;
    }

    private MState thread(long m) {
        MState ms = mStates.get(m);
        if (ms == null) {
            ms = new MState(m);
            mStates.put(m, ms);
            mOrder.add(ms);
        }
        return ms;
    }

    /** True when the event is taken ({@link #nextP}, {@link #nextG} set), false when it must wait. */
    private boolean dispatch() {
        return switch (ev.type()) {
            case PROCS_CHANGE, GO_LABEL, USER_LOG -> annotation();
            case PROC_START -> procStart();
            case PROC_STOP -> procStop();
            case PROC_STEAL -> procSteal();
            case PROC_STATUS -> procStatus();
            case GO_CREATE, GO_CREATE_BLOCKED -> goCreate();
            case GO_CREATE_SYSCALL -> goCreateSyscall();
            case GO_START -> goStart();
            case GO_DESTROY, GO_STOP, GO_BLOCK -> goStopExec();
            case GO_DESTROY_SYSCALL -> goDestroySyscall();
            case GO_UNBLOCK -> goUnblock();
            case GO_SYSCALL_BEGIN -> goSyscallBegin();
            case GO_SYSCALL_END -> goSyscallEnd();
            case GO_SYSCALL_END_BLOCKED -> goSyscallEndBlocked();
            case GO_STATUS, GO_STATUS_STACK -> goStatus();
            case STW_BEGIN, GC_MARK_ASSIST_BEGIN -> goRangeBegin();
            case STW_END, GC_MARK_ASSIST_END -> goRangeEnd();
            case GC_MARK_ASSIST_ACTIVE -> goRangeActive();
            case GC_ACTIVE -> gcActive();
            case GC_BEGIN -> gcBegin();
            case GC_END -> gcEnd();
            case GC_SWEEP_BEGIN -> sweepBegin();
            case GC_SWEEP_ACTIVE -> sweepActive();
            case GC_SWEEP_END -> sweepEnd();
            case HEAP_ALLOC, HEAP_GOAL -> heapMetric();
            case USER_TASK_BEGIN -> taskBegin();
            case USER_TASK_END -> taskEnd();
            case USER_REGION_BEGIN, USER_REGION_END -> region();
            case GO_SWITCH, GO_SWITCH_DESTROY -> goSwitch();
        };
    }

    private boolean stay() {
        return become(curP, curG);
    }

    private boolean become(long p, long g) {
        nextP = p;
        nextG = g;
        return true;
    }

    private void emit() {
        emit(ev.type(), args, null, 0, null);
    }

    private void emit(TraceEventType type, long[] a, String from, long extra, String text) {
        out.add(new Ordered(ev, type, ev.time(), curG, curP, curM, a, from, extra, text));
    }

    private BadInputException fail(String goMessage) {
        return new BadInputException("invalid trace: " + goMessage + " (" + ev.type().goName() + " at "
                + ev.time() + " ns on thread " + ev.thread() + ", generation " + gen + ")");
    }

    private void check(Need m, Need p, Need g) {
        if (m == Need.MUST && curM == NONE) {
            throw fail("expected a thread but didn't have one");
        }
        if (p == Need.MUST && curP == NONE) {
            throw fail("expected a proc but didn't have one");
        } else if (p == Need.NOT && curP != NONE) {
            throw fail("expected no proc but had one");
        }
        if (g == Need.MUST && curG == NONE) {
            throw fail("expected a goroutine but didn't have one");
        } else if (g == Need.NOT && curG != NONE) {
            throw fail("expected no goroutine but had one");
        }
    }

    private void checkUserGo() {
        check(Need.MUST, Need.MUST, Need.MUST);
    }

    private boolean succeeds(long seq, long prevGen, long prevSeq) {
        return gen == prevGen && seq == prevSeq + 1;
    }

    private static String gName(long status) {
        return status >= 0 && status < G_NAMES.length ? G_NAMES[(int) status] : "Bad(" + status + ")";
    }

    private static String pName(long status) {
        return status >= 0 && status < P_NAMES.length ? P_NAMES[(int) status] : "Bad(" + status + ")";
    }

    private String name(TraceEventType t) {
        return t.goName();
    }

    private boolean procStatus() {
        long pid = args[0];
        long status = args[1];
        if (status < 0 || status > P_SYSCALL_ABANDONED) {
            throw fail("invalid status for proc " + pid + ": " + status);
        }
        String old = procState(status);
        PState s = pStates.get(pid);
        if (s != null) {
            if (status == P_SYSCALL_ABANDONED && s.status == P_SYSCALL) {
                // still in the syscall Go saw: nothing lost, the P stays Running until stolen
                old = "Running";
                args = args.clone();
                args[1] = P_SYSCALL;
            } else if (status == P_SYSCALL_ABANDONED && s.status == P_SYSCALL_ABANDONED) {
                old = "Idle";
            } else if (s.status != status) {
                throw fail("inconsistent status for proc " + pid + ": old " + pName(s.status) + " vs. new "
                        + pName(status));
            }
            s.seqGen = gen;
            s.seq = 0;
        } else {
            pStates.put(pid, new PState((int) status, gen));
            old = gen == initialGen ? "Undetermined" : "NotExist";
        }
        long newP = curP;
        if (status == P_RUNNING || status == P_SYSCALL) {
            newP = pid;
        }
        long newG = curG;
        if (status == P_SYSCALL_ABANDONED && old.equals("Running")) {
            // the status of a P about to be stolen: it belongs to the thread the P is bound to
            boolean found = false;
            for (MState m : mOrder) {
                if (m.p == pid) {
                    curM = m.id;
                    curP = pid;
                    curG = m.g;
                    found = true;
                }
            }
            if (!found) {
                throw fail("failed to find sched context for proc " + pid + " that's about to be stolen");
            }
        }
        emit(ev.type(), args, old, 0, null);
        return become(newP, newG);
    }

    /** Go's ProcState for a wire status: a P in a syscall is Running, an abandoned one Idle. */
    private static String procState(long status) {
        return switch ((int) status) {
            case P_RUNNING, P_SYSCALL -> "Running";
            case P_IDLE, P_SYSCALL_ABANDONED -> "Idle";
            default -> "Undetermined";
        };
    }

    private boolean procStart() {
        long pid = args[0];
        PState s = pStates.get(pid);
        if (s == null || s.status != P_IDLE || !succeeds(args[1], s.seqGen, s.seq) || curP != NONE) {
            return false;
        }
        check(Need.MUST, Need.NOT, Need.MAY);
        s.status = P_RUNNING;
        s.seqGen = gen;
        s.seq = args[1];
        emit();
        return become(pid, curG);
    }

    private boolean procStop() {
        PState s = pStates.get(curP);
        if (s == null) {
            throw fail("event ProcStop for proc (" + curP + ") that doesn't exist");
        }
        if (s.status != P_RUNNING && s.status != P_SYSCALL) {
            throw fail("ProcStop event for proc that's not Running or Syscall");
        }
        check(Need.MUST, Need.MUST, Need.MAY);
        s.status = P_IDLE;
        emit();
        return become(NONE, curG);
    }

    private boolean procSteal() {
        long pid = args[0];
        PState s = pStates.get(pid);
        if (s == null || (s.status != P_SYSCALL && s.status != P_SYSCALL_ABANDONED)
                || !succeeds(args[1], s.seqGen, s.seq)) {
            return false;
        }
        check(Need.MUST, Need.MAY, Need.MAY);
        int old = s.status;
        s.status = P_IDLE;
        s.seqGen = gen;
        s.seq = args[1];
        if (old == P_SYSCALL_ABANDONED) {
            // the M may have moved on: the P is idle and the thread is left alone
            emit(ev.type(), args, "Idle", 0, null);
            return stay();
        }
        long mid = args[2];
        if (mid == curM) {
            if (curP != pid) {
                throw fail("tried to self-steal proc " + pid + " (thread " + mid + "), but got proc " + curP
                        + " instead");
            }
            emit(ev.type(), args, "Running", 0, null);
            return become(NONE, curG);
        }
        MState from = mStates.get(mid);
        if (from == null) {
            throw fail("stole proc from non-existent thread " + mid);
        }
        if (from.p != pid) {
            throw fail("tried to steal proc " + pid + " from thread " + mid + ", but got proc " + from.p
                    + " instead");
        }
        from.p = NONE;
        emit(ev.type(), args, "Running", 0, null);
        return stay();
    }

    private boolean goStatus() {
        long gid = args[0];
        long mid = args[1];
        long status = args[2];
        if (status < 0 || status > G_WAITING) {
            throw fail("invalid status for goroutine " + gid + ": " + status);
        }
        String old = goState(status);
        GState s = gStates.get(gid);
        if (s != null) {
            if (s.status != status) {
                throw fail("inconsistent status for goroutine " + gid + ": old " + gName(s.status) + " vs. new "
                        + gName(status));
            }
            s.seqGen = gen;
            s.seq = 0;
        } else if (gen == initialGen) {
            gStates.put(gid, new GState(gid, (int) status, gen));
            old = "Undetermined";
        } else {
            throw fail("found goroutine status for new goroutine after the first generation: id=" + gid
                    + " status=" + gName(status));
        }
        long newG = curG;
        if (status == G_RUNNING) {
            newG = gid;
        } else if (status == G_SYSCALL) {
            if (mid == NONE) {
                throw fail("found goroutine " + gid + " in syscall without a thread");
            }
            if (mid == curM) {
                if (gen != initialGen && curG != gid) {
                    throw fail("inconsistent thread for syscalling goroutine " + gid + ": thread has goroutine "
                            + curG);
                }
                newG = gid;
            } else {
                // a goroutine in a syscall on another thread for the whole generation
                MState other = mStates.get(mid);
                if (other != null) {
                    if (other.g != gid) {
                        throw fail("inconsistent thread for syscalling goroutine " + gid
                                + ": thread has goroutine " + other.g);
                    }
                    curG = other.g;
                } else {
                    thread(mid).g = gid;
                }
                curM = mid;
            }
        }
        emit(ev.type(), args, old, 0, null);
        return become(curP, newG);
    }

    /** Go's GoState for a wire status; 0 (Bad) is Go's zero state, Undetermined. */
    private static String goState(long status) {
        return status == 0 ? GoState.UNDETERMINED.goName() : GoState.of(status).goName();
    }

    private boolean goCreate() {
        check(Need.MUST, Need.MUST, Need.MAY);
        GState cur = gStates.get(curG);
        if (cur != null && cur.status != G_RUNNING) {
            throw fail(name(ev.type()) + " event for goroutine that's not Running");
        }
        long newG = args[0];
        if (gStates.containsKey(newG)) {
            throw fail("tried to create goroutine (" + newG + ") that already exists");
        }
        int status = ev.type() == TraceEventType.GO_CREATE_BLOCKED ? G_WAITING : G_RUNNABLE;
        gStates.put(newG, new GState(newG, status, gen));
        emit();
        return stay();
    }

    private GState running(String what) {
        GState s = gStates.get(curG);
        if (s == null) {
            throw fail("event " + name(ev.type()) + " for goroutine (" + curG + ") that doesn't exist");
        }
        if (s.status != (what.equals("Syscall") ? G_SYSCALL : G_RUNNING)) {
            throw fail(name(ev.type()) + " event for goroutine that's not " + what);
        }
        return s;
    }

    private boolean goStopExec() {
        checkUserGo();
        GState s = running("Running");
        switch (ev.type()) {
            case GO_DESTROY -> gStates.remove(curG);
            case GO_STOP -> s.status = G_RUNNABLE;
            default -> s.status = G_WAITING;
        }
        emit();
        return become(curP, NONE);
    }

    private boolean goStart() {
        long gid = args[0];
        GState s = gStates.get(gid);
        if (s == null || s.status != G_RUNNABLE || !succeeds(args[1], s.seqGen, s.seq)) {
            return false;
        }
        check(Need.MUST, Need.MUST, Need.NOT);
        s.status = G_RUNNING;
        s.seqGen = gen;
        s.seq = args[1];
        emit();
        return become(curP, gid);
    }

    private boolean goUnblock() {
        GState s = gStates.get(args[0]);
        if (s == null || s.status != G_WAITING || !succeeds(args[1], s.seqGen, s.seq)) {
            return false;
        }
        s.status = G_RUNNABLE;
        s.seqGen = gen;
        s.seq = args[1];
        emit();
        return stay();
    }

    private boolean goSwitch() {
        checkUserGo();
        GState cur = running("Running");
        long nextG = args[0];
        GState next = gStates.get(nextG);
        if (next == null || next.status != G_WAITING || !succeeds(args[1], next.seqGen, next.seq)) {
            return false;
        }
        emit();
        if (ev.type() == TraceEventType.GO_SWITCH) {
            cur.status = G_WAITING;
            emit(TraceEventType.GO_BLOCK, new long[] {0, 0}, null, 0, null);
        } else {
            gStates.remove(curG);
            emit(TraceEventType.GO_DESTROY, new long[0], null, 0, null);
        }
        next.status = G_RUNNING;
        next.seqGen = gen;
        next.seq = args[1];
        long g = curG;
        curG = NONE;
        emit(TraceEventType.GO_START, new long[] {nextG, args[1]}, null, 0, null);
        curG = g;
        return become(curP, nextG);
    }

    private boolean goSyscallBegin() {
        checkUserGo();
        GState s = running("Running");
        s.status = G_SYSCALL;
        PState p = pStates.get(curP);
        if (p == null) {
            throw fail("uninitialized proc " + curP + " found during GoSyscallBegin");
        }
        p.status = P_SYSCALL;
        if (!succeeds(args[0], p.seqGen, p.seq)) {
            throw fail("failed to advance GoSyscallBegin: can't make sequence: " + p.seq + " (gen=" + p.seqGen
                    + ") -> " + args[0] + " (gen=" + gen + ")");
        }
        p.seqGen = gen;
        p.seq = args[0];
        emit();
        return stay();
    }

    private boolean goSyscallEnd() {
        checkUserGo();
        GState s = running("Syscall");
        s.status = G_RUNNING;
        PState p = pStates.get(curP);
        if (p == null) {
            throw fail("uninitialized proc " + curP + " found during GoSyscallEnd");
        }
        if (p.status != P_SYSCALL) {
            throw fail("expected proc " + curP + " in state Syscall, but got " + pName(p.status) + " instead");
        }
        p.status = P_RUNNING;
        emit();
        return stay();
    }

    private boolean goSyscallEndBlocked() {
        if (curP != NONE) {
            PState p = pStates.get(curP);
            if (p == null) {
                throw fail("uninitialized proc " + curP + " found during GoSyscallEndBlocked");
            }
            if (p.status == P_SYSCALL) {
                // the P is still to be stolen or stopped: wait for that
                return false;
            }
        }
        check(Need.MUST, Need.MAY, Need.MUST);
        GState s = running("Syscall");
        s.status = G_RUNNABLE;
        emit();
        return become(curP, NONE);
    }

    private boolean goCreateSyscall() {
        check(Need.MUST, Need.MAY, Need.NOT);
        long newG = args[0];
        if (gStates.containsKey(newG)) {
            throw fail("tried to create goroutine (" + newG + ") in syscall that already exists");
        }
        gStates.put(newG, new GState(newG, G_SYSCALL, gen));
        emit();
        return become(curP, newG);
    }

    private boolean goDestroySyscall() {
        check(Need.MUST, Need.MAY, Need.MUST);
        running("Syscall");
        gStates.remove(curG);
        long newP = curP;
        if (curP != NONE) {
            PState p = pStates.get(curP);
            if (p == null) {
                throw fail("found invalid proc " + curP + " during GoDestroySyscall");
            }
            if (p.status != P_SYSCALL) {
                throw fail("proc " + curP + " in unexpected state " + pName(p.status) + " during GoDestroySyscall");
            }
            // the thread id may be reused: the P is left abandoned, as if stolen from this thread
            p.status = P_SYSCALL_ABANDONED;
            newP = NONE;
            emit(TraceEventType.PROC_STEAL, new long[] {curP, 0, 0}, "Running", 0, null);
        }
        emit();
        return become(newP, NONE);
    }

    private boolean taskBegin() {
        long id = args[0];
        if (activeTasks.containsKey(id)) {
            throw fail("task ID conflict: " + id);
        }
        long parent = args[1] == 0 ? NONE : args[1];
        args = args.clone();
        args[1] = parent;
        String name = string(args[2]);
        activeTasks.put(id, new Object[] {name, parent});
        checkUserGo();
        emit();
        return stay();
    }

    private boolean taskEnd() {
        Object[] task = activeTasks.remove(args[0]);
        checkUserGo();
        emit(ev.type(), args, null, task == null ? NONE : (long) task[1], task == null ? "" : (String) task[0]);
        return stay();
    }

    private boolean region() {
        checkUserGo();
        String name = string(args[1]);
        GState s = gStates.get(curG);
        if (s == null) {
            throw fail("encountered Ev" + name(ev.type()) + " without known state for current goroutine " + curG);
        }
        Object[] r = {args[0], name};
        if (ev.type() == TraceEventType.USER_REGION_BEGIN) {
            s.regions.add(r);
        } else if (!s.regions.isEmpty()) {
            Object[] inner = s.regions.getLast();
            if (!(Objects.equals(inner[0], r[0]) && inner[1].equals(r[1]))) {
                throw fail("misuse of region in goroutine " + s.id + ": region end {" + r[0] + " " + r[1]
                        + "} when the inner-most active region start event is {" + inner[0] + " " + inner[1] + "}");
            }
            s.regions.removeLast();
        }
        emit();
        return stay();
    }

    private String string(long id) {
        String s = id == 0 ? "" : strings.get(id);
        if (s == null) {
            throw fail("invalid string ID " + id + " for " + name(ev.type()) + " event");
        }
        return s;
    }

    private boolean gcActive() {
        long seq = args[0];
        if (gen == initialGen) {
            if (gcState != Gc.UNDETERMINED) {
                throw fail("GCActive in the first generation isn't first GC event");
            }
            gcSeq = seq;
            gcState = Gc.RUNNING;
            emit();
            return stay();
        }
        if (seq != gcSeq + 1) {
            return false;
        }
        if (gcState != Gc.RUNNING) {
            throw fail("encountered GCActive while GC was not in progress");
        }
        gcSeq = seq;
        checkUserGo();
        emit();
        return stay();
    }

    private boolean gcBegin() {
        long seq = args[0];
        if (gcState == Gc.UNDETERMINED) {
            gcSeq = seq;
            gcState = Gc.RUNNING;
            emit();
            return stay();
        }
        if (seq != gcSeq + 1) {
            return false;
        }
        if (gcState == Gc.RUNNING) {
            throw fail("encountered GCBegin while GC was already in progress");
        }
        gcSeq = seq;
        gcState = Gc.RUNNING;
        checkUserGo();
        emit();
        return stay();
    }

    private boolean gcEnd() {
        long seq = args[0];
        if (seq != gcSeq + 1) {
            return false;
        }
        if (gcState == Gc.NOT_RUNNING) {
            throw fail("encountered GCEnd when GC was not in progress");
        }
        if (gcState == Gc.UNDETERMINED) {
            throw fail("encountered GCEnd when GC was in an undetermined state");
        }
        gcSeq = seq;
        gcState = Gc.NOT_RUNNING;
        checkUserGo();
        emit();
        return stay();
    }

    private boolean annotation() {
        checkUserGo();
        emit();
        return stay();
    }

    private boolean heapMetric() {
        check(Need.MUST, Need.MUST, Need.MAY);
        emit();
        return stay();
    }

    private static final long SWEEP = TraceEventType.GC_SWEEP_BEGIN.code();

    private boolean sweepBegin() {
        check(Need.MUST, Need.MUST, Need.MAY);
        beginRange(pStates.get(curP), SWEEP, 0);
        emit();
        return stay();
    }

    private boolean sweepActive() {
        long pid = args[0];
        PState p = pStates.get(pid);
        if (p == null) {
            throw fail("encountered GCSweepActive for unknown proc " + pid);
        }
        activeRange(p, SWEEP);
        emit();
        return stay();
    }

    private boolean sweepEnd() {
        check(Need.MUST, Need.MUST, Need.MAY);
        endRange(pStates.get(curP), SWEEP);
        emit();
        return stay();
    }

    private long rangeStart() {
        return switch (ev.type()) {
            case STW_BEGIN, STW_END -> TraceEventType.STW_BEGIN.code();
            default -> TraceEventType.GC_MARK_ASSIST_BEGIN.code();
        };
    }

    private boolean goRangeBegin() {
        checkUserGo();
        long desc = ev.type() == TraceEventType.STW_BEGIN ? args[0] : 0;
        GState s = gStates.get(curG);
        if (s == null) {
            throw fail("encountered event of type " + ev.type().code() + " without known state for current goroutine "
                    + curG);
        }
        beginRange(s, rangeStart(), desc);
        emit();
        return stay();
    }

    private boolean goRangeActive() {
        long gid = args[0];
        GState s = gStates.get(gid);
        if (s == null) {
            throw fail("uninitialized goroutine " + gid + " found during " + name(ev.type()));
        }
        activeRange(s, rangeStart());
        emit();
        return stay();
    }

    private boolean goRangeEnd() {
        checkUserGo();
        GState s = gStates.get(curG);
        if (s == null) {
            throw fail("encountered event of type " + ev.type().code() + " without known state for current goroutine "
                    + curG);
        }
        long desc = endRange(s, rangeStart());
        emit(ev.type(), args, null, desc, null);
        return stay();
    }

    private void beginRange(Ranges r, long type, long desc) {
        if (r == null) {
            // Go's reader would fail on a nil P state here; a P with a context always has one
            throw fail("range on a proc without a status");
        }
        if (r.has(type, desc)) {
            throw fail("discovered event already in-flight for when starting event " + startName(type));
        }
        r.inFlight.add(new long[] {type, desc});
    }

    private void activeRange(Ranges r, long type) {
        if (gen == initialGen) {
            if (r.has(type, 0)) {
                throw fail("found named active range already in first gen: " + startName(type));
            }
            r.inFlight.add(new long[] {type, 0});
        } else if (!r.has(type, 0)) {
            throw fail("resource is missing active range: " + name(ev.type()));
        }
    }

    private long endRange(Ranges r, long type) {
        if (r == null) {
            throw fail("range on a proc without a status");
        }
        for (int i = 0; i < r.inFlight.size(); i++) {
            if (r.inFlight.get(i)[0] == type) {
                long desc = r.inFlight.get(i)[1];
                // Go's swap-remove, so that later ends find ranges in Go's order
                r.inFlight.set(i, r.inFlight.getLast());
                r.inFlight.removeLast();
                return desc;
            }
        }
        throw fail("tried to end event " + startName(type) + ", but not in-flight");
    }

    private static String startName(long code) {
        TraceEventType t = TraceEventType.of((int) code, 99);
        return t == null ? String.valueOf(code) : t.goName();
    }
}
