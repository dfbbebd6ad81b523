package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.analysis.retention.RetentionReport.RootRetention;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Score;
import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.util.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * memory.retention: one root of a heap dump (a global, a goroutine's stack, a finalizer) that alone
 * keeps a large share of the reachable heap alive: what would be freed if its references went away
 * (its subtree in the dominator tree). That a root holds memory is no fault by itself (a cache is
 * meant to), so a finding is at most a warning, and only info on a heap too small to matter; its
 * card is chosen by what holds the memory (a global map, a global slice, a stack, a finalizer).
 */
public final class HeapRetentionRule implements Rule {
    static final Threshold ROOT_SHARE = new Threshold("rootShare", "fraction", 0.20, 0.50, 0.90,
            "the share of the heap reachable from roots that one root alone retains");
    /** A root retaining less is no finding, whatever its share. */
    static final long MIN_BYTES = 1L << 20;
    /** Below this heap, a finding stays info: a small heap is no memory problem. */
    static final long WARNING_MIN_BYTES = 64L << 20;
    static final int MAX_FINDINGS = 3;

    static final RuleInfo INFO = RuleInfo.of("memory.retention", "memory",
            "one root of a heap dump (a global, a goroutine stack, a finalizer) retains a large share of the heap",
            Set.of(Kind.RETENTION), ROOT_SHARE).withCards("retention.global-map", "retention.global-slice",
            "retention.goroutine-stack", "retention.finalizer");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        List<Finding> out = new ArrayList<>();
        Threshold t = config.resolve(this, ROOT_SHARE);
        List<RetentionReport> dumps = input.all(Kind.RETENTION, RetentionReport.class);
        List<String> names = input.sources().stream().filter(s -> s.kind() == Kind.RETENTION)
                .map(DiagnosisInput.Source::name).toList();
        for (int d = 0; d < dumps.size(); d++) {
            RetentionReport r = dumps.get(d);
            if (r.reachableBytes() <= 0) {
                continue;
            }
            int n = 0;
            for (RootRetention root : r.roots()) {
                double share = (double) root.bytes() / r.reachableBytes();
                int score = t.score(share);
                if (n == MAX_FINDINGS || root.bytes() < MIN_BYTES || score < 25) {
                    break; // most bytes first: the rest retain less
                }
                n++;
                score = Score.atMost(score, r.reachableBytes() < WARNING_MIN_BYTES ? Severity.INFO : Severity.WARNING);
                out.add(finding(names.get(d), r, root, share, score));
            }
        }
        return out;
    }

    private Finding finding(String dump, RetentionReport r, RootRetention root, double share, int score) {
        String what = describe(root);
        String retained = Units.bytes(root.bytes()) + " in " + String.format(Locale.ROOT, "%,d", root.objects())
                + (root.objects() == 1 ? " object" : " objects");
        Finding.Builder b = Finding.builder(this)
                .title(what + " retains " + Units.bytes(root.bytes()) + String.format(Locale.ROOT,
                        " (%.0f%% of the reachable heap)", 100 * share))
                .score(score)
                .summary(String.format(Locale.ROOT, "%s retains %s: %.1f%% of the %s reachable from roots in the heap"
                                + " dump (%s), which would be freed if its references went away%s", what, retained,
                        100 * share, Units.bytes(r.reachableBytes()), r.info().goVersion(), root.parts().isEmpty() ? ""
                                : "; mostly " + root.parts().get(0).summary()))
                .evidence("root", root.name())
                .evidence("rootKind", root.kind())
                .evidence("rootType", root.type())
                .evidence("retainedBytes", root.bytes(), "bytes")
                .evidence("retainedObjects", root.objects())
                .evidence("rootShare", CpuHotspotRule.round(share), "fraction")
                .evidence("reachableBytes", r.reachableBytes(), "bytes")
                .evidence("retainedParts", root.parts().isEmpty() ? null : root.parts().stream()
                        .map(RetentionReport.Part::summary).toList())
                .evidence("heapDump", dump);
        String function = function(root);
        if (function != null) {
            b.location(function, null, 0);
        }
        String card = card(root);
        return (card == null ? b.cards(INFO.id()) : b.cards(card, INFO.id())).build();
    }

    /** "main.sessions (a global map[int]*main.session)", "goroutine 5's stack in main.holdBuffer". */
    static String describe(RootRetention root) {
        return switch (root.kind()) {
            case "global" -> root.name() + " (a global" + (root.type() == null ? "" : " " + root.type()) + ")";
            default -> root.name() + " (" + root.kind() + ")";
        };
    }

    /** The card for what holds the memory; null when the rule's own says it best. */
    static String card(RootRetention root) {
        return switch (root.kind()) {
            case "global" -> root.type() == null ? null : root.type().startsWith("map[") ? "retention.global-map"
                    : root.type().startsWith("[]") ? "retention.global-slice" : null;
            case "goroutine stack" -> "retention.goroutine-stack";
            case "finalizer" -> "retention.finalizer";
            default -> null;
        };
    }

    /** The function of a stack or finalizer root ("goroutine 5 stack: main.holdBuffer"), else null. */
    private static String function(RootRetention root) {
        int colon = root.name().indexOf(": ");
        if (root.kind().equals("goroutine stack") && colon > 0) {
            return root.name().substring(colon + 2);
        }
        if (root.kind().equals("finalizer") && root.name().startsWith("finalizer ")) {
            return root.name().substring("finalizer ".length());
        }
        return null;
    }
}
