package dev.godiag.analysis.compiler;

import dev.godiag.format.ProfileLoader;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.format.compiler.CompilerLogReader;
import dev.godiag.model.Profile;
import dev.godiag.model.ValueType;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.testutil.EscapesFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The join on the escapes fixture's real profiles, under Go 1.19 and 1.27: its allocs profile's
 * allocation sites in its own file carry the compiler's reason for the marked lines, and its CPU
 * profile's hottest function is checksum, which the inliner refused for its cost.
 */
class CompilerJoinTest {
    static Profile load(String version, String file) {
        return ProfileLoader.load(new Source.File(EscapesFixture.profiles(version).resolve(file)), ReadLimits.DEFAULT);
    }

    static int index(Profile p, String type) {
        List<ValueType> types = p.sampleTypes();
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).type().equals(type)) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " in " + types);
    }

    static CompilerDiagnostics log(String version, String flags) {
        return CompilerLogReader.read(EscapesFixture.compilerOutput(version, flags).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void allocationSitesNameTheReasonOfEveryMarkedLine(String version) {
        Profile allocs = load(version, "allocs.pprof");
        LineWeights w = LineWeights.of(allocs, index(allocs, "alloc_space"), "allocs.pprof", "allocated bytes", true);
        List<CompilerJoin.AllocationSite> sites = CompilerJoin.allocationSites(log(version, "-m=2"), w, 10);
        EscapesFixture.markers().forEach((line, reason) -> assertThat(sites).as("line %d (%s)", line, reason)
                .anySatisfy(s -> {
                    assertThat(s.site().line()).isEqualTo(line);
                    assertThat(s.escapes()).anySatisfy(e -> assertThat(e.reason().id()).isEqualTo(reason));
                }));
        // the 4 KiB buffer of every round is the heaviest site of the program's own code
        assertThat(sites.getFirst().site().line()).isEqualTo(EscapesFixture.markedLine("returned"));
        assertThat(sites.getFirst().site().function()).isEqualTo("main.newBuffer");
        // its weight is the profile's own count at that line: 4096 bytes a round, one round in 1
        long expected = 0;
        var samples = allocs.samples();
        int idx = index(allocs, "alloc_space");
        for (int s = 0; s < samples.size(); s++) {
            int loc = samples.locations[samples.locStart[s]];
            int l = allocs.locations().lineStart[loc];
            if (allocs.locations().lineNumber[l] == sites.getFirst().site().line()
                    && "main.newBuffer".equals(allocs.functions().name[allocs.locations().lineFunction[l]])) {
                expected += samples.value(s, idx);
            }
        }
        assertThat(sites.getFirst().site().value()).isEqualTo(expected);
        // MemProfileRate=1 records every allocation: 20000 rounds of one 4096-byte buffer (Go 1.27's
        // profile has 256 bytes more at the line than the rounds' buffers: allow one buffer's worth)
        assertThat(expected).isBetween(20000L * 4096, 20001L * 4096);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.19", "1.27"})
    void theHotChecksumWasNotInlinedForItsCost(String version) {
        Profile cpu = load(version, "cpu.pprof");
        List<CompilerJoin.HotFunction> hot = CompilerJoin.hotFunctions(log(version, "-m=2"), cpu, index(cpu, "cpu"), 5);
        assertThat(hot).anySatisfy(h -> {
            assertThat(h.function()).isEqualTo("main.checksum");
            assertThat(h.decision()).isNotNull();
            assertThat(h.decision().inlinable()).isFalse();
            assertThat(h.decision().cost()).isGreaterThan(h.decision().budget());
            assertThat(h.decision().pos().line()).isEqualTo(EscapesFixture.lineOf("func checksum("));
        });
        // its hot loop's helper (the line marked "// inlined:") was inlined into it
        CompilerDiagnostics d = log(version, "-m=2");
        var checksum = hot.stream().filter(h -> h.function().equals("main.checksum")).findFirst().orElseThrow();
        assertThat(CompilerJoin.inlinedCallees(d, checksum.decision())).containsExactly("rotl");
        assertThat(d.inlinedCalls()).filteredOn(c -> c.callee().equals("rotl")).singleElement()
                .satisfies(c -> assertThat(c.pos().line()).isEqualTo(EscapesFixture.lineOf("// inlined:")));
    }

    @Test
    void filesJoinBySuffixButABareNameNeverJoinsTheStandardLibrary() {
        assertThat(CompilerFiles.same("./main.go", "example.com/app/main.go")).isTrue();
        assertThat(CompilerFiles.same("example.com/app/main.go", "example.com/app/main.go")).isTrue();
        assertThat(CompilerFiles.same("/build/app/internal/x.go", "example.com/app/internal/x.go")).isTrue();
        assertThat(CompilerFiles.same("./server.go", "net/http/server.go")).isFalse();
        assertThat(CompilerFiles.same("./main.go", "example.com/app/other.go")).isFalse();
        assertThat(CompilerFiles.same("/a/b/x.go", "example.com/c/x.go")).isFalse();
    }
}
