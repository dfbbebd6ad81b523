package dev.godiag.analysis.trace;

import dev.godiag.model.trace.TraceChanges;

/**
 * One analysis of an execution trace, fed a generation at a time in trace order, so a trace of
 * any size is analysed in the memory of one generation plus what the analysis keeps.
 */
public interface TraceConsumer {
    /** The next generation's events and what they mean. */
    void accept(TraceChanges changes);
}
