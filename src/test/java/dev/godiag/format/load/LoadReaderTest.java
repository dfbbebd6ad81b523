package dev.godiag.format.load;

import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Each reader against the numbers its tool printed in the same file (testdata/load, provenance in
 * its README.md): the expected values below are read off the fixture by eye, not computed.
 */
class LoadReaderTest {
    private static final Path DIR = Path.of("testdata/load");

    private static LoadSummary read(String file) throws IOException {
        return LoadReader.read(file, Files.readString(DIR.resolve(file), StandardCharsets.UTF_8));
    }

    @Test
    void heyRealOutput() throws IOException {
        LoadSummary s = read("hey-flaky.txt");
        assertThat(s.tool()).isEqualTo("hey");
        assertThat(s.requests()).isEqualTo(400); // [200] 300 responses + [500] 100 responses
        assertThat(s.errors()).isEqualTo(0.25);
        assertThat(s.duration()).isEqualTo(0.2845);   // Total: 0.2845 secs
        assertThat(s.throughput()).isEqualTo(1405.7861); // Requests/sec: 1405.7861
        assertThat(s.p50()).isEqualTo(0.0026);
        assertThat(s.p90()).isEqualTo(0.0035);
        assertThat(s.p95()).isEqualTo(0.0045);
        assertThat(s.p99()).isEqualTo(0.0057);
        assertThat(s.max()).isEqualTo(0.0060);        // Slowest: 0.0060 secs
        assertThat(s.samples()).isEmpty();
    }

    @Test
    void wrkRealOutputHasNoP95() throws IOException {
        LoadSummary s = read("wrk-flaky.txt");
        assertThat(s.tool()).isEqualTo("wrk");
        assertThat(s.requests()).isEqualTo(3104);      // 3104 requests in 2.01s
        assertThat(s.duration()).isEqualTo(2.01);
        assertThat(s.throughput()).isEqualTo(1547.66); // Requests/sec: 1547.66
        assertThat(s.errors()).isCloseTo(775.0 / 3104, within(1e-12)); // Non-2xx or 3xx responses: 775
        assertThat(s.p50()).isCloseTo(0.00240, within(1e-12));
        assertThat(s.p90()).isCloseTo(0.00308, within(1e-12));
        assertThat(s.p99()).isCloseTo(0.00486, within(1e-12));
        assertThat(s.p95()).isNaN();
        assertThat(s.max()).isCloseTo(0.00786, within(1e-12)); // Latency ... Max 7.86ms
    }

    @Test
    void vegetaOldTextLayout() throws IOException {
        LoadSummary s = read("vegeta-old-layout.txt");
        assertThat(s.tool()).isEqualTo("vegeta");
        assertThat(s.requests()).isEqualTo(600);
        assertThat(s.throughput()).isEqualTo(44.77);
        assertThat(s.duration()).isCloseTo(10.051234567, within(1e-12));
        assertThat(s.errors()).isCloseTo(1 - 0.75, within(1e-12)); // Success 75.00%
        assertThat(s.p50()).isCloseTo(0.095123456, within(1e-12));
        assertThat(s.p90()).isNaN(); // this layout has no 90th
        assertThat(s.p95()).isCloseTo(0.1502, within(1e-12));
        assertThat(s.p99()).isCloseTo(0.210987654, within(1e-12));
        assertThat(s.max()).isCloseTo(0.2505, within(1e-12));
    }

    @Test
    void vegetaJsonAndItsTextAgree() throws IOException {
        LoadSummary j = read("vegeta-handmade.json");
        assertThat(j.tool()).isEqualTo("vegeta-json");
        assertThat(j.requests()).isEqualTo(100);
        assertThat(j.throughput()).isEqualTo(98.53451211);
        assertThat(j.errors()).isCloseTo(0.02, within(1e-12)); // "success": 0.98
        assertThat(j.duration()).isCloseTo((990000000 + 4567890) / 1e9, within(1e-12)); // duration + wait
        assertThat(j.p50()).isCloseTo(3987654e-9, within(1e-15));
        assertThat(j.p90()).isCloseTo(5234567e-9, within(1e-15));
        assertThat(j.p95()).isCloseTo(5678901e-9, within(1e-15));
        assertThat(j.p99()).isCloseTo(6543210e-9, within(1e-15));
        assertThat(j.max()).isCloseTo(7012345e-9, within(1e-15));

        LoadSummary t = read("vegeta-from-json.txt");
        assertThat(t.tool()).isEqualTo("vegeta");
        assertThat(t.requests()).isEqualTo(j.requests());
        assertThat(t.errors()).isCloseTo(j.errors(), within(1e-12));
        assertThat(t.throughput()).isCloseTo(j.throughput(), within(0.005)); // %.2f
        double us = 0.5e-6; // the text rounds to the microsecond
        assertThat(t.duration()).isCloseTo(j.duration(), within(us));
        assertThat(t.p50()).isCloseTo(j.p50(), within(us));
        assertThat(t.p90()).isCloseTo(j.p90(), within(us));
        assertThat(t.p95()).isCloseTo(j.p95(), within(us));
        assertThat(t.p99()).isCloseTo(j.p99(), within(us));
        assertThat(t.max()).isCloseTo(j.max(), within(us));
    }

    @Test
    void csvInMillisecondsNearestRank() throws IOException {
        // the 20 values sorted: 11 12 12 12 13 13 13 14 14 15 | 15 16 16 17 18 19 22 30 41 95.
        // Nearest rank: p50 = the ceil(0.50*20) = 10th = 15; p90 = 18th = 30; p95 = ceil(19) = 19th
        // = 41; p99 = ceil(19.8) = 20th = 95; max 95.
        LoadSummary s = read("latencies-ms.csv");
        assertThat(s.tool()).isEqualTo("csv");
        assertThat(s.requests()).isEqualTo(20);
        assertThat(s.samples()).hasSize(20);
        assertThat(s.samples()[0]).isCloseTo(0.012, within(1e-12)); // file order kept
        assertThat(s.p50()).isCloseTo(0.015, within(1e-12));
        assertThat(s.p90()).isCloseTo(0.030, within(1e-12));
        assertThat(s.p95()).isCloseTo(0.041, within(1e-12));
        assertThat(s.p99()).isCloseTo(0.095, within(1e-12));
        assertThat(s.max()).isCloseTo(0.095, within(1e-12));
        assertThat(s.throughput()).isNaN();
        assertThat(s.errors()).isNaN();
    }

    @Test
    void csvOfGoDurationsInALatencyColumn() throws IOException {
        // latency column: 12ms 15ms 0.9ms 1.5ms 0.25ms; sorted 0.25 0.9 1.5 12 15 (ms).
        // p50 = ceil(2.5) = 3rd = 1.5ms; p95 = ceil(4.75) = 5th = 15ms.
        LoadSummary s = read("latencies-durations.csv");
        assertThat(s.requests()).isEqualTo(5);
        assertThat(s.p50()).isCloseTo(0.0015, within(1e-12));
        assertThat(s.p95()).isCloseTo(0.015, within(1e-12));
    }

    @Test
    void plainNumbersWithoutAUnitAreRefusedNamingTheFile() {
        assertThatThrownBy(() -> LoadReader.read("lat.csv", "latency\n12\n13\n"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("lat.csv:2: 12 has no unit");
        assertThatThrownBy(() -> LoadReader.read("x.csv", "latency_ms\n12\nabc\n"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("x.csv:3: duration not understood: abc");
    }

    @Test
    void otherTextsAreNotLoadSummaries() {
        assertThat(LoadReader.recognize("gc 1 @0.010s 2%: 0.012+0.5+0.003 ms clock, 4->4->0 MB, 4 MB goal, 8 P\n")).isNull();
        assertThat(LoadReader.recognize("goroutine 1 [running]:\nmain.main()\n")).isNull();
        assertThat(LoadReader.recognize("{\"memstats\": {}}")).isNull();
        assertThat(LoadReader.recognize("seconds\n0.1\n")).isEqualTo("csv");
    }
}
