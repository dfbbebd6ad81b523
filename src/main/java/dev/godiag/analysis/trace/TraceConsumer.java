package dev.godiag.analysis.trace;

import dev.godiag.model.trace.TraceChanges;

/**
 * One analysis of an execution trace, fed a generation at a time in trace order, so a trace of
 * any size is analysed in the memory of one generation plus what the analysis keeps. A large
 * generation comes in parts (consecutive changes whose {@code generation().number()} is the same,
 * sharing its tables): count generations by distinct numbers, and keep nothing per part that
 * belongs to the whole generation.
 */
public interface TraceConsumer {
    /** The next generation's (or part of a generation's) events and what they mean. */
    void accept(TraceChanges changes);
}
