package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.trace.BlockingKind;
import dev.godiag.analysis.trace.BlockingStack;
import dev.godiag.analysis.trace.GoroutineGroup;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.trace.TraceFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.fmt;

/**
 * trace.lock-convoy: many goroutines of one start function spend most of their time in the trace
 * waiting on one mutex at one stack: the lock serialises them, so adding goroutines adds only waiting.
 */
public final class TraceLockConvoyRule implements Rule {
    /** Fewer goroutines than this queueing on a lock is contention, not a convoy. */
    static final int MIN_GOROUTINES = 4;

    static final Threshold SHARE = new Threshold("lockWaitShare", "%", 25, 50, 75,
            "the share of a group's time in the trace its goroutines waited on one lock at one stack");

    static final RuleInfo INFO = RuleInfo.of("trace.lock-convoy", "locks",
            "goroutines of one start function queueing on one mutex for most of their time (execution trace)",
            Set.of(DiagnosisInput.Kind.TRACE), SHARE);

    private static final String[] LOCKS = {"sync.(*Mutex).Lock", "sync.(*RWMutex).Lock", "sync.(*RWMutex).RLock",
        "internal/sync.(*Mutex).Lock", "internal/sync.(*Mutex).lockSlow", "sync.(*Mutex).lockSlow"};

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        Threshold t = config.resolve(this, SHARE);
        List<Finding> out = new ArrayList<>();
        for (TraceAnalysis a : input.traces()) {
            List<BlockingStack> locks = a.blocking().get(BlockingKind.SYNC).stacks().stream()
                    .filter(s -> TraceStacks.contains(s, LOCKS)).toList();
            for (GoroutineGroup g : a.goroutineGroups()) {
                if (g.count() < MIN_GOROUTINES || g.name().isEmpty() || g.sum().total() <= 0) {
                    continue;
                }
                BlockingStack worst = locks.stream().filter(s -> TraceStacks.root(s).equals(g.name()))
                        .max(java.util.Comparator.comparingLong(BlockingStack::delayNanos)).orElse(null);
                if (worst == null) {
                    continue;
                }
                double share = 100.0 * worst.delayNanos() / g.sum().total();
                int score = t.score(share);
                if (score < 25) {
                    continue;
                }
                TraceFrame at = TraceStacks.where(worst).orElseThrow();
                out.add(Finding.builder(this)
                        .title(fmt("Lock convoy: %d %s goroutines waited %.0f%% of their time on one lock",
                                g.count(), g.name(), share))
                        .score(score)
                        .summary(fmt("%d goroutines started at %s spent %.1f%% of their %.3f s in the trace waiting"
                                + " on the lock taken at %s (%d waits, %.3f s); they ran %.3f s", g.count(),
                                g.name(), share, TraceStacks.seconds(g.sum().total()), TraceStacks.at(at),
                                worst.count(), TraceStacks.seconds(worst.delayNanos()),
                                TraceStacks.seconds(g.sum().exec())))
                        .location(at.function(), at.file(), at.line())
                        .evidence("trace", a.source())
                        .evidence("group", g.name())
                        .evidence("goroutines", g.count())
                        .evidence("lockWaitShare", Math.round(share * 10) / 10.0, "%")
                        .evidence("lockWaitSeconds", TraceStacks.seconds(worst.delayNanos()), "s")
                        .evidence("lockWaits", worst.count())
                        .evidence("groupSeconds", TraceStacks.seconds(g.sum().total()), "s")
                        .evidence("lockAt", at.file() + ":" + at.line())
                        .build());
            }
        }
        return out;
    }
}
