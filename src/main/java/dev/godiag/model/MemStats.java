package dev.godiag.model;

import java.util.List;

/**
 * runtime.MemStats as expvar publishes it ({@code "memstats"} of {@code /debug/vars}). Byte counts
 * and counters are uint64 in Go; values beyond a long are clamped to Long.MAX_VALUE. A field the
 * input lacks is -1 (NaN for GCCPUFraction).
 *
 * @param pauseNs  the 256-entry ring buffer of recent pause times; the most recent is at (NumGC+255)%256
 * @param pauseEnd the matching ring buffer of pause end times (ns since 1970)
 */
public record MemStats(long alloc, long totalAlloc, long sys, long lookups, long mallocs, long frees,
                       long heapAlloc, long heapSys, long heapIdle, long heapInuse, long heapReleased,
                       long heapObjects, long stackInuse, long stackSys, long mSpanInuse, long mSpanSys,
                       long mCacheInuse, long mCacheSys, long buckHashSys, long gcSys, long otherSys, long nextGC,
                       long lastGC, long pauseTotalNs, long[] pauseNs, long[] pauseEnd, long numGC,
                       long numForcedGC, double gcCpuFraction, boolean enableGC, boolean debugGC,
                       List<SizeClass> bySize) {
    public MemStats {
        bySize = List.copyOf(bySize);
    }

    /** The pause times of the last min(NumGC, 256) cycles, oldest first, from the ring buffer. */
    public long[] recentPausesNs() {
        int n = (int) Math.min(Math.max(numGC, 0), pauseNs.length);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long cycle = numGC - n + i; // 0-based cycle index
            out[i] = pauseNs[(int) (cycle % pauseNs.length)];
        }
        return out;
    }

    /** One entry of BySize: allocations of one size class. */
    public record SizeClass(long size, long mallocs, long frees) {
    }
}
