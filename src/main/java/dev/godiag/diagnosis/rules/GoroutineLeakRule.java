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
 * goroutines.leak: one finding per bucket of goroutines the goroutine analysis judges a definite or
 * likely leak (nil channel, empty select, the runtime's own leak detection, only growing across
 * snapshots, blocked for minutes, many identical blocked at one line).
 */
public final class GoroutineLeakRule implements Rule {
    static final Threshold COUNT = new Threshold("leakedGoroutines", "count", 1, 10, 100,
            "goroutines in the leaking bucket (in the last snapshot)");
    /** A definite leak is at least a warning, whatever its count: it is a bug. */
    static final int DEFINITE_MIN_SCORE = 50;
    static final int MAX_FINDINGS = 20;

    static final RuleInfo INFO = RuleInfo.of("goroutines.leak", "goroutines",
            "goroutines blocked where nothing will ever wake them, or piling up at one line",
            Set.of(DiagnosisInput.Kind.GOROUTINES), COUNT);

    @Override
    public RuleInfo info() {
        return INFO;
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
            GoroutineVerdicts.Assessment as = r.assessment();
            boolean definite = as.verdict() == GoroutineVerdicts.Verdict.DEFINITE_LEAK;
            if (!definite && as.verdict() != GoroutineVerdicts.Verdict.LIKELY_LEAK || r.last() == 0) {
                continue;
            }
            if (StdlibGoroutines.explainedByStdlibRule(r.bucket())) {
                continue; // the standard library's rules (http, sql) report these with their cause
            }
            if (out.size() == MAX_FINDINGS) {
                break;
            }
            int score = t.score(r.last());
            if (definite) {
                score = Math.max(score, DEFINITE_MIN_SCORE);
            }
            if (score < 25) {
                continue;
            }
            StackFrame at = as.blockedAt();
            StackFrame created = as.createdAt();
            String state = r.bucket().state().isEmpty() ? GoroutineVerdicts.stateFromStack(r.bucket().frames())
                    : r.bucket().state();
            String where = at == null ? "an unknown place" : at.function() + " (" + at.location() + ")";
            Finding.Builder b = Finding.builder(this)
                    .title((definite ? "Goroutine leak" : "Likely goroutine leak") + " at " + where)
                    .score(score)
                    .summary(r.last() + " goroutine" + (r.last() == 1 ? "" : "s") + " blocked"
                            + (state.isEmpty() ? "" : " in '" + state + "'") + " at " + where
                            + (r.counts().length > 1 ? " (" + arrows(r.counts()) + " across the snapshots)" : ""))
                    .evidence("verdict", as.verdict().id())
                    .evidence("count", r.last())
                    .evidence("countsPerSnapshot", list(r.counts()))
                    .evidence("change", r.change().name().toLowerCase(java.util.Locale.ROOT))
                    .evidence("state", state.isEmpty() ? null : state);
            if (at != null) {
                b.location(at.function(), at.file(), at.line())
                        .evidence("blockedAtFunction", at.function())
                        .evidence("blockedAtFile", at.file())
                        .evidence("blockedAtLine", at.line());
            }
            if (created != null) {
                b.evidence("createdBy", created.function()).evidence("createdAt", created.location());
            }
            if (r.bucket().leaked() > 0) {
                b.evidence("leakedPerRuntime", r.bucket().leaked());
            }
            if (r.bucket().maxWait() > 0) {
                b.evidence("maxWaitMinutes", r.bucket().maxWait());
            }
            out.add(b.evidence("reason", as.reason()).build());
        }
        return out;
    }
}
