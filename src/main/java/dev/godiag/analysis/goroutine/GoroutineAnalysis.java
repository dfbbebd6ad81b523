package dev.godiag.analysis.goroutine;

import dev.godiag.analysis.goroutine.GoroutineBuckets.Bucket;
import dev.godiag.analysis.goroutine.GoroutineVerdicts.Assessment;
import dev.godiag.analysis.goroutine.GoroutineVerdicts.Thresholds;
import dev.godiag.model.GoroutineDump;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One or more goroutine snapshots in time order, bucketed, matched across snapshots (same state,
 * stack and creation site), each bucket with its count per snapshot, its change and a verdict. In
 * a dump the runtime ended with its deadlock error, the service's goroutines are definitely stuck.
 */
public final class GoroutineAnalysis {
    private GoroutineAnalysis() {
    }

    /** How a bucket's count moved from the first snapshot to the last. */
    public enum Change {
        /** one snapshot only: nothing to compare */
        SINGLE,
        /** absent in the first snapshot */
        NEW,
        /** absent in the last snapshot */
        VANISHED,
        /** rises at least twice and never falls (so three snapshots or more) */
        ONLY_GROWS,
        /** ends higher, with ups and downs */
        GREW,
        /** ends lower */
        SHRANK,
        /** ends where it started */
        STEADY
    }

    /**
     * A bucket across the snapshots.
     *
     * @param bucket the bucket as in the last snapshot that has it
     * @param counts its count per snapshot, in input order
     */
    public record Row(Bucket bucket, long[] counts, Change change, Assessment assessment) {
        public long last() {
            return counts[counts.length - 1];
        }
    }

    /**
     * @param totals goroutines per snapshot
     */
    public record Result(List<GoroutineDump> snapshots, long[] totals, List<Row> rows) {
        /** Goroutines in the last snapshot. */
        public long total() {
            return totals[totals.length - 1];
        }
    }

    public static Result of(List<GoroutineDump> snapshots, GoroutineBuckets.Similarity similarity, Thresholds t) {
        int n = snapshots.size();
        long[] totals = new long[n];
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Bucket> latest = new LinkedHashMap<>();
        for (int s = 0; s < n; s++) {
            GoroutineDump d = snapshots.get(s);
            totals[s] = d.total();
            Map<String, Bucket> largest = new LinkedHashMap<>();
            for (Bucket b : GoroutineBuckets.of(d, similarity)) {
                String key = b.key();
                counts.computeIfAbsent(key, k -> new long[n])[s] += b.count();
                largest.merge(key, b, (x, y) -> x.count() >= y.count() ? x : y);
            }
            latest.putAll(largest);
        }
        boolean deadlocked = n > 0 && snapshots.get(n - 1).deadlocked();
        List<Row> rows = new ArrayList<>(counts.size());
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            Bucket b = latest.get(e.getKey());
            Assessment as = GoroutineVerdicts.assess(b, c, t);
            if (deadlocked && c[n - 1] > 0 && b.kind() == GoroutineBuckets.StackKind.OWN) {
                // the runtime itself found that no goroutine can ever run again
                as = new Assessment(GoroutineVerdicts.Verdict.DEFINITE_LEAK, "the runtime ended the program with"
                        + " \"" + snapshots.get(n - 1).fatalError() + "\": blocked in '" + b.state() + "' at "
                        + (as.blockedAt() == null ? "?" : as.blockedAt().function() + " ("
                        + as.blockedAt().location() + ")") + ", waiting for a goroutine that waits too.",
                        as.blockedAt(), as.createdAt());
            }
            rows.add(new Row(b, c, change(c), as));
        }
        rows.sort(ORDER);
        return new Result(List.copyOf(snapshots), totals, rows);
    }

    /** Verdicts by severity, then the service's own code first, then the largest now. */
    private static final Comparator<Row> ORDER = Comparator.<Row, GoroutineVerdicts.Verdict>comparing(
                    r -> r.assessment().verdict())
            .thenComparing(r -> r.bucket().kind())
            .thenComparing(Comparator.comparingLong(Row::last).reversed())
            .thenComparing(r -> r.bucket().key());

    public static Change change(long[] c) {
        if (c.length == 1) {
            return Change.SINGLE;
        }
        long first = c[0];
        long last = c[c.length - 1];
        if (GoroutineVerdicts.onlyGrows(c)) {
            return Change.ONLY_GROWS;
        }
        if (first == 0) {
            return Change.NEW;
        }
        if (last == 0) {
            return Change.VANISHED;
        }
        return last > first ? Change.GREW : last < first ? Change.SHRANK : Change.STEADY;
    }
}
