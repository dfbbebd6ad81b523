package dev.godiag.cli;

import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import dev.godiag.testutil.TraceFixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "godiag trace --pprof KIND" against the real "go tool trace -pprof=KIND", live: both profiles
 * through Go 1.27's "pprof -top" (every node, by function and by line) must print the same, and
 * godiag's own top of its profile must print what pprof prints of Go's. A Go version is a
 * parameter: the traces of Go 1.19 (its own format) join when godiag reads that format.
 */
class TracePprofParityTest {
    private static final List<String> KINDS = List.of("net", "sync", "syscall", "sched");

    /** A Go toolchain and the traces it wrote, judged by its own go tool trace. */
    private record GoCase(String name, Supplier<Path> go, List<Supplier<Path>> traces) {
    }

    /**
     * Go 1.27 only for now. Go 1.19's traces (old format) join once godiag reads that format (main
     * has it since g15-oldtrace): {@code new GoCase("go1.19", Tools::go127, List.of(() ->
     * Corpus.file("go1.19/cpuwork/trace.out")))}, judged by Go 1.27's go tool trace, which converts
     * old traces as godiag does (Go 1.19's own cmd/trace computes these profiles from its v1 parser).
     */
    private static List<GoCase> cases() {
        return List.of(new GoCase("go1.27", Tools::go127, List.of(
                () -> Corpus.file("go1.27/cpuwork/trace.out"), TraceFixtures::allScenarios127)));
    }

    @TestFactory
    Stream<DynamicTest> everyKindOfEveryTrace(@TempDir Path dir) {
        List<DynamicTest> tests = new ArrayList<>();
        int n = 0;
        for (GoCase c : cases()) {
            for (Supplier<Path> trace : c.traces()) {
                for (String kind : KINDS) {
                    int id = n++;
                    tests.add(DynamicTest.dynamicTest(c.name() + " " + kind + " #" + id, () -> {
                        Path t = trace.get();
                        Path want = dir.resolve(id + "-go.pprof");
                        goToolTrace(c.go().get(), kind, t, want);
                        Path got = dir.resolve(id + "-godiag.pprof");
                        Peers.Result r = Godiag.run("trace", "--pprof", kind, "-o", got.toString(), t.toString());
                        assertThat(r.exitCode()).as(r.stderr()).isZero();
                        List<List<String>> flagSets = List.of(List.of(), List.of("-lines"), List.of("-cum"));
                        for (List<String> flags : flagSets) {
                            String goTop = pprofTop(flags, want);
                            assertThat(pprofTop(flags, got)).as(t + " " + kind + " " + flags).isEqualTo(goTop);
                            List<String> g = new ArrayList<>(List.of("top", "-nodecount=100000"));
                            g.addAll(flags);
                            g.add(got.toString());
                            Peers.Result own = Godiag.run(g);
                            assertThat(own.exitCode()).as(own.stderr()).isZero();
                            boolean cum = flags.contains("-cum");
                            assertThat(TopOutput.normalizeTies(own.stdout(), cum)).as(t + " " + kind + " " + flags)
                                    .isEqualTo(TopOutput.normalizeTies(goTop, cum));
                        }
                        if (kind.equals("sync") || kind.equals("sched")) {
                            // a real trace waits on sync and for Ps: an empty profile would compare equal too easily
                            assertThat(pprofTop(List.of(), want)).doesNotContain("of 0 total");
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    private static String pprofTop(List<String> flags, Path profile) {
        List<String> cmd = new ArrayList<>(List.of(Peers.pprof127().toString(), "-top", "-nodecount=100000"));
        cmd.addAll(flags);
        cmd.add(profile.toString());
        Peers.Result r = Peers.run(cmd, null);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    /** go tool trace -pprof=KIND TRACE > out (the profile is binary: straight to the file). */
    private static void goToolTrace(Path go, String kind, Path trace, Path out) throws IOException,
            InterruptedException {
        Path err = Files.createTempFile("trace", ".err");
        try {
            Process p = new ProcessBuilder(go.toString(), "tool", "trace", "-pprof=" + kind, trace.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("go tool trace did not end (hang guard)");
            }
            assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
