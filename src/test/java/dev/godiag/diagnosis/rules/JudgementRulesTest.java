package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Severity;
import dev.godiag.format.runtime.GcTraceReader;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.file;
import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.input;
import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.load;
import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.run;
import static dev.godiag.diagnosis.rules.ProfileRulesFixtures.runAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Statistics before verdicts and the runtime's own costs, on the corpus: the size of a CPU profile
 * (checked against pprof), GOMAXPROCS from the gctrace log (read from its text here), frames nobody
 * can act on, runtime-internal locks in Go 1.27's mutex profile and the line a lock finding names.
 */
class JudgementRulesTest {

    /** The cpuwork inputs and its gctrace log. */
    static DiagnosisInput withGcTrace(String v) throws Exception {
        DiagnosisInput in = input(v, "cpuwork");
        try (InputStream s = Files.newInputStream(file(v, "cpuwork", "gctrace.log"))) {
            in.addGcTrace(GcTraceReader.read(s, "gctrace.log"));
        }
        return in;
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void aCpuProfilesSizeAndBusynessAreItsSamplesOverItsDurationAndTheGcTracesPs(String v) throws Exception {
        Path cpu = file(v, "cpuwork", "cpu.pprof");
        CpuProfileStats stats = CpuProfileStats.of(withGcTrace(v));
        // pprof's total in ms over the 10 ms period of a 100 Hz profile
        long pprofMs = PprofTop.run(cpu, "", "ms").values().stream().mapToLong(r -> r[0]).sum();
        assertThat(stats.samples()).isEqualTo(pprofMs / 10).isEqualTo(v.equals("go1.19") ? 195 : 80);
        assertThat(stats.cpuNanos()).isEqualTo(pprofMs * 1_000_000);
        // every gctrace line ends in "N P": GOMAXPROCS
        Matcher m = Pattern.compile(" (\\d+) P\\s*$", Pattern.MULTILINE)
                .matcher(Files.readString(file(v, "cpuwork", "gctrace.log")));
        assertThat(m.find()).isTrue();
        assertThat(stats.gomaxprocs()).isEqualTo(Integer.parseInt(m.group(1)));
        assertThat(stats.cpusBusy()).isEqualTo((double) stats.cpuNanos() / stats.durationNanos());
        // 4 workers mostly waiting on main.hotLock: 0.32 and 0.13 CPUs busy of 2
        assertThat(stats.offCpuBound()).isTrue();
        assertThat(stats.tooSmall()).isEqualTo(v.equals("go1.27"));
    }

    @Test
    void aHotspotOfAProgramThatMostlyWaitsIsInfoAndSaysWhy() throws Exception {
        List<Finding> fs = run(new CpuHotspotRule(), withGcTrace("go1.19"));
        assertThat(fs).extracting(f -> f.location().function()).containsExactly("main.fib");
        Finding f = fs.get(0);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsEntry("gomaxprocs", 2).containsEntry("cpuSamples", 195L);
        assertThat((String) f.evidence().get("caveat")).startsWith("the program is off-CPU bound (1.95 s of CPU in 6.1 s,"
                + " 0.32 CPUs busy of 2 (16%)");
        // and the program's waiting is said as such, at info
        Finding off = run(new OffCpuRule(), withGcTrace("go1.19")).get(0);
        assertThat(off.severity()).isEqualTo(Severity.INFO);
        assertThat(off.summary()).startsWith("The program is off-CPU bound");
    }

    @ParameterizedTest
    @ValueSource(strings = {"profile__gobench.cpu", "profile__go.crc32.cpu"})
    void framesTheSymbolizerCouldNotNameAreNeverAFinding(String name) {
        // old binary CPU profiles without symbols: every frame is an address pprof shows as such;
        // before, "CPU hotspot in <unknown>" was critical 100
        DiagnosisInput in = new DiagnosisInput();
        in.addProfile(name, Kind.CPU_PROFILE, load(Corpus.file("upstream/pprof/" + name)));
        List<Finding> fs = runAll(in);
        assertThat(fs).noneMatch(f -> f.title().contains("<unknown>") || f.location() != null
                && !StackMatch.isSymbolized(f.location().function()));
        assertThat(fs).noneMatch(f -> f.severity().compareTo(Severity.WARNING) >= 0);
        assertThat(StackMatch.isOwn("<unknown>")).isFalse();
        assertThat(StackMatch.isOwn("[vdso]")).isFalse();
        assertThat(StackMatch.isOwn("main.Apply[go.shape.func int]")).isTrue();
    }

    @Test
    void runtimeInternalLocksAreSaidAndNotChargedToTheFunction() {
        // Go 1.27's mutex profile holds runtime.unlock samples (runtime-internal locks, Go 1.22+)
        Path mutex = file("go1.27", "cpuwork", "mutex.pprof");
        long runtimeLocks = PprofTop.run(mutex, "delay", "ns", "-focus=^runtime\\.unlock$").values().stream()
                .mapToLong(r -> r[0]).sum();
        assertThat(runtimeLocks).isPositive();
        Finding f = run(new LockContentionRule(), input("go1.27", "cpuwork")).get(0);
        assertThat(f.location().function()).isEqualTo("main.hotLock");
        assertThat(f.evidence().get("runtimeInternalLockDelaySeconds")).isEqualTo(round6(runtimeLocks / 1e9));
        long held = PprofTop.run(mutex, "delay", "ns", "-focus=^main\\.hotLock$", "-ignore=^runtime\\.unlock$")
                .values().stream().mapToLong(r -> r[0]).sum();
        assertThat(f.evidence().get("holdDelaySeconds")).isEqualTo(round6(held / 1e9));
        assertThat(String.valueOf(f.evidence().get("lockFunctionsInProfiles"))).doesNotContain("runtime.unlock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void aLockFindingIsAtTheLineThatWaitsInLock(String v) {
        Path block = file(v, "cpuwork", "block.pprof");
        Map.Entry<String, long[]> hottest = PprofTop.run(block, "delay", "ns", "-lines",
                        "-focus=^sync\\.\\(\\*Mutex\\)\\.Lock$").entrySet().stream()
                .filter(e -> e.getKey().startsWith("main.hotLock "))
                .max(Comparator.comparingLong(e -> e.getValue()[1])).orElseThrow();
        Finding f = run(new LockContentionRule(), input(v, "cpuwork")).get(0);
        assertThat(f.location().file() + ":" + f.location().line())
                .isEqualTo(hottest.getKey().substring("main.hotLock ".length()));
        // the same line from both Go versions' captures of the same program
        assertThat(f.location().line()).isEqualTo(104);
        assertThat(f.evidence().get("blockProfile")).isEqualTo("block.pprof");
    }

    static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /**
     * An allocs profile of one own function calling regexp.MustCompile, as Go writes it at the default
     * MemProfileRate (512 KiB): {@code sampled} allocations of {@code size} bytes, scaled up as Go
     * scales them (count / (1 - e^(-size/rate))).
     */
    static dev.godiag.model.Profile allocs(int sampled, long size) {
        long rate = 512 * 1024;
        double scale = 1 / -Math.expm1(-(double) size / rate);
        dev.godiag.model.ProfileBuilder b = new dev.godiag.model.ProfileBuilder("pprof")
                .sampleType("alloc_objects", "count").sampleType("alloc_space", "bytes")
                .sampleType("inuse_objects", "count").sampleType("inuse_space", "bytes")
                .period(new dev.godiag.model.ValueType("space", "bytes"), rate);
        String[] frames = {"regexp.MustCompile", "main.handle", "main.main"}; // leaf first
        for (int i = 0; i < frames.length; i++) {
            int f = b.addFunction(i + 1, frames[i], frames[i], "x/main.go", 1);
            b.addLine(f, 10 + i, 0);
            b.endLocation(i + 1, -1, 0x1000 + i, false);
        }
        for (int i = 0; i < frames.length; i++) {
            b.addSampleLocation(i);
        }
        long objects = Math.round(sampled * scale);
        b.endSample(objects, Math.round(sampled * size * scale), 0, 0);
        // the rest of the program's allocations, elsewhere
        int other = b.addFunction(9, "main.other", "main.other", "x/main.go", 1);
        b.addLine(other, 50, 0);
        b.endLocation(9, -1, 0x2000, false);
        b.addSampleLocation(3);
        b.endSample(1000, 4L << 20, 0, 0);
        return b.build();
    }

    @Test
    void anAllocationShareNeedsMoreThanOneSampledAllocation() {
        // one sampled 1 MiB compile: 29% of the bytes, but one sample is chance, not a hot path
        DiagnosisInput one = new DiagnosisInput();
        one.addProfile("allocs.pprof", Kind.ALLOCS_PROFILE, allocs(1, 1 << 20));
        assertThat(run(ShareRules.rule("code.regex-compile"), one)).isEmpty();
        // forty sampled 32 KiB compiles: the same kind of share on evidence that holds
        DiagnosisInput many = new DiagnosisInput();
        many.addProfile("allocs.pprof", Kind.ALLOCS_PROFILE, allocs(40, 32 << 10));
        List<Finding> fs = run(ShareRules.rule("code.regex-compile"), many);
        assertThat(fs).extracting(f -> f.location().function()).containsExactly("main.handle");
        assertThat(fs.get(0).location().line()).isEqualTo(11);
        assertThat(StackMatch.heapSamples(many.merged(Kind.ALLOCS_PROFILE), many.lineStacks(Kind.ALLOCS_PROFILE),
                n -> n.equals("regexp.MustCompile"), null)).isCloseTo(40, org.assertj.core.data.Offset.offset(0.5));
    }

    @Test
    void theFramesOfToolingAndInitSayWhatTheyAre() {
        assertThat(dev.godiag.diagnosis.RuntimeFrames.explain("runtime.doInit1").text()).contains("once at start-up");
        assertThat(dev.godiag.diagnosis.RuntimeFrames.explain("runtime/pprof.profileWriter").text())
                .contains("the cost of profiling");
        assertThat(dev.godiag.diagnosis.RuntimeFrames.explain("runtime.traceAdvance").text())
                .contains("the cost of tracing");
        // and what they say is what the share rules do: tooling leaves matched and total
        assertThat(StackMatch.TOOLING.test("runtime/pprof.profileWriter")).isTrue();
        assertThat(StackMatch.INIT.test("runtime.doInit1")).isTrue();
    }
}
