package dev.godiag.format.trace;

import java.util.List;
import java.util.Map;

/**
 * One generation of a trace: a self-contained slice of time with its own string and stack tables.
 * Events are in the order of their timestamps; equal timestamps keep the order of their threads'
 * first batches in the file and their place in the batch. Go's reader orders by timestamp too but
 * also holds back an event whose scheduler preconditions (sequence numbers, states) are not met
 * yet; godiag does not check those, so where a trace's clocks disagree with its causality the two
 * orders differ. Times then get Go's fix-up: strictly increasing over the whole read (the
 * generation's start, then events and CPU samples merged), each at least 1 ns after the last. {@code wallClockNanos} is the Unix time of the
 * clock snapshot at {@code snapshotTime} (Go 1.25+), or -1.
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
