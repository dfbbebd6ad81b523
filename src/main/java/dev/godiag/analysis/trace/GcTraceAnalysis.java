package dev.godiag.analysis.trace;

import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Measures {@link GcTrace}: follows the mark-phase and stop-the-world ranges (keeping only the open
 * ones and the {@link #LONGEST} longest of each) and the mutator utilization series
 * ({@link MutatorUtilization}).
 */
public final class GcTraceAnalysis implements TraceConsumer {
    static final int LONGEST = 20;
    static final String MARK = "GC concurrent mark phase";
    private static final String STW = "stop-the-world";
    static final long[] MMU_WINDOWS = {1_000_000L, 10_000_000L, 100_000_000L};

    private final MutatorUtilization utilization = new MutatorUtilization();
    private final LogHistogram pauses = new LogHistogram();
    private final Map<String, long[]> byKind = new TreeMap<>();
    private final Map<Long, TraceRange> openStw = new HashMap<>();
    private final PriorityQueue<GcTrace.Span> longestPauses = longest();
    private final PriorityQueue<GcTrace.Span> longestCycles = longest();
    private long markStart = -1;
    private long cycles;
    private long markNanos;
    private long first = -1;
    private long last = -1;

    private static PriorityQueue<GcTrace.Span> longest() {
        return new PriorityQueue<>(Comparator.comparingLong(GcTrace.Span::durationNanos));
    }

    @Override
    public void accept(TraceChanges c) {
        utilization.accept(c);
        List<TraceEvent> events = c.generation().events();
        if (events.isEmpty()) {
            return;
        }
        if (first < 0) {
            first = events.getFirst().time();
        }
        last = events.getLast().time();
        for (TraceRange r : c.ranges()) {
            if (r.name().equals(MARK)) {
                mark(r);
            } else if (r.name().startsWith(STW)) {
                stw(r);
            }
        }
    }

    private void mark(TraceRange r) {
        switch (r.edge()) {
            case "RangeBegin" -> {
                markStart = r.time();
                cycles++;
            }
            case "RangeActive" -> {
                if (markStart < 0) {
                    markStart = first; // active since before the trace: from its start
                    cycles++;
                }
            }
            case "RangeEnd" -> {
                if (markStart >= 0) {
                    closeMark(r.time(), false);
                }
            }
            default -> {
            }
        }
    }

    private void closeMark(long end, boolean unfinished) {
        long d = end - markStart;
        markNanos += d;
        keep(longestCycles, new GcTrace.Span(markStart, d, "GC", unfinished));
        markStart = -1;
    }

    private void stw(TraceRange r) {
        switch (r.edge()) {
            case "RangeBegin", "RangeActive" -> openStw.putIfAbsent(r.scopeId(), r);
            case "RangeEnd" -> {
                TraceRange b = openStw.remove(r.scopeId());
                if (b != null) {
                    closeStw(b, r.time(), false);
                }
            }
            default -> {
            }
        }
    }

    private void closeStw(TraceRange begin, long end, boolean unfinished) {
        long start = begin.edge().equals("RangeActive") && begin.time() <= first ? first : begin.time();
        long d = end - start;
        String kind = kind(begin.name());
        pauses.add(d);
        long[] k = byKind.computeIfAbsent(kind, x -> new long[2]);
        k[0]++;
        k[1] += d;
        keep(longestPauses, new GcTrace.Span(start, d, kind, unfinished));
    }

    /** "stop-the-world (GC mark termination)" -> "GC mark termination". */
    static String kind(String name) {
        int open = name.indexOf('(');
        return open >= 0 && name.endsWith(")") ? name.substring(open + 1, name.length() - 1) : name;
    }

    private static void keep(PriorityQueue<GcTrace.Span> q, GcTrace.Span s) {
        if (q.size() < LONGEST || s.durationNanos() > q.peek().durationNanos()) {
            q.add(s);
            if (q.size() > LONGEST) {
                q.poll();
            }
        }
    }

    /** The GC of everything fed; ranges still open end at the trace's last event. */
    public GcTrace build() {
        if (markStart >= 0) {
            closeMark(last, true);
        }
        for (TraceRange open : new ArrayList<>(openStw.values())) {
            closeStw(open, last, true);
        }
        openStw.clear();
        long span = Math.max(0, last - first);
        MmuCurve curve = utilization.curve();
        List<GcTrace.MmuPoint> at = new ArrayList<>();
        for (long w : MMU_WINDOWS) {
            at.add(new GcTrace.MmuPoint(w, curve.mmu(w)));
        }
        List<GcTrace.MmuPoint> points = new ArrayList<>();
        long maxWindow = curve.spanNanos();
        for (double w = 1000; w <= maxWindow * 1.0001 && maxWindow > 0; w *= Math.pow(10, 0.1)) {
            points.add(new GcTrace.MmuPoint(Math.round(w), curve.mmu(Math.round(w))));
        }
        Map<String, GcTrace.KindTotal> kinds = new TreeMap<>();
        byKind.forEach((k, v) -> kinds.put(k, new GcTrace.KindTotal(v[0], v[1])));
        long stwTotal = pauses.summary().totalNanos();
        return new GcTrace(cycles, markNanos, span == 0 ? 0 : (double) markNanos / span, pauses.summary(),
                span == 0 ? 0 : (double) stwTotal / span, Collections.unmodifiableMap(kinds),
                sorted(longestPauses),
                sorted(longestCycles), List.copyOf(at), List.copyOf(points), span);
    }

    private static List<GcTrace.Span> sorted(PriorityQueue<GcTrace.Span> q) {
        List<GcTrace.Span> l = new ArrayList<>(q);
        l.sort(Comparator.comparingLong(GcTrace.Span::durationNanos).reversed());
        return List.copyOf(l);
    }
}
