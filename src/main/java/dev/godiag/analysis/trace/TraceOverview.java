package dev.godiag.analysis.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.util.LongObjectMap;

import java.util.Optional;

/**
 * What a trace covers: the Go version whose format it has (Go 1.26 and 1.27 both write 1.26's),
 * its span of time (first to last event, Go's clock in nanoseconds), its generations and events,
 * the goroutines created during it (GoCreate, GoCreateSyscall and GoCreateBlocked events, as Go
 * counts them) and the goroutines and Ps seen at all, the CPU samples it carries, and the reader's
 * warning for a damaged trace.
 */
public record TraceOverview(int goMinor, long startNanos, long endNanos, int generations, long events,
                            long goroutinesCreated, long goroutinesSeen, int procsSeen, long cpuSamples,
                            Optional<String> warning) {
    public long durationNanos() {
        return Math.max(0, endNanos - startNanos);
    }

    /** Counts what it is fed. */
    public static final class Builder implements TraceConsumer {
        private long start = -1;
        private long end = -1;
        private int generations;
        private long lastGeneration = -1;
        private long events;
        private long created;
        private long samples;
        private final LongObjectMap<Boolean> goroutines = new LongObjectMap<>();
        private final LongObjectMap<Boolean> procs = new LongObjectMap<>();

        @Override
        public void accept(TraceChanges c) {
            // a generation may come in parts: consecutive changes with the same number
            if (c.generation().number() != lastGeneration) {
                generations++;
                lastGeneration = c.generation().number();
            }
            for (TraceEvent e : c.generation().events()) {
                if (start < 0) {
                    start = e.time();
                }
                end = Math.max(end, e.time());
                events++;
                if (e.type() == TraceEventType.GO_CREATE || e.type() == TraceEventType.GO_CREATE_SYSCALL
                        || e.type() == TraceEventType.GO_CREATE_BLOCKED) {
                    created++;
                }
            }
            samples += c.generation().cpuSamples().size();
            for (StateTransition t : c.transitions()) {
                (t.goroutine() ? goroutines : procs).put(t.id(), Boolean.TRUE);
            }
        }

        /** The overview of what was fed; minor, generations and warning as the reader summed them up. */
        public TraceOverview build(int goMinor, Optional<String> warning) {
            return new TraceOverview(goMinor, Math.max(start, 0), Math.max(end, 0), generations, events, created,
                    goroutines.size(), procs.size(), samples, warning);
        }
    }
}
