package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.trace.BlockingKind;
import dev.godiag.analysis.trace.BlockingStack;
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
 * trace.network-stall: a single wait on the network longer than a peer should take, at a stack of the
 * program's own code. Waits for a new connection (Accept) or for a client's next request on an idle
 * keep-alive connection are a server's idling, not stalls, and are left out.
 */
public final class TraceNetworkStallRule implements Rule {
    static final Threshold LONGEST = new Threshold("longestWait", "s", 1, 2, 10,
            "the longest single wait on the network at one stack");

    static final RuleInfo INFO = RuleInfo.of("trace.network-stall", "io",
            "single waits on the network longer than a second at one stack (execution trace)",
            Set.of(DiagnosisInput.Kind.TRACE), LONGEST);

    /** Waiting for a connection or the next request: a server idling, however long. */
    private static final String[] IDLE = {"net.(*TCPListener).Accept", "net.(*UnixListener).Accept",
        "net/http.(*conn).serve", "net/http.(*connReader).backgroundRead", "net.(*netFD).accept"};

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        Threshold t = config.resolve(this, LONGEST);
        List<Finding> out = new ArrayList<>();
        for (TraceAnalysis a : input.traces()) {
            for (BlockingStack s : a.blocking().get(BlockingKind.NET).stacks()) {
                if (TraceStacks.contains(s, IDLE)) {
                    continue;
                }
                TraceFrame own = TraceStacks.ownFrame(s.frames()).orElse(null);
                if (own == null) {
                    continue;
                }
                double longest = s.maxDelayNanos() / 1e9;
                int score = t.score(longest);
                if (score < 25) {
                    continue;
                }
                out.add(Finding.builder(this)
                        .title(fmt("Network stall: a wait of %.2f s at %s", longest, own.function()))
                        .score(score)
                        .summary(fmt("Goroutines waited on the network at %s %d times, %.3f s in all (mean %.3f s);"
                                + " the longest single wait was %.3f s", TraceStacks.at(own), s.count(),
                                TraceStacks.seconds(s.delayNanos()), s.delayNanos() / 1e9 / s.count(), longest))
                        .location(own.function(), own.file(), own.line())
                        .evidence("trace", a.source())
                        .evidence("longestWaitSeconds", TraceStacks.seconds(s.maxDelayNanos()), "s")
                        .evidence("waits", s.count())
                        .evidence("waitSeconds", TraceStacks.seconds(s.delayNanos()), "s")
                        .evidence("waitAt", own.file() + ":" + own.line())
                        .evidence("leaf", s.leaf().map(TraceFrame::function).orElse(""))
                        .build());
            }
        }
        return out;
    }
}
