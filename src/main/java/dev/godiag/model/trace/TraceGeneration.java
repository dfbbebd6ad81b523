package dev.godiag.model.trace;

import java.util.List;
import java.util.Map;

/**
 * One generation of a trace: a self-contained slice of time with its own string and stack tables.
 * Events are in Go's order: each thread's events as written, threads merged by time with the
 * heap Go's reader uses, an event held back until its scheduler preconditions and sequence
 * numbers hold (Go's ordering state machine), so that equal times and clocks contradicting
 * causality come out as in Go. Times then get Go's fix-up: strictly increasing over the whole
 * read (the generation's start, then events, the events Go derives from them and CPU samples
 * merged), each at least 1 ns after the last. {@code wallClockNanos} is the Unix time of
 * the clock snapshot at {@code snapshotTime} (Go 1.25+), or -1.
 *
 * <p>A generation may come in parts: the reader hands a large generation over as consecutive
 * {@code TraceGeneration}s with the same {@code number} and the same tables, each holding the next
 * events in Go's order (at most about 64k) and the CPU samples that fall among them, so that a
 * generation is never held as objects all at once. A consumer counting generations counts
 * distinct numbers; state kept "per generation" (stack ids) stays valid across its parts.
 *
 * <p>An old-format trace (Go 1.11-1.21) has no generations: Go reads it as one. godiag hands it
 * over as consecutive slices numbered from 1 that share one string and one stack table (the
 * trace's), with no clock snapshot; states carry from slice to slice as within one generation.
 *
 * @param number       the generation number the runtime wrote
 * @param frequency    trace clock ticks per second
 * @param skippedExperimentalBatches batches of experiments (e.g. AllocFree), skipped as Go skips them
 */
public record TraceGeneration(long number, long frequency, Map<Long, String> strings, Map<Long, TraceStack> stacks,
                              List<TraceEvent> events, List<CpuSample> cpuSamples, long snapshotTime,
                              long wallClockNanos, int skippedExperimentalBatches) {
    /** The string with this id; the empty string for id 0 and for ids the table lacks, as in Go. */
    public String string(long id) {
        return strings.getOrDefault(id, "");
    }

    /** The stack with this id; an empty stack for id 0 (no stack). */
    public TraceStack stack(long id) {
        TraceStack s = stacks.get(id);
        return s != null ? s : new TraceStack(id, List.of());
    }
}
