package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.trace.BlockingKind;
import dev.godiag.analysis.trace.BlockingStack;
import dev.godiag.analysis.trace.GoroutineGroup;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.analysis.trace.TraceAnalyzer;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.Severity;
import dev.godiag.format.trace.TraceReader;
import dev.godiag.format.trace.TraceStates;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Tools;
import dev.godiag.testutil.TraceFixtures;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The trace rules on tracework's scenarios (each made to wait one way) and on healthy traces. */
class TraceRulesTest {
    static TraceAnalysis analyse(Path trace) throws Exception {
        TraceAnalyzer a = new TraceAnalyzer(trace.getFileName().toString());
        TraceStates states = new TraceStates();
        TraceSummary s;
        try (InputStream in = Files.newInputStream(trace)) {
            s = new TraceReader().read(in, g -> a.accept(states.apply(g)));
        }
        return a.finish(s.minor(), s.warning());
    }

    private static List<Finding> diagnose(TraceAnalysis a, RuleConfig config) {
        DiagnosisInput in = new DiagnosisInput();
        in.add(Kind.TRACE, a.source(), a);
        return Diagnoser.withRegisteredRules().run(in, config).stream()
                .filter(f -> f.rule().startsWith("trace.")).toList();
    }

    /** The line of main.go holding this text, as the trace's stacks number it. */
    private static long lineOf(String text) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("testdata/gen/tracework/main.go"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text);
    }

    @Test
    void convoyIsALockConvoyAtItsLockLine() throws Exception {
        TraceAnalysis a = analyse(TraceFixtures.trace(Tools.go127(), "convoy,net,syscall", "1s"));
        List<Finding> fs = diagnose(a, RuleConfig.DEFAULT);
        assertThat(fs).extracting(Finding::rule).containsExactly("trace.lock-convoy");
        Finding f = fs.get(0);
        assertThat(f.severity()).isIn(Severity.WARNING, Severity.CRITICAL);
        assertThat(f.location().function()).isEqualTo("main.convoyWorker");
        assertThat(f.location().line()).isEqualTo(lineOf("ledger.Lock()"));
        assertThat(f.evidence().get("goroutines")).isEqualTo(8L);
        // the share is the lock stack's delay over the group's summed time in the trace
        GoroutineGroup g = a.goroutineGroups().stream().filter(x -> x.name().equals("main.convoyWorker"))
                .findFirst().orElseThrow();
        BlockingStack lock = a.blocking().get(BlockingKind.SYNC).stacks().stream()
                .filter(s -> s.frames().stream().anyMatch(fr -> fr.line() == f.location().line()
                        && fr.function().equals("main.convoyWorker"))).findFirst().orElseThrow();
        double share = 100.0 * lock.delayNanos() / g.sum().total();
        assertThat((double) f.evidence().get("lockWaitShare"))
                .isCloseTo(share, org.assertj.core.data.Offset.offset(0.05));
        // the 20 ms answers of the net scenario and the 30 ms sleeps of the syscall scenario are not findings
    }

    @Test
    void aSlowPeerIsANetworkStallAndOrdinaryLatencyIsNot() throws Exception {
        TraceAnalysis a = analyse(TraceFixtures.trace(Tools.go127(), "net,slownet", "1s"));
        List<Finding> fs = diagnose(a, RuleConfig.DEFAULT);
        assertThat(fs).extracting(Finding::rule).containsExactly("trace.network-stall");
        Finding f = fs.get(0);
        // the slow client's read; 1.5 s is above the 1 s limit, below the 2 s of a warning
        assertThat(f.location().function()).isEqualTo("main.ask");
        assertThat(Files.readAllLines(Path.of("testdata/gen/tracework/main.go")).get((int) f.location().line() - 1))
                .contains("r.ReadString");
        assertThat((double) f.evidence().get("longestWaitSeconds")).isBetween(1.4, 1.7);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void syscallsAbove100msAreLongOnes() throws Exception {
        TraceAnalysis a = analyse(TraceFixtures.trace(Tools.go127(), "convoy,net,syscall", "1s"));
        // the 30 ms nanosleeps are below the limit; at a 10 ms limit they are found where they are made
        RuleConfig strict = new RuleConfig(Map.of("trace.long-syscall.longestSyscall.info", 10.0));
        List<Finding> fs = diagnose(a, strict).stream().filter(f -> f.rule().equals("trace.long-syscall")).toList();
        assertThat(fs).extracting(f -> f.location().function()).containsExactly("main.syscallWorker");
        assertThat(fs.get(0).location().line()).isEqualTo(lineOf("syscall.Nanosleep(&ts, nil)"));
        assertThat((double) fs.get(0).evidence().get("longestSyscallMs")).isBetween(30.0, 100.0);
    }

    @Test
    void allocatorsPayForTheGc() throws Exception {
        TraceAnalysis a = analyse(TraceFixtures.trace(Tools.go127(), "assist", "1s"));
        List<Finding> fs = diagnose(a, RuleConfig.DEFAULT);
        assertThat(fs).extracting(Finding::rule).containsExactly("trace.gc-assist-paths");
        assertThat(fs.get(0).evidence().get("group")).isEqualTo("main.allocator");
    }

    @Test
    void healthyTracesGiveNoWarning() throws Exception {
        List<Finding> fs = diagnose(analyse(TraceFixtures.trace(Tools.go127(), "tasks", "1s")), RuleConfig.DEFAULT);
        assertThat(fs).allMatch(f -> f.severity().compareTo(Severity.WARNING) < 0);
    }

    /**
     * cpuwork is healthy but for one thing: its hot mutex (main.hotLock, held across a 10 µs sleep),
     * which the block and mutex profiles of the same run show as critical contention
     * (LockContentionRuleTest). Its trace says the same and nothing else: no stall, long syscall or assists.
     */
    @Test
    void cpuworksOnlyFindingIsItsHotLock() throws Exception {
        TraceAnalysis a = analyse(Corpus.file("go1.27/cpuwork/trace.out"));
        List<Finding> fs = diagnose(a, RuleConfig.DEFAULT);
        assertThat(fs).extracting(Finding::rule).containsExactly("trace.lock-convoy");
        assertThat(fs.get(0).location().function()).isEqualTo("main.hotLock");
        assertThat(fs.get(0).evidence().get("goroutines")).isEqualTo(4L);
    }
}
