package dev.godiag.analysis.runtime;

import dev.godiag.model.GcCycle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What gctrace says about the garbage collector: pauses, CPU, frequency, assists, heap goal vs
 * live heap, over the whole log and in time windows, so a long log still shows when things went
 * wrong.
 */
public final class GcAnalysis {
    private GcAnalysis() {
    }

    /** Percentiles of a distribution, nearest-rank (the smallest value with at least p% at or below it). */
    public record Percentiles(double p50, double p95, double p99, double max, int n) {
        static Percentiles of(double[] values) {
            if (values.length == 0) {
                return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double[] v = values.clone();
            Arrays.sort(v);
            return new Percentiles(rank(v, 50), rank(v, 95), rank(v, 99), v[v.length - 1], v.length);
        }

        private static double rank(double[] sorted, double p) {
            int k = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, k - 1))];
        }
    }

    /**
     * A time window of the log.
     *
     * @param gcCpuPercent GC CPU over the window's CPU capacity (window length x GOMAXPROCS)
     * @param assistPercent mutator assists over all GC CPU in the window
     */
    public record Window(double fromSeconds, double toSeconds, int cycles, int forced, Percentiles pauseMs,
                         double gcCpuPercent, double assistPercent, double cyclesPerSecond, double maxLiveHeapMB,
                         double maxGoalMB) {
    }

    /**
     * @param gcCpuPercent the last cycle's reported share of CPU used by GC since the program started
     * @param notes        what stands out, in words
     */
    /**
     * @param allocRateMBps the allocation rate the log implies: what the heap grew between the end
     *                      of one cycle and the start of the next (A of a cycle minus C of the one
     *                      before), summed, over the time between the first and the last cycle; an
     *                      estimate in the runtime's rounded MB, NaN with fewer than two cycles
     */
    public record Result(List<GcCycle> cycles, int forced, int leakChecks, Percentiles pauseMs, double gcCpuPercent,
                         double assistPercent, double cyclesPerSecond, double spanSeconds, List<Window> windows,
                         double stacksGrowthMB, double globalsGrowthMB, double allocRateMBps, List<String> notes) {
    }

    /**
     * @param windowSeconds the window length; 0 picks one giving about 20 windows over the log
     */
    public static Result of(List<GcCycle> cycles, double windowSeconds) {
        int n = cycles.size();
        double[] pauses = new double[n];
        int forced = 0;
        int leakChecks = 0;
        double assist = 0;
        double gcCpu = 0;
        for (int i = 0; i < n; i++) {
            GcCycle c = cycles.get(i);
            pauses[i] = c.pauseMs();
            forced += c.forced() ? 1 : 0;
            leakChecks += c.leakCheck() ? 1 : 0;
            assist += finite(c.assistCpuMs());
            gcCpu += finite(c.cpuMs());
        }
        Percentiles pause = Percentiles.of(pauses);
        double span = n == 0 ? 0 : cycles.get(n - 1).atSeconds() - cycles.get(0).atSeconds();
        double last = n == 0 ? Double.NaN : cycles.get(n - 1).cpuPercent();
        double width = windowSeconds > 0 ? windowSeconds : niceWindow(span);
        List<Window> windows = windows(cycles, width);
        double stacks = n == 0 ? Double.NaN : cycles.get(n - 1).stacksMB() - cycles.get(0).stacksMB();
        double globals = n == 0 ? Double.NaN : cycles.get(n - 1).globalsMB() - cycles.get(0).globalsMB();
        double assistShare = gcCpu > 0 ? 100 * assist / gcCpu : Double.NaN;
        double rate = span > 0 ? (n - 1) / span : Double.NaN;
        return new Result(List.copyOf(cycles), forced, leakChecks, pause, last, assistShare, rate, span, windows,
                stacks, globals, allocRate(cycles, span), notes(cycles, pause, last, assistShare, rate, forced, windows));
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    /** MB allocated between cycles (next start minus previous live heap) per second of the log. */
    static double allocRate(List<GcCycle> cycles, double span) {
        if (cycles.size() < 2 || !(span > 0)) {
            return Double.NaN;
        }
        double allocated = 0;
        boolean known = false;
        for (int i = 1; i < cycles.size(); i++) {
            double grown = cycles.get(i).heapStartMB() - cycles.get(i - 1).liveHeapMB();
            if (Double.isFinite(grown)) {
                known = true;
                allocated += Math.max(grown, 0);
            }
        }
        // without heap sizes per cycle (memstats' pause ring buffer) the rate is unknown, not 0
        return known ? allocated / span : Double.NaN;
    }

    /** The larger of two values, NaN ones (unknown) left out. */
    private static double maxKnown(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /** A round window length (1, 2, 5 x 10^k seconds) giving about 20 windows. */
    static double niceWindow(double span) {
        if (!(span > 0)) {
            return 1;
        }
        double raw = span / 20;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (raw <= m * p) {
                return Math.max(1, m * p);
            }
        }
        return Math.max(1, 10 * p);
    }

    /** Empty windows walked one by one before jumping over the rest of a gap (only empty ones are skipped). */
    private static final int JUMP = 1000;

    private static List<Window> windows(List<GcCycle> cycles, double width) {
        List<Window> out = new ArrayList<>();
        if (cycles.isEmpty()) {
            return out;
        }
        double start = Math.floor(cycles.get(0).atSeconds() / width) * width;
        int i = 0;
        while (i < cycles.size()) {
            double at = cycles.get(i).atSeconds();
            if (at - start > JUMP * width) {
                // a long quiet stretch: jump to the next cycle's window instead of walking empty ones
                start = Math.max(start, Math.floor(at / width) * width);
            }
            double from = start;
            // a width below the precision of the time still makes progress (one cycle time a window)
            double to = Math.max(start + width, Math.nextUp(start));
            List<GcCycle> in = new ArrayList<>();
            while (i < cycles.size() && cycles.get(i).atSeconds() < to) {
                in.add(cycles.get(i++));
            }
            if (!in.isEmpty()) {
                double[] p = new double[in.size()];
                double cpu = 0;
                boolean cpuKnown = false;
                double assist = 0;
                int forced = 0;
                double live = Double.NaN;
                double goal = Double.NaN;
                int procs = 1;
                for (int k = 0; k < in.size(); k++) {
                    GcCycle c = in.get(k);
                    p[k] = c.pauseMs();
                    cpu += finite(c.cpuMs());
                    cpuKnown |= Double.isFinite(c.cpuMs());
                    assist += finite(c.assistCpuMs());
                    forced += c.forced() ? 1 : 0;
                    live = maxKnown(live, c.liveHeapMB());
                    goal = maxKnown(goal, c.goalMB());
                    procs = Math.max(procs, c.procs());
                }
                out.add(new Window(from, to, in.size(), forced, Percentiles.of(p),
                        cpuKnown ? 100 * cpu / (width * 1000 * procs) : Double.NaN,
                        cpu > 0 ? 100 * assist / cpu : Double.NaN,
                        in.size() / width, live, goal));
            }
            start = to;
        }
        return out;
    }

    private static List<String> notes(List<GcCycle> cycles, Percentiles pause, double cpuPercent, double assist,
                                      double rate, int forced, List<Window> windows) {
        List<String> notes = new ArrayList<>();
        if (cycles.isEmpty()) {
            notes.add("no gc lines: run the program with GODEBUG=gctrace=1 and keep its stderr");
            return notes;
        }
        if (cpuPercent >= 10) {
            notes.add(fmt("GC has used %.0f%% of the CPU since start: above 10%%, allocation pressure is worth"
                    + " cutting (reuse buffers, sync.Pool) or GOGC/GOMEMLIMIT worth raising", cpuPercent));
        }
        if (pause.max() >= 10) {
            notes.add(fmt("the longest stop-the-world pause is %.2f ms (p99 %.2f ms): long pauses come from"
                    + " non-preemptible loops or huge stacks to scan", pause.max(), pause.p99()));
        }
        if (assist >= 25) {
            notes.add(fmt("mutator assists are %.0f%% of GC CPU: goroutines allocate faster than the"
                    + " background workers mark, and pay with latency", assist));
        }
        if (rate >= 10) {
            notes.add(fmt("%.1f collections per second: a small heap goal for the allocation rate (GOGC,"
                    + " GOMEMLIMIT, or fewer short-lived allocations)", rate));
        }
        if (forced > 0) {
            notes.add(forced + (forced == 1 ? " collection was" : " collections were")
                    + " forced (runtime.GC, debug.FreeOSMemory or a goroutineleak profile), not paced");
        }
        Window worst = null;
        for (Window w : windows) {
            if (worst == null || w.gcCpuPercent() > worst.gcCpuPercent()) {
                worst = w;
            }
        }
        if (worst != null && windows.size() > 1 && worst.gcCpuPercent() >= 25) {
            notes.add(fmt("the worst window, %.0fs-%.0fs, spent %.0f%% of its CPU in GC", worst.fromSeconds(),
                    worst.toSeconds(), worst.gcCpuPercent()));
        }
        return notes;
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
