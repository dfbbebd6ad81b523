package dev.godiag.format.trace;

import dev.godiag.format.trace.V1TraceParser.Damage;
import dev.godiag.format.trace.V1TraceParser.Trace;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Merges an old-format trace's per-P event sequences into one stream as Go's v1 parser does: an
 * event may be taken once its goroutine's sequence number and status say it is ready (a GoStart
 * after the GoCreate or GoUnblock that made the goroutine runnable...), and of the ready events the
 * earliest goes first (Go's binary heap, its sift steps, so that equal times come out as in Go).
 * The "Local" variants become their plain events, as Go renames them.
 */
final class V1EventOrder {
    private static final long UNORDERED = -1;
    private static final long GARBAGE = -2;
    private static final long NO_SEQ = -1;
    private static final long SEQ_INC = -2;
    private static final int DEAD = 0;
    private static final int RUNNABLE = 1;
    private static final int RUNNING = 2;
    private static final int WAITING = 3;

    private final Trace t;
    private final int[] cursor;
    private final int[] end;
    private final Map<Long, long[]> states = new HashMap<>();
    private int[] heapEvent;
    private int[] heapProc;
    private int heapSize;

    // the transition of the event looked at: its goroutine, the state it needs and the state after
    private long g;
    private long initSeq;
    private int initStatus;
    private long nextSeq;
    private int nextStatus;

    V1EventOrder(Trace t, int[] begin, int[] end) {
        this.t = t;
        this.cursor = begin.clone();
        this.end = end;
        this.heapEvent = new int[begin.length];
        this.heapProc = new int[begin.length];
    }

    int[] merge() {
        int n = cursor.length;
        int[] available = new int[n];
        for (int i = 0; i < n; i++) {
            available[i] = i;
        }
        int availableCount = n;
        int[] out = new int[t.count];
        int outCount = 0;
        while (true) {
            for (int i = 0; i < availableCount; i++) {
                int proc = available[i];
                if (cursor[proc] == end[proc]) {
                    available[i--] = available[--availableCount];
                    continue;
                }
                int ev = cursor[proc];
                transition(ev);
                if (!ready(g, states.get(g), initSeq, initStatus)) {
                    continue;
                }
                cursor[proc]++;
                available[i] = available[availableCount - 1];
                available[availableCount - 1] = proc;
                availableCount--;
                i--;
                push(ev, proc);
            }
            if (heapSize == 0) {
                for (int p = 0; p < n; p++) {
                    if (cursor[p] != end[p]) {
                        throw new Damage("no consistent ordering of events possible");
                    }
                }
                break;
            }
            int proc = heapProc[0];
            int ev = pop();
            transition(ev);
            switch (t.type[ev]) {
                case V1TraceParser.EV_GO_START_LOCAL -> t.type[ev] = V1TraceParser.EV_GO_START;
                case V1TraceParser.EV_GO_UNBLOCK_LOCAL -> t.type[ev] = V1TraceParser.EV_GO_UNBLOCK;
                case V1TraceParser.EV_GO_SYS_EXIT_LOCAL -> t.type[ev] = V1TraceParser.EV_GO_SYS_EXIT;
                default -> {
                }
            }
            out[outCount++] = ev;
            apply();
            available[availableCount++] = proc;
        }
        for (int i = 1; i < outCount; i++) {
            if (t.time[out[i]] < t.time[out[i - 1]]) {
                throw new Damage("time stamps out of order");
            }
        }
        return out;
    }

    private static boolean ready(long g, long[] current, long initSeq, int initStatus) {
        long seq = current == null ? 0 : current[0];
        long status = current == null ? DEAD : current[1];
        return g == UNORDERED || (initSeq == NO_SEQ || initSeq == seq) && initStatus == status;
    }

    private void apply() {
        if (g == UNORDERED) {
            return;
        }
        long[] current = states.get(g);
        if (!ready(g, current, initSeq, initStatus)) {
            throw new Damage("encountered impossible goroutine state transition");
        }
        long seq = current == null ? 0 : current[0];
        long next = nextSeq == NO_SEQ ? seq : nextSeq == SEQ_INC ? seq + 1 : nextSeq;
        states.put(g, new long[] {next, nextStatus});
    }

    /** Go's stateTransition: the goroutine an event orders, the state it needs, the state after. */
    private void transition(int ev) {
        switch (t.type[ev]) {
            case V1TraceParser.EV_GO_CREATE -> set(t.arg0[ev], 0, DEAD, 1, RUNNABLE);
            case V1TraceParser.EV_GO_WAITING, V1TraceParser.EV_GO_IN_SYSCALL ->
                    set(t.goroutine[ev], 1, RUNNABLE, 2, WAITING);
            case V1TraceParser.EV_GO_START, V1TraceParser.EV_GO_START_LABEL ->
                    set(t.goroutine[ev], t.arg1[ev], RUNNABLE, t.arg1[ev] + 1, RUNNING);
            case V1TraceParser.EV_GO_START_LOCAL -> set(t.goroutine[ev], NO_SEQ, RUNNABLE, SEQ_INC, RUNNING);
            case V1TraceParser.EV_GO_BLOCK, V1TraceParser.EV_GO_BLOCK_SEND, V1TraceParser.EV_GO_BLOCK_RECV,
                 V1TraceParser.EV_GO_BLOCK_SELECT, V1TraceParser.EV_GO_BLOCK_SYNC, V1TraceParser.EV_GO_BLOCK_COND,
                 V1TraceParser.EV_GO_BLOCK_NET, V1TraceParser.EV_GO_SLEEP, V1TraceParser.EV_GO_SYS_BLOCK,
                 V1TraceParser.EV_GO_BLOCK_GC -> set(t.goroutine[ev], NO_SEQ, RUNNING, NO_SEQ, WAITING);
            case V1TraceParser.EV_GO_SCHED, V1TraceParser.EV_GO_PREEMPT ->
                    set(t.goroutine[ev], NO_SEQ, RUNNING, NO_SEQ, RUNNABLE);
            case V1TraceParser.EV_GO_UNBLOCK, V1TraceParser.EV_GO_SYS_EXIT ->
                    set(t.arg0[ev], t.arg1[ev], WAITING, t.arg1[ev] + 1, RUNNABLE);
            case V1TraceParser.EV_GO_UNBLOCK_LOCAL, V1TraceParser.EV_GO_SYS_EXIT_LOCAL ->
                    set(t.arg0[ev], NO_SEQ, WAITING, SEQ_INC, RUNNABLE);
            case V1TraceParser.EV_GC_START -> set(GARBAGE, t.arg0[ev], DEAD, t.arg0[ev] + 1, DEAD);
            default -> g = UNORDERED;
        }
    }

    private void set(long goroutine, long seq, int status, long next, int after) {
        g = goroutine;
        initSeq = seq;
        initStatus = status;
        nextSeq = next;
        nextStatus = after;
    }

    private boolean less(int i, int j) {
        return t.time[heapEvent[i]] < t.time[heapEvent[j]];
    }

    private void push(int ev, int proc) {
        if (heapSize == heapEvent.length) {
            heapEvent = Arrays.copyOf(heapEvent, heapSize * 2 + 1);
            heapProc = Arrays.copyOf(heapProc, heapSize * 2 + 1);
        }
        heapEvent[heapSize] = ev;
        heapProc[heapSize] = proc;
        int j = heapSize++;
        while (true) {
            int i = (j - 1) / 2;
            if (i == j || !less(j, i)) {
                break;
            }
            swap(i, j);
            j = i;
        }
    }

    private int pop() {
        int n = heapSize - 1;
        swap(0, n);
        int i = 0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n) {
                break;
            }
            int j = j1;
            if (j1 + 1 < n && less(j1 + 1, j1)) {
                j = j1 + 1;
            }
            if (!less(j, i)) {
                break;
            }
            swap(i, j);
            i = j;
        }
        heapSize--;
        return heapEvent[n];
    }

    private void swap(int a, int b) {
        int e = heapEvent[a];
        heapEvent[a] = heapEvent[b];
        heapEvent[b] = e;
        int p = heapProc[a];
        heapProc[a] = heapProc[b];
        heapProc[b] = p;
    }
}
