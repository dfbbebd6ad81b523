package dev.godiag.analysis.trace;

import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;
import dev.godiag.model.trace.TraceFrame;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the profiles {@code go tool trace -pprof=KIND} writes: the time goroutines spent in one
 * kind of wait, by the stack where each wait began.
 *
 * @param stacks every distinct stack (by program counters), largest delay first
 */
public record BlockingProfile(BlockingKind kind, List<BlockingStack> stacks) {
    public BlockingProfile {
        stacks = stacks.stream().sorted(Comparator.comparingLong(BlockingStack::delayNanos).reversed()
                .thenComparing(Comparator.comparingLong(BlockingStack::count).reversed())).toList();
    }

    public long totalDelayNanos() {
        return stacks.stream().mapToLong(BlockingStack::delayNanos).sum();
    }

    public long totalCount() {
        return stacks.stream().mapToLong(BlockingStack::count).sum();
    }

    /**
     * The profile as Go builds it (traceviewer.BuildProfile): sample types contentions/count and
     * delay/nanoseconds, period type trace/count of 1, one location per program counter (the first
     * frame seen with it: inlined frames sharing a PC share a location, as in Go), one function per
     * file and name, no mappings.
     */
    public Profile toProfile() {
        ProfileBuilder b = new ProfileBuilder("pprof");
        b.sampleType("contentions", "count").sampleType("delay", "nanoseconds")
                .period(new ValueType("trace", "count"), 1);
        Map<Long, Integer> locations = new HashMap<>();
        Map<String, Integer> functions = new HashMap<>();
        for (BlockingStack s : stacks) {
            for (TraceFrame f : s.frames()) {
                Integer loc = locations.get(f.pc());
                if (loc == null) {
                    String key = f.file() + f.function();
                    Integer fn = functions.get(key);
                    if (fn == null) {
                        fn = b.addFunction(b.functionCount() + 1, f.function(), f.function(), f.file(), 0);
                        functions.put(key, fn);
                    }
                    b.addLine(fn, f.line(), 0);
                    loc = b.endLocation(b.locationCount() + 1, -1, f.pc(), false);
                    locations.put(f.pc(), loc);
                }
                b.addSampleLocation(loc);
            }
            b.endSample(s.count(), s.delayNanos());
        }
        return b.build();
    }
}
