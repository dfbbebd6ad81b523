package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.format.Gzip;
import dev.godiag.format.ProfileReader;
import dev.godiag.model.Profile;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import dev.godiag.testutil.TraceFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** godiag trace's "where goroutines waited" and goroutine groups, against go tool trace's profiles. */
class TraceWaitsReportTest {
    /** The summed delay and count of the profile go tool trace -pprof=KIND writes. */
    private static long[] goTotals(Path trace, String kind, Path dir) throws Exception {
        Path out = dir.resolve(kind + ".pprof");
        Process p = new ProcessBuilder(Tools.go127().toString(), "tool", "trace", "-pprof=" + kind, trace.toString())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        Profile prof = ProfileReader.read(Files.readAllBytes(out), Gzip.DEFAULT_LIMIT);
        long[] t = new long[2];
        for (int i = 0; i < prof.samples().size(); i++) {
            t[0] += prof.samples().value(i, 1);
            t[1] += prof.samples().value(i, 0);
        }
        return t;
    }

    @Test
    void waitTotalsAreGosAndGroupSplitsAddUp(@TempDir Path dir) throws Exception {
        Path trace = TraceFixtures.allScenarios127();
        Peers.Result r = Godiag.run("trace", "--format", "json", trace.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.stdout());
        for (JsonNode k : json.get("waits")) {
            long[] want = goTotals(trace, k.get("kind").asText(), dir);
            assertThat(k.get("delayNanos").asLong()).as(k.get("kind").asText()).isEqualTo(want[0]);
            assertThat(k.get("count").asLong()).as(k.get("kind").asText()).isEqualTo(want[1]);
        }
        JsonNode groups = json.get("goroutineGroups");
        assertThat(groups.size()).isPositive();
        for (JsonNode g : groups) {
            long split = 0;
            for (String f : new String[] {"execNanos", "schedWaitNanos", "blockNetNanos", "blockSyncNanos",
                "blockOtherNanos", "syscallNanos", "syscallBlockNanos", "unknownNanos"}) {
                split += g.get(f).asLong();
            }
            assertThat(split).as(g.get("name").asText()).isGreaterThanOrEqualTo(g.get("totalNanos").asLong());
            assertThat(g.get("slowest").size()).isBetween(1, (int) Math.min(5, g.get("count").asLong()));
        }
        Peers.Result text = Godiag.run("trace", trace.toString());
        assertThat(text.stdout()).contains("Where goroutines waited", "sync.(*Mutex).Lock sync/mutex.go:",
                "from main.convoyWorker", "Goroutine groups", "main.spinner");
    }

    @Test
    void anUnknownProfileKindIsAUsageError() {
        Peers.Result r = Godiag.run("trace", "--pprof", "cpu", "-o", "x.pprof", "trace.out");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--pprof takes net, sync, syscall, sched (several separated by commas) or all, not cpu");
    }
}
