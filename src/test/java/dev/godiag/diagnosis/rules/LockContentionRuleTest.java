package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.Severity;
import dev.godiag.testutil.PprofTop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.file;
import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.only;
import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LockContentionRuleTest {
    static long cumNs(Path f, String function) {
        return PprofTop.run(f, "delay", "ns").get(function)[1];
    }

    static DiagnosisInput blockAndMutex(String v, String program) {
        DiagnosisInput in = only(v, program, "block.pprof", Kind.BLOCK_PROFILE);
        in.addProfile("mutex.pprof", Kind.MUTEX_PROFILE, ProfileRulesFixtures.load(file(v, program, "mutex.pprof")));
        return in;
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void cpuworkHotLock(String v) {
        List<Finding> fs = run(new LockContentionRule(), blockAndMutex(v, "cpuwork"));
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.location().function()).isEqualTo("main.hotLock");
        assertThat(f.location().file()).isEqualTo("example.com/shop/cpuwork/main.go");
        Path block = file(v, "cpuwork", "block.pprof");
        Path mutex = file(v, "cpuwork", "mutex.pprof");
        // the waits: all of main.hotLock's block delay is in sync.(*Mutex).Lock
        assertThat((double) f.evidence().get("waitDelaySeconds")).isCloseTo(cumNs(block, "main.hotLock") / 1e9, within(1e-6));
        assertThat((double) f.evidence().get("holdDelaySeconds")).isCloseTo(cumNs(mutex, "main.hotLock") / 1e9, within(1e-6));
        // seconds of waiting (16 s / 17 s): critical
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat((long) f.evidence().get("waitContentions"))
                .isEqualTo(PprofTop.run(block, "contentions", "").get("main.hotLock")[1]);
        // WaitGroup.Wait in main.main and the tracer's channel receives are not lock waits
        assertThat((double) f.evidence().get("blockLockDelaySeconds"))
                .isCloseTo(PprofTop.run(block, "delay", "ns").get("sync.(*Mutex).Lock")[0] / 1e9, within(1e-6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void leakysvcMainWork(String v) {
        List<Finding> fs = run(new LockContentionRule(), blockAndMutex(v, "leakysvc"));
        assertThat(fs).extracting(f -> f.location().function()).containsExactly("main.work");
        Finding f = fs.get(0);
        Path block = file(v, "leakysvc", "block.pprof");
        Path mutex = file(v, "leakysvc", "mutex.pprof");
        assertThat((double) f.evidence().get("waitDelaySeconds")).isCloseTo(cumNs(block, "main.work") / 1e9, within(1e-6));
        assertThat((double) f.evidence().get("holdDelaySeconds")).isCloseTo(cumNs(mutex, "main.work") / 1e9, within(1e-6));
        // ~45-51 ms of waiting since start: info, just above the 20 ms limit
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        // the selects of the leaking handlers (5.9 s of the block profile) are not lock contention
        assertThat((double) f.evidence().get("blockTotalDelaySeconds")).isGreaterThan(5.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void thresholdAndNoLocks(String v) {
        RuleConfig strict = new RuleConfig(Map.of("locks.contention.lockDelaySeconds.info", 0.1,
                "locks.contention.lockDelaySeconds.warning", 1.0, "locks.contention.lockDelaySeconds.critical", 10.0));
        assertThat(new Diagnoser(List.of(new LockContentionRule())).run(blockAndMutex(v, "leakysvc"), strict)).isEmpty();
        // a CPU profile alone gives the rule nothing to read
        assertThat(run(new LockContentionRule(), only(v, "cpuwork", "cpu.pprof", Kind.CPU_PROFILE))).isEmpty();
    }
}
