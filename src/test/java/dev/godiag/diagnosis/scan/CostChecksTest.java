package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.KnowledgeBase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cost and copy checks over their fixtures: each fires on the lines marked {@code // want} with
 * the message given there, and on no other line (the near-misses in each fixture's ok.go).
 */
class CostChecksTest {
    private static final Set<String> CHECKS = Set.of("scan.time-after-in-loop", "scan.regexp-compile-in-loop",
            "scan.defer-in-loop", "scan.string-concat-in-loop", "scan.sprintf-conversion", "scan.json-in-loop",
            "scan.grow-without-hint", "scan.lock-copy", "scan.range-value-copy");

    @Test
    void everyCheckIsShippedWithACardOfTheKnowledgeBase() {
        Set<String> shipped = SourceChecks.shipped().infos().stream().map(CheckInfo::id).collect(Collectors.toSet());
        assertThat(shipped).containsAll(CHECKS);
        for (CheckInfo info : SourceChecks.shipped().infos()) {
            KnowledgeBase.Card card = KnowledgeBase.shipped().card(info.card());
            assertThat(card).as(info.id() + " -> " + info.card()).isNotNull();
            assertThat(card.fix()).as(info.card()).isNotBlank();
        }
    }

    @Test
    void timeAfterInALoopThatGoesOnWhileTheTimerIsPending() {
        List<ScanFinding> fs = ScanFixtures.assertWants("scan.time-after-in-loop", "timeafter");
        ScanFinding first = fs.get(0);
        assertThat(first.check().card()).isEqualTo("code.time-after-loop");
        assertThat(first.function()).isEqualTo("consume");
        assertThat(first.column()).isEqualTo(10); // the time.After call, after a tab and "case <-"
        assertThat(first.spanStart()).isEqualTo(9); // the loop
        assertThat(first.spanEnd()).isEqualTo(16);
    }

    @Test
    void regexpCompiledInALoopOrAHandler() {
        List<ScanFinding> fs = ScanFixtures.assertWants("scan.regexp-compile-in-loop", "regexp");
        assertThat(fs).extracting(ScanFinding::function)
                .containsExactly("countIDs", "firstMatch", "posix", "handle", "(*server).ServeHTTP", "routes", "countMatches");
    }

    @Test
    void deferDirectlyInALoop() {
        List<ScanFinding> fs = ScanFixtures.assertWants("scan.defer-in-loop", "deferloop");
        assertThat(fs.get(0).check().card()).isEqualTo("code.defer-hot");
        assertThat(fs.get(0).message()).isEqualTo("defer f.Close() in the loop at line 9 runs only when readAll returns,"
                + " so each iteration that reaches it stacks another deferred call and holds what it releases until then;"
                + " move the loop body into a function of its own");
    }

    @Test
    void stringsBuiltWithPlusAcrossIterations() {
        ScanFixtures.assertWants("scan.string-concat-in-loop", "concat");
    }

    @Test
    void sprintfForAPlainConversionInALoop() {
        List<ScanFinding> fs = ScanFixtures.assertWants("scan.sprintf-conversion", "sprintf");
        assertThat(fs.get(0).message()).isEqualTo("fmt.Sprintf(\"%d\", i) parses its format and boxes i on every"
                + " iteration of the loop at line 10; strconv.Itoa(i) says the same without either");
    }

    @Test
    void jsonAndReflectionRepeatedInALoop() {
        ScanFixtures.assertWants("scan.json-in-loop", "jsonloop");
    }

    @Test
    void slicesAndMapsFilledOnePerIterationWithoutTheKnownSize() {
        ScanFixtures.assertWants("scan.grow-without-hint", "grow");
    }

    @Test
    void locksCopiedByValue() {
        ScanFixtures.assertWants("scan.lock-copy", "lockcopy");
    }

    @Test
    void largeElementsCopiedByRange() {
        ScanFixtures.assertWants("scan.range-value-copy", "rangecopy");
    }

    @Test
    void noCheckFiresOnAnyFixturesNearMisses() {
        // each fixture's ok.go holds near-misses of its own check and healthy code for all the others
        for (String check : CHECKS) {
            for (String dir : List.of("timeafter", "regexp", "deferloop", "concat", "sprintf", "jsonloop", "grow",
                    "lockcopy", "rangecopy")) {
                List<ScanFinding> fs = ScanFixtures.scan(check, dir);
                assertThat(fs).as(check + " on " + dir).allSatisfy(f -> assertThat(f.file()).doesNotEndWith("/ok.go"));
            }
        }
    }
}
