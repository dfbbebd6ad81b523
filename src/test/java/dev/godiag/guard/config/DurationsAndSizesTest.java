package dev.godiag.guard.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Prometheus' duration syntax (model.ParseDuration's table) and the sizes of heap thresholds. */
class DurationsAndSizesTest {
    @ParameterizedTest
    @CsvSource({"30s,30000", "1m30s,90000", "2h,7200000", "1h30m,5400000", "500ms,500", "1s500ms,1500",
            "0,0", "1d,86400000", "1w,604800000", "1y,31536000000", "1y1w1d1h1m1s1ms,32230861001"})
    void prometheusDurations(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
        if (millis > 0) {
            assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "1.5s", "1s1m", "s", "30 s", "-1s", "1m1m", "1M", "10sec", " 30s",
            "99999999999999999999y"})
    void notDurations(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "256MiB,268435456", "1GB,1000000000", "1.5GiB,1610612736", "64 KiB,65536",
            "2TB,2000000000000", "512B,512", "1KB,1000", "0,0"})
    void sizes(String text, double bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1PB", "-1MiB", "abc", "1mib", "MiB", "1e9", "2000TiB"})
    void notSizes(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }
}
