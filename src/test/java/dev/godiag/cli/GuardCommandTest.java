package dev.godiag.cli;

import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** godiag guard --config FILE --check: a summary and exit 0, or every problem with its line and exit 2. */
class GuardCommandTest {
    @TempDir
    Path dir;

    private Path config(String yaml) throws Exception {
        Path f = dir.resolve("guard.yml");
        Files.writeString(f, yaml);
        return f;
    }

    private Path targets(String name, String json) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, json);
        return f;
    }

    private static final String TWO_JOBS = """
            scrape_configs:
              - job_name: payments
                stage: notify
                static_configs:
                  - targets: ['payments-1:6060', 'payments-2:6060']
                file_sd_configs:
                  - files: ['targets/*.json']
              - job_name: fleet
                prometheus_sd_configs: [{url: 'http://prometheus:9090'}]
            """;

    @Test
    void aGoodConfigPrintsItsJobsAndTargets() throws Exception {
        targets("targets/a.json", "[{\"targets\": [\"10.0.0.1:6060\", \"10.0.0.2:6060\", \"payments-1:6060\"]}]");
        Path f = config(TWO_JOBS);
        Peers.Result r = Godiag.run("guard", "--config", f.toString(), "--check");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.exitCode()).isZero();
        // payments-1 is listed twice and counted once
        assertThat(r.stdout()).isEqualTo("2 jobs, 4 targets, 1 query source\n");
    }

    @Test
    void shardsSplitTheCountWithNothingLeftOver() throws Exception {
        StringBuilder json = new StringBuilder("[{\"targets\": [");
        for (int i = 0; i < 300; i++) {
            json.append(i == 0 ? "" : ", ").append("\"10.1.").append(i / 100).append('.').append(i % 100).append(":6060\"");
        }
        targets("targets/fleet.json", json.append("]}]").toString());
        Path f = config(TWO_JOBS);
        int sum = 0;
        for (int i = 0; i < 3; i++) {
            Peers.Result r = Godiag.run("guard", "--config", f.toString(), "--check", "--shard", i + "/3");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).startsWith("2 jobs, 302 targets, 1 query source, ").endsWith(" in shard " + i + "/3\n");
            int owned = Integer.parseInt(r.stdout().replaceAll(".*, (\\d+) in shard.*\\n", "$1"));
            assertThat(owned).isBetween(60, 140);
            sum += owned;
        }
        assertThat(sum).isEqualTo(302);
    }

    @Test
    void aBadConfigListsEveryProblemAndExits2() throws Exception {
        Path f = config("""
                global:
                  scrape_interval: 30
                scrape_configs:
                  - job_name: payments
                    stage: paging
                    static_configs:
                      - targets: ['payments-1:6060']
                        lables: {team: pay}
                """);
        Peers.Result r = Godiag.run("guard", "--config", f.toString(), "--check");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr().lines()).containsExactly(
                f + ":2: global.scrape_interval: '30' is not a duration (write it as Prometheus does: 30s, 1m30s, "
                        + "2h, 500ms; units y w d h m s ms, largest first)",
                f + ":5: scrape_configs[0].stage: must be observe, capture or notify, not 'paging'",
                f + ":8: scrape_configs[0].static_configs[0].lables: unknown key (did you mean 'labels'?)");
    }

    @Test
    void aBrokenTargetFileFailsTheCheck() throws Exception {
        Path sd = targets("targets/a.json", "[{\"targets\": [\"10.0.0.1:6060\",]}]");
        Path f = config(TWO_JOBS);
        Peers.Result r = Godiag.run("guard", "--config", f.toString(), "--check");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith(sd + ":1: not valid JSON: ").doesNotContain("\tat ");
        assertThat(r.stderr().lines()).hasSize(1);
    }

    @Test
    void aGlobMatchingNothingIsAWarningOnly() throws Exception {
        Path f = config(TWO_JOBS);
        Peers.Result r = Godiag.run("guard", "--config", f.toString(), "--check");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("2 jobs, 2 targets, 1 query source\n");
        assertThat(r.stderr()).isEqualTo("warning: job payments: file_sd_configs: no file matches targets/*.json\n");
    }

    @Test
    void usageMistakesAreOneLine() throws Exception {
        Path f = config(TWO_JOBS);
        Peers.Result noConfig = Godiag.run("guard", "--check");
        assertThat(noConfig.exitCode()).isEqualTo(2);
        assertThat(noConfig.stderr()).isEqualTo("godiag: guard: --config FILE is required (see 'godiag guard --help')\n");
        Peers.Result badShard = Godiag.run("guard", "--config", f.toString(), "--check", "--shard", "3/3");
        assertThat(badShard.exitCode()).isEqualTo(2);
        assertThat(badShard.stderr()).isEqualTo("godiag: guard: --shard: shard 3/3 is out of range (0 <= i < N) "
                + "(see 'godiag guard --help')\n");
        Peers.Result missing = Godiag.run("guard", "--config", dir.resolve("none.yml").toString(), "--check");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).isEqualTo(dir.resolve("none.yml") + ": cannot read " + dir.resolve("none.yml")
                + ": no such file\n");
        assertThat(Godiag.run("--help").stdout()).contains("  guard   watch live Go services");
        assertThat(Godiag.run("guard", "--help").stdout()).contains("--check").contains("--shard");
    }
}
