package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Heatmap}: per goroutine, its current state category and since when; per bucket,
 * the nanoseconds spent in each category. Buckets start 1 µs wide and double (merging pairs,
 * exactly) whenever more than {@link #MAX_BUCKETS} are needed, so memory stays fixed while the
 * trace's length is unknown.
 */
public final class HeatmapAnalysis implements TraceConsumer {
    static final int MAX_BUCKETS = 200;
    private static final int RUNNING = 0;
    private static final int RUNNABLE = 1;
    private static final int NETWORK = 2;
    private static final int SYNC = 3;
    private static final int SYSCALL = 4;
    private static final int OTHER = 5;
    private static final int GC = 6;
    private static final int STW = 7;
    private static final int CATEGORIES = 8;

    private long origin = -1;
    private long last = -1;
    private long width = 1000;
    private double[][] buckets = new double[MAX_BUCKETS][CATEGORIES];
    private final Map<Long, long[]> goroutines = new HashMap<>();
    private final Map<Long, Long> openStw = new HashMap<>();
    private long markSince = -1;
    private long maxProcs;

    @Override
    public void accept(TraceChanges c) {
        List<TraceEvent> events = c.generation().events();
        if (events.isEmpty()) {
            return;
        }
        if (origin < 0) {
            origin = events.getFirst().time();
        }
        last = Math.max(last, events.getLast().time());
        for (TraceEvent e : events) {
            if (e.type() == TraceEventType.PROCS_CHANGE) {
                maxProcs = Math.max(maxProcs, e.arg("procs_value"));
            }
        }
        for (StateTransition t : c.transitions()) {
            if (t.goroutine() && !t.from().equals(t.to())) {
                long[] s = goroutines.remove(t.id());
                if (s != null) {
                    add((int) s[0], s[1], t.time());
                }
                int cat = category(t.to(), t.reason());
                if (cat >= 0) {
                    goroutines.put(t.id(), new long[] {cat, t.time()});
                }
            }
        }
        for (TraceRange r : c.ranges()) {
            boolean begin = !r.edge().equals("RangeEnd");
            if (r.name().equals(GcTraceAnalysis.MARK)) {
                if (begin && markSince < 0) {
                    markSince = r.time();
                } else if (!begin && markSince >= 0) {
                    add(GC, markSince, r.time());
                    markSince = -1;
                }
            } else if (r.name().startsWith("stop-the-world")) {
                if (begin) {
                    openStw.putIfAbsent(r.scopeId(), r.time());
                } else {
                    Long since = openStw.remove(r.scopeId());
                    if (since != null) {
                        add(STW, since, r.time());
                    }
                }
            }
        }
    }

    /** The category of a goroutine state; -1 for none (NotExist, Undetermined). */
    static int category(String state, String reason) {
        return switch (state) {
            case "Running" -> RUNNING;
            case "Runnable" -> RUNNABLE;
            case "Syscall" -> SYSCALL;
            case "Waiting" -> waitCategory(reason);
            default -> -1;
        };
    }

    /** Go's block reasons: "network"; sync ones are mutexes, channels, select and conditions. */
    static int waitCategory(String reason) {
        if (reason.equals("network")) {
            return NETWORK;
        }
        if (reason.startsWith("sync") || reason.startsWith("chan ") || reason.equals("select")) {
            return SYNC;
        }
        return OTHER;
    }

    /** Adds the interval [a, b) of one category to the buckets it covers. */
    private void add(int cat, long a, long b) {
        a = Math.max(a, origin);
        if (b <= a) {
            return;
        }
        while ((b - 1 - origin) / width >= MAX_BUCKETS) {
            coarsen();
        }
        for (int i = (int) ((a - origin) / width); i < MAX_BUCKETS; i++) {
            long lo = origin + i * width;
            long hi = lo + width;
            if (lo >= b) {
                break;
            }
            buckets[i][cat] += Math.min(b, hi) - Math.max(a, lo);
        }
    }

    /** Doubles the width: bucket i takes old buckets 2i and 2i+1 (exact, sums of nanoseconds). */
    private void coarsen() {
        double[][] next = new double[MAX_BUCKETS][CATEGORIES];
        for (int i = 0; i < MAX_BUCKETS; i++) {
            for (int k = 0; k < CATEGORIES; k++) {
                next[i / 2][k] += buckets[i][k];
            }
        }
        buckets = next;
        width *= 2;
    }

    /** The heatmap of everything fed; goroutines' states and ranges still open end at the last event. */
    public Heatmap build() {
        if (origin < 0) {
            return new Heatmap(0, width, maxProcs, List.of());
        }
        goroutines.forEach((g, s) -> add((int) s[0], s[1], last));
        goroutines.clear();
        if (markSince >= 0) {
            add(GC, markSince, last);
            markSince = -1;
        }
        openStw.values().forEach(since -> add(STW, since, last));
        openStw.clear();
        while (last > origin && (last - 1 - origin) / width >= MAX_BUCKETS) {
            coarsen();
        }
        int count = (int) Math.max(1, (last - origin + width - 1) / width);
        List<Heatmap.Bucket> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long lo = origin + i * width;
            long w = Math.max(1, Math.min(width, last - lo));
            double[] s = buckets[i];
            out.add(new Heatmap.Bucket(lo, w, s[RUNNING] / w, s[RUNNABLE] / w, s[NETWORK] / w, s[SYNC] / w,
                    s[SYSCALL] / w, s[OTHER] / w, s[GC] / w, s[STW] / w));
        }
        return new Heatmap(origin, width, maxProcs, List.copyOf(out));
    }
}
