package dev.godiag.diagnosis.rules;

import dev.godiag.util.Units;
import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.Profile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * locks.contention: goroutines wait for mutexes. From the block profile, the time goroutines spent
 * waiting in sync.(*Mutex).Lock / sync.(*RWMutex).Lock/RLock, by the own function that waits; from
 * the mutex profile, the waiting caused by each own function while it held the lock (Go records it
 * at Unlock). Go 1.22+ adds runtime-internal locks (runtime.unlock: channels, timers, the scheduler)
 * to the mutex profile; those are the runtime's locks, not the function's, so they are left out of
 * what a function is charged and reported as what they are. One finding per own function (at most
 * {@link #MAX_FINDINGS}) at its hottest line, scored on the larger of the two delays; a count of
 * contentions is shown only where the profile has one.
 */
public final class LockContentionRule implements Rule {
    static final Threshold DELAY = new Threshold("lockDelaySeconds", "seconds", 0.02, 1.0, 10.0,
            "lock wait time attributed to one function, in seconds, from the block profile (waiting in Lock) or"
                    + " the mutex profile (waiters delayed while it held the lock); the profiles accumulate since"
                    + " the process started, so a few ms is noise and seconds mean requests queue on the lock");
    static final int MAX_FINDINGS = 3;
    static final double NS = 1e9;

    /** The lock operations of the block profile (WaitGroup.Wait, Cond.Wait, channels are not locks). */
    static final Predicate<String> LOCK_WAIT = StackMatch.prefixes("sync.(*Mutex).Lock", "sync.(*Mutex).lockSlow",
            "sync.(*RWMutex).Lock", "sync.(*RWMutex).RLock", "sync.(*RWMutex).rLockSlow",
            "internal/sync.(*Mutex).Lock", "internal/sync.(*Mutex).lockSlow");

    /** Runtime-internal locks, recorded at their unlock since Go 1.22: not a lock the user's code holds. */
    static final Predicate<String> RUNTIME_LOCK = StackMatch.prefixes("runtime.unlock", "runtime.unlock2",
            "runtime.unlockWithRank", "runtime.unlock2Wake");

    static final RuleInfo INFO = RuleInfo.of("locks.contention", "locks",
            "goroutines wait for mutexes: which lock, how long, who holds and who waits",
            Set.of(Kind.BLOCK_PROFILE, Kind.MUTEX_PROFILE), DELAY);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    private static StackMatch.Result match(DiagnosisInput input, Kind kind, String type, Predicate<String> what,
                                           Predicate<String> exclude) {
        Profile p = input.merged(kind);
        if (p == null || !p.sampleTypes().stream().anyMatch(t -> t.type().equals(type))) {
            return null;
        }
        return StackMatch.of(p, input.lineStacks(kind), type, what, exclude, true);
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        Profile block = input.merged(Kind.BLOCK_PROFILE);
        Profile mutex = input.merged(Kind.MUTEX_PROFILE);
        StackMatch.Result waits = match(input, Kind.BLOCK_PROFILE, "delay", LOCK_WAIT, null);
        StackMatch.Result waitCounts = match(input, Kind.BLOCK_PROFILE, "contentions", LOCK_WAIT, null);
        StackMatch.Result holds = match(input, Kind.MUTEX_PROFILE, "delay", n -> true, RUNTIME_LOCK);
        StackMatch.Result holdCounts = match(input, Kind.MUTEX_PROFILE, "contentions", n -> true, RUNTIME_LOCK);
        StackMatch.Result runtimeLocks = match(input, Kind.MUTEX_PROFILE, "delay", RUNTIME_LOCK, null);
        Set<String> functions = new LinkedHashSet<>();
        if (waits != null) {
            functions.addAll(waits.ownCallers().keySet());
        }
        if (holds != null) {
            functions.addAll(holds.ownCallers().keySet());
        }
        Threshold t = config.resolve(this, DELAY);
        record Cand(String fn, long waitNs, long hold, int score) {
        }
        List<Cand> cands = new ArrayList<>();
        for (String fn : functions) {
            long wait = waits == null ? 0 : waits.ownCallers().getOrDefault(fn, 0L);
            long hold = holds == null ? 0 : holds.ownCallers().getOrDefault(fn, 0L);
            int score = t.score(Math.max(wait, hold) / NS);
            if (score >= 25) {
                cands.add(new Cand(fn, wait, hold, score));
            }
        }
        cands.sort((a, b) -> Long.compare(Math.max(b.waitNs, b.hold), Math.max(a.waitNs, a.hold)));
        FunctionCosts blockCosts = input.costs(Kind.BLOCK_PROFILE, "delay");
        FunctionCosts mutexCosts = input.costs(Kind.MUTEX_PROFILE, "delay");
        List<Finding> out = new ArrayList<>();
        for (Cand c : cands.subList(0, Math.min(MAX_FINDINGS, cands.size()))) {
            // the line that waits in Lock (the same in every Go version), else the one that held the lock
            StackMatch.Line line = waits == null ? null : waits.lineOf(c.fn);
            if (line == null && holds != null) {
                line = holds.lineOf(c.fn);
            }
            String file = line != null && !line.file().isEmpty() ? line.file() : fileOf(c.fn, blockCosts);
            if (file.isEmpty()) {
                file = fileOf(c.fn, mutexCosts);
            }
            long lineNo = line == null ? 0 : line.line();
            List<String> locks = new ArrayList<>();
            long waitEvents = waitCounts == null ? 0 : waitCounts.ownCallers().getOrDefault(c.fn, 0L);
            long holdEvents = holdCounts == null ? 0 : holdCounts.ownCallers().getOrDefault(c.fn, 0L);
            List<String> parts = new ArrayList<>();
            if (c.waitNs > 0) {
                parts.add(String.format(Locale.ROOT, "goroutines waited %s in Lock here (%sblock profile)",
                        dur(c.waitNs), contentions(waitEvents)));
            }
            if (c.hold > 0) {
                parts.add(String.format(Locale.ROOT, "while it held the lock, waiters were delayed %s (%smutex"
                        + " profile)", dur(c.hold), contentions(holdEvents)));
            }
            Finding.Builder b = Finding.builder(this)
                    .title("Lock contention in " + c.fn)
                    .score(c.score)
                    .summary(c.fn + (lineNo > 0 ? " (" + file + ":" + lineNo + ")" : "") + ": "
                            + String.join("; ", parts))
                    .location(c.fn, file, lineNo)
                    .evidence("function", c.fn)
                    .evidence("file", file.isEmpty() ? null : file)
                    .evidence("line", lineNo > 0 ? lineNo : null);
            if (waits != null) {
                b.evidence("waitDelaySeconds", round(c.waitNs / NS))
                        .evidence("waitContentions", waitEvents > 0 ? waitEvents : null)
                        .evidence("blockLockDelaySeconds", round(waits.matched() / NS))
                        .evidence("blockTotalDelaySeconds", round(waits.total() / NS));
                if (waitEvents > 0) {
                    b.evidence("meanWaitMicros", round(c.waitNs / 1e3 / waitEvents));
                }
                locks.addAll(waits.leaves().keySet());
            }
            if (holds != null) {
                b.evidence("holdDelaySeconds", round(c.hold / NS))
                        .evidence("holdContentions", holdEvents > 0 ? holdEvents : null)
                        .evidence("mutexTotalDelaySeconds", round(holds.total() / NS));
                locks.addAll(holds.leaves().keySet().stream().limit(3).toList());
            }
            b.evidence("lockFunctionsInProfiles", List.copyOf(new LinkedHashSet<>(locks)));
            if (waits != null) {
                b.evidence("otherWaiters", StackMatch.top(waits.ownCallers(), 3), "nanoseconds"); // block delay
            }
            if (runtimeLocks != null && runtimeLocks.matched() > 0) {
                // said as what it is: the runtime's own locks, left out of what this function is charged
                b.evidence("runtimeInternalLockDelaySeconds", round(runtimeLocks.matched() / NS));
            }
            b.evidence("blockProfile", StackMatch.inputPaths(input, Kind.BLOCK_PROFILE, "block.pprof"))
                    .evidence("mutexProfile", StackMatch.inputPaths(input, Kind.MUTEX_PROFILE, "mutex.pprof"));
            out.add(b.build());
        }
        return out;
    }

    /** "1234 contentions, " when the profile counted them, else nothing: never a count it does not have. */
    private static String contentions(long n) {
        return n > 0 ? n + " contentions, " : "";
    }

    private static String fileOf(String fn, FunctionCosts costs) {
        return costs == null || costs.row(fn) == null ? "" : costs.row(fn).file();
    }

    static String dur(long ns) {
        return Units.duration(ns);
    }

    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
