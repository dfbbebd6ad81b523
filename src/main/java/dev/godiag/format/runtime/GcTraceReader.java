package dev.godiag.format.runtime;

import dev.godiag.model.GcCycle;
import dev.godiag.model.GcTrace;
import dev.godiag.model.ScavengeEvent;
import dev.godiag.model.SchedSample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what {@code GODEBUG=gctrace=1[,schedtrace=N,scheddetail=1]} writes to standard error, found
 * wherever it is among the program's own output, Go 1.19 to 1.27:
 * <ul>
 * <li>{@code gc N @Ts U%: a+b+c ms clock, d+e/f/g+h ms cpu, A->B->C MB, G MB goal, S MB stacks,
 * X MB globals, P P} with {@code (forced)} at the end and, Go 1.26+, {@code (checking for goroutine
 * leaks)} after {@code U%} (mgc.go, gcMarkTermination); the stacks and globals fields (Go 1.18+)
 * are optional;</li>
 * <li>the scavenger's {@code scav W KiB work, R KiB total, U% util} (Go 1.19/1.20) and
 * {@code scav B KiB work (bg), E KiB work (eager), R KiB now, U% util} (later), each optionally
 * ending with {@code (forced)} or {@code [controller reset]} (mgcscavenge.go, printScavTrace);</li>
 * <li>{@code GC forced}, printed by forcegchelper when the periodic (2 minute) GC starts (proc.go);</li>
 * <li>{@code scan:} lines of gctrace=2 (Go 1.26+, dumpScanStats), counted;</li>
 * <li>{@code SCHED} lines and scheddetail's {@code P}, {@code M}, {@code G} lines (proc.go, schedtrace),
 * parsed by {@link SchedTraceParser}.</li>
 * </ul>
 * The input is read as bytes in 1 MiB blocks: a line is looked at only if its first byte can start
 * one of these forms, and the search for line ends reads eight bytes at a time, so a log of
 * gigabytes is read at close to disk speed with memory for one block plus what is kept. A malformed
 * or truncated traced line is skipped with a warning {@code line N: ...}, and so is one with an
 * absurd number (negative, a GC CPU share over 100%, zero P, a time over a century, a size beyond
 * a Go heap's 256 TiB); nothing in the input makes it throw other than an I/O error.
 */
public final class GcTraceReader {
    private static final int BLOCK = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Receives what is found, in input order. */
    public interface Sink {
        void cycle(GcCycle cycle);

        void scavenge(ScavengeEvent event);

        void gcForced(long line);

        void sched(SchedSample sample);

        void scanStat(long line);

        void warning(long line, String message);
    }

    private final Sink sink;
    private final SchedTraceParser sched;
    private final Cursor cur = new Cursor();
    private long line;

    private GcTraceReader(Sink sink) {
        this.sink = sink;
        this.sched = new SchedTraceParser(sink);
    }

    /** Reads the whole input into a {@link GcTrace} (the stream is not closed). */
    public static GcTrace read(InputStream in, String source) {
        List<GcCycle> cycles = new ArrayList<>();
        List<ScavengeEvent> scav = new ArrayList<>();
        List<SchedSample> samples = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        long[][] forced = {new long[16]};
        long[] counts = new long[3]; // forced lines, scan lines, warnings
        long lines = stream(in, new Sink() {
            @Override
            public void cycle(GcCycle c) {
                cycles.add(c);
            }

            @Override
            public void scavenge(ScavengeEvent e) {
                scav.add(e);
            }

            @Override
            public void gcForced(long l) {
                if (counts[0] == forced[0].length) {
                    forced[0] = java.util.Arrays.copyOf(forced[0], forced[0].length * 2);
                }
                forced[0][(int) counts[0]++] = l;
            }

            @Override
            public void sched(SchedSample s) {
                samples.add(s);
            }

            @Override
            public void scanStat(long l) {
                counts[1]++;
            }

            @Override
            public void warning(long l, String message) {
                if (warnings.size() < GcTrace.MAX_WARNINGS) {
                    warnings.add("line " + l + ": " + message);
                }
                counts[2]++;
            }
        });
        return new GcTrace(source, cycles, scav, java.util.Arrays.copyOf(forced[0], (int) counts[0]), samples,
                counts[1], lines, warnings, counts[2]);
    }

    /** Streams the input to the sink and returns the number of lines read (the stream is not closed). */
    public static long stream(InputStream in, Sink sink) {
        try {
            return new GcTraceReader(sink).run(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long run(InputStream in) throws IOException {
        byte[] buf = new byte[BLOCK];
        int pos = 0;
        int end = 0;
        boolean eof = false;
        boolean skipping = false; // inside a line not looked at (or too long to be a traced line)
        while (true) {
            if (pos >= end) {
                if (eof) {
                    break;
                }
                pos = 0;
                end = 0;
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    eof = true;
                } else {
                    end = n;
                }
                continue;
            }
            if (skipping) {
                int nl = indexOfNewline(buf, pos, end);
                if (nl < 0) {
                    pos = end;
                } else {
                    pos = nl + 1;
                    skipping = false;
                }
                continue;
            }
            byte b = buf[pos];
            boolean wanted = b == 'g' || b == 's' || b == 'G' || b == 'S' || (b == ' ' && sched.detailOpen());
            int nl = indexOfNewline(buf, pos, end);
            if (!wanted) {
                line++;
                if (nl < 0) {
                    skipping = true;
                    pos = end;
                } else {
                    pos = nl + 1;
                }
                continue;
            }
            if (nl < 0 && !eof) {
                if (pos == 0 && end == buf.length) {
                    line++;
                    sink.warning(line, "line of more than " + BLOCK + " bytes skipped");
                    skipping = true;
                    pos = end;
                    continue;
                }
                System.arraycopy(buf, pos, buf, 0, end - pos);
                end -= pos;
                pos = 0;
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
                continue;
            }
            line++;
            int lineEnd = nl < 0 ? end : nl;
            if (lineEnd > pos && buf[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            parseLine(buf, pos, lineEnd);
            pos = nl < 0 ? end : nl + 1;
        }
        sched.finish();
        return line;
    }

    private void parseLine(byte[] b, int from, int to) {
        Cursor c = cur;
        c.reset(b, from, to);
        c.markLineStart();
        try {
            switch (b[from]) {
                case 'g' -> {
                    if (c.startsWith("gc ") && to - from > 3 && Cursor.isDigit(b[from + 3])) {
                        sink.cycle(parseGc(c));
                    }
                }
                case 's' -> {
                    if (c.startsWith("scav ") && to - from > 5 && Cursor.isDigit(b[from + 5])) {
                        sink.scavenge(parseScav(c));
                    } else if (c.startsWith("scan: ")) {
                        sink.scanStat(line);
                    }
                }
                case 'G' -> {
                    if (c.startsWith("GC forced") && c.restIsBlankAfter(9)) {
                        sink.gcForced(line);
                    }
                }
                case 'S' -> {
                    if (c.startsWith("SCHED ")) {
                        sched.schedLine(c, line);
                    }
                }
                case ' ' -> sched.detailLine(c, line);
                default -> {
                }
            }
        } catch (Cursor.Malformed e) {
            sink.warning(line, e.getMessage());
        }
    }

    /**
     * Bounds beyond which a number in a traced line is absurd (a damaged or forged line, not a
     * runtime's): such a line is skipped with a warning rather than let a pause of centuries or an
     * exabyte heap into the report.
     */
    private static final double CENTURY_SECONDS = 100 * 365.25 * 86400;
    private static final String CENTURY = " is more than 100 years";
    /** A Go heap lives in 48-bit addresses: at most 256 TiB, 2^28 MB. */
    private static final double MAX_HEAP_MB = 1L << 28;
    private static final String ADDRESSABLE = " is more than a Go heap can address (256 TiB)";

    private static double ms(Cursor c, String what) {
        return c.decimal(what, CENTURY_SECONDS * 1000, what + " %s ms" + CENTURY);
    }

    private static double mb(Cursor c, String what) {
        return c.decimal(what, MAX_HEAP_MB, what + " %s MB" + ADDRESSABLE);
    }

    private GcCycle parseGc(Cursor c) {
        c.expect("gc ");
        long number = c.uint("cycle number");
        c.expect(" @");
        double at = c.decimal("start time", CENTURY_SECONDS, "start time %ss" + CENTURY);
        c.expect("s ");
        double util = c.decimal("GC CPU %", 100, "GC CPU %s%% is more than 100%%");
        c.expect("%");
        boolean leak = c.accept(" (checking for goroutine leaks)");
        c.expect(": ");
        double a = ms(c, "sweep termination clock");
        c.expect("+");
        double bb = ms(c, "mark clock");
        c.expect("+");
        double cc = ms(c, "mark termination clock");
        c.expect(" ms clock, ");
        double d = ms(c, "sweep termination cpu");
        c.expect("+");
        double e = ms(c, "assist cpu");
        c.expect("/");
        double f = ms(c, "background mark cpu");
        c.expect("/");
        double g = ms(c, "idle mark cpu");
        c.expect("+");
        double h = ms(c, "mark termination cpu");
        c.expect(" ms cpu, ");
        double heap0 = mb(c, "heap start");
        c.expect("->");
        double heap1 = mb(c, "heap end");
        c.expect("->");
        double heap2 = mb(c, "live heap");
        c.expect(" MB, ");
        double goal = mb(c, "heap goal");
        c.expect(" MB goal, ");
        double stacks = Double.NaN;
        double globals = Double.NaN;
        double n = c.decimal("procs or stacks");
        if (c.accept(" MB stacks, ")) {
            if (n > MAX_HEAP_MB) {
                throw new Cursor.Malformed("stacks " + (long) n + " MB" + ADDRESSABLE);
            }
            stacks = n;
            globals = mb(c, "globals");
            c.expect(" MB globals, ");
            n = c.decimal("procs");
        }
        c.expect(" P");
        if (n != Math.rint(n) || n > Integer.MAX_VALUE) {
            throw new Cursor.Malformed("procs " + n + " out of range");
        }
        if (n == 0) {
            throw new Cursor.Malformed("0 P: GOMAXPROCS is at least 1");
        }
        boolean forced = c.accept(" (forced)");
        c.expectEnd("gc line");
        return new GcCycle(number, at, util, a, bb, cc, d, e, f, g, h, heap0, heap1, heap2, goal, stacks, globals,
                (int) n, forced, leak, line);
    }

    /** KiB in 48-bit addresses (256 TiB): more is absurd. */
    private static final long MAX_KIB = 1L << 38;

    private static long kib(Cursor c, String what, String name) {
        return c.uint(what, MAX_KIB, name + " %s KiB" + ADDRESSABLE);
    }

    private ScavengeEvent parseScav(Cursor c) {
        c.expect("scav ");
        long first = kib(c, "work KiB", "work");
        c.expect(" KiB work");
        long bg = -1;
        long eager = -1;
        long work;
        long released;
        if (c.accept(" (bg), ")) {
            bg = first;
            eager = kib(c, "eager work KiB", "eager work");
            c.expect(" KiB work (eager), ");
            released = kib(c, "released KiB", "released");
            c.expect(" KiB now, ");
            work = bg + eager;
        } else {
            c.expect(", ");
            work = first;
            released = kib(c, "released KiB", "released");
            c.expect(" KiB total, ");
        }
        long util = c.uint("util %", 100, "scavenger util %s%% is more than 100%%");
        c.expect("% util");
        boolean forced = c.accept(" (forced)");
        boolean reset = !forced && c.accept(" [controller reset]");
        c.expectEnd("scav line");
        return new ScavengeEvent(work, bg, eager, released, util, forced, reset, line);
    }

    /** The index of the first '\n' in b[from, to), or -1; eight bytes at a time. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
