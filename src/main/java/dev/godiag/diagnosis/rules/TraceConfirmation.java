package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.trace.BlockedThroughout;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.model.StackFrame;
import dev.godiag.util.Units;

import java.util.List;

/**
 * What an execution trace of the same service says of a goroutine leak found in a goroutine dump:
 * how many goroutines the trace saw blocked at the leak's line from its start (or their creation)
 * to its end, never woken. The join is by the frame (function, file and line), as goroutine ids
 * are the dump's and stack ids the trace's own.
 *
 * @param source     the trace's name
 * @param goroutines how many goroutines the trace saw blocked there throughout
 * @param traceNanos how long the trace lasted
 */
record TraceConfirmation(String source, int goroutines, long traceNanos) {
    /** The trace (of those given) with the most goroutines blocked throughout at {@code at}; null when none has one. */
    static TraceConfirmation of(List<TraceAnalysis> traces, StackFrame at) {
        if (at == null || at.line() <= 0) {
            return null;
        }
        TraceConfirmation best = null;
        for (TraceAnalysis t : traces) {
            int n = 0;
            for (BlockedThroughout.BlockedGroup g : t.blockedThroughout()) {
                if (g.blockedAt(at.function(), at.file(), at.line())) {
                    n += g.goroutines();
                }
            }
            if (n > 0 && (best == null || n > best.goroutines)) {
                best = new TraceConfirmation(t.source(), n, t.overview().durationNanos());
            }
        }
        return best;
    }

    /** The sentence the finding's summary ends with. */
    String sentence() {
        return "The execution trace confirms it: " + goroutines + (goroutines == 1 ? " goroutine was" : " goroutines were")
                + " blocked at this line for the whole " + Units.time(traceNanos) + " trace (or from creation to its"
                + " end), never woken";
    }
}
