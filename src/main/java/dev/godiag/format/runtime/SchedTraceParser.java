package dev.godiag.format.runtime;

import dev.godiag.model.SchedSample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code schedtrace} lines of proc.go's schedtrace, Go 1.19 to 1.27, as {@link GcTraceReader}
 * hands them over:
 * <pre>
 * SCHED 1004ms: gomaxprocs=2 idleprocs=2 threads=5 spinningthreads=0 idlethreads=2 runqueue=0 [0 0]            (1.19)
 * SCHED 1004ms: gomaxprocs=2 idleprocs=2 threads=5 spinningthreads=0 needspinning=0 idlethreads=2 runqueue=0 [ 0 0 ] schedticks=[ 5 6 ]   (1.27)
 * SCHED 1004ms: ... runqueue=0 gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0     (scheddetail; 1.27 prints false/true)
 *   P0: status=1 schedtick=5 syscalltick=2 m=3 runqsize=0 gfreecnt=0 timerslen=1      (1.27: m=nil for none)
 *   M3: p=0 curg=17 mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=false blocked=false lockedg=-1
 *   G1: status=4(sleep) m=-1 lockedm=-1
 * </pre>
 * The SCHED line is read as {@code key=value} pairs, so fields added or dropped by a version are
 * simply absent (-1). A detailed sample stays open for its P/M/G lines until the next SCHED line
 * or the end of the input, since other output (gctrace, the program's) may come in between.
 */
final class SchedTraceParser {
    private final GcTraceReader.Sink sink;
    private Map<String, Long> open;
    private long openTime;
    private long openLine;
    private long[] openRunqueues;
    private final List<SchedSample.P> ps = new ArrayList<>();
    private final List<SchedSample.M> ms = new ArrayList<>();
    private final List<SchedSample.G> gs = new ArrayList<>();

    SchedTraceParser(GcTraceReader.Sink sink) {
        this.sink = sink;
    }

    boolean detailOpen() {
        return open != null;
    }

    void schedLine(Cursor c, long line) {
        finish();
        c.expect("SCHED ");
        long time = c.uint("time");
        c.expect("ms: ");
        Map<String, Long> values = new HashMap<>();
        long[] runqueues = null;
        long[] ticks = null;
        while (true) {
            while (c.peek() == ' ') {
                c.skip(1);
            }
            if (c.atEnd()) {
                break;
            }
            if (c.peek() == '[') {
                runqueues = list(c, "run queue");
                continue;
            }
            String key = c.until('=');
            if (key.isEmpty() || key.indexOf(' ') >= 0 || c.atEnd()) {
                throw new Cursor.Malformed("expected key=value in the SCHED line, found \"" + key + "\"");
            }
            c.skip(1);
            if (c.peek() == '[') {
                long[] l = list(c, key);
                if (key.equals("schedticks")) {
                    ticks = l;
                }
                continue;
            }
            values.put(key, value(c.until(' '), key));
        }
        if (!values.containsKey("gomaxprocs")) {
            throw new Cursor.Malformed("truncated SCHED line: no gomaxprocs");
        }
        if (values.containsKey("gcwaiting")) {
            open = values;
            openTime = time;
            openLine = line;
            openRunqueues = runqueues;
            return;
        }
        sink.sched(sample(time, values, runqueues == null ? new long[0] : runqueues,
                ticks == null ? new long[0] : ticks, List.of(), List.of(), List.of(), line));
    }

    void detailLine(Cursor c, long line) {
        if (open == null || !c.startsWith("  ")) {
            return;
        }
        c.skip(2);
        int kind = c.peek();
        if (kind != 'P' && kind != 'M' && kind != 'G') {
            return;
        }
        c.skip(1);
        if (c.atEnd() || !Cursor.isDigit((byte) c.peek())) {
            return; // program output that happens to look alike
        }
        long id = c.uint("id");
        c.expect(": ");
        switch (kind) {
            case 'P' -> {
                Map<String, Long> v = new HashMap<>();
                while (!c.atEnd()) {
                    String key = c.until('=');
                    if (c.atEnd()) {
                        throw new Cursor.Malformed("truncated P line: expected key=value, found \"" + key + "\"");
                    }
                    c.skip(1);
                    v.put(key.strip(), value(c.until(' '), key));
                    while (c.peek() == ' ') {
                        c.skip(1);
                    }
                }
                if (!v.containsKey("status")) {
                    throw new Cursor.Malformed("P line without status");
                }
                ps.add(new SchedSample.P(id, v.get("status"), get(v, "schedtick"), get(v, "syscalltick"),
                        get(v, "m"), get(v, "runqsize"), get(v, "gfreecnt"), get(v, "timerslen")));
            }
            case 'M' -> {
                c.expect("p=");
                long p = c.idOrNil("p");
                c.expect(" curg=");
                long curg = c.idOrNil("curg");
                c.expect(" mallocing=");
                long mallocing = c.uint("mallocing");
                c.expect(" throwing=");
                long throwing = c.uint("throwing");
                c.expect(" preemptoff=");
                int locksAt = c.lastIndexOf(" locks=");
                if (locksAt < 0) {
                    throw new Cursor.Malformed("truncated M line: no locks=");
                }
                String preemptoff = c.take(locksAt);
                c.expect(" locks=");
                long locks = c.uint("locks");
                c.expect(" dying=");
                long dying = c.uint("dying");
                c.expect(" spinning=");
                boolean spinning = bool(c);
                c.expect(" blocked=");
                boolean blocked = bool(c);
                c.expect(" lockedg=");
                long lockedg = c.idOrNil("lockedg");
                c.expectEnd("M line");
                ms.add(new SchedSample.M(id, p, curg, mallocing, throwing, preemptoff, locks, dying, spinning,
                        blocked, lockedg));
            }
            default -> {
                c.expect("status=");
                long status = c.uint("status");
                c.expect("(");
                int close = c.lastIndexOf(") m=");
                if (close < 0) {
                    throw new Cursor.Malformed("truncated G line: no \") m=\"");
                }
                String reason = c.take(close);
                c.expect(") m=");
                long m = c.idOrNil("m");
                c.expect(" lockedm=");
                long lockedm = c.idOrNil("lockedm");
                c.expectEnd("G line");
                gs.add(new SchedSample.G(id, status, reason, m, lockedm));
            }
        }
    }

    /** Emits the open detailed sample, if any. */
    void finish() {
        if (open == null) {
            return;
        }
        long[] runq = openRunqueues;
        if (runq == null) {
            runq = ps.stream().mapToLong(SchedSample.P::runqsize).toArray();
        }
        long[] ticks = ps.stream().mapToLong(SchedSample.P::schedtick).toArray();
        sink.sched(sample(openTime, open, runq, ticks, ps, ms, gs, openLine));
        open = null;
        ps.clear();
        ms.clear();
        gs.clear();
    }

    private static SchedSample sample(long time, Map<String, Long> v, long[] runq, long[] ticks,
                                      List<SchedSample.P> ps, List<SchedSample.M> ms, List<SchedSample.G> gs,
                                      long line) {
        return new SchedSample(time, get(v, "gomaxprocs"), get(v, "idleprocs"), get(v, "threads"),
                get(v, "spinningthreads"), get(v, "needspinning"), get(v, "idlethreads"), get(v, "runqueue"),
                runq, ticks, get(v, "gcwaiting"), get(v, "nmidlelocked"), get(v, "stopwait"), get(v, "sysmonwait"),
                ps, ms, gs, line);
    }

    private static long get(Map<String, Long> v, String key) {
        Long x = v.get(key);
        return x == null ? -1 : x;
    }

    private static boolean bool(Cursor c) {
        if (c.accept("true")) {
            return true;
        }
        if (c.accept("false")) {
            return false;
        }
        throw new Cursor.Malformed("expected true or false");
    }

    private static long value(String s, String key) {
        switch (s) {
            case "true":
                return 1;
            case "false":
                return 0;
            case "nil":
                return -1;
            default:
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new Cursor.Malformed("bad value of " + key + ": \"" + abbreviate(s) + "\"");
                }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "..." : s;
    }

    private static long[] list(Cursor c, String what) {
        c.expect("[");
        long[] out = new long[8];
        int n = 0;
        while (true) {
            while (c.peek() == ' ') {
                c.skip(1);
            }
            if (c.atEnd()) {
                throw new Cursor.Malformed("truncated " + what + " list: no ']'");
            }
            if (c.peek() == ']') {
                c.skip(1);
                return java.util.Arrays.copyOf(out, n);
            }
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n * 2);
            }
            out[n++] = c.uint(what);
        }
    }
}
