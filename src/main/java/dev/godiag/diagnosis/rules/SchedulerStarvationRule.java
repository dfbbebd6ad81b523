package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.trace.SchedulerLatency;
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
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.round;

/**
 * trace.scheduler-starvation: goroutines wait long for a P (the p99 of runnable-to-running waits in
 * an execution trace above the threshold) AND more goroutines are runnable than there are Ps on
 * average over the trace, so the wait is a shortage of Ps, not a few unlucky wake-ups.
 */
public final class SchedulerStarvationRule implements Rule {
    static final Threshold P99 = new Threshold("latencyP99", "ms", 5, 20, 100,
            "the 99th percentile of the time a runnable goroutine waits for a P, from an execution trace");
    static final Threshold QUEUE = new Threshold("runnablePerP", "ratio", 1, 2, 8,
            "the time-weighted mean number of runnable goroutines over GOMAXPROCS; at or below the info"
                    + " level no finding");

    static final RuleInfo INFO = RuleInfo.of("trace.scheduler-starvation", "scheduler",
            "goroutines wait long for a P: more runnable goroutines than GOMAXPROCS",
            Set.of(DiagnosisInput.Kind.TRACE), P99, QUEUE);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        Threshold p99t = config.resolve(this, P99);
        Threshold queue = config.resolve(this, QUEUE);
        List<Finding> out = new ArrayList<>();
        for (TraceAnalysis t : input.traces()) {
            SchedulerLatency s = t.schedulerLatency();
            if (s == null || s.waits().count() == 0 || s.gomaxprocs() <= 0) {
                continue;
            }
            double p99 = s.waits().p99Nanos() / 1e6;
            double perP = s.meanRunnable() / s.gomaxprocs();
            int score = p99t.score(p99);
            if (score < 25 || perP <= queue.info()) {
                continue;
            }
            if (!s.stacks().isEmpty() && lockHandoff(s.stacks().getFirst().stack())) {
                // most of the waiting follows a mutex's unlock or yield: a lock convoy, not too few Ps;
                // trace.lock-convoy reports that at the lock
                continue;
            }
            Finding.Builder f = Finding.builder(this)
                    .title(fmt("Goroutines wait %.1f ms for a P (p99): %.1f runnable on average for %d Ps", p99,
                            s.meanRunnable(), s.gomaxprocs()))
                    .score(score)
                    .summary(fmt("In %s, runnable goroutines waited for a P: p50 %.2f ms, p99 %.1f ms, max %.1f ms"
                            + " over %d waits; %.1f goroutines were runnable on average (max %d) with GOMAXPROCS"
                            + " %d, more than GOMAXPROCS %.0f%% of the time", t.source(), s.waits().p50Nanos() / 1e6,
                            p99, s.waits().maxNanos() / 1e6, s.waits().count(), s.meanRunnable(), s.maxRunnable(),
                            s.gomaxprocs(), s.overProcsShare() * 100))
                    .evidence("trace", t.source())
                    .evidence("latencyP99Ms", round(p99))
                    .evidence("latencyMaxMs", round(s.waits().maxNanos() / 1e6))
                    .evidence("waits", s.waits().count())
                    .evidence("meanRunnable", round(s.meanRunnable()))
                    .evidence("maxRunnable", s.maxRunnable())
                    .evidence("gomaxprocs", s.gomaxprocs())
                    .evidence("overProcsPercent", round(s.overProcsShare() * 100));
            if (!s.stacks().isEmpty()) {
                SchedulerLatency.WaitStack w = s.stacks().getFirst();
                TraceFrame frame = userFrame(w.stack());
                if (frame != null) {
                    f.location(frame.function(), frame.file(), frame.line());
                    f.evidence("waitingMost", fmt("%s (%s:%d): %d waits, %.1f ms in all", frame.function(),
                            frame.file(), frame.line(), w.count(), w.totalNanos() / 1e6));
                }
            }
            out.add(f.build());
        }
        return out;
    }

    /** Whether a stack made goroutines runnable in a mutex's Lock or Unlock (a handoff to a waiter). */
    static boolean lockHandoff(List<TraceFrame> stack) {
        for (TraceFrame fr : stack) {
            if (fr.function().startsWith("sync.(*Mutex)") || fr.function().startsWith("sync.(*RWMutex)")) {
                return true;
            }
        }
        return false;
    }

    /** The first frame outside the runtime (runtime.Gosched's caller, not Gosched). */
    static TraceFrame userFrame(List<TraceFrame> stack) {
        for (TraceFrame fr : stack) {
            if (!fr.function().startsWith("runtime.")) {
                return fr;
            }
        }
        return null;
    }
}
