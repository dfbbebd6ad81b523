package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** cpu.scheduler-overhead: much of the CPU goes to the Go scheduler looking for work, parking and waking threads. */
public final class SchedulerOverheadRule extends ShareRule {
    static final Threshold SHARE = new Threshold("schedShare", "fraction", 0.15, 0.30, 0.50,
            "share of the CPU samples in runtime.schedule/findRunnable (findrunnable before Go 1.21), stealWork, stopm/startm/wakep, notesleep, futexsleep/futexwakeup, usleep, osyield (15%/30%/50%)");

    public SchedulerOverheadRule() {
        super("cpu.scheduler-overhead", "scheduler", "much of the CPU goes to the Go scheduler looking for work, parking and waking threads", SHARE, Source.CPU);
    }

    @Override
    Predicate<String> match() {
        return StackMatch.names("runtime.schedule", "runtime.findRunnable", "runtime.findrunnable", "runtime.stealWork", "runtime.runqsteal", "runtime.runqgrab", "runtime.stopm", "runtime.startm", "runtime.wakep", "runtime.notesleep", "runtime.notetsleep", "runtime.notewakeup", "runtime.futexsleep", "runtime.futexwakeup", "runtime.usleep", "runtime.osyield", "runtime.mPark", "runtime.handoffp", "runtime.resetspinning");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "scheduler overhead";
    }

    @Override
    String explanation() {
        return "Threads spin looking for runnable goroutines (findRunnable, stealWork), park and wake through futexes (stopm, wakep, futexsleep, futexwakeup) and poll the network: the work is split into many short bursts, so goroutines block and wake constantly and the Ps go idle between them. This CPU does no useful work.";
    }

    @Override
    String fix() {
        return "Give each goroutine more work per wake-up: batch items through channels (send slices, not single items), use a bounded worker pool instead of a goroutine per tiny task, avoid ping-pong hand-offs between goroutines, and make GOMAXPROCS match the CPU quota (automatic from Go 1.25; go.uber.org/automaxprocs before).";
    }

    @Override
    String[] example() {
        return new String[] {"for _, item := range items {\n    ch <- item // one wake-up per item\n}", "for len(items) > 0 {\n    n := min(256, len(items))\n    ch <- items[:n] // one wake-up per batch\n    items = items[n:]\n}"};
    }
}
