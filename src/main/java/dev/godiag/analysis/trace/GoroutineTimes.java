package dev.godiag.analysis.trace;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where one goroutine's time went, as Go's trace summary splits it (internal/trace.GoroutineSummary):
 * running, runnable waiting for a P (scheduler wait, including the wait after a syscall lost its P),
 * blocked by reason, in syscalls with a P and blocked in syscalls without one; the unknown rest of
 * its time in the trace. Ranges (GC mark assist, sweep, stop-the-world) overlap the others.
 * Nanoseconds.
 *
 * @param id    the goroutine id, or -1 for the sum of a group
 * @param name  its start function (the root frame of the first stack seen), "" if none was seen
 * @param total its time in the trace: from creation (or the trace's start) to its end (or the trace's)
 */
public record GoroutineTimes(long id, String name, long total, long exec, long schedWait,
                             Map<String, Long> blockByReason, long syscall, long syscallBlock,
                             Map<String, Long> ranges) {
    public GoroutineTimes {
        blockByReason = Map.copyOf(new TreeMap<>(blockByReason));
        ranges = Map.copyOf(new TreeMap<>(ranges));
    }

    /** Blocked on the network poller (reason "network"). */
    public long blockNet() {
        return block(BlockingKind.NET);
    }

    /** Blocked on channels, select and sync primitives (the reasons of the sync profile). */
    public long blockSync() {
        return block(BlockingKind.SYNC);
    }

    /** Blocked for any other reason (sleep, GC waits, system goroutine waits...). */
    public long blockOther() {
        long all = blockByReason.values().stream().mapToLong(Long::longValue).sum();
        return all - blockNet() - blockSync();
    }

    private long block(BlockingKind kind) {
        long sum = 0;
        for (Map.Entry<String, Long> e : blockByReason.entrySet()) {
            if (kind.starts("Waiting", e.getKey())) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** What the other (non-overlapping) times leave of the total; never negative (Go's UnknownTime). */
    public long unknown() {
        long sum = exec + schedWait + syscall + syscallBlock
                + blockByReason.values().stream().mapToLong(Long::longValue).sum();
        return Math.max(0, total - sum);
    }

    /** Time in GC mark assist ranges. */
    public long assist() {
        return ranges.getOrDefault("GC mark assist", 0L);
    }

    /** Time in GC incremental sweep ranges while on this goroutine. */
    public long sweep() {
        return ranges.getOrDefault("GC incremental sweep", 0L);
    }

    /** The sum of two goroutines' times (ids and names of the first). */
    GoroutineTimes plus(GoroutineTimes o) {
        Map<String, Long> block = new TreeMap<>(blockByReason);
        o.blockByReason.forEach((k, v) -> block.merge(k, v, Long::sum));
        Map<String, Long> r = new TreeMap<>(ranges);
        o.ranges.forEach((k, v) -> r.merge(k, v, Long::sum));
        return new GoroutineTimes(id, name, total + o.total, exec + o.exec, schedWait + o.schedWait, block,
                syscall + o.syscall, syscallBlock + o.syscallBlock, r);
    }
}
