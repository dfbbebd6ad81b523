package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * goroutines.timers-per-request on heap profiles built by hand, with the stacks Go records: live
 * timers by the service's function that made them, through a library call when there is one.
 * (The real programs, Go 1.19 and 1.27, are in LeakPrimsTest.)
 */
class TimersPerRequestRuleTest {
    /** One frame: function, line. Stacks are given root first. */
    record Frame(String function, long line) {
    }

    /** A heap profile with one sample per stack: {objects, bytes} live. */
    private static Profile heap(List<List<Frame>> stacks, long[][] live) {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("alloc_objects", "count")
                .sampleType("alloc_space", "bytes").sampleType("inuse_objects", "count")
                .sampleType("inuse_space", "bytes");
        java.util.Map<String, Integer> functions = new java.util.HashMap<>();
        long id = 1;
        for (int s = 0; s < stacks.size(); s++) {
            List<Frame> root = stacks.get(s);
            for (int i = root.size() - 1; i >= 0; i--) { // the sample's locations are leaf first
                Frame f = root.get(i);
                Integer fn = functions.get(f.function());
                if (fn == null) {
                    fn = b.addFunction(functions.size() + 1, f.function(), f.function(),
                            f.function().startsWith("main.") ? "example.com/svc/main.go" : "lib.go", 1);
                    functions.put(f.function(), fn);
                }
                b.addLine(fn, f.line(), 0);
                b.addSampleLocation(b.endLocation(id, -1, 0x1000 + id, false));
                id++;
            }
            b.endSample(live[s][0], live[s][1], live[s][0], live[s][1]);
        }
        return b.build();
    }

    private static final List<Frame> DEADLINE = List.of(new Frame("main.(*api).handle", 40),
            new Frame("context.WithTimeout", 700), new Frame("context.WithDeadline", 620),
            new Frame("context.WithDeadlineCause", 640), new Frame("time.AfterFunc", 178));
    /** Go 1.19's time.startTimer growing the runtime's timer heap under a ticker: not a ticker's object. */
    private static final List<Frame> TIMER_HEAP = List.of(new Frame("main.poll", 12), new Frame("time.NewTicker", 39),
            new Frame("time.startTimer", 215));

    private static DiagnosisInput input(long... deadlines) {
        DiagnosisInput in = new DiagnosisInput();
        for (int i = 0; i < deadlines.length; i++) {
            in.addProfile("heap.t" + i + ".pprof", DiagnosisInput.Kind.HEAP_PROFILE,
                    heap(List.of(DEADLINE, TIMER_HEAP), new long[][]{{deadlines[i], deadlines[i] * 96},
                            {30L * i, 4096L * i}}));
        }
        return in;
    }

    @Test
    void contextsNeverCancelledPileUpTheirTimersUnderTheirCaller() {
        List<Finding> f = new TimersPerRequestRule().evaluate(input(0, 300, 600, 900), RuleConfig.DEFAULT);
        assertThat(f).as("the timer heap growing under main.poll's NewTicker is no ticker of its own").hasSize(1);
        Finding t = f.get(0);
        assertThat(t.location().function()).isEqualTo("main.(*api).handle");
        assertThat(t.location().line()).isEqualTo(40);
        assertThat(t.evidence()).containsEntry("constructor", "time.AfterFunc").containsEntry("via", "context.WithTimeout")
                .containsEntry("timersPerSnapshot", List.of(0L, 300L, 600L, 900L))
                .containsEntry("liveBytesPerSnapshot", List.of(0L, 28_800L, 57_600L, 86_400L));
        assertThat(t.title()).isEqualTo("Timers piling up: 900 from time.AfterFunc (through context.WithTimeout) in"
                + " main.(*api).handle still live");
        assertThat(t.severity().id()).isEqualTo("info"); // 900 is under the warning's 1000
        // many more: a warning, never critical (sessions' timers grow the same way)
        Finding many = new TimersPerRequestRule().evaluate(input(0, 400_000, 800_000, 1_200_000), RuleConfig.DEFAULT)
                .get(0);
        assertThat(many.severity().id()).isEqualTo("warning");
    }

    @Test
    void timersThatDoNotPileUpAreNoFinding() {
        TimersPerRequestRule rule = new TimersPerRequestRule();
        assertThat(rule.evaluate(input(500, 500, 500, 500), RuleConfig.DEFAULT)).as("steady: in flight").isEmpty();
        assertThat(rule.evaluate(input(0, 300, 200, 900), RuleConfig.DEFAULT)).as("not only growing").isEmpty();
        assertThat(rule.evaluate(input(0, 3, 6, 9), RuleConfig.DEFAULT)).as("fewer than 10 new").isEmpty();
        assertThat(rule.evaluate(input(0, 900), RuleConfig.DEFAULT)).as("two profiles are no series").isEmpty();
    }
}
