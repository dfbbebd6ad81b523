package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import dev.godiag.testutil.TraceFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** godiag trace on real traces against Go's own reader, and on bad ones. */
class TraceCommandTest {
    private static JsonNode json(Path trace) throws Exception {
        Peers.Result r = Godiag.run("trace", "--format", "json", trace.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return new ObjectMapper().readTree(r.stdout());
    }

    /** Go's wire dump names every event; goroutine creations are the GoCreate* lines. */
    private static long goCreations(Path trace) {
        Peers.Result r = Peers.run(List.of(Tools.go127().toString(), "tool", "trace", "-d=wire", trace.toString()),
                null);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().lines().filter(l -> l.startsWith("GoCreate")).count();
    }

    @Test
    void goroutinesCreatedAreGosCreationEvents() throws Exception {
        for (Path trace : List.of(Corpus.file("go1.27/cpuwork/trace.out"), TraceFixtures.allScenarios127())) {
            JsonNode o = json(trace).get("overview");
            assertThat(o.get("goroutinesCreated").asLong()).as(trace.toString()).isEqualTo(goCreations(trace))
                    .isPositive();
            assertThat(o.get("format").asText()).isEqualTo("go1.26");
            assertThat(o.get("warning").isNull()).isTrue();
        }
    }

    @Test
    void badTracesExitTwoWithOneLine(@TempDir Path dir) throws Exception {
        byte[] real = Files.readAllBytes(Corpus.file("go1.27/cpuwork/trace.out"));
        Path empty = Files.write(dir.resolve("empty.out"), new byte[0]);
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Path cut = Files.write(dir.resolve("cut.out"), Arrays.copyOf(real, 1000));
        for (Path bad : List.of(empty, text, cut, dir.resolve("missing.out"))) {
            Peers.Result r = Godiag.run("trace", bad.toString());
            assertThat(r.exitCode()).as(bad.toString()).isEqualTo(2);
            assertThat(r.stderr().strip().lines()).as(r.stderr()).hasSize(1);
            assertThat(r.stderr()).startsWith("godiag: " + bad);
        }
    }

    @Test
    void aTraceCutAfterItsFirstGenerationsIsReportedWithOneWarning(@TempDir Path dir) throws Exception {
        byte[] real = Files.readAllBytes(Corpus.file("go1.27/cpuwork/trace.out"));
        Path cut = Files.write(dir.resolve("cut.out"), Arrays.copyOf(real, real.length * 2 / 3));
        Peers.Result r = Godiag.run("trace", cut.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("warning: " + cut + ": trace damaged at byte");
        JsonNode o = json(cut).get("overview");
        assertThat(o.get("generations").asInt()).isBetween(1, 6);
        assertThat(o.get("warning").asText()).contains("truncated");
    }

    @Test
    void allFourProfilesInOneRunAreTheOnesWrittenOneByOne(@TempDir Path dir) throws Exception {
        Path trace = Corpus.file("go1.27/cpuwork/trace.out");
        Path all = dir.resolve("all");
        Peers.Result r = Godiag.run("trace", "--pprof", "all", "-o", all.toString(), trace.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        for (String kind : List.of("net", "sync", "syscall", "sched")) {
            Path one = dir.resolve(kind + ".pprof");
            Peers.Result single = Godiag.run("trace", "--pprof", kind, "-o", one.toString(), trace.toString());
            assertThat(single.exitCode()).as(single.stderr()).isZero();
            assertThat(Files.readAllBytes(all.resolve(kind + ".pprof"))).as(kind).isEqualTo(Files.readAllBytes(one));
        }
        Peers.Result noDir = Godiag.run("trace", "--pprof", "sync,sched", trace.toString());
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.stderr()).contains("-o DIR");
    }
}
