package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Score;
import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.Profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * cpu.off-cpu: the program mostly waits ({@link CpuProfileStats#offCpuBound}) while its block or
 * mutex profile shows more goroutines waiting on locks, on average over the CPU profile's
 * duration, than CPUs busy (at least {@link #WAITING}'s info limit): its time goes to
 * waiting, so the report should be read from its lock, blocking and goroutine findings, not its CPU
 * hotspots. Only lock waits count: a client waiting for its responses or an idle worker waiting on
 * its channel is a program at rest, not one held back. Info at most: it says where the time goes;
 * the findings about the waits say what to fix.
 */
public final class OffCpuRule implements Rule {
    static final Threshold WAITING = new Threshold("lockWaiters", "goroutines", 0.5, 5, 50,
            "goroutines waiting for locks on average over the CPU profile's duration (lock-wait seconds of the block"
                    + " or mutex profile per second); it must also exceed the CPUs busy; the finding is info at most");

    static final RuleInfo INFO = RuleInfo.of("cpu.off-cpu", "cpu",
            "the program mostly waits: its time goes to locks, channels and I/O, not to the CPU",
            Set.of(Kind.CPU_PROFILE), WAITING);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        CpuProfileStats stats = CpuProfileStats.of(input);
        if (stats == null || stats.durationNanos() <= 0 || !stats.offCpuBound()) {
            return List.of();
        }
        long block = lockWaits(input);
        long mutex = delay(input.merged(Kind.MUTEX_PROFILE));
        // goroutines waiting on average: an idle program (nothing waiting, nothing running) is at rest, not held back
        double waiting = (double) Math.max(block, mutex) / stats.durationNanos();
        int score = Score.atMost(config.resolve(this, WAITING).score(waiting), Severity.INFO);
        if (score < 25 || waiting <= stats.cpusBusy()) {
            return List.of();
        }
        List<String> waits = new ArrayList<>();
        if (block > 0) {
            waits.add(String.format(Locale.ROOT, "goroutines waited %.2f s for locks in the block profile", block / 1e9));
        }
        if (mutex > 0) {
            waits.add(String.format(Locale.ROOT, "%.2f s behind held locks in the mutex profile", mutex / 1e9));
        }
        Finding.Builder b = Finding.builder(this)
                .title("Off-CPU bound: the program mostly waits")
                .score(score)
                .summary("The program is off-CPU bound (" + stats.busyness() + "): " + String.join(" and ", waits)
                        + "; its time goes to waiting, so the lock, blocking and goroutine findings come before"
                        + " its CPU hotspots")
                .evidence("blockLockDelaySeconds", block > 0 ? CpuProfileStats.round(block / 1e9) : null)
                .evidence("mutexDelaySeconds", mutex > 0 ? CpuProfileStats.round(mutex / 1e9) : null)
                .evidence("lockWaiters", CpuProfileStats.round(waiting));
        stats.evidence(b);
        b.evidence("cpuProfile", StackMatch.inputPaths(input, Kind.CPU_PROFILE, "cpu.pprof"))
                .evidence("blockProfile", StackMatch.inputPaths(input, Kind.BLOCK_PROFILE, "block.pprof"))
                .evidence("mutexProfile", StackMatch.inputPaths(input, Kind.MUTEX_PROFILE, "mutex.pprof"));
        return List.of(b.build());
    }

    /** The block profile's delay in Lock/RLock, 0 when absent. */
    private static long lockWaits(DiagnosisInput input) {
        Profile p = input.merged(Kind.BLOCK_PROFILE);
        if (p == null || p.sampleTypes().stream().noneMatch(t -> t.type().equals("delay"))) {
            return 0;
        }
        return StackMatch.of(p, input.stacks(Kind.BLOCK_PROFILE), "delay", LockContentionRule.LOCK_WAIT, null, true)
                .matched();
    }

    /** The profile's total delay in nanoseconds, 0 when absent or without one. */
    private static long delay(Profile p) {
        if (p == null || p.sampleTypes().stream().noneMatch(t -> t.type().equals("delay"))) {
            return 0;
        }
        return SampleIndex.total(p, SampleIndex.resolve(p, "delay"));
    }
}
