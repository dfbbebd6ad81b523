package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.StackFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.arrows;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.list;

/**
 * goroutines.context-leak: goroutines parked in the context package's cancellation watchers
 * (propagateCancel, AfterFunc), which live until a context is cancelled, piling up. Leaking
 * goroutines of the service's own code that wait on a context are goroutines.leak's, with this
 * rule's card (their primitive is the context): one leak, one finding.
 */
public final class GoroutineContextLeakRule implements Rule {
    static final Threshold COUNT = new Threshold("waitingGoroutines", "count", 10, 100, 1_000,
            "goroutines parked in the context package's watchers");
    /** Growing across three or more snapshots makes it at least a warning. */
    static final int GROWING_MIN_SCORE = 50;

    static final RuleInfo INFO = RuleInfo.of("goroutines.context-leak", "goroutines",
            "goroutines waiting for a context cancellation that never comes",
            Set.of(DiagnosisInput.Kind.GOROUTINES), COUNT);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    /** A frame of the context package's own watcher goroutines, or null. */
    static StackFrame contextWatcher(List<StackFrame> frames) {
        for (StackFrame f : frames) {
            String fn = f.function();
            if (fn.startsWith("context.") && (fn.contains("propagateCancel") || fn.contains("AfterFunc")
                    || fn.contains("(*afterFuncCtx)") || fn.contains("WithDeadline") || fn.contains("WithTimeout")
                    || fn.contains("(*cancelCtx)"))) {
                return f;
            }
        }
        return null;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        GoroutineAnalysis.Result a = input.goroutineAnalysis();
        if (a == null) {
            return List.of();
        }
        Threshold t = config.resolve(this, COUNT);
        List<Finding> out = new ArrayList<>();
        for (GoroutineAnalysis.Row r : a.rows()) {
            if (r.last() == 0) {
                continue;
            }
            StackFrame watcher = contextWatcher(r.bucket().frames());
            if (watcher == null) {
                continue;
            }
            GoroutineVerdicts.Verdict v = r.assessment().verdict();
            String state = r.bucket().state().isEmpty() ? GoroutineVerdicts.stateFromStack(r.bucket().frames())
                    : r.bucket().state();
            int score = t.score(r.last());
            boolean grows = GoroutineVerdicts.onlyGrows(r.counts());
            if (grows) {
                score = Math.max(score, GROWING_MIN_SCORE);
            }
            if (score < 25) {
                continue;
            }
            StackFrame at = r.assessment().blockedAt();
            String where = at == null ? "?" : at.function() + " (" + at.location() + ")";
            Finding.Builder b = Finding.builder(this)
                    .title("Context watchers piling up at " + where)
                    .score(score)
                    .summary(r.last() + " goroutines parked in " + watcher.function() + (r.counts().length > 1
                            ? " (" + arrows(r.counts()) + ")" : ""))
                    .evidence("count", r.last())
                    .evidence("countsPerSnapshot", list(r.counts()))
                    .evidence("state", state.isEmpty() ? null : state)
                    .evidence("matchedBy", "context package frame")
                    .evidence("contextFrame", watcher.function())
                    .evidence("verdict", v.id());
            if (at != null) {
                b.location(at.function(), at.file(), at.line())
                        .evidence("blockedAt", at.function() + " (" + at.location() + ")");
            }
            if (r.bucket().createdBy() != null) {
                b.evidence("createdBy", r.bucket().createdBy().function() + " ("
                        + r.bucket().createdBy().location() + ")");
            }
            out.add(b.build());
        }
        return out;
    }
}
