package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.godiag.diagnosis.rules.ProfileRulesTest.focused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules the corpus never triggers (cgo, sync.Map, time.After, defers, map growth) on the
 * hotpaths fixture (src/test/resources/dev/godiag/diagnosis/rules/hotpaths, README there): real
 * Go 1.19 and 1.27 profiles of a program with one worker per pattern. Matched values are checked
 * against the real pprof -top -focus.
 */
class HotPathsRulesTest {
    static Path dir(String v) {
        return Path.of("src/test/resources/dev/godiag/diagnosis/rules/hotpaths", v);
    }

    static DiagnosisInput input(String v) {
        DiagnosisInput in = new DiagnosisInput();
        in.addProfile("cpu.pprof", Kind.CPU_PROFILE, ProfileRulesFixtures.load(dir(v).resolve("cpu.pprof")));
        in.addProfile("allocs.pprof", Kind.ALLOCS_PROFILE, ProfileRulesFixtures.load(dir(v).resolve("allocs.pprof")));
        return in;
    }

    static Finding only(Rule rule, String v) {
        List<Finding> fs = ProfileRulesFixtures.run(rule, input(v));
        assertThat(fs).as(rule.id()).hasSize(1);
        return fs.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void whichRulesFire(String v) {
        Set<String> fired = ProfileRulesFixtures.runAll(input(v)).stream().map(Finding::rule)
                .filter(ProfileRulesTest.PROFILE_RULES::contains).collect(Collectors.toSet());
        assertThat(fired).isEqualTo(Set.of("code.defer-hot", "code.time-after-loop", "code.map-growth", "code.cgo",
                "code.sync-map", "cpu.allocation-pressure", "cpu.gc-work"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void cgoIsNamedByTheGoCallerNotTheGeneratedWrapper(String v) {
        Finding f = only(ShareRules.rule("code.cgo"), v);
        assertThat(f.location().function()).isEqualTo("main.callC");
        assertThat(f.location().file()).isEqualTo("example.com/fixture/hotpaths/main.go");
        assertThat(f.evidence().get("cpuMatched"))
                .isEqualTo(focused(dir(v).resolve("cpu.pprof"), "", "ns", "^runtime\\.cgocall$"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void syncMap(String v) {
        Finding f = only(ShareRules.rule("code.sync-map"), v);
        assertThat(f.location().function()).isEqualTo("main.storeAll");
        // Go 1.24+ runs sync.Map on internal/sync.HashTrieMap: sync.(*Map) frames remain (inlined)
        assertThat(f.evidence().get("cpuMatched")).isEqualTo(focused(dir(v).resolve("cpu.pprof"), "", "ns",
                "^(sync\\.\\(\\*Map\\)\\.|internal/sync\\.\\(\\*HashTrieMap)"));
        assertThat(f.evidence().get("allocMatched")).isEqualTo(focused(dir(v).resolve("allocs.pprof"), "alloc_space",
                "B", "^(sync\\.\\(\\*Map\\)\\.|internal/sync\\.\\(\\*HashTrieMap)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void timeAfterInALoop(String v) {
        Finding f = only(ShareRules.rule("code.time-after-loop"), v);
        assertThat(f.location().function()).isEqualTo("main.pollTimeouts");
        String focus = "^time\\.(After|NewTimer|Tick|NewTicker|AfterFunc|newTimer)$";
        assertThat(f.evidence().get("cpuMatched")).isEqualTo(focused(dir(v).resolve("cpu.pprof"), "", "ns", focus));
        assertThat(f.evidence().get("allocMatched"))
                .isEqualTo(focused(dir(v).resolve("allocs.pprof"), "alloc_space", "B", focus));
        // 41% (1.19) and 39% (1.27) of all allocated bytes are timers
        assertThat((double) f.evidence().get("allocShare")).isGreaterThan(0.35);
        assertThat(f.score()).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void deferInALoop(String v) {
        Finding f = only(ShareRules.rule("code.defer-hot"), v);
        assertThat(f.location().function()).isEqualTo("main.sumDeferred");
        assertThat(f.evidence().get("cpuMatched")).isEqualTo(focused(dir(v).resolve("cpu.pprof"), "", "ns",
                "^runtime\\.(deferproc|deferreturn|deferCallSave|freedefer|newdefer|popDefer|\\(\\*_panic\\)\\.nextDefer)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void mapGrowthWithOldAndSwissMaps(String v) {
        Finding f = only(ShareRules.rule("code.map-growth"), v);
        assertThat(f.location().function()).isEqualTo("main.buildIndex");
        assertThat(f.evidence().get("cpuMatched")).isEqualTo(focused(dir(v).resolve("cpu.pprof"), "", "ns",
                "^(runtime\\.(hashGrow|growWork.*|evacuate.*|makeBucketArray)|internal/runtime/maps\\.\\(\\*table\\)\\."
                        + "(grow|rehash|split)|internal/runtime/maps\\.\\(\\*Map\\)\\.(growTo|split))"));
        @SuppressWarnings("unchecked")
        List<String> fns = (List<String>) f.evidence().get("cpuFunctions");
        // Go 1.19 evacuates buckets; Go 1.27's Swiss tables rehash
        assertThat(String.join(",", fns)).contains(v.equals("go1.19") ? "runtime.growWork_fast64"
                : "internal/runtime/maps.(*table).rehash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void gcWorkNamesNoAssemblySymbolAsOwnCode(String v) {
        Finding f = only(ShareRules.rule("cpu.gc-work"), v);
        @SuppressWarnings("unchecked")
        List<String> own = (List<String>) f.evidence().get("cpuOwnCallers");
        assertThat(own).allSatisfy(s -> assertThat(s).startsWith("main."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void allocationPressureListsTheAllocationSites(String v) {
        Finding f = only(ShareRules.rule("cpu.allocation-pressure"), v);
        @SuppressWarnings("unchecked")
        List<String> sites = (List<String>) f.evidence().get("allocSitesBytes");
        assertThat(sites.stream().limit(3).map(s -> s.substring(0, s.indexOf('='))).toList())
                .containsExactlyInAnyOrder("main.buildIndex", "main.pollTimeouts", "main.storeAll");
    }
}
