package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.fmt;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.round;

/**
 * io.netpoll-spinning: the network poller (netpoll, epoll_wait, kevent) takes a large share of the
 * CPU samples: threads waking to poll with little work to do (many short timers, tiny reads and
 * writes, spinning schedulers), rather than the service's code.
 */
public final class NetpollSpinningRule implements Rule {
    static final Threshold SHARE = new Threshold("netpollShare", "fraction", 0.10, 0.25, 0.50,
            "the flat CPU share of the network poller's functions");
    /** Functions of the network poller (flat). */
    static final List<String> POLLER = List.of("runtime.netpoll", "runtime.epollwait", "runtime.epollctl",
            "internal/runtime/syscall/linux.EpollWait", "internal/runtime/syscall/linux.EpollCtl",
            "internal/runtime/syscall.EpollWait", "runtime/internal/syscall.EpollWait", "runtime.kevent",
            "runtime.netpollready", "runtime.netpollunblock", "runtime.netpollBreak", "runtime.netpollWakeup");
    /** Below this much sampled CPU (50 samples at 100 Hz) the share is noise. */
    static final long MIN_CPU_NANOS = 500_000_000L;

    static final RuleInfo INFO = RuleInfo.of("io.netpoll-spinning", "io",
            "the network poller takes a large share of the CPU with little work done",
            Set.of(DiagnosisInput.Kind.CPU_PROFILE), SHARE);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        FunctionCosts cpu = input.costs(DiagnosisInput.Kind.CPU_PROFILE, null);
        if (cpu == null || cpu.total() == 0) {
            return List.of();
        }
        long flat = 0;
        List<String> parts = new ArrayList<>();
        String top = null;
        long topFlat = 0;
        for (String f : POLLER) {
            long v = cpu.flat(f);
            if (v > 0) {
                flat += v;
                parts.add(fmt("%s %.1f%%", f, 100 * cpu.share(v)));
                if (v > topFlat) {
                    topFlat = v;
                    top = f;
                }
            }
        }
        FunctionCosts.Row own = cpu.ownRows().isEmpty() ? null : cpu.ownRows().get(0);
        long ownFlat = cpu.ownRows().stream().mapToLong(FunctionCosts.Row::flat).sum();
        double share = cpu.share(flat);
        int score = config.resolve(this, SHARE).score(share);
        if (score < 25 || cpu.total() < MIN_CPU_NANOS) {
            return List.of(); // nothing, or too little CPU sampled (an idle process) to call it spinning
        }
        return List.of(Finding.builder(this)
                .title(fmt("Network poller spinning: %.0f%% of CPU in netpoll/epoll", 100 * share))
                .score(score)
                .summary(fmt("The network poller takes %.1f%% of the CPU samples (%s); the service's own code"
                        + " %.1f%%", 100 * share, String.join(", ", parts), 100 * cpu.share(ownFlat)))
                .location(top, "", 0)
                .evidence("netpollShare", round(share))
                .evidence("netpollFlat", flat, cpu.unit())
                .evidence("total", cpu.total(), cpu.unit())
                .evidence("functions", parts)
                .evidence("ownShare", round(cpu.share(ownFlat)))
                .evidence("topOwnFunction", own == null ? null : own.function())
                .build());
    }
}
