package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.trace.BlockingKind;
import dev.godiag.analysis.trace.BlockingStack;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.trace.TraceFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.fmt;

/**
 * trace.long-syscall: a single system call from the program's own code that lasted long. The runtime
 * hands the P of a blocked syscall to another thread within about 20 µs, so a long syscall costs a
 * thread and the caller's latency, not the others' CPU; 100 ms is where a call (fsync, a slow disk
 * or network file system, a blocking ioctl) is worth a look. Stacks with no frame of the program's
 * own (the CPU profiler's reader, the runtime's own threads) are left out.
 */
public final class TraceLongSyscallRule implements Rule {
    static final Threshold LONGEST = new Threshold("longestSyscall", "ms", 100, 1000, 10000,
            "the longest single system call at one stack");

    static final RuleInfo INFO = RuleInfo.of("trace.long-syscall", "io",
            "single system calls longer than 100 ms from the program's code (execution trace)",
            Set.of(DiagnosisInput.Kind.TRACE), LONGEST);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        Threshold t = config.resolve(this, LONGEST);
        List<Finding> out = new ArrayList<>();
        for (TraceAnalysis a : input.traces()) {
            for (BlockingStack s : a.blocking().get(BlockingKind.SYSCALL).stacks()) {
                TraceFrame own = TraceStacks.ownFrame(s.frames()).orElse(null);
                if (own == null) {
                    continue;
                }
                double longestMs = s.maxDelayNanos() / 1e6;
                int score = t.score(longestMs);
                if (score < 25) {
                    continue;
                }
                String call = s.leaf().map(TraceFrame::function).orElse("");
                out.add(Finding.builder(this)
                        .title(fmt("Long system call: %.0f ms in %s at %s", longestMs, call, own.function()))
                        .score(score)
                        .summary(fmt("%s called from %s: %d calls, %.3f s in all, the longest %.1f ms", call,
                                TraceStacks.at(own), s.count(), TraceStacks.seconds(s.delayNanos()), longestMs))
                        .location(own.function(), own.file(), own.line())
                        .evidence("trace", a.source())
                        .evidence("call", call)
                        .evidence("longestSyscallMs", Math.round(longestMs * 10) / 10.0, "ms")
                        .evidence("calls", s.count())
                        .evidence("syscallSeconds", TraceStacks.seconds(s.delayNanos()), "s")
                        .evidence("callAt", own.file() + ":" + own.line())
                        .build());
            }
        }
        return out;
    }
}
