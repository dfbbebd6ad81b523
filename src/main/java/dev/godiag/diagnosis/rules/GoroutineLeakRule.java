package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.goroutine.GoroutineLeaks;
import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.analysis.goroutine.Primitive;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.StackFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.arrows;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.list;

/**
 * goroutines.leak: one finding per leak the goroutine analysis finds (nil channel, empty select, the
 * runtime's own leak detection, only growing across snapshots, blocked for minutes, many identical
 * blocked at one line), its buckets grouped by cause ({@link GoroutineLeaks}) and the primitive they
 * wait on named from the stack, with that primitive's card first.
 */
public final class GoroutineLeakRule implements Rule {
    static final Threshold COUNT = new Threshold("leakedGoroutines", "count", 1, 10, 100,
            "goroutines in the leak (in the last snapshot)");
    /** A definite leak is at least a warning, whatever its count: it is a bug. */
    static final int DEFINITE_MIN_SCORE = 50;
    static final int MAX_FINDINGS = 20;

    static final RuleInfo INFO = RuleInfo.of("goroutines.leak", "goroutines",
            "goroutines blocked where nothing will ever wake them, or piling up at one line",
            Set.of(DiagnosisInput.Kind.GOROUTINES), COUNT).withCards(primitiveCards());

    private static String[] primitiveCards() {
        List<String> cards = new ArrayList<>();
        for (Primitive p : Primitive.values()) {
            if (!p.card().equals("goroutines.leak") && !cards.contains(p.card())) {
                cards.add(p.card());
            }
        }
        return cards.toArray(String[]::new);
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        GoroutineAnalysis.Result a = input.goroutineAnalysis();
        if (a == null || GoroutineDeadlockRule.endsInDeadlock(input)) {
            return List.of(); // after a deadlock every goroutine is stuck: goroutines.deadlock explains them
        }
        Threshold t = config.resolve(this, COUNT);
        List<Finding> out = new ArrayList<>();
        // the standard library's rules (http, sql) report their goroutines with their own cause
        for (GoroutineLeaks.Leak leak : GoroutineLeaks.of(a, r -> StdlibGoroutines.explainedByStdlibRule(r.bucket()),
                Timers.tickerHolders(input))) {
            if (leak.last() == 0) {
                continue;
            }
            if (out.size() == MAX_FINDINGS) {
                break;
            }
            boolean definite = leak.verdict() == GoroutineVerdicts.Verdict.DEFINITE_LEAK;
            int score = t.score(leak.last());
            if (definite) {
                score = Math.max(score, DEFINITE_MIN_SCORE);
            }
            if (score < 25) {
                continue;
            }
            out.add(finding(leak, score, definite, TraceConfirmation.of(input.traces(), leak.blockedAt())));
        }
        return out;
    }

    private Finding finding(GoroutineLeaks.Leak leak, int score, boolean definite, TraceConfirmation trace) {
        GoroutineAnalysis.Row lead = leak.lead();
        GoroutineVerdicts.Assessment as = lead.assessment();
        StackFrame at = leak.blockedAt();
        StackFrame created = leak.createdAt();
        Primitive p = leak.primitive();
        String state = lead.bucket().state().isEmpty() ? GoroutineVerdicts.stateFromStack(lead.bucket().frames())
                : lead.bucket().state();
        String where = at.function() + " (" + at.location() + ")";
        String on = p == Primitive.OTHER ? "" : " on " + (p == Primitive.EMPTY_SELECT ? "an " : "a ") + p.label();
        Finding.Builder b = Finding.builder(this)
                .title((definite ? "Goroutine leak" : "Likely goroutine leak") + on + " at " + where)
                .score(score)
                .summary(leak.explanation()
                        + (leak.counts().length > 1 ? " (" + arrows(leak.counts()) + " across the snapshots)" : "")
                        + (trace == null ? "" : ". " + trace.sentence()))
                .cards(p.card(), INFO.id())
                .evidence("verdict", leak.verdict().id())
                .evidence("primitive", p.id())
                .evidence("count", leak.last())
                .evidence("countsPerSnapshot", list(leak.counts()))
                .evidence("change", GoroutineAnalysis.change(leak.counts()).name().toLowerCase(Locale.ROOT))
                .evidence("state", state.isEmpty() ? null : state)
                .location(at.function(), at.file(), at.line())
                .evidence("blockedAtFunction", at.function())
                .evidence("blockedAtFile", at.file())
                .evidence("blockedAtLine", at.line());
        if (created != null) {
            b.evidence("createdBy", created.function()).evidence("createdAt", created.location());
        }
        if (leak.members().size() > 1) {
            List<String> parts = new ArrayList<>();
            for (GoroutineAnalysis.Row r : leak.members()) {
                String s = r.bucket().state().isEmpty() ? GoroutineVerdicts.stateFromStack(r.bucket().frames())
                        : r.bucket().state();
                StackFrame f = r.assessment().blockedAt();
                parts.add(r.last() + " in '" + s + "' at " + (f == null ? "?" : f.function() + " (" + f.location()
                        + ")"));
            }
            b.evidence("buckets", parts);
        }
        if (leak.awake() > 0) {
            b.evidence("awakeNow", leak.awake());
        }
        long leaked = leak.members().stream().mapToLong(r -> r.bucket().leaked()).sum();
        if (leaked > 0) {
            b.evidence("leakedPerRuntime", leaked);
        }
        int maxWait = leak.members().stream().mapToInt(r -> r.bucket().maxWait()).max().orElse(-1);
        if (maxWait > 0) {
            b.evidence("maxWaitMinutes", maxWait);
        }
        if (trace != null) {
            b.evidence("traceBlockedThroughout", trace.goroutines())
                    .evidence("traceSeconds", Math.round(trace.traceNanos() / 1e7) / 100.0)
                    .evidence("trace", trace.source());
        }
        return b.evidence("reason", as.reason()).build();
    }
}
