package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineBuckets;
import dev.godiag.analysis.goroutine.Primitive;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.StackFrame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * goroutines.deadlock: the runtime ended the program with "fatal error: all goroutines are asleep -
 * deadlock!" and printed every goroutine's stack. That is the most certain finding there is: no
 * goroutine can run, so the program cannot make progress. The finding names what each goroutine of
 * the service waits on; when two or more wait in Lock, the cause is usually locks taken in
 * different orders.
 */
public final class GoroutineDeadlockRule implements Rule {
    static final int SCORE = 95;

    static final RuleInfo INFO = RuleInfo.of("goroutines.deadlock", "goroutines",
            "the runtime found every goroutine asleep: a deadlock",
            Set.of(DiagnosisInput.Kind.GOROUTINES));

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        List<Finding> out = new ArrayList<>();
        for (GoroutineDump d : input.goroutineSnapshots()) {
            if (d.deadlocked()) {
                out.add(finding(d));
            }
        }
        return out;
    }

    /** Whether the goroutine inputs end in a deadlock: their goroutines are all this rule's. */
    static boolean endsInDeadlock(DiagnosisInput input) {
        List<GoroutineDump> s = input.goroutineSnapshots();
        return !s.isEmpty() && s.get(s.size() - 1).deadlocked();
    }

    private Finding finding(GoroutineDump d) {
        List<String> waits = new ArrayList<>();
        StackFrame location = null;
        StackFrame mainAt = null;
        int locks = 0;
        List<GoroutineBuckets.Bucket> own = new ArrayList<>();
        for (GoroutineBuckets.Bucket b : GoroutineBuckets.of(d, GoroutineBuckets.Similarity.ANY_VALUE)) {
            if (b.kind() == GoroutineBuckets.StackKind.OWN) {
                own.add(b);
            }
        }
        // in source order: the same program's dump reads the same from every Go version
        own.sort(Comparator.comparing((GoroutineBuckets.Bucket b) -> b.focusFrame().file())
                .thenComparingInt(b -> b.focusFrame().line()));
        for (GoroutineBuckets.Bucket b : own) {
            StackFrame at = b.focusFrame();
            Primitive p = Primitive.of(b.frames(), b.state());
            boolean isMain = !b.frames().isEmpty() && b.frames().get(b.frames().size() - 1).function()
                    .equals("main.main");
            waits.add((b.count() == 1 ? "" : b.count() + " goroutines in ") + at.function() + " ("
                    + at.location() + ") wait" + (b.count() == 1 ? "s" : "")
                    + (p == Primitive.OTHER ? " in '" + b.state() + "'" : " on a " + p.label()));
            locks += p.isLock() ? (int) Math.min(b.count(), 2) : 0;
            if (isMain) {
                mainAt = mainAt == null ? at : mainAt;
            } else if (location == null) {
                location = at;
            }
        }
        if (location == null) {
            location = mainAt;
        }
        String cause = locks >= 2 ? "goroutines wait for locks the others hold: locks taken in different orders"
                : "every goroutine waits for another to send, receive, unlock or call Done";
        Finding.Builder b = Finding.builder(this)
                .title("Deadlock: all goroutines are asleep" + (location == null ? ""
                        : " (" + location.function() + ", " + location.location() + ")"))
                .score(SCORE)
                .summary("The runtime stopped the program (" + d.fatalError() + "): " + cause + ". "
                        + String.join("; ", waits) + ".")
                .evidence("fatalError", d.fatalError())
                .evidence("source", d.source())
                .evidence("goroutines", d.total())
                .evidence("waiting", waits)
                .evidence("lockWaiters", locks >= 2 ? (long) locks : null);
        if (location != null) {
            b.location(location.function(), location.file(), location.line());
        }
        return b.build();
    }
}
