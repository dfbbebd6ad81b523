package dev.godiag.cli;

import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user types it: pprof's spellings and ours, help, usage errors. */
class CommandLineTest {
    private static String cpu() {
        return Corpus.file("go1.27/cpuwork/cpu.pprof").toString();
    }

    private static String top(String... args) {
        Peers.Result r = Godiag.run(args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    @Test
    void everySpellingOfAnOptionMeansTheSame() {
        String want = top("top", "--nodecount", "3", "--cum", "--granularity", "lines", cpu());
        assertThat(want.lines().filter(l -> l.contains(".go:")).count()).isEqualTo(3);
        for (List<String> args : List.of(
                List.of("top", "-nodecount=3", "-cum", "-lines", cpu()),
                List.of("top", "-nodecount", "3", "-cum=true", "--lines", cpu()),
                List.of("top", cpu(), "--nodecount=3", "--cum", "--granularity=lines"),
                List.of("top", "-top", "-nodecount=10", "-nodecount=3", "-cum", "-granularity=lines", cpu()))) {
            assertThat(top(args.toArray(String[]::new))).as(args.toString()).isEqualTo(want);
        }
        assertThat(top("top", "-nodecount=3", "-cum=false", cpu()))
                .isEqualTo(top("top", "--nodecount", "3", cpu()));
    }

    @Test
    void sampleIndexShortcutsOfPprof() {
        String heap = Corpus.file("go1.27/cpuwork/heap.pprof").toString();
        assertThat(top("top", "-alloc_space", heap)).contains("Type: alloc_space")
                .isEqualTo(top("top", "--sample-index", "alloc_space", heap));
        assertThat(top("top", "-inuse_objects", heap)).contains("Type: inuse_objects");
        String block = Corpus.file("go1.27/cpuwork/block.pprof").toString();
        assertThat(top("top", "-contentions", block)).contains("Type: contentions");
        assertThat(top("top", "-total_delay", block)).contains("Type: delay");
        assertThat(top("top", "-mean_delay", block)).contains("Type: mean_delay");
    }

    @Test
    void helpListsTheOptionsAndExitsZero() {
        Peers.Result r = Godiag.run("top", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("Usage: godiag top [OPTIONS] PROFILE...")
                .contains("--sample-index NAME|N").contains("[pprof: -sample_index]").contains("-lines (--granularity=lines)");
        assertThat(Godiag.run("--help").stdout()).contains("top").contains("info");
        assertThat(Godiag.run("help", "info").stdout()).startsWith("Usage: godiag info");
        assertThat(Godiag.run("--version").stdout()).startsWith("godiag ");
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        for (List<String> args : List.of(
                List.of("top", "--bogus", cpu()),
                List.of("top", "--nodecount"),
                List.of("top", "--nodecount", "many", cpu()),
                List.of("top", "-cum=maybe", cpu()),
                List.of("top"),
                List.of("frobnicate"),
                List.of("top", "--format", "xml", cpu()),
                List.of("top", "--sample-index", "nope", cpu()),
                List.of("top", "--focus", "(", cpu()))) {
            Peers.Result r = Godiag.run(args);
            assertThat(r.exitCode()).as(args.toString()).isEqualTo(2);
            assertThat(r.stderr().strip()).as(args.toString()).startsWith("godiag: ").doesNotContain("\n")
                    .doesNotContain("Exception");
            assertThat(r.stdout()).isEmpty();
        }
    }

    @Test
    void noArgumentsShowsTheOverviewAndExitsTwo() {
        Peers.Result r = Godiag.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).contains("Commands:");
    }
}
