package dev.godiag.diagnosis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Findings at one place become one root cause; different places, places that are no place and
 * findings about the whole process stay apart; the ranking puts the corroborated cause first.
 */
class RootCauseTest {

    static Finding at(String rule, int score, String function, String file, long line) {
        return new Finding(rule, "cpu", rule + " title", score, "",
                function == null && file == null ? null : new Finding.Location(function, file, line), Map.of(),
                List.of());
    }

    @Test
    void theSameFunctionIsOneCauseLedByTheHighestScore() {
        Finding regexp = at("code.regex-compile", 100, "main.validate", "x/main.go", 0);
        Finding allocs = at("cpu.allocation-pressure", 28, "main.validate", "x/main.go", 0);
        Finding fib = at("cpu.hotspot", 54, "main.fib", "x/main.go", 0);
        List<RootCause> causes = RootCause.group(List.of(allocs, fib, regexp));
        assertThat(causes).hasSize(2);
        assertThat(causes.get(0).lead()).isEqualTo(regexp);
        assertThat(causes.get(0).related()).containsExactly(allocs);
        assertThat(causes.get(1).lead()).isEqualTo(fib);
        assertThat(causes.get(1).related()).isEmpty();
    }

    @Test
    void theSameLineIsOneCauseEvenUnderAnotherName() {
        // an inlined function and its caller name one line; a method value and its wrapper likewise
        Finding a = at("memory.heap-growth", 90, "main.fill", "x/buf.go", 41);
        Finding b = at("cpu.hotspot", 60, "main.(*Buf).grow", "x/buf.go", 41);
        Finding c = at("cpu.hotspot", 60, "main.(*Buf).grow", "x/other.go", 41);
        List<RootCause> causes = RootCause.group(List.of(a, b, c));
        assertThat(causes.get(0).all()).containsExactly(a, b);
        assertThat(causes.get(1).all()).containsExactly(c);
    }

    @Test
    void samePlaceNeedsOneFileAndANamedFunction() {
        // main.go of two packages; names that are no place
        assertThat(RootCause.samePlace(at("a", 50, "main.run", "a/main.go", 0), at("b", 50, "main.run", "b/main.go", 0)))
                .isFalse();
        assertThat(RootCause.samePlace(at("a", 50, "main.run", "a/main.go", 0), at("b", 50, "main.run", "", 0)))
                .isTrue();
        for (String nowhere : List.of("<unknown>", "0x4a5b6c", "[vdso]", "")) {
            assertThat(RootCause.samePlace(at("a", 50, nowhere, "", 0), at("b", 50, nowhere, "", 0))).as(nowhere)
                    .isFalse();
        }
    }

    @Test
    void findingsWithoutAPlaceOrAboutTheWholeProcessStayApart() {
        Finding gc1 = at("gc.pauses", 40, null, null, 0);
        Finding gc2 = at("gc.cpu", 40, null, null, 0);
        Finding leak = at("goroutines.leak", 99, "main.worker", "x/main.go", 63);
        Finding count = at("goroutines.explosion", 74, "main.worker", "x/main.go", 63);
        assertThat(RootCause.group(List.of(gc1, gc2, leak, count))).extracting(RootCause::lead)
                .containsExactly(leak, count, gc2, gc1);
    }

    @Test
    void atEqualScoresTheCauseMoreRulesAgreeOnComesFirst() {
        Finding alone = at("goroutines.leak", 99, "main.a", "x/main.go", 30);
        Finding corroborated = at("goroutines.leak", 99, "main.b", "x/main.go", 73);
        Finding ctx = at("goroutines.context-leak", 52, "main.b", "x/main.go", 73);
        assertThat(RootCause.group(List.of(alone, corroborated, ctx))).extracting(RootCause::lead)
                .containsExactly(corroborated, alone);
    }

    /** On the corpus: cpuwork's regexp compile and the allocations it makes are one cause. */
    @Test
    void cpuworksRegexpAndItsAllocationsAreOneCause() {
        DiagnosisInput in = new DiagnosisInput();
        for (String name : List.of("cpu.pprof", "allocs.pprof")) {
            in.addProfile(name, name.startsWith("cpu") ? DiagnosisInput.Kind.CPU_PROFILE
                    : DiagnosisInput.Kind.ALLOCS_PROFILE, DiagnosisInputTest.profile("go1.27/cpuwork/" + name));
        }
        List<Finding> findings = Diagnoser.withRegisteredRules().run(in, RuleConfig.DEFAULT);
        List<RootCause> causes = RootCause.group(findings);
        RootCause validate = causes.stream().filter(c -> c.lead().location() != null
                && "main.validate".equals(c.lead().location().function())).findFirst().orElseThrow();
        assertThat(validate.all()).extracting(Finding::rule).contains("code.regex-compile");
        assertThat(validate.all()).hasSizeGreaterThan(1);
        assertThat(causes.stream().filter(c -> c.all().stream().anyMatch(f -> f.location() != null
                && "main.validate".equals(f.location().function())))).hasSize(1);
        assertThat(causes.stream().mapToInt(c -> c.all().size()).sum()).isEqualTo(findings.size());
    }
    static Finding with(String rule, int score, String function, Map<String, Object> evidence) {
        return new Finding(rule, "io", rule + " title", score, "s",
                function == null ? null : new Finding.Location(function, "x/main.go", 224), evidence, List.of());
    }

    @Test
    void symptomsTheCausesOwnNumbersAccountForJoinIt() {
        // httpleak -leak body: 180 new sockets, process_open_fds +180; the heap grows in bufio buffers
        Finding leak = with("goroutines.http-body-not-closed", 73, "main.(*service).fetchQuote",
                Map.of("socketsGrowth", 180L, "clientConnectionsHeapBytes", 1_045_136L));
        Finding fds = with("io.fd-growth", 100, null, Map.of("openFdsPerSnapshot", List.of(15L, 75L, 135L, 195L)));
        Finding heap = new Finding("memory.heap-growth", "memory", "Memory leak in bufio.NewReaderSize", 100, "",
                new Finding.Location("bufio.NewReaderSize", "bufio/bufio.go", 57),
                Map.of("topSite", "bufio.NewReaderSize"), List.of());
        List<RootCause> causes = RootCause.group(List.of(fds, heap, leak));
        assertThat(causes).hasSize(1);
        RootCause c = causes.get(0);
        assertThat(c.lead().rule()).isEqualTo("goroutines.http-body-not-closed");
        assertThat(c.lead().score()).isEqualTo(100); // rated as the critical leak of descriptors it causes
        assertThat(c.lead().evidence()).containsEntry("ratedBy", "io.fd-growth 100");
        assertThat(c.related()).containsExactlyInAnyOrder(fds, heap);
    }

    @Test
    void symptomsTheCauseDoesNotAccountForStayApart() {
        // 10 sockets cannot explain 180 descriptors; a heap growing in the service's own cache is its own leak
        Finding leak = with("goroutines.http-body-not-closed", 73, "main.fetch",
                Map.of("socketsGrowth", 10L, "clientConnectionsHeapBytes", 40_000L));
        Finding fds = with("io.fd-growth", 100, null, Map.of("openFdsPerSnapshot", List.of(15L, 195L)));
        Finding heap = new Finding("memory.heap-growth", "memory", "Memory leak in main.(*cache).put", 100, "",
                new Finding.Location("main.(*cache).put", "x/cache.go", 30), Map.of("topSite", "main.(*cache).put"),
                List.of());
        List<RootCause> causes = RootCause.group(List.of(fds, heap, leak));
        assertThat(causes).hasSize(3);
        assertThat(causes).allSatisfy(c -> assertThat(c.related()).isEmpty());
        assertThat(causes.get(2).lead()).isEqualTo(leak);
    }

    @Test
    void descriptorsAndHeapThePiledUpDbsAccountForJoinThem() {
        // httpleak -leak sqlopen: 90 more DBs, each with one idle connection to a database in the
        // same process (both ends: +180 descriptors); database/sql holds 96 KiB of the heap's 190 KiB growth
        Finding dbs = with("goroutines.sql-db-per-request", 73, "main.(*service).fetchQuote",
                Map.of("dbsGrowth", 90L, "openFdsGrowth", 180L, "sqlHeapGrowthBytes", 96_098L));
        Finding fds = with("io.fd-growth", 100, null, Map.of("openFdsPerSnapshot", List.of(18L, 78L, 138L, 198L)));
        Finding heap = new Finding("memory.heap-growth", "memory", "Growing heap in runtime.mallocgc", 49, "",
                new Finding.Location("runtime.mallocgc", "runtime/malloc.go", 1131),
                Map.of("topSite", "runtime.mallocgc", "firstLiveBytes", 60_000L, "lastLiveBytes", 250_000L), List.of());
        List<RootCause> causes = RootCause.group(List.of(fds, heap, dbs));
        assertThat(causes).hasSize(1);
        assertThat(causes.get(0).lead().rule()).isEqualTo("goroutines.sql-db-per-request");
        assertThat(causes.get(0).lead().score()).isEqualTo(100);
        assertThat(causes.get(0).related()).containsExactlyInAnyOrder(fds, heap);
    }

    @Test
    void descriptorsAndHeapTheDbsCannotHoldStayApart() {
        // 10 more DBs keep at most 2 idle sockets each (and their other ends): not 180 descriptors;
        // 20 KiB of database/sql is not what a heap growing by 190 KiB in a cache is made of
        Finding dbs = with("goroutines.sql-db-per-request", 73, "main.open",
                Map.of("dbsGrowth", 10L, "openFdsGrowth", 180L, "sqlHeapGrowthBytes", 20_000L));
        Finding fds = with("io.fd-growth", 100, null, Map.of("openFdsPerSnapshot", List.of(18L, 198L)));
        Finding heap = new Finding("memory.heap-growth", "memory", "Memory leak in main.(*cache).put", 100, "",
                new Finding.Location("main.(*cache).put", "x/cache.go", 30),
                Map.of("topSite", "main.(*cache).put", "firstLiveBytes", 60_000L, "lastLiveBytes", 250_000L), List.of());
        assertThat(RootCause.group(List.of(fds, heap, dbs))).hasSize(3)
                .allSatisfy(c -> assertThat(c.related()).isEmpty());
        // one snapshot of DBs (no growth judged) explains no growth at all
        Finding one = with("goroutines.sql-db-per-request", 40, "main.open", Map.of("sqlHeapBytesPerSnapshot", List.of(1L)));
        assertThat(RootCause.group(List.of(fds, one))).hasSize(2);
    }
}
