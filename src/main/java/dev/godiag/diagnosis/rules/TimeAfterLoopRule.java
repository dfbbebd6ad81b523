package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** code.time-after-loop: timers created per iteration (time.After, time.NewTimer, time.Tick) show up in CPU or allocations. */
public final class TimeAfterLoopRule extends ShareRule {
    static final Threshold SHARE = new Threshold("timerShare", "fraction", 0.02, 0.05, 0.15,
            "share of the CPU samples or of the allocated bytes under time.After/NewTimer/Tick/NewTicker/AfterFunc (2%/5%/15%)");

    public TimeAfterLoopRule() {
        super("code.time-after-loop", "code", "timers created per iteration (time.After, time.NewTimer, time.Tick) show up in CPU or allocations", SHARE, Source.CPU, Source.ALLOCS);
    }

    @Override
    Predicate<String> match() {
        return StackMatch.names("time.After", "time.NewTimer", "time.Tick", "time.NewTicker", "time.AfterFunc", "time.newTimer");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "a timer created on every iteration";
    }

    @Override
    String explanation() {
        return "time.After(d) allocates a new timer and channel each time it is evaluated; inside a for/select loop that is one timer per iteration, each living until it fires (before Go 1.23 they were not even collected before firing). The runtime keeps them in per-P heaps, so adding and removing them also costs CPU.";
    }

    @Override
    String fix() {
        return "Create the timer once outside the loop and Reset it each iteration (with Go 1.23+ semantics Reset needs no drain), or use a context with a deadline for an overall timeout.";
    }

    @Override
    String[] example() {
        return new String[] {"for {\n    select {\n    case m := <-msgs:\n        handle(m)\n    case <-time.After(time.Second):\n        return\n    }\n}", "t := time.NewTimer(time.Second)\ndefer t.Stop()\nfor {\n    select {\n    case m := <-msgs:\n        handle(m)\n        t.Reset(time.Second)\n    case <-t.C:\n        return\n    }\n}"};
    }
}
