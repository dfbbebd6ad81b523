package dev.godiag.guard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reload replaces the running configuration only with one that loads, and picks up rotated secrets. */
class ConfigReloaderTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            notify:
              webhooks: [{url: 'http://hooks/a', secret_file: hook.secret}]
            scrape_configs:
              - job_name: api
                scrape_interval: %s
                static_configs: [{targets: ['api:8080']}]
            """;

    @Test
    void aBadReloadKeepsTheRunningConfiguration() throws Exception {
        Path f = dir.resolve("guard.yml");
        Files.writeString(dir.resolve("hook.secret"), "one\n");
        Files.writeString(f, CONFIG.formatted("15s"));
        ConfigReloader reloader = new ConfigReloader(f);
        GuardConfig first = reloader.current();
        assertThat(first.job("api").scrapeInterval()).isEqualTo(Duration.ofSeconds(15));

        ConfigReloader.Result same = reloader.reload();
        assertThat(same.outcome()).isEqualTo(ConfigReloader.Outcome.UNCHANGED);
        assertThat(reloader.current()).isSameAs(first);

        Files.writeString(f, CONFIG.formatted("15"));
        ConfigReloader.Result bad = reloader.reload();
        assertThat(bad.outcome()).isEqualTo(ConfigReloader.Outcome.REJECTED);
        assertThat(bad.problems()).singleElement().asString().startsWith(f + ":5: scrape_configs[0].scrape_interval: ");
        assertThat(bad.config()).isSameAs(first);
        assertThat(reloader.current()).isSameAs(first);

        Files.writeString(f, CONFIG.formatted("1m"));
        ConfigReloader.Result good = reloader.reload();
        assertThat(good.outcome()).isEqualTo(ConfigReloader.Outcome.APPLIED);
        assertThat(reloader.current().job("api").scrapeInterval()).isEqualTo(Duration.ofMinutes(1));

        // only the secret file changed: the new secret is applied
        Files.writeString(dir.resolve("hook.secret"), "two\n");
        assertThat(reloader.reload().outcome()).isEqualTo(ConfigReloader.Outcome.APPLIED);
        assertThat(reloader.current().notifications().webhooks().get(0).secret()).isEqualTo("two");
    }

    @Test
    void aFirstLoadThatFailsThrows() throws Exception {
        Path f = dir.resolve("guard.yml");
        Files.writeString(f, "scrape_configs: []\n");
        assertThatThrownBy(() -> new ConfigReloader(f)).isInstanceOf(GuardConfigException.class)
                .hasMessage(f + ":1: scrape_configs: no jobs: guard needs at least one scrape_configs entry");
    }
}
