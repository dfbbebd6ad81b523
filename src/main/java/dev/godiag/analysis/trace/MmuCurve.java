package dev.godiag.analysis.trace;

/**
 * Minimum mutator utilization of a utilization series: for a window size w, the lowest mean
 * utilization over every window of w within the series (Go's {@code MMUCurve.MMU}, whose window is
 * cut to the series' span). The series is a step function: point i holds utilization u[i] from t[i]
 * to t[i+1]; the last point marks the end. Exact, not banded: the mean over [s, s+w] is linear in s
 * between the points where s or s+w crosses a change, so the minimum is at a window that starts or
 * ends at a change; both kinds are swept in O(n) per window (the windows Go's slow reference checks).
 */
public final class MmuCurve {
    private final long[] t;
    private final double[] u;
    private final double[] area;
    private final int n;

    /** The series of n points (times strictly increasing); the arrays are not copied. */
    public MmuCurve(long[] times, double[] utils, int n) {
        this.t = times;
        this.u = utils;
        this.n = n;
        this.area = new double[Math.max(1, n)];
        for (int i = 1; i < n; i++) {
            area[i] = area[i - 1] + u[i - 1] * (t[i] - t[i - 1]);
        }
    }

    /** The span of the series in nanoseconds. */
    public long spanNanos() {
        return n < 2 ? 0 : t[n - 1] - t[0];
    }

    /** The minimum mutator utilization for windows of this many nanoseconds (0 for a window <= 0). */
    public double mmu(long window) {
        if (window <= 0 || n < 2) {
            return 0;
        }
        long w = Math.min(window, spanNanos());
        if (w <= 0) {
            return 0;
        }
        double min = 1.0;
        // windows starting at a change: s = t[i], end s + w, with j the piece holding the end
        int j = 0;
        for (int i = 0; i < n && t[i] + w <= t[n - 1]; i++) {
            long end = t[i] + w;
            while (j + 1 < n && t[j + 1] <= end) {
                j++;
            }
            min = Math.min(min, (areaAt(j, end) - area[i]) / w);
        }
        // windows ending at a change: s = t[i] - w
        int k = 0;
        for (int i = 0; i < n; i++) {
            long start = t[i] - w;
            if (start < t[0]) {
                continue;
            }
            while (k + 1 < n && t[k + 1] <= start) {
                k++;
            }
            min = Math.min(min, (area[i] - areaAt(k, start)) / w);
        }
        return Math.max(0, min);
    }

    /** The area from t[0] to x, with piece j holding x (t[j] <= x). */
    private double areaAt(int j, long x) {
        return area[j] + (j + 1 < n ? u[j] * (x - t[j]) : 0);
    }
}
