package dev.godiag.diagnosis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnowledgeBaseTest {
    @Test
    void everyRegisteredRuleHasACardAndEveryCardARule() {
        KnowledgeBase kb = KnowledgeBase.load(null);
        Set<String> rules = Diagnoser.withRegisteredRules().rules().stream().map(Rule::id)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> cards = kb.cards().stream().map(KnowledgeBase.Card::id)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(rules).as("rules without a card").isSubsetOf(cards);
        // a rule may name more cards than its own (goroutines.leak: one per primitive a leak waits on)
        Set<String> named = Diagnoser.withRegisteredRules().rules().stream().flatMap(r -> r.info().cards().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(named).as("cards rules name").containsAll(rules).isSubsetOf(cards);
        // a source check may explain what no profile shows (a WaitGroup.Add racing with Wait)
        Set<String> scanned = dev.godiag.diagnosis.scan.SourceChecks.shipped().infos().stream()
                .map(dev.godiag.diagnosis.scan.CheckInfo::card).collect(Collectors.toCollection(TreeSet::new));
        assertThat(scanned).as("cards source checks name").isSubsetOf(cards);
        named.addAll(scanned);
        // the compiler's diagnostics joined to profiles (godiag escape, diagnose with compiler logs)
        named.addAll(CompilerCards.all());
        assertThat(cards).as("cards without a rule or a source check").isSubsetOf(named);
        for (Rule r : Diagnoser.withRegisteredRules().rules()) {
            assertThat(kb.card(r.id()).topic()).as(r.id()).isEqualTo(r.info().topic());
        }
    }

    @Test
    void cardsAreComplete() {
        for (KnowledgeBase.Card c : KnowledgeBase.load(null).cards()) {
            assertThat(c.title()).as(c.id()).isNotBlank();
            assertThat(c.mechanism()).as(c.id()).isNotBlank();
            assertThat(c.signs()).as(c.id()).isNotEmpty();
            assertThat(c.verify()).as(c.id()).isNotEmpty();
            assertThat(c.fix()).as(c.id()).isNotBlank();
            assertThat(c.references()).as(c.id()).isNotEmpty().allMatch(u -> u.startsWith("https://"));
        }
        KnowledgeBase.Card leak = KnowledgeBase.load(null).card("goroutines.leak");
        assertThat(leak.title()).isEqualTo("Goroutine leak");
        assertThat(leak.example().before()).contains("range ch");
        assertThat(leak.verify().get(0).command()).startsWith("godiag goroutines");
    }

    @Test
    void symptomsNameOnlyRegisteredRules() {
        KnowledgeBase kb = KnowledgeBase.load(null);
        Set<String> rules = Diagnoser.withRegisteredRules().rules().stream().map(Rule::id).collect(Collectors.toSet());
        assertThat(kb.symptoms()).extracting(KnowledgeBase.Symptom::symptom).contains(
                "high CPU with low throughput", "high latency with a steep p99",
                "memory that grows and is not released", "goroutine count in the tens of thousands");
        for (KnowledgeBase.Symptom s : kb.symptoms()) {
            assertThat(s.causes()).as(s.symptom()).isNotEmpty();
            for (KnowledgeBase.Cause c : s.causes()) {
                assertThat(c.rules()).as(c.cause()).isNotEmpty();
                assertThat(rules).as(c.cause()).containsAll(c.rules());
                assertThat(c.verify()).isNotBlank();
            }
        }
        // every rule is reachable from some symptom
        Set<String> named = kb.symptoms().stream().flatMap(s -> s.causes().stream()).flatMap(c -> c.rules().stream())
                .collect(Collectors.toSet());
        assertThat(named).containsAll(rules);
    }

    @Test
    void userDirectoryReplacesAndAdds(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("cards"));
        Files.writeString(dir.resolve("cards/gc.pauses.yaml"), """
                id: gc.pauses
                title: Our own pause card
                topic: gc
                mechanism: See the runbook.
                signs: ["p99 alerts"]
                verify:
                  - command: "runbook gc"
                    what: "the team's dashboard"
                fix: Page the platform team.
                references: ["https://example.com/runbook"]
                """);
        Files.writeString(dir.resolve("team.custom.yaml"), """
                id: team.custom
                title: A team card
                topic: custom
                mechanism: m
                fix: f
                """);
        Files.writeString(dir.resolve("symptoms.yaml"), """
                - symptom: "our dashboard is red"
                  causes:
                    - cause: "long pauses"
                      rules: [gc.pauses]
                      verify: "godiag gc gctrace.log"
                """);
        KnowledgeBase shipped = KnowledgeBase.load(null);
        KnowledgeBase kb = KnowledgeBase.load(dir);
        assertThat(kb.card("gc.pauses").title()).isEqualTo("Our own pause card");
        assertThat(kb.card("gc.pauses").example()).isNull();
        assertThat(kb.card("team.custom").signs()).isEmpty();
        assertThat(kb.card("goroutines.leak")).isEqualTo(shipped.card("goroutines.leak"));
        assertThat(kb.cards()).hasSize(shipped.cards().size() + 1);
        assertThat(kb.symptoms()).hasSize(shipped.symptoms().size() + 1);
        assertThat(kb.symptoms().get(kb.symptoms().size() - 1).causes().get(0).rules()).containsExactly("gc.pauses");
    }

    @Test
    void shippedIsReadOnceAndAUserDirectoryLeavesItAlone(@TempDir Path dir) throws Exception {
        KnowledgeBase shipped = KnowledgeBase.shipped();
        assertThat(KnowledgeBase.shipped()).isSameAs(shipped);
        assertThat(KnowledgeBase.load(null)).isSameAs(shipped);
        int before = shipped.cards().size();
        Files.writeString(dir.resolve("cpu.hotspot.yaml"), """
                id: cpu.hotspot
                title: Ours
                topic: cpu
                mechanism: m
                fix: f
                """);
        KnowledgeBase ours = shipped.withUserDirectory(dir);
        assertThat(ours.card("cpu.hotspot").title()).isEqualTo("Ours");
        assertThat(shipped.card("cpu.hotspot").title()).isEqualTo("CPU hotspot in your own code");
        assertThat(shipped.cards()).hasSize(before);
        assertThat(ours.cards()).hasSize(before);
    }

    static Finding finding(String rule, String function, Map<String, Object> evidence, String... cards) {
        return new Finding(rule, "cpu", "title", 40, "summary",
                function == null ? null : new Finding.Location(function, "x/main.go", 12), evidence, List.of(cards));
    }

    /** The advice is the card's text, with the finding's values in the card's placeholders. */
    @Test
    void verifyCommandsNameTheInputsOfThisDiagnosis() {
        KnowledgeBase kb = KnowledgeBase.shipped();
        Finding leak = finding("goroutines.leak", "main.worker", Map.of(), "goroutines.leak");
        // without inputs: the conventional names
        assertThat(kb.advice(leak).cards().get(0).verify())
                .contains("godiag goroutines goroutine.t0.txt goroutine.t1.txt goroutine.t2.txt");
        DiagnosisInput in = new DiagnosisInput();
        for (String name : List.of("snaps/g.t0.txt", "snaps/my dump.t1.txt")) {
            in.add(DiagnosisInput.Kind.GOROUTINES, name, new dev.godiag.model.GoroutineDump(name, "debug=2",
                    List.of(), List.of()));
        }
        // the dumps this diagnosis read, in order, each one shell word
        assertThat(kb.advice(leak, in).cards().get(0).verify())
                .contains("godiag goroutines snaps/g.t0.txt 'snaps/my dump.t1.txt'");
    }

    @Test
    void adviceIsTheCardsWithTheFindingsValues(@TempDir Path dir) throws Exception {
        KnowledgeBase kb = KnowledgeBase.shipped();
        KnowledgeBase.Card hot = kb.card("cpu.hotspot");
        Finding f = finding("cpu.hotspot", "main.(*Server).handle", Map.of("function", "main.(*Server).handle",
                "cpuProfile", "prof/cpu.pprof"), "cpu.hotspot");
        Advice a = kb.advice(f);
        assertThat(a.explanation()).isEqualTo(hot.mechanism());
        assertThat(a.fix()).isEqualTo(hot.fix());
        assertThat(a.example()).isEqualTo(hot.example());
        assertThat(a.cards()).hasSize(1);
        assertThat(a.cards().get(0).title()).isEqualTo(hot.title());
        // quoted as Go's regexp.QuoteMeta does, so pprof's -list matches exactly this function
        // and the user's own profile, as diagnose read it
        assertThat(a.cards().get(0).verify())
                .contains("go tool pprof -list 'main\\.\\(\\*Server\\)\\.handle' prof/cpu.pprof");
        assertThat(hot.verify()).extracting(KnowledgeBase.Verify::command)
                .contains("go tool pprof -list '{function:regex}' {cpuProfile}");

        // a user card: evidence values and the location by name; what the finding lacks stays as written
        Files.writeString(dir.resolve("team.slow.yaml"), """
                id: team.slow
                title: Slow
                topic: custom
                mechanism: |
                  {function} takes {share} of the CPU
                  (at {file}:{line}).

                  Second paragraph: {nothing}, {sites}.
                fix: Ask {owner}.
                verify:
                  - command: "grep -n '{function}' {file}"
                    what: "the code"
                """);
        KnowledgeBase team = kb.withUserDirectory(dir);
        Advice t = team.advice(finding("team.slow", "main.work", Map.of("share", 0.1250, "owner", "the platform team",
                "sites", List.of("a=1", "b=2")), "team.nope", "team.slow", "cpu.hotspot"));
        assertThat(t.explanation()).isEqualTo("main.work takes 0.125 of the CPU (at x/main.go:12).\n\n"
                + "Second paragraph: {nothing}, a=1, b=2.");
        assertThat(t.fix()).isEqualTo("Ask the platform team.");
        assertThat(t.example()).isNull();
        assertThat(t.cards()).extracting(Advice.CardRef::id).containsExactly("team.nope", "team.slow", "cpu.hotspot");
        assertThat(t.cards().get(0).title()).isNull();
        assertThat(t.cards().get(0).verify()).isEmpty();
        assertThat(t.cards().get(1).verify()).containsExactly("grep -n 'main.work' x/main.go");

        // no known card: nothing to say beyond the measurements
        Advice none = kb.advice(finding("team.other", null, Map.of(), "team.other"));
        assertThat(none.explanation()).isEmpty();
        assertThat(none.fix()).isEmpty();
        assertThat(none.example()).isNull();
        assertThat(none.cards()).containsExactly(new Advice.CardRef("team.other", null, List.of()));
    }

    /** Cards explain a kind of problem in any program: no function of the corpus programs is named in them. */
    @Test
    void cardsAreNotTiedToOneProgram() {
        java.util.regex.Pattern own = java.util.regex.Pattern.compile("\\bmain\\.[A-Za-z(]");
        for (KnowledgeBase.Card c : KnowledgeBase.shipped().cards()) {
            List<String> texts = new java.util.ArrayList<>(List.of(c.title(), c.mechanism(), c.fix()));
            texts.addAll(c.signs());
            c.verify().forEach(v -> texts.add(v.command() + " " + v.what()));
            if (c.example() != null) {
                texts.add(c.example().before() + c.example().after());
            }
            for (String t : texts) {
                assertThat(own.matcher(t).find()).as(c.id() + ": " + t).isFalse();
            }
            // wrapped in the YAML for its authors, one line per paragraph for its readers
            assertThat(c.mechanism()).as(c.id()).doesNotContain("\n");
            assertThat(c.fix()).as(c.id()).doesNotContain("\n");
        }
    }

    @Test
    void malformedCardsGiveOneLineErrorsNamingTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.yaml");
        for (String[] c : List.of(
                new String[]{"id: broken\ntitle: [unclosed\n", "line"},
                new String[]{"id: broken\ntitle: t\n  topic: x: y\n", "line"},
                new String[]{"id: other\ntitle: t\ntopic: x\nmechanism: m\nfix: f\n", "does not match the file name"},
                new String[]{"id: broken\ntopic: x\nmechanism: m\nfix: f\n", "missing 'title'"},
                new String[]{"id: broken\ntitle: t\ntopic: x\nmechanism: m\nfix: f\nsigns: just text\n",
                        "'signs' must be a list"},
                new String[]{"id: broken\ntitle: t\ntopic: x\nmechanism: m\nfix: f\nverify: [{command: c}]\n",
                        "missing 'what'"},
                new String[]{"id: broken\ntitle: t\ntopic: x\nmechanism: m\nfix: f\ncolour: red\n",
                        "unknown field 'colour'"},
                new String[]{"- just\n- a list\n", "must be a mapping"},
                new String[]{"", "empty file"})) {
            Files.writeString(f, c[0]);
            assertThatThrownBy(() -> KnowledgeBase.load(dir)).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(f + ": ")
                    .hasMessageContaining(c[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        Files.delete(f);
        Files.writeString(dir.resolve("symptoms.yaml"), "- symptom: s\n  causes: []\n");
        assertThatThrownBy(() -> KnowledgeBase.load(dir)).hasMessage(dir.resolve("symptoms.yaml")
                + ": symptom 's' has no causes");
        assertThatThrownBy(() -> KnowledgeBase.load(dir.resolve("nope"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a directory");
    }
}
