package dev.godiag.integration;

import dev.godiag.format.load.LoadReader;
import dev.godiag.format.load.LoadSummary;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Debian's hey and wrk (installed by .ci/run) against testdata/gen/loadtarget, whose /flaky answers
 * every 4th request with a 500 after a 2 ms sleep: the readers must find the request count asked
 * for, that error share, and latencies no shorter than the sleep.
 */
class LoadToolsTest {
    private static String run(Path out, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s timed out", cmd[0]).isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void heyAndWrkSummaries() throws IOException, InterruptedException {
        Path hey = Tools.hey();
        Path wrk = Tools.wrk();
        try (GoFixtures.Running server = GoFixtures.start(GoFixtures.build(Tools.anyGo(), "loadtarget"),
                "-lifetime=30m")) {
            String addr = server.firstLine().substring("listening on ".length());

            String heyOut = run(GoFixtures.DIR.resolve("hey.txt"), hey.toString(), "-n", "200", "-c", "4",
                    "http://" + addr + "/flaky");
            LoadSummary h = LoadReader.read("hey.txt", heyOut);
            assertThat(h.tool()).isEqualTo("hey");
            assertThat(h.requests()).isEqualTo(200);
            assertThat(h.errors()).isEqualTo(0.25);
            assertThat(h.p50()).isGreaterThanOrEqualTo(0.002);
            assertThat(h.p95()).isGreaterThanOrEqualTo(h.p50()).isLessThanOrEqualTo(h.max());
            assertThat(h.throughput()).isCloseTo(h.requests() / h.duration(), within(h.throughput() * 0.01));

            String wrkOut = run(GoFixtures.DIR.resolve("wrk.txt"), wrk.toString(), "-t1", "-c2", "-d1s", "--latency",
                    "http://" + addr + "/flaky");
            LoadSummary w = LoadReader.read("wrk.txt", wrkOut);
            assertThat(w.tool()).isEqualTo("wrk");
            assertThat(w.requests()).isPositive();
            // wrk stops mid-flight: every 4th request failed, give or take the 2 connections' last ones
            // (bounded by count: a busy machine makes fewer requests, and a share would drift further)
            assertThat(Math.round(w.errors() * w.requests())).isCloseTo(w.requests() / 4, within(2L));
            assertThat(w.p50()).isGreaterThanOrEqualTo(0.002);
            assertThat(w.p95()).isNaN();
            assertThat(w.p99()).isGreaterThanOrEqualTo(w.p90()).isLessThanOrEqualTo(w.max());
        }
    }
}
