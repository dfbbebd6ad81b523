package dev.godiag.format.trace;

import dev.godiag.util.BadInputException;
import dev.godiag.util.RawUtf8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses an execution trace of the old format (Go 1.11-1.21, headers "go 1.11/1.19/1.21 trace") the
 * way Go 1.27's {@code internal/trace/internal/tracev1} does: the whole trace at once (it has no
 * generations), its per-P batches merged into one stream by the goroutine sequence numbers and
 * then by time, syscall exits moved to their real time, ticks turned into nanoseconds from the
 * first event, and the stream checked for consistency (a P runs one goroutine, a goroutine blocks
 * before it is unblocked...). Any damage fails the whole read, as in Go, with one line.
 *
 * <p>Events are kept in columns of primitive arrays (about 60 bytes an event), not one object
 * each; {@link V1TraceConverter} turns them into new-format events a slice at a time.
 */
final class V1TraceParser {
    // the old format's event types (Go's runtime/trace.go of 1.11-1.21)
    static final int EV_BATCH = 1;
    static final int EV_FREQUENCY = 2;
    static final int EV_STACK = 3;
    static final int EV_GOMAXPROCS = 4;
    static final int EV_PROC_START = 5;
    static final int EV_PROC_STOP = 6;
    static final int EV_GC_START = 7;
    static final int EV_GC_DONE = 8;
    static final int EV_STW_START = 9;
    static final int EV_STW_DONE = 10;
    static final int EV_GC_SWEEP_START = 11;
    static final int EV_GC_SWEEP_DONE = 12;
    static final int EV_GO_CREATE = 13;
    static final int EV_GO_START = 14;
    static final int EV_GO_END = 15;
    static final int EV_GO_STOP = 16;
    static final int EV_GO_SCHED = 17;
    static final int EV_GO_PREEMPT = 18;
    static final int EV_GO_SLEEP = 19;
    static final int EV_GO_BLOCK = 20;
    static final int EV_GO_UNBLOCK = 21;
    static final int EV_GO_BLOCK_SEND = 22;
    static final int EV_GO_BLOCK_RECV = 23;
    static final int EV_GO_BLOCK_SELECT = 24;
    static final int EV_GO_BLOCK_SYNC = 25;
    static final int EV_GO_BLOCK_COND = 26;
    static final int EV_GO_BLOCK_NET = 27;
    static final int EV_GO_SYS_CALL = 28;
    static final int EV_GO_SYS_EXIT = 29;
    static final int EV_GO_SYS_BLOCK = 30;
    static final int EV_GO_WAITING = 31;
    static final int EV_GO_IN_SYSCALL = 32;
    static final int EV_HEAP_ALLOC = 33;
    static final int EV_HEAP_GOAL = 34;
    static final int EV_TIMER_GOROUTINE = 35;
    static final int EV_FUTILE_WAKEUP = 36;
    static final int EV_STRING = 37;
    static final int EV_GO_START_LOCAL = 38;
    static final int EV_GO_UNBLOCK_LOCAL = 39;
    static final int EV_GO_SYS_EXIT_LOCAL = 40;
    static final int EV_GO_START_LABEL = 41;
    static final int EV_GO_BLOCK_GC = 42;
    static final int EV_GC_MARK_ASSIST_START = 43;
    static final int EV_GC_MARK_ASSIST_DONE = 44;
    static final int EV_USER_TASK_CREATE = 45;
    static final int EV_USER_TASK_END = 46;
    static final int EV_USER_REGION = 47;
    static final int EV_USER_LOG = 48;
    static final int EV_CPU_SAMPLE = 49;
    private static final int EV_COUNT = 50;

    // Go's fake Ps
    static final int TIMER_P = 1_000_001;
    static final int NETPOLL_P = 1_000_002;
    static final int SYSCALL_P = 1_000_003;
    static final int GC_P = 1_000_004;
    static final int PROFILE_P = 1_000_005;

    /** Per type: the number of arguments after the time, whether a stack id follows, the first version. */
    private static final int[] ARGS = new int[EV_COUNT];
    private static final boolean[] STACK = new boolean[EV_COUNT];
    private static final int[] MIN_VERSION = new int[EV_COUNT];
    private static final String[] NAMES = new String[EV_COUNT];

    static {
        describe(EV_BATCH, "Batch", 5, false, 2);
        describe(EV_FREQUENCY, "Frequency", 5, false, 1);
        describe(EV_STACK, "Stack", 5, false, 2);
        describe(EV_GOMAXPROCS, "Gomaxprocs", 5, true, 1);
        describe(EV_PROC_START, "ProcStart", 5, false, 1);
        describe(EV_PROC_STOP, "ProcStop", 5, false, 0);
        describe(EV_GC_START, "GCStart", 5, true, 1);
        describe(EV_GC_DONE, "GCDone", 5, false, 0);
        describe(EV_STW_START, "GCSTWStart", 5, false, 1);
        describe(EV_STW_DONE, "GCSTWDone", 5, false, 0);
        describe(EV_GC_SWEEP_START, "GCSweepStart", 5, true, 0);
        describe(EV_GC_SWEEP_DONE, "GCSweepDone", 5, false, 2);
        describe(EV_GO_CREATE, "GoCreate", 5, true, 2);
        describe(EV_GO_START, "GoStart", 5, false, 2);
        describe(EV_GO_END, "GoEnd", 5, false, 0);
        describe(EV_GO_STOP, "GoStop", 5, true, 0);
        describe(EV_GO_SCHED, "GoSched", 5, true, 0);
        describe(EV_GO_PREEMPT, "GoPreempt", 5, true, 0);
        describe(EV_GO_SLEEP, "GoSleep", 5, true, 0);
        describe(EV_GO_BLOCK, "GoBlock", 5, true, 0);
        describe(EV_GO_UNBLOCK, "GoUnblock", 5, true, 2);
        describe(EV_GO_BLOCK_SEND, "GoBlockSend", 5, true, 0);
        describe(EV_GO_BLOCK_RECV, "GoBlockRecv", 5, true, 0);
        describe(EV_GO_BLOCK_SELECT, "GoBlockSelect", 5, true, 0);
        describe(EV_GO_BLOCK_SYNC, "GoBlockSync", 5, true, 0);
        describe(EV_GO_BLOCK_COND, "GoBlockCond", 5, true, 0);
        describe(EV_GO_BLOCK_NET, "GoBlockNet", 5, true, 0);
        describe(EV_GO_SYS_CALL, "GoSysCall", 5, true, 0);
        describe(EV_GO_SYS_EXIT, "GoSysExit", 5, false, 3);
        describe(EV_GO_SYS_BLOCK, "GoSysBlock", 5, false, 0);
        describe(EV_GO_WAITING, "GoWaiting", 5, false, 1);
        describe(EV_GO_IN_SYSCALL, "GoInSyscall", 5, false, 1);
        describe(EV_HEAP_ALLOC, "HeapAlloc", 5, false, 1);
        describe(EV_HEAP_GOAL, "HeapGoal", 5, false, 1);
        describe(EV_TIMER_GOROUTINE, "TimerGoroutine", 5, false, 1);
        describe(EV_FUTILE_WAKEUP, "FutileWakeup", 5, false, 0);
        describe(EV_STRING, "String", 7, false, 0);
        describe(EV_GO_START_LOCAL, "GoStartLocal", 7, false, 1);
        describe(EV_GO_UNBLOCK_LOCAL, "GoUnblockLocal", 7, true, 1);
        describe(EV_GO_SYS_EXIT_LOCAL, "GoSysExitLocal", 7, false, 2);
        describe(EV_GO_START_LABEL, "GoStartLabel", 8, false, 3);
        describe(EV_GO_BLOCK_GC, "GoBlockGC", 8, true, 0);
        describe(EV_GC_MARK_ASSIST_START, "GCMarkAssistStart", 9, true, 0);
        describe(EV_GC_MARK_ASSIST_DONE, "GCMarkAssistDone", 9, false, 0);
        describe(EV_USER_TASK_CREATE, "UserTaskCreate", 11, true, 3);
        describe(EV_USER_TASK_END, "UserTaskEnd", 11, true, 1);
        describe(EV_USER_REGION, "UserRegion", 11, true, 3);
        describe(EV_USER_LOG, "UserLog", 11, true, 2);
        describe(EV_CPU_SAMPLE, "CPUSample", 19, true, 3);
    }

    private static void describe(int type, String name, int minVersion, boolean stack, int args) {
        NAMES[type] = name;
        MIN_VERSION[type] = minVersion;
        STACK[type] = stack;
        ARGS[type] = args;
    }

    static boolean hasStack(int type) {
        return STACK[type];
    }

    private static final int MAX_STACK_FRAMES = 1000;
    private static final int MAX_PROCS = 1024;
    private static final int MAX_STRING = 1_000_000;
    private static final int MAX_PREFIXED_ARGS_BYTES = 2048;

    /** The parsed trace: events in Go's order, in columns. */
    static final class Trace {
        int version;
        long ticksPerSecond;
        int count;
        /** Event index of each position in Go's order. */
        int[] order;
        long[] time;
        long[] goroutine;
        long[] arg0;
        long[] arg1;
        long[] arg2;
        long[] arg3;
        int[] stack;
        int[] proc;
        byte[] type;
        final Map<Long, String> strings = new HashMap<>();
        final List<String> inlineStrings = new ArrayList<>();
        final Map<Long, long[]> stacks = new HashMap<>();
        /** Function id, file id and line of each PC: the first frame written for a PC holds. */
        final Map<Long, long[]> frames = new HashMap<>();

        long arg(int e, int i) {
            return switch (i) {
                case 0 -> arg0[e];
                case 1 -> arg1[e];
                case 2 -> arg2[e];
                default -> arg3[e];
            };
        }
    }

    private final byte[] data;
    private final int version;
    private final long maxEvents;
    private int off;

    private final Trace t = new Trace();
    private final Set<Long> timerGoroutines = new HashSet<>();
    /** Batches in file order: offset, and per P (in order of first batch) the batch indices. */
    private final Map<Integer, List<Integer>> batchesOfProc = new LinkedHashMap<>();
    private final List<Integer> batchOffsets = new ArrayList<>();
    private int batchEventCount;

    // raw event being read
    private int rawType;
    private long[] rawArgs = new long[16];
    private int rawArgCount;
    private String rawString;
    private int rawBatchProc;

    // per-batch parse state, as Go's parser keeps it
    private long lastTime;
    private long lastG;
    private int lastP;
    private final Map<Integer, Long> lastGOfProc = new HashMap<>();

    private V1TraceParser(byte[] data, int version, long maxEvents) {
        this.data = data;
        this.version = version;
        this.maxEvents = maxEvents;
    }

    /**
     * Parses the bytes after the 16-byte header.
     *
     * @throws BadInputException (one line) when the trace is damaged or holds more than {@code maxEvents} events
     */
    static Trace parse(byte[] data, int start, int version, long maxEvents) {
        V1TraceParser p = new V1TraceParser(data, version, maxEvents);
        p.off = start;
        try {
            p.collectBatches();
            p.parseBatchesAndOrder();
            if (p.t.ticksPerSecond == 0) {
                throw new Damage("no EvFrequency event");
            }
            p.toNanoseconds();
            new V1Consistency(p.t).check();
        } catch (Damage d) {
            throw new BadInputException("Go 1." + version + " trace (old format) is damaged, Go's reader refuses it: "
                    + d.getMessage());
        }
        p.t.version = version;
        return p.t;
    }

    /** Damage inside an old-format trace: fails the read, as in Go. */
    static final class Damage extends RuntimeException {
        Damage(String message) {
            super(message, null, false, false);
        }
    }

    // ---- pass 1: batches and CPU samples -------------------------------------------------------

    private final List<long[]> cpuSamples = new ArrayList<>();

    private void collectBatches() {
        int curP = 0;
        long events = 0;
        while (readRawEvent(true)) {
            if (rawType == 0) {
                continue; // a string
            }
            if (rawType == EV_BATCH) {
                batchOffsets.add(rawBatchOffset);
                if (!batchesOfProc.containsKey(rawBatchProc) && batchesOfProc.size() == MAX_PROCS) {
                    // Go's merge looks at every P's next event for each event it takes
                    throw new Damage("batches of more than " + MAX_PROCS + " Ps");
                }
                batchesOfProc.computeIfAbsent(rawBatchProc, k -> new ArrayList<>()).add(batchOffsets.size() - 1);
                curP = rawBatchProc;
            }
            if (!batchesOfProc.containsKey(curP)) {
                throw new Damage("read event " + rawType + " with current P of " + curP + ", but P has no batches yet");
            }
            if (++events > maxEvents) {
                throw new BadInputException("Go 1." + version + " trace (old format) holds more than " + maxEvents
                        + " events, more than godiag reads of an old-format trace (Go reads these whole)");
            }
            if (rawType == EV_CPU_SAMPLE) {
                int n = argCount(EV_CPU_SAMPLE);
                if (rawArgCount != n) {
                    throw new Damage("CPU sample has wrong number of arguments: want " + n + ", got " + rawArgCount);
                }
                // time in the signal handler, P, G, stack
                cpuSamples.add(new long[] {rawArgs[1], (int) rawArgs[2], rawArgs[3], (int) rawArgs[4]});
            }
        }
        batchEventCount = (int) events;
    }

    private int rawBatchOffset;

    /** Reads one raw event; false at the end of the data. Strings come back as type 0. */
    private boolean readRawEvent(boolean skip) {
        if (off >= data.length) {
            return false;
        }
        int start = off;
        int b = data[off++] & 0xff;
        int typ = b & 0x3f;
        int narg = (b >> 6) + 1;
        if (typ == 0 || typ >= EV_COUNT || MIN_VERSION[typ] > version) {
            throw new Damage("unknown event type " + typ);
        }
        rawArgCount = 0;
        rawString = null;
        if (typ == EV_STRING) {
            if (skip) {
                readVal();
                long len = readVal();
                discard(len);
            } else {
                long id = readVal();
                if (id == 0) {
                    throw new Damage("string has invalid id 0");
                }
                if (t.strings.containsKey(id)) {
                    throw new Damage("string has duplicate id " + Long.toUnsignedString(id));
                }
                long len = readVal();
                if (len == 0) {
                    throw new Damage("string has invalid length 0");
                }
                if (Long.compareUnsigned(len, MAX_STRING) > 0) {
                    throw new Damage("string has too large length " + Long.toUnsignedString(len));
                }
                int at = readFull((int) len);
                t.strings.put(id, RawUtf8.decode(data, at, (int) len));
            }
            rawType = 0;
            return true;
        }
        rawType = typ;
        if (typ == EV_BATCH) {
            if (narg != 2) {
                throw new Damage("EvBatch has wrong number of arguments: got " + narg + ", want 2");
            }
            rawBatchOffset = start;
            long pid = readVal();
            if (pid != -1 && Long.compareUnsigned(pid, Integer.MAX_VALUE) > 0) {
                throw new Damage("processor ID " + Long.toUnsignedString(pid) + " is larger than the maximum");
            }
            rawBatchProc = (int) pid;
            addArg(pid);
            addArg(readVal());
            return true;
        }
        if (narg <= 3) {
            for (int i = 0; i < narg; i++) {
                addArg(readVal());
            }
            return true;
        }
        long len = readVal();
        if (Long.compareUnsigned(len, MAX_PREFIXED_ARGS_BYTES) > 0) {
            throw new Damage("failed to read event " + typ + " argument: length-prefixed argument too big: "
                    + Long.toUnsignedString(len) + " bytes, limit is " + MAX_PREFIXED_ARGS_BYTES);
        }
        if (!skip || typ == EV_CPU_SAMPLE) {
            int end = readFull((int) len) + (int) len;
            off = end - (int) len;
            while (off < end) {
                addArg(readValUpTo(end));
            }
        } else {
            discard(len);
        }
        if (typ == EV_USER_LOG) {
            long n = readVal();
            if (skip) {
                discard(n);
            } else if (n != 0) {
                if (Long.compareUnsigned(n, MAX_STRING) > 0) {
                    throw new Damage("string is too large (len=" + Long.toUnsignedString(n) + ")");
                }
                int at = readFull((int) n);
                rawString = RawUtf8.decode(data, at, (int) n);
            } else {
                rawString = "";
            }
        }
        return true;
    }

    private void addArg(long v) {
        if (rawArgCount == rawArgs.length) {
            rawArgs = Arrays.copyOf(rawArgs, rawArgs.length * 2);
        }
        rawArgs[rawArgCount++] = v;
    }

    private long readVal() {
        return readValUpTo(data.length);
    }

    /** Go's binary.Uvarint: at most 10 bytes, the 10th at most 1. */
    private long readValUpTo(int end) {
        long v = 0;
        for (int i = 0, shift = 0; i < 10; i++, shift += 7) {
            if (off >= end) {
                throw new Damage("malformatted base-128 varint");
            }
            int b = data[off++] & 0xff;
            if (b < 0x80) {
                if (i == 9 && b > 1) {
                    throw new Damage("malformatted base-128 varint");
                }
                return v | (long) b << shift;
            }
            v |= (long) (b & 0x7f) << shift;
        }
        throw new Damage("malformatted base-128 varint");
    }

    private void discard(long n) {
        if (Long.compareUnsigned(n, data.length - off) > 0) {
            throw new Damage("failed to read trace: EOF");
        }
        off += (int) n;
    }

    private int readFull(int n) {
        if (off >= data.length || n > data.length - off) {
            throw new Damage("failed to read trace: unexpected EOF");
        }
        int at = off;
        off += n;
        return at;
    }

    /** Go's argNum: the arguments an event has on the wire, time and stack included. */
    private static int argCount(int typ) {
        int n = ARGS[typ] + (STACK[typ] ? 1 : 0);
        if (typ == EV_BATCH || typ == EV_FREQUENCY || typ == EV_TIMER_GOROUTINE) {
            return n;
        }
        return n + 1;
    }

    // ---- pass 2: batches parsed per P, merged in Go's order -------------------------------------

    private void parseBatchesAndOrder() {
        int capacity = batchEventCount + cpuSamples.size();
        t.time = new long[capacity];
        t.goroutine = new long[capacity];
        t.arg0 = new long[capacity];
        t.arg1 = new long[capacity];
        t.arg2 = new long[capacity];
        t.arg3 = new long[capacity];
        t.stack = new int[capacity];
        t.proc = new int[capacity];
        t.type = new byte[capacity];
        int nprocs = batchesOfProc.size() + 1;
        int[] procIds = new int[nprocs];
        int[] begin = new int[nprocs];
        int[] end = new int[nprocs];
        int pi = 0;
        for (Map.Entry<Integer, List<Integer>> e : batchesOfProc.entrySet()) {
            procIds[pi] = e.getKey();
            begin[pi] = t.count;
            for (int batch : e.getValue()) {
                loadBatch(batchOffsets.get(batch));
            }
            end[pi++] = t.count;
        }
        // CPU samples, sorted by the time taken in the signal handler, are a P of their own
        cpuSamples.sort((a, b) -> Long.compare(a[0], b[0]));
        procIds[pi] = PROFILE_P;
        begin[pi] = t.count;
        for (long[] s : cpuSamples) {
            int e = t.count++;
            t.type[e] = EV_CPU_SAMPLE;
            t.time[e] = s[0];
            t.proc[e] = (int) s[1];
            t.goroutine[e] = s[2];
            t.stack[e] = (int) s[3];
        }
        end[pi] = t.count;
        t.order = new V1EventOrder(t, begin, end).merge();
        fixSyscallExitTimes();
    }

    private void loadBatch(int offset) {
        off = offset;
        boolean header = false;
        while (readRawEvent(false)) {
            if (rawType == 0 || rawType == EV_CPU_SAMPLE) {
                continue;
            }
            if (rawType == EV_BATCH) {
                if (header) {
                    break;
                }
                header = true;
            }
            parseEvent();
        }
    }

    private void parseEvent() {
        int typ = rawType;
        int narg = typ == EV_STACK ? rawArgCount : argCount(typ);
        if (rawArgCount != narg) {
            throw new Damage(NAMES[typ] + " has wrong number of arguments: want " + narg + ", got " + rawArgCount);
        }
        switch (typ) {
            case EV_BATCH -> {
                lastGOfProc.put(lastP, lastG);
                lastP = (int) rawArgs[0];
                lastG = lastGOfProc.getOrDefault(lastP, 0L);
                lastTime = rawArgs[1];
            }
            case EV_FREQUENCY -> {
                t.ticksPerSecond = rawArgs[0];
                if (t.ticksPerSecond <= 0) {
                    throw new Damage("time stamps out of order");
                }
            }
            case EV_TIMER_GOROUTINE -> timerGoroutines.add(rawArgs[0]);
            case EV_STACK -> parseStack();
            default -> addEvent(typ, narg);
        }
    }

    private void parseStack() {
        if (rawArgCount < 2) {
            throw new Damage("EvStack has wrong number of arguments: want at least 2, got " + rawArgCount);
        }
        long size = rawArgs[1];
        if (Long.compareUnsigned(size, MAX_STACK_FRAMES) > 0) {
            throw new Damage("EvStack has bad number of frames: " + Long.toUnsignedString(size));
        }
        if (rawArgCount != 2 + 4 * size) {
            throw new Damage("EvStack has wrong number of arguments: want " + (2 + 4 * size) + ", got " + rawArgCount);
        }
        long id = rawArgs[0] & 0xffffffffL;
        if (id != 0 && size > 0) {
            long[] pcs = new long[(int) size];
            for (int i = 0; i < size; i++) {
                pcs[i] = rawArgs[2 + i * 4];
                t.frames.putIfAbsent(pcs[i], new long[] {rawArgs[3 + i * 4], rawArgs[4 + i * 4], rawArgs[5 + i * 4]});
            }
            t.stacks.put(id, pcs);
        }
    }

    private void addEvent(int typ, int narg) {
        int e = t.count++;
        t.type[e] = (byte) typ;
        t.proc[e] = lastP;
        t.goroutine[e] = lastG;
        long time = lastTime + rawArgs[0];
        lastTime = time;
        t.time[e] = time;
        for (int i = 1; i < narg; i++) {
            if (i == narg - 1 && STACK[typ]) {
                t.stack[e] = (int) rawArgs[i];
            } else {
                setArg(e, i - 1, rawArgs[i]);
            }
        }
        switch (typ) {
            case EV_GO_START, EV_GO_START_LOCAL, EV_GO_START_LABEL -> {
                lastG = t.arg0[e];
                t.goroutine[e] = lastG;
            }
            case EV_GO_END, EV_GO_STOP, EV_GO_SCHED, EV_GO_PREEMPT, EV_GO_SLEEP, EV_GO_BLOCK, EV_GO_BLOCK_SEND,
                 EV_GO_BLOCK_RECV, EV_GO_BLOCK_SELECT, EV_GO_BLOCK_SYNC, EV_GO_BLOCK_COND, EV_GO_BLOCK_NET,
                 EV_GO_SYS_BLOCK, EV_GO_BLOCK_GC -> lastG = 0;
            case EV_GO_SYS_EXIT, EV_GO_WAITING, EV_GO_IN_SYSCALL -> t.goroutine[e] = t.arg0[e];
            case EV_USER_LOG -> t.arg3[e] = inlineIndex(rawString); // the message was written inline
            default -> {
            }
        }
    }

    private final Map<String, Integer> inlineByText = new HashMap<>();

    private int inlineIndex(String s) {
        Integer id = inlineByText.get(s);
        if (id == null) {
            id = t.inlineStrings.size();
            inlineByText.put(s, id);
            t.inlineStrings.add(s);
        }
        return id;
    }

    private void setArg(int e, int i, long v) {
        switch (i) {
            case 0 -> t.arg0[e] = v;
            case 1 -> t.arg1[e] = v;
            case 2 -> t.arg2[e] = v;
            default -> t.arg3[e] = v;
        }
    }

    /**
     * Go gives a syscall exit the time the goroutine really left the syscall (its third argument),
     * taken long before the event was written, then re-sorts stably. GoSysExitLocal, renamed
     * GoSysExit while merging, keeps that time in its second argument, so Go leaves it as it is.
     */
    private void fixSyscallExitTimes() {
        Map<Long, Long> lastSysBlock = new HashMap<>();
        for (int i = 0; i < t.count; i++) {
            int e = t.order[i];
            int typ = t.type[e];
            if (typ == EV_GO_SYS_BLOCK || typ == EV_GO_IN_SYSCALL) {
                lastSysBlock.put(t.goroutine[e], t.time[e]);
            } else if (typ == EV_GO_SYS_EXIT) {
                long ts = t.arg2[e];
                if (ts == 0) {
                    continue;
                }
                long block = lastSysBlock.getOrDefault(t.goroutine[e], 0L);
                if (block == 0) {
                    throw new Damage("stray syscall exit");
                }
                if (ts < block) {
                    throw new Damage("time stamps out of order");
                }
                t.time[e] = ts;
            }
        }
        stableSortByTime(t.order, t.count, t.time);
    }

    /** A stable merge sort of event indices by their times. */
    static void stableSortByTime(int[] order, int n, long[] time) {
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                if (time[order[mid - 1]] <= time[order[mid]]) {
                    continue;
                }
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = time[order[j]] < time[order[i]] ? order[j++] : order[i++];
                }
                while (i < mid) {
                    tmp[k++] = order[i++];
                }
                while (j < hi) {
                    tmp[k++] = order[j++];
                }
                System.arraycopy(tmp, lo, order, lo, hi - lo);
            }
        }
    }

    /** Ticks to nanoseconds since the first event, as Go does (a float64 product), and the fake Ps. */
    private void toNanoseconds() {
        if (t.count == 0) {
            return;
        }
        long min = t.time[t.order[0]];
        double nsPerTick = 1e9 / (double) t.ticksPerSecond;
        for (int i = 0; i < t.count; i++) {
            int e = t.order[i];
            t.time[e] = (long) ((double) (t.time[e] - min) * nsPerTick);
            if (t.type[e] == EV_GO_UNBLOCK && timerGoroutines.contains(t.goroutine[e])) {
                t.proc[e] = TIMER_P;
            }
            if (t.type[e] == EV_GO_SYS_EXIT) {
                t.proc[e] = SYSCALL_P;
            }
        }
    }
}
