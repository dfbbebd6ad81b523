package dev.godiag.cli;

import dev.godiag.engine.BaselineInputs;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.store.BaselineRepository;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * godiag gate on load-test summaries (testdata/load): the derived load.* metrics, and the verdicts
 * on single-sample metrics (the threshold alone decides).
 */
class GateLoadTest {
    private static final Path DIR = Path.of("testdata/load");

    @TempDir
    Path dir;

    private static Map<String, BaselineRepository.Metric> metrics(String... files) {
        List<Source> paths = java.util.Arrays.stream(files).<Source>map(f -> new Source.File(DIR.resolve(f))).toList();
        return BaselineInputs.read(paths, ReadLimits.DEFAULT).metrics().stream()
                .collect(Collectors.toMap(m -> m.name() + " " + m.unit(), m -> m));
    }

    @Test
    void loadMetricsAreTheToolsOwnNumbers() {
        Map<String, BaselineRepository.Metric> hey = metrics("hey-flaky.txt");
        assertThat(hey.get("load.latency.p95 ms").values().get(0)).isCloseTo(4.5, within(1e-9)); // 95% in 0.0045 secs
        assertThat(hey.get("load.latency.p99 ms").values().get(0)).isCloseTo(5.7, within(1e-9));
        assertThat(hey.get("load.throughput req/s").values()).containsExactly(1405.7861);
        assertThat(hey.get("load.errors share").values()).containsExactly(0.25); // 100 of 400 were 500s

        Map<String, BaselineRepository.Metric> wrk = metrics("wrk-flaky.txt");
        assertThat(wrk).doesNotContainKey("load.latency.p95 ms"); // wrk prints no 95th percentile
        assertThat(wrk.get("load.latency.p99 ms").values().get(0)).isCloseTo(4.86, within(1e-9));
        assertThat(wrk.get("load.throughput req/s").values()).containsExactly(1547.66);

        Map<String, BaselineRepository.Metric> csv = metrics("latencies-ms.csv");
        assertThat(csv.keySet()).containsExactlyInAnyOrder("load.latency.p95 ms", "load.latency.p99 ms");
        assertThat(csv.get("load.latency.p95 ms").values().get(0)).isCloseTo(41.0, within(1e-9));
    }

    private Path vegeta(String name, long p95Nanos, double throughput) throws IOException {
        String json = Files.readString(DIR.resolve("vegeta-handmade.json"))
                .replace("\"95th\": 5678901", "\"95th\": " + p95Nanos)
                .replace("\"throughput\": 98.53451211", "\"throughput\": " + throughput);
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    @Test
    void p95ThirtyPercentWorseFailsEqualPasses() throws IOException {
        Path base = vegeta("base.json", 5678901, 98.53451211);
        assertThat(Files.readString(base)).isEqualTo(Files.readString(DIR.resolve("vegeta-handmade.json")));
        Path same = vegeta("same.json", 5678901, 98.53451211);
        Path slow = vegeta("slow.json", 7382571, 98.53451211); // 5678901 * 1.3 = 7382571.3

        Peers.Result pass = Godiag.run("gate", "--baseline", base.toString(), "--candidate", same.toString());
        assertThat(pass.exitCode()).as(pass.stderr()).isZero();
        // one value a side: no test (p "-"), the threshold alone decides
        assertThat(pass.stdout()).containsPattern("load\\.latency\\.p95\\s+ms\\s+5\\.679ms \\(n=1\\)\\s+5\\.679ms \\(n=1\\)\\s+\\+0\\.00%\\s+-\\s+5%\\s+ok");

        Peers.Result fail = Godiag.run("gate", "--baseline", base.toString(), "--candidate", slow.toString(),
                "--threshold", "10%");
        assertThat(fail.exitCode()).as(fail.stderr()).isEqualTo(1);
        assertThat(fail.stdout()).containsPattern("regression: load\\.latency\\.p95 ms: .*\\+30\\.00%");
        assertThat(fail.stdout()).doesNotContain("regression: load.latency.p99");
    }

    @Test
    void throughputIsHigherIsBetter() throws IOException {
        Path base = vegeta("base.json", 5678901, 100);
        Path faster = vegeta("faster.json", 5678901, 130);
        Path slower = vegeta("slower.json", 5678901, 70);

        Peers.Result up = Godiag.run("gate", "--baseline", base.toString(), "--candidate", faster.toString());
        assertThat(up.exitCode()).as(up.stdout()).isZero();
        assertThat(up.stdout()).containsPattern("load\\.throughput\\s+req/s\\s+100 \\(n=1\\)\\s+130 \\(n=1\\)\\s+\\+30\\.00%.*improvement");

        Peers.Result down = Godiag.run("gate", "--baseline", base.toString(), "--candidate", slower.toString());
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.stdout()).containsPattern("regression: load\\.throughput req/s: .*-30\\.00%.*higher is better");
    }

    @Test
    void aLatencyCsvWithoutAUnitIsBadInputNamingTheFile() throws IOException {
        Path bad = dir.resolve("lat.csv");
        Files.writeString(bad, "latency\n12\n");
        Peers.Result r = Godiag.run("gate", "--baseline", bad.toString(), "--candidate", bad.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("lat.csv:2: 12 has no unit");
    }
}
