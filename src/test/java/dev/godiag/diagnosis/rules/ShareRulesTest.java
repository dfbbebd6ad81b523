package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Yaml;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table of the rules that are only data: what it registers, how it reads, how it fails. */
class ShareRulesTest {
    static final Set<String> TABLE_RULES = Set.of("cpu.allocation-pressure", "cpu.gc-work", "cpu.scheduler-overhead",
            "cpu.syscall-bound", "code.cgo", "code.defer-hot", "code.json-reflection", "code.map-growth",
            "code.regex-compile", "code.string-building", "code.sync-map", "code.time-after-loop");

    static List<ShareRule> parse(String yaml) {
        return ShareRules.parse(Yaml.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml"),
                "t.yaml");
    }

    @Test
    void theTableIsRegisteredAsOneRuleSetWithACardPerRule() {
        Set<String> table = new ShareRules().rules().stream().map(Rule::id).collect(Collectors.toSet());
        assertThat(table).isEqualTo(TABLE_RULES);
        List<Rule> registered = Diagnoser.withRegisteredRules().rules();
        assertThat(registered).extracting(Rule::id).containsAll(TABLE_RULES).doesNotHaveDuplicates().isSorted();
        for (Rule r : registered) {
            if (TABLE_RULES.contains(r.id())) {
                assertThat(r).isInstanceOf(ShareRule.class);
                assertThat(KnowledgeBase.shipped().card(r.id())).as(r.id()).isNotNull();
                assertThat(r.info().cards()).containsExactly(r.id());
                assertThat(r.info().thresholds()).singleElement()
                        .satisfies(t -> assertThat(t.unit()).isEqualTo("fraction"));
            }
        }
        // what the table says, as --rules lists it
        RuleInfo regex = ShareRules.rule("code.regex-compile").info();
        assertThat(regex.needs()).containsExactlyInAnyOrder(Kind.CPU_PROFILE, Kind.ALLOCS_PROFILE);
        assertThat(regex.thresholds().get(0)).satisfies(t -> {
            assertThat(t.name()).isEqualTo("compileShare");
            assertThat(List.of(t.info(), t.warning(), t.critical())).containsExactly(0.02, 0.05, 0.15);
        });
        assertThat(ShareRules.rule("code.cgo").info().needs()).containsExactly(Kind.CPU_PROFILE);
        assertThat(ShareRules.rule("no.such")).isNull();
    }

    @Test
    void patternsAreExactNamesOrPrefixesEndingInAStar() {
        Predicate<String> p = ShareRules.functions(List.of("runtime.newobject", "sync.(*Map).*", "runtime.mallocgc*"));
        assertThat(p).accepts("runtime.newobject", "sync.(*Map).Load", "runtime.mallocgc", "runtime.mallocgcSmallNoscan")
                .rejects("runtime.newobjectX", "sync.(*Map)", "sync.(*RWMutex).Lock", "xruntime.mallocgc");
    }

    @Test
    void aRowReadsIntoARule() {
        List<ShareRule> rules = parse("""
                - id: team.sleeps
                  topic: code
                  description: time.Sleep on a hot path
                  in: [cpu]
                  what: sleeping
                  threshold: {name: sleepShare, info: 0.1, warning: 0.2, critical: 0.3, description: share}
                  match: [time.Sleep]
                  exclude: ["runtime.gcBgMarkWorker*"]
                """);
        assertThat(rules).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("team.sleeps");
            assertThat(r.info().needs()).containsExactly(Kind.CPU_PROFILE);
            assertThat(r.match()).accepts("time.Sleep").rejects("time.Sleeper");
            assertThat(r.exclude()).accepts("runtime.gcBgMarkWorker.func2");
        });
    }

    @Test
    void malformedRowsGiveOneLineErrors() {
        String ok = "  topic: code\n  description: d\n  what: w\n  match: [f]\n";
        String t = "  threshold: {name: s, info: 0.1, warning: 0.2, critical: 0.3, description: d}\n";
        for (String[] c : List.of(
                new String[]{"- id: a.b\n" + ok + t, "missing 'in'"},
                new String[]{"- id: a.b\n  in: [gpu]\n" + ok + t, "'in' lists cpu or allocs, not 'gpu'"},
                new String[]{"- id: a.b\n  in: [cpu]\n" + ok, "'threshold' must be a mapping"},
                new String[]{"- id: a.b\n  in: [cpu]\n" + ok + t.replace("0.2", "0.05"), "must increase"},
                new String[]{"- id: a.b\n  in: [cpu]\n" + ok + t.replace("0.3", "lots"), "'critical' must be a number"},
                new String[]{"- id: a.b\n  in: [cpu]\n  colour: red\n" + ok + t, "unknown field 'colour'"},
                new String[]{"- id: a.b\n  in: [cpu]\n" + ok.replace("  match: [f]\n", "") + t, "missing 'match'"},
                new String[]{"- id: a.b\n  in: [cpu]\n" + ok + t + "- id: a.b\n  in: [cpu]\n" + ok + t,
                        "a second rule with this id"},
                new String[]{"id: a.b\n", "'the rule table' must be a list"})) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("t.yaml")
                    .hasMessageContaining(c[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
