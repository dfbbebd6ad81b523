package dev.godiag.analysis.trace;

import java.util.List;

/**
 * The goroutines of a trace with one start function, as {@code go tool trace}'s goroutine page
 * groups them.
 *
 * @param sum     their times summed (its unknown time is the sum of each goroutine's unknown time)
 * @param unknown the sum of each goroutine's unknown time (Go floors each at 0, so not sum.unknown())
 * @param slowest the goroutines with the largest total time, largest first, at most a few
 */
public record GoroutineGroup(String name, long count, GoroutineTimes sum, long unknown,
                             List<GoroutineTimes> slowest) {
    public GoroutineGroup {
        slowest = List.copyOf(slowest);
    }
}
