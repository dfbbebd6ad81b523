package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.Severity;
import dev.godiag.testutil.PprofTop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.file;
import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.input;
import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.run;
import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.runAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profile rules on the corpus: which fire on cpuwork and leakysvc of Go 1.19 and 1.27, with
 * their evidence checked against the real pprof (the matched value of a rule equals the summed flat
 * of pprof -top -focus on the same functions; own-caller values equal pprof cum values).
 */
class ProfileRulesTest {
    static final Set<String> PROFILE_RULES = Set.of("cpu.hotspot", "cpu.allocation-pressure", "cpu.gc-work",
            "cpu.syscall-bound", "cpu.scheduler-overhead", "code.regex-compile", "code.json-reflection",
            "code.string-building", "code.time-after-loop", "code.defer-hot", "code.map-growth", "code.cgo",
            "code.sync-map", "locks.contention");

    /**
     * pprof's -ignore for the profiler's and tracer's own work (the cpuwork corpus ran under the
     * execution tracer): CPU shares leave those samples out, matched and total.
     */
    static final String TOOLING = "-ignore=^runtime/pprof\\.|^runtime/trace\\.|^runtime\\.trace(Advance|Reader|Event"
            + "|Locker|Acquire|Release|Flush|Stack)|^runtime\\.\\(\\*(traceBuf|traceWriter|traceStackTable|profBuf)\\)"
            + "|^runtime\\.(readTrace|ReadTrace|runtime_readProfile)";


    /** The summed flat of the samples pprof keeps with -focus=regex: what a rule's match must equal. */
    static long focused(Path f, String sampleIndex, String unit, String focus, String... more) {
        String[] flags = new String[more.length + 1];
        flags[0] = "-focus=" + focus;
        System.arraycopy(more, 0, flags, 1, more.length);
        return PprofTop.run(f, sampleIndex, unit, flags).values().stream().mapToLong(v -> v[0]).sum();
    }

    static long cum(Path f, String sampleIndex, String unit, String function) {
        return PprofTop.run(f, sampleIndex, unit).get(function)[1];
    }

    static long total(Path f, String sampleIndex, String unit, String... flags) {
        return PprofTop.run(f, sampleIndex, unit, flags).values().stream().mapToLong(v -> v[0]).sum();
    }

    static Map<String, List<Finding>> byRule(List<Finding> fs) {
        return fs.stream().collect(Collectors.groupingBy(Finding::rule));
    }

    static long ownValue(Finding f, String key, String function) {
        @SuppressWarnings("unchecked")
        List<String> l = (List<String>) f.evidence().get(key);
        for (String s : l) {
            if (s.startsWith(function + "=")) {
                return Long.parseLong(s.substring(function.length() + 1));
            }
        }
        throw new AssertionError(function + " not in " + l);
    }

    @Test
    void everyProfileRuleIsRegisteredWithACard() {
        Set<String> ids = Diagnoser.withRegisteredRules().rules().stream().map(Rule::id).collect(Collectors.toSet());
        assertThat(ids).containsAll(PROFILE_RULES);
        for (Rule r : Diagnoser.withRegisteredRules().rules()) {
            if (PROFILE_RULES.contains(r.id())) {
                assertThat(getClass().getResource("/dev/godiag/diagnosis/kb/cards/" + r.id() + ".yaml"))
                        .as(r.id()).isNotNull();
                assertThat(r.info().thresholds()).as(r.id()).isNotEmpty()
                        .allSatisfy(t -> assertThat(t.description()).isNotBlank());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void cpuworkFiresTheExpectedRulesAndNoOthers(String v) {
        Map<String, List<Finding>> fs = byRule(runAll(input(v, "cpuwork")));
        Set<String> expected = v.equals("go1.19")
                ? Set.of("cpu.hotspot", "code.regex-compile", "code.string-building", "code.json-reflection",
                "cpu.allocation-pressure", "locks.contention")
                : Set.of("cpu.hotspot", "code.regex-compile", "code.string-building", "code.json-reflection",
                "cpu.allocation-pressure", "locks.contention");
        Set<String> fired = fs.keySet().stream().filter(PROFILE_RULES::contains).collect(Collectors.toSet());
        assertThat(fired).isEqualTo(expected);
        // never on this corpus: no cgo, no sync.Map, no time.After, no runtime defers, no map growth
        assertThat(fired).doesNotContain("code.cgo", "code.sync-map", "code.time-after-loop", "code.defer-hot",
                "code.map-growth", "cpu.syscall-bound");
        for (List<Finding> l : fs.values()) {
            for (Finding f : l) {
                if (PROFILE_RULES.contains(f.rule())) {
                    assertThat(f.evidence()).as(f.rule()).isNotEmpty();
                    assertThat(f.cards()).containsExactly(f.rule());
                    assertThat(KnowledgeBase.shipped().advice(f).fix()).as(f.rule()).isNotBlank();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void leakysvcFiresOnlyLockContentionAmongTheProfileRules(String v) {
        // its CPU profiles hold 6 and 4 samples: too few for any share rule
        Set<String> fired = byRule(runAll(input(v, "leakysvc"))).keySet().stream().filter(PROFILE_RULES::contains)
                .collect(Collectors.toSet());
        assertThat(fired).containsExactly("locks.contention");
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void regexCompileUnderMainValidate(String v) {
        Path cpu = file(v, "cpuwork", "cpu.pprof");
        Path allocs = file(v, "cpuwork", "allocs.pprof");
        List<Finding> fs = run(ShareRules.rule("code.regex-compile"), input(v, "cpuwork"));
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.title()).isEqualTo("Regexp compiled on every call in main.validate");
        assertThat(f.location().function()).isEqualTo("main.validate");
        assertThat(f.location().file()).isEqualTo("example.com/shop/cpuwork/main.go");
        long cpuMatched = focused(cpu, "", "ns", "^regexp\\.MustCompile$", TOOLING);
        assertThat(f.evidence().get("cpuMatched")).isEqualTo(cpuMatched)
                .isEqualTo(focused(cpu, "", "ns", "^(regexp\\.(Compile|MustCompile|compile)|regexp/syntax\\.(Parse|Compile))$",
                        TOOLING));
        assertThat(f.evidence().get("cpuTotal")).isEqualTo(total(cpu, "", "ns", TOOLING));
        assertThat(ownValue(f, "cpuOwnCallers", "main.validate")).isEqualTo(cpuMatched);
        long allocMatched = cum(allocs, "alloc_space", "B", "regexp.MustCompile");
        assertThat(f.evidence().get("allocMatched")).isEqualTo(allocMatched);
        assertThat(ownValue(f, "allocOwnCallers", "main.validate")).isEqualTo(allocMatched);
        // 29.9% (1.19) and 33.2% (1.27) of the allocated bytes: beyond critical (15%)
        assertThat((double) f.evidence().get("allocShare")).isGreaterThan(0.29);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void regexCompileThresholdOverride(String v) {
        RuleConfig lenient = new RuleConfig(Map.of("code.regex-compile.compileShare.info", 0.5,
                "code.regex-compile.compileShare.warning", 0.6, "code.regex-compile.compileShare.critical", 0.7));
        assertThat(new Diagnoser(List.of(ShareRules.rule("code.regex-compile"))).run(input(v, "cpuwork"), lenient)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void hotspotIsMainFib(String v) {
        Path cpu = file(v, "cpuwork", "cpu.pprof");
        List<Finding> fs = run(new CpuHotspotRule(), input(v, "cpuwork"));
        assertThat(fs).extracting(f -> f.location().function()).containsExactly("main.fib");
        assertThat(fs.get(0).evidence().get("flat")).isEqualTo(PprofTop.run(cpu, "", "ns").get("main.fib")[0]);
        assertThat(fs.get(0).evidence().get("cum")).isEqualTo(cum(cpu, "", "ns", "main.fib"));
        // at the line pprof -lines puts first among main.fib's lines
        Map.Entry<String, long[]> hottest = PprofTop.run(cpu, "", "ns", "-lines").entrySet().stream()
                .filter(e -> e.getKey().startsWith("main.fib "))
                .max(java.util.Comparator.comparingLong(e -> e.getValue()[0])).orElseThrow();
        assertThat(fs.get(0).location().file() + ":" + fs.get(0).location().line())
                .isEqualTo(hottest.getKey().substring("main.fib ".length()));
        // 10.2% of 195 samples (1.19): info by its share; 17.5% of 80 samples (1.27) would be warning,
        // but 80 samples (0.8 s of CPU in 6 s) are too few to judge
        assertThat(fs.get(0).severity()).isEqualTo(Severity.INFO);
        assertThat(fs.get(0).evidence().get("cpuSamples")).isEqualTo(v.equals("go1.19") ? 195L : 80L);
        if (v.equals("go1.27")) {
            assertThat((String) fs.get(0).evidence().get("caveat")).startsWith("profile too small to judge: 80 samples");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void stringBuildingIsTheGrowingBufferOfMainChecksum(String v) {
        Path cpu = file(v, "cpuwork", "cpu.pprof");
        Path allocs = file(v, "cpuwork", "allocs.pprof");
        List<Finding> fs = run(ShareRules.rule("code.string-building"), input(v, "cpuwork"));
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.location().function()).isEqualTo("main.checksum");
        String focus = "^(runtime\\.concatstring.*|runtime\\.concatbyte.*|fmt\\.Sprint(f|ln)?|bytes\\.\\(\\*Buffer\\)\\.grow"
                + "|strings\\.\\(\\*Builder\\)\\.grow)$";
        assertThat(f.evidence().get("allocMatched")).isEqualTo(focused(allocs, "alloc_space", "B", focus));
        assertThat(f.evidence().get("cpuMatched")).isEqualTo(focused(cpu, "", "ns", focus, TOOLING));
        assertThat(ownValue(f, "allocOwnCallers", "main.checksum"))
                .isEqualTo(cum(allocs, "alloc_space", "B", "bytes.(*Buffer).grow"));
        assertThat(f.severity()).isIn(Severity.WARNING, Severity.CRITICAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void jsonUnderMainParseOrder(String v) {
        Path cpu = file(v, "cpuwork", "cpu.pprof");
        Finding f = run(ShareRules.rule("code.json-reflection"), input(v, "cpuwork")).get(0);
        assertThat(f.location().function()).isEqualTo("main.parseOrder");
        assertThat(f.evidence().get("cpuMatched")).isEqualTo(focused(cpu, "", "ns", "^encoding/json[./]", TOOLING))
                .isEqualTo(focused(cpu, "", "ns", "^encoding/json\\.Unmarshal$", TOOLING)
                        + focused(cpu, "", "ns", "^encoding/json\\.Marshal$", TOOLING));
        assertThat(ownValue(f, "cpuOwnCallers", "main.parseOrder"))
                .isEqualTo(focused(cpu, "", "ns", "^main\\.parseOrder$", TOOLING));
        assertThat(f.severity()).isEqualTo(Severity.INFO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void allocationPressure(String v) {
        Path cpu = file(v, "cpuwork", "cpu.pprof");
        Finding f = run(ShareRules.rule("cpu.allocation-pressure"), input(v, "cpuwork")).get(0);
        long matched = focused(cpu, "", "ns", "^runtime\\.(mallocgc.*|newobject|newarray|makeslice)$", TOOLING);
        assertThat(f.evidence().get("cpuMatched")).isEqualTo(matched);
        assertThat(matched).isGreaterThanOrEqualTo(focused(cpu, "", "ns", "^runtime\\.mallocgc$", TOOLING));
        // 17.4% (1.19), 11.3% (1.27): info (10%..20%)
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat((List<?>) f.evidence().get("allocSitesBytes")).isNotEmpty();
    }

    @Test
    void backgroundSweepOnIdlePsIsNotGcWork() {
        // Go 1.19's cpuwork: 0.34 s of its 1.95 s are runtime.bgsweep, the low-priority sweeper on Ps
        // the program left idle (it waits on a lock most of the time): with it, over 20% of the CPU
        // would read as GC work; without it (and the tracer's own work) the collector's share is 3%
        Path cpu = file("go1.19", "cpuwork", "cpu.pprof");
        String gc = "^runtime\\.(gcBgMarkWorker|gcDrain|markroot|scanobject|scanObject|scanblock"
                + "|scanstack|scanSpan|scanframeworker|greyobject|gcAssistAlloc|gcMark|gcStart|gcSweep|bgsweep|sweepone"
                + "|wbBufFlush|gcWriteBarrier|\\(\\*sweepLocked\\)\\.sweep|\\(\\*gcWork\\)\\.)";
        assertThat(focused(cpu, "", "ns", "^runtime\\.bgsweep$")).isEqualTo(340_000_000L);
        assertThat((double) focused(cpu, "", "ns", gc) / total(cpu, "", "ns")).isGreaterThan(0.2);
        assertThat((double) focused(cpu, "", "ns", gc, TOOLING + "|^runtime\\.bgsweep$") / total(cpu, "", "ns", TOOLING))
                .isLessThan(0.10);
        assertThat(run(ShareRules.rule("cpu.gc-work"), input("go1.19", "cpuwork"))).isEmpty();
        assertThat(run(ShareRules.rule("cpu.gc-work"), input("go1.27", "cpuwork"))).isEmpty();
    }

    @Test
    void idlePsPollingTheNetworkAreNotSchedulerOverhead() {
        // Go 1.27's cpuwork: 150 ms of 800 ms in the scheduler, 90 of them idle Ps in
        // findRunnable -> netpoll waiting for work; the rest, 7.5%, is below info (15%)
        Path cpu = file("go1.27", "cpuwork", "cpu.pprof");
        String sched = "^runtime\\.(schedule|findRunnable|findrunnable|stealWork|runqsteal|runqgrab|stopm|startm|wakep"
                + "|notesleep|notetsleep|notewakeup|futexsleep|futexwakeup|usleep|osyield|mPark|handoffp|resetspinning)$";
        assertThat(focused(cpu, "", "ns", sched)).isEqualTo(150_000_000L);
        assertThat(focused(cpu, "", "ns", sched, TOOLING + "|^runtime\\.netpoll$")).isEqualTo(60_000_000L);
        assertThat(run(ShareRules.rule("cpu.scheduler-overhead"), input("go1.27", "cpuwork"))).isEmpty();
        assertThat(run(ShareRules.rule("cpu.scheduler-overhead"), input("go1.19", "cpuwork"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void syscallBoundIgnoresNetpollAndSmallProfiles(String v) {
        // cpuwork 1.27: all 90 ms of internal/runtime/syscall/linux.Syscall6 are the scheduler's EpollWait
        assertThat(run(ShareRules.rule("cpu.syscall-bound"), input(v, "cpuwork"))).isEmpty();
        // leakysvc 1.19: 2 of 6 samples in syscall.Syscall (33%), but 6 samples are too few to judge
        DiagnosisInput small = ProfileRulesFixtures.only(v, "leakysvc", "cpu.pprof", Kind.CPU_PROFILE);
        RuleConfig eager = new RuleConfig(Map.of("cpu.syscall-bound.syscallShare.info", 0.001,
                "cpu.syscall-bound.syscallShare.warning", 0.002, "cpu.syscall-bound.syscallShare.critical", 0.003));
        assertThat(new Diagnoser(List.of(ShareRules.rule("cpu.syscall-bound"))).run(small, eager)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void syscallMatchCountsTheServicesSyscallsOutsideNetpoll(String v) {
        // cpuwork: no syscall of the program's own outside the scheduler (pprof agrees: 0)
        String focus = "^(syscall\\.(Syscall|RawSyscall|syscall|rawSyscall)|internal/runtime/syscall\\."
                + "|runtime/internal/syscall\\.)";
        String ignore = "-ignore=^(runtime\\.(netpoll|findRunnable|findrunnable|schedule)"
                + "|net\\.\\(\\*netFD\\)\\.(Read|Write|accept|readFrom|writeTo|readMsg|writeMsg))$";
        ShareRule rule = ShareRules.rule("cpu.syscall-bound");
        Path cpuwork = file(v, "cpuwork", "cpu.pprof");
        assertThat(match(cpuwork, rule).matched())
                .isZero().isEqualTo(focused(cpuwork, "", "ns", focus, ignore));
        // leakysvc: its syscalls are net/http's socket writes and accepts (20 ms in 1.19, 10 ms in
        // 1.27 with only the scheduler left out): a network service's cost of serving, left out too
        Path leaky = file(v, "leakysvc", "cpu.pprof");
        String schedulerOnly = "-ignore=^runtime\\.(netpoll|findRunnable|findrunnable|schedule)$";
        assertThat(focused(leaky, "", "ns", focus, schedulerOnly)).isEqualTo(v.equals("go1.19") ? 20_000_000L : 10_000_000L);
        long expected = focused(leaky, "", "ns", focus, ignore);
        assertThat(match(leaky, rule).matched()).isEqualTo(expected);
    }

    private static StackMatch.Result match(Path file, ShareRule rule) {
        dev.godiag.model.Profile p = ProfileRulesFixtures.load(file);
        return StackMatch.of(p, dev.godiag.analysis.profile.Stacks.of(p, dev.godiag.analysis.profile.NodeOptions.DEFAULT), null,
                rule.match(), rule.exclude(), false);
    }
}
