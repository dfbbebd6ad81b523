package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.trace.GoroutineGroup;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.util.GoSymbols;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.fmt;

/**
 * trace.gc-assist-paths: goroutines of one start function of the program's own that spend a large
 * share of their running time in GC mark assists: their allocation pays for the collector, on their
 * latency. Groups that ran less than {@link #MIN_EXEC_NANOS} are too small to judge.
 */
public final class TraceGcAssistRule implements Rule {
    static final long MIN_EXEC_NANOS = 50_000_000L;

    static final Threshold SHARE = new Threshold("assistShare", "%", 10, 25, 50,
            "the share of a group's running time spent in GC mark assists");

    static final RuleInfo INFO = RuleInfo.of("trace.gc-assist-paths", "gc",
            "goroutines of one start function paying for the GC in mark assists (execution trace)",
            Set.of(DiagnosisInput.Kind.TRACE), SHARE).withCards("gc.assists");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        Threshold t = config.resolve(this, SHARE);
        List<Finding> out = new ArrayList<>();
        for (TraceAnalysis a : input.traces()) {
            for (GoroutineGroup g : a.goroutineGroups()) {
                if (g.sum().exec() < MIN_EXEC_NANOS
                        || GoSymbols.kindOf(GoSymbols.packageOf(g.name())) != GoSymbols.Kind.OWN) {
                    continue;
                }
                double share = 100.0 * g.sum().assist() / g.sum().exec();
                int score = t.score(share);
                if (score < 25) {
                    continue;
                }
                out.add(Finding.builder(this)
                        .title(fmt("GC assists: %s spent %.0f%% of its running time assisting the GC", g.name(),
                                share))
                        .score(score)
                        .summary(fmt("%d goroutines started at %s ran %.3f s and spent %.3f s (%.1f%%) of it in GC"
                                + " mark assists", g.count(), g.name(), TraceStacks.seconds(g.sum().exec()),
                                TraceStacks.seconds(g.sum().assist()), share))
                        .evidence("trace", a.source())
                        .evidence("group", g.name())
                        .evidence("goroutines", g.count())
                        .evidence("assistShare", Math.round(share * 10) / 10.0, "%")
                        .evidence("assistSeconds", TraceStacks.seconds(g.sum().assist()), "s")
                        .evidence("execSeconds", TraceStacks.seconds(g.sum().exec()), "s")
                        .build());
            }
        }
        return out;
    }
}
