package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.analysis.retention.RetentionReport.RootRetention;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.Severity;
import dev.godiag.model.heap.HeapGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * memory.retention on reports made by hand: which roots are findings, at what severity, with which
 * card. (The real dumps of Go 1.19 and 1.27 are in DiagnoseHeapDumpTest.)
 */
class HeapRetentionRuleTest {
    private static final long MIB = 1L << 20;

    private static List<Finding> run(long reachable, RootRetention... roots) {
        RetentionReport r = new RetentionReport(List.of(roots), null,
                new HeapGraph.Info("go1.27.0", "amd64", reachable, 1000, 0), 1000, reachable, 1000, reachable);
        DiagnosisInput in = new DiagnosisInput();
        in.add(DiagnosisInput.Kind.RETENTION, "heap.dump", r);
        return new HeapRetentionRule().evaluate(in, new RuleConfig(Map.of()));
    }

    @Test
    void aRootHoldingMostOfALargeHeapIsAWarningWithTheCardOfWhatHoldsIt() {
        List<Finding> f = run(1000 * MIB,
                new RootRetention("main.sessions", "global", "map[string]*main.Session", 700 * MIB, 36_410),
                new RootRetention("main.recent", "global", "[][]uint8", 250 * MIB, 120),
                new RootRetention("goroutine 7 stack: main.worker", "goroutine stack", null, 30 * MIB, 3));
        assertThat(f).hasSize(2); // 3% of the heap is no finding
        Finding sessions = f.get(0);
        // 70%: between the warning (50%) and critical (90%) limits, 50 + 25 * 20/40 = 62.5; a warning at most
        assertThat(sessions.score()).isEqualTo(63);
        assertThat(sessions.severity()).isEqualTo(Severity.WARNING);
        assertThat(sessions.title()).isEqualTo(
                "main.sessions (a global map[string]*main.Session) retains 700.0 MiB (70% of the reachable heap)");
        assertThat(sessions.summary()).contains("700.0 MiB in 36,410 objects");
        assertThat(sessions.cards()).containsExactly("retention.global-map", "memory.retention");
        assertThat(sessions.evidence()).containsEntry("retainedBytes", 700 * MIB).containsEntry("rootShare", 0.7);
        // 25%: info, 25 + 25 * 5/30
        assertThat(f.get(1).score()).isEqualTo(29);
        assertThat(f.get(1).cards()).containsExactly("retention.global-slice", "memory.retention");
    }

    @Test
    void onAHeapTooSmallToMatterEvenAllOfItIsInfo() {
        List<Finding> f = run(40 * MIB, new RootRetention("main.pinned", "global", "[][]uint8", 38 * MIB, 21));
        assertThat(f).singleElement().satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.INFO));
    }

    @Test
    void aCacheNeverGoesCriticalAndSmallRootsAreNoFindings() {
        assertThat(run(10_000 * MIB, new RootRetention("main.cache", "global", "*main.LRU", 9_900 * MIB, 10))
                .get(0).severity()).isEqualTo(Severity.WARNING);
        // half of a 1.5 MiB heap: less than a MiB retained
        assertThat(run(3 * MIB / 2, new RootRetention("main.x", "global", null, 3 * MIB / 4, 2))).isEmpty();
    }

    @Test
    void stacksAndFinalizersNameTheirFunction() {
        List<Finding> f = run(100 * MIB,
                new RootRetention("goroutine 5 stack: main.holdBuffer", "goroutine stack", null, 60 * MIB, 1),
                new RootRetention("finalizer main.release", "finalizer", null, 30 * MIB, 2));
        assertThat(f).extracting(x -> x.location().function()).containsExactly("main.holdBuffer", "main.release");
        assertThat(f).extracting(x -> x.cards().get(0)).containsExactly("retention.goroutine-stack",
                "retention.finalizer");
    }
}
