package dev.godiag.report;

import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.rules.CpuHotspotRule;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.PprofTop;
import dev.godiag.util.Units;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvidenceTextTest {
    @Test
    void timesAndBytesAsBenchstatAndPeopleWriteThem() {
        // three significant digits in the largest unit of at least 1, by hand
        assertThat(Units.time(1718)).isEqualTo("1.72µs");
        assertThat(Units.time(850)).isEqualTo("850ns");
        assertThat(Units.time(180_000_000)).isEqualTo("180ms");
        assertThat(Units.time(2_345_600_000L)).isEqualTo("2.35s");
        assertThat(Units.time(Double.NaN)).isEqualTo("unknown");
        // 45679 / 1024 = 44.608
        assertThat(Units.bytes(45679)).isEqualTo("44.6 KiB");
    }

    @Test
    void keysInWordsValuesInUnits() {
        Finding f = Finding.builder(new CpuHotspotRule()).title("t")
                .evidence("flat", 180_000_000L, "nanoseconds")
                .evidence("slopeBytes", 45679L)
                .evidence("slopeUnit", "per second")
                .evidence("r2", 0.7344)
                .evidence("topSiteShareOfGrowth", 0.9921)
                .evidence("topSiteBytesPerSnapshot", List.of(0L, 1_115_476L, 11_154_769L))
                .evidence("gcCpuPercent", Double.NaN)
                .evidence("pauseP99Ms", 0.25)
                .evidence("maxWaitMinutes", 3L)
                .evidence("onlyGrows", true)
                .evidence("otherWaiters", Map.of("main.work", 44_911_873L), "nanoseconds")
                .build();
        Map<String, String> lines = new java.util.LinkedHashMap<>();
        EvidenceText.lines(f).forEach(l -> lines.put(l.label(), l.text()));
        assertThat(lines).containsExactly(
                Map.entry("flat", "180ms"),
                Map.entry("slope", "44.6 KiB per second"), // the unit key folded into its sibling
                Map.entry("R² of the fit", "0.73"),
                Map.entry("top site share of growth", "99.2%"),
                // 1115476 / 2^20 = 1.064, 11154769 / 2^20 = 10.638
                Map.entry("top site per snapshot", "0 B → 1.1 MiB → 10.6 MiB"),
                Map.entry("GC CPU", "unknown"),
                Map.entry("pause p99", "250µs"),
                Map.entry("max wait", "3 min"),
                Map.entry("only grows", "yes"),
                Map.entry("other waiters", "main.work 44.9ms"));
    }

    /** Every finding the rules raise on real captures reads without camelCase keys or raw nanoseconds. */
    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void corpusFindingsReadInUnits(String v) {
        DiagnosisInput in = new DiagnosisInput();
        for (Map.Entry<String, Kind> e : Map.of("cpuwork/cpu.pprof", Kind.CPU_PROFILE, "cpuwork/allocs.pprof",
                Kind.ALLOCS_PROFILE, "leakysvc/block.pprof", Kind.BLOCK_PROFILE, "leakysvc/mutex.pprof",
                Kind.MUTEX_PROFILE).entrySet()) {
            in.addProfile(e.getKey(), e.getValue(), load(Corpus.file(v + "/" + e.getKey())));
        }
        for (int t = 0; t <= 4; t++) {
            in.addProfile("heap.t" + t, Kind.HEAP_PROFILE, load(Corpus.file(v + "/leakysvc/heap.t" + t + ".pprof")));
        }
        List<Finding> fs = Diagnoser.withRegisteredRules().run(in, RuleConfig.DEFAULT);
        assertThat(fs).extracting(Finding::rule).contains("cpu.hotspot", "memory.heap-growth");
        Pattern bigBareNumber = Pattern.compile("(?<![\\w.])\\d{5,}(?![\\w.])"); // a raw count of ns or bytes
        for (Finding f : fs) {
            for (EvidenceText.Line l : EvidenceText.lines(f)) {
                assertThat(l.label()).as(f.rule() + " " + l.key()).doesNotContainPattern("[a-z][A-Z]");
                if (!l.key().equals("reason") && !l.key().equals("summary")) {
                    assertThat(l.text()).as(f.rule() + " " + l.key()).doesNotContainPattern(bigBareNumber)
                            .doesNotContain("NaN");
                }
            }
        }
        // the hotspot's flat time reads back as pprof's own value, to the three digits shown
        Finding hot = fs.stream().filter(f -> f.rule().equals("cpu.hotspot")).findFirst().orElseThrow();
        long pprofFlat = PprofTop.run(Corpus.file(v + "/cpuwork/cpu.pprof"), "", "ns")
                .get(hot.location().function())[0];
        String flat = EvidenceText.lines(hot).stream().filter(l -> l.key().equals("flat")).findFirst()
                .orElseThrow().text();
        assertThat(nanos(flat)).isCloseTo(pprofFlat, within(pprofFlat * 0.005));
    }

    private static double nanos(String text) {
        Matcher m = Pattern.compile("([\\d.]+)(ns|µs|ms|s)").matcher(text);
        assertThat(m.matches()).as(text).isTrue();
        double x = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "ns" -> x;
            case "µs" -> x * 1e3;
            case "ms" -> x * 1e6;
            default -> x * 1e9;
        };
    }

    private static dev.godiag.model.Profile load(Path p) {
        return ProfileLoader.load(p.toString(), InputSource.FetchOptions.DEFAULT, 1L << 30);
    }
}
