package dev.godiag.guard.config;

import dev.godiag.guard.config.HttpSettings.Authorization;
import dev.godiag.guard.config.HttpSettings.BasicAuth;
import dev.godiag.guard.config.ScrapeJob.QuerySd;
import dev.godiag.guard.config.ScrapeJob.TargetGroup;
import dev.godiag.guard.model.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** guard's configuration: the contract as written, every key, defaults and every kind of mistake. */
class GuardConfigLoaderTest {
    private static final double MIB = 1 << 20;

    @TempDir
    Path dir;

    /** The configuration contract of issue 13, word for word. */
    static final String CONTRACT = """
            global:
              scrape_interval: 30s
              scrape_timeout: 10s
            rules:                          # defaults for every job; a job's own `rules:` overrides them
              goroutines: {over_baseline: 500, over_ratio: 0.5, consecutive: 3}
              heap:       {over_ratio: 0.5, consecutive: 3}
              fds:        {over_baseline: 200, consecutive: 3}
            notify:
              webhooks:
                - url: http://alerts.internal:8080/hook
                  secret: change-me         # or secret_file: /etc/godiag/hook.secret
              alertmanagers:
                - url: http://alertmanager:9093
            scrape_configs:
              - job_name: payments
                stage: notify               # observe | capture | notify
                scrape_interval: 15s
                callback: http://{target}/admin/shed-load   # circuit-break hook, POSTed the alert
                rules:
                  goroutines: {over_baseline: 300}
                static_configs:
                  - targets: ['payments-1:6060', 'payments-2:6060']
                    labels: {team: pay}
                file_sd_configs:
                  - files: ['targets/*.json']
            """;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    private GuardConfig load(String yaml) throws Exception {
        return GuardConfigLoader.load(write("guard.yml", yaml));
    }

    private List<String> problems(String yaml) throws Exception {
        Path f = write("guard.yml", yaml);
        GuardConfigException e = catchThrowableOfType(GuardConfigException.class, () -> GuardConfigLoader.load(f));
        assertThat(e).as("a problem in:\n%s", yaml).isNotNull();
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
        return e.problems().stream().map(p -> p.substring(f.toString().length())).toList();
    }

    @Test
    void theContractLoadsAsWritten() throws Exception {
        GuardConfig c = load(CONTRACT);
        assertThat(c.file()).isEqualTo(dir.resolve("guard.yml"));
        assertThat(c.scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.rules().goroutines()).isEqualTo(new MetricRule(500.0, 0.5, 3, true));
        // heap and fds keep the built-in threshold the global rules do not name
        assertThat(c.rules().heap()).isEqualTo(new MetricRule(64 * MIB, 0.5, 3, true));
        assertThat(c.rules().fds()).isEqualTo(new MetricRule(200.0, 0.5, 3, true));
        assertThat(c.notifications().webhooks()).containsExactly(
                new NotifyConfig.Webhook("http://alerts.internal:8080/hook", "change-me"));
        assertThat(c.notifications().alertmanagers()).containsExactly(
                new NotifyConfig.AlertmanagerTarget("http://alertmanager:9093"));

        assertThat(c.jobs()).hasSize(1);
        ScrapeJob j = c.job("payments");
        assertThat(j.stage()).isEqualTo(Stage.NOTIFY);
        assertThat(j.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(j.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(j.scheme()).isEqualTo("http");
        assertThat(j.metricsPath()).isEqualTo("/metrics");
        assertThat(j.pprofPath()).isEqualTo("/debug/pprof");
        assertThat(j.callback()).isEqualTo("http://{target}/admin/shed-load");
        // the job's one key over the global rule: ratio and streak stay the global ones
        assertThat(j.rules().goroutines()).isEqualTo(new MetricRule(300.0, 0.5, 3, true));
        assertThat(j.rules().heap()).isEqualTo(c.rules().heap());
        assertThat(j.rules().fds()).isEqualTo(c.rules().fds());
        assertThat(j.http()).isEqualTo(HttpSettings.NONE);
        assertThat(j.staticConfigs()).containsExactly(
                new TargetGroup(List.of("payments-1:6060", "payments-2:6060"), Map.of("team", "pay")));
        assertThat(j.fileSdConfigs()).hasSize(1);
        assertThat(j.fileSdConfigs().get(0).files()).containsExactly("targets/*.json");
        assertThat(j.fileSdConfigs().get(0).baseDir()).isEqualTo(dir.toAbsolutePath());
        assertThat(j.fileSdConfigs().get(0).refreshInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(j.prometheusSdConfigs()).isEmpty();
    }

    @Test
    void aMinimalJobGetsDefaultsThatSuitATypicalService() throws Exception {
        GuardConfig c = load("""
                scrape_configs:
                  - job_name: api
                    static_configs: [{targets: ['api:8080']}]
                """);
        assertThat(c.scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.rules()).isEqualTo(GuardConfigLoader.DEFAULT_RULES);
        assertThat(c.notifications().webhooks()).isEmpty();
        assertThat(c.notifications().alertmanagers()).isEmpty();
        ScrapeJob j = c.job("api");
        assertThat(j.stage()).isEqualTo(Stage.OBSERVE);
        assertThat(j.scheme()).isEqualTo("http");
        assertThat(j.metricsPath()).isEqualTo("/metrics");
        assertThat(j.pprofPath()).isEqualTo("/debug/pprof");
        assertThat(j.callback()).isNull();
        assertThat(j.rules()).isEqualTo(GuardConfigLoader.DEFAULT_RULES);
        assertThat(j.staticConfigs()).containsExactly(new TargetGroup(List.of("api:8080"), Map.of()));
        // the defaults: a service at 2,000 goroutines alerts past 3,000 (ratio), one at 100 past 600 (absolute)
        assertThat(j.rules().goroutines().threshold(2000)).isEqualTo(3000);
        assertThat(j.rules().goroutines().threshold(100)).isEqualTo(600);
    }

    @Test
    void everyJobKeyIsRead() throws Exception {
        write("secrets/pw", "s3cret\n");
        write("secrets/user", "  ops \n");
        write("secrets/token", "tok-123\n");
        write("tls/ca.pem", "ca");
        write("tls/client.pem", "cert");
        write("tls/client.key", "key");
        GuardConfig c = load("""
                global: {scrape_interval: 1m, scrape_timeout: 20s}
                scrape_configs:
                  - job_name: full
                    stage: capture
                    scrape_interval: 1m30s
                    scrape_timeout: 45s
                    scheme: https
                    metrics_path: /internal/metrics
                    pprof_path: /internal/pprof/
                    basic_auth: {username_file: secrets/user, password_file: secrets/pw}
                    tls_config:
                      ca_file: tls/ca.pem
                      cert_file: tls/client.pem
                      key_file: tls/client.key
                      server_name: full.internal
                      insecure_skip_verify: false
                    static_configs:
                      - targets: ['10.0.0.1:9100', '[::1]:6060', 'plain-host']
                        labels: {env: prod, zone: a}
                      - targets: []
                    file_sd_configs:
                      - files: [sd/a.json, sd/*.yml]
                        refresh_interval: 2m
                  - job_name: bearer
                    scrape_interval: 10s
                    authorization: {credentials_file: secrets/token}
                    prometheus_sd_configs:
                      - url: http://prometheus:9090/
                      - url: https://thanos:10902
                        job: go-services
                        basic_auth: {username: reader, password: pw}
                  - job_name: legacy-bearer
                    bearer_token: abc
                    static_configs: [{targets: ['x:1']}]
                  - job_name: legacy-bearer-file
                    bearer_token_file: secrets/token
                    prometheus_sd_configs:
                      - url: https://mimir:8080/prometheus
                        authorization: {credentials: q}
                        tls_config: {ca_file: tls/ca.pem, insecure_skip_verify: true}
                  - job_name: typed
                    authorization: {type: Token, credentials: xyz}
                    static_configs: [{targets: ['y:1']}]
                """);
        ScrapeJob full = c.job("full");
        assertThat(full.stage()).isEqualTo(Stage.CAPTURE);
        assertThat(full.scrapeInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(full.scrapeTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(full.scheme()).isEqualTo("https");
        assertThat(full.metricsPath()).isEqualTo("/internal/metrics");
        assertThat(full.pprofPath()).isEqualTo("/internal/pprof");
        // secrets from files, relative to the config, trimmed as Prometheus trims them
        assertThat(full.http().basicAuth()).isEqualTo(new BasicAuth("ops", "s3cret"));
        assertThat(full.http().authorization()).isNull();
        assertThat(full.http().tls()).isEqualTo(new HttpSettings.Tls(dir.resolve("tls/ca.pem"),
                dir.resolve("tls/client.pem"), dir.resolve("tls/client.key"), "full.internal", false));
        assertThat(full.staticConfigs()).containsExactly(
                new TargetGroup(List.of("10.0.0.1:9100", "[::1]:6060", "plain-host"), Map.of("env", "prod", "zone", "a")),
                new TargetGroup(List.of(), Map.of()));
        assertThat(full.fileSdConfigs().get(0).files()).containsExactly("sd/a.json", "sd/*.yml");
        assertThat(full.fileSdConfigs().get(0).refreshInterval()).isEqualTo(Duration.ofMinutes(2));

        ScrapeJob bearer = c.job("bearer");
        // the global timeout (20s) is cut to the job's shorter interval, as Prometheus does
        assertThat(bearer.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(bearer.http().authorization()).isEqualTo(new Authorization("Bearer", "tok-123"));
        assertThat(bearer.prometheusSdConfigs()).containsExactly(
                new QuerySd("http://prometheus:9090", "bearer", HttpSettings.NONE),
                new QuerySd("https://thanos:10902", "go-services",
                        new HttpSettings(new BasicAuth("reader", "pw"), null, null)));
        assertThat(c.job("legacy-bearer").http().authorization()).isEqualTo(new Authorization("Bearer", "abc"));
        assertThat(c.job("legacy-bearer-file").http().authorization())
                .isEqualTo(new Authorization("Bearer", "tok-123"));
        assertThat(c.job("legacy-bearer-file").prometheusSdConfigs()).containsExactly(
                new QuerySd("https://mimir:8080/prometheus", "legacy-bearer-file", new HttpSettings(null,
                        new Authorization("Bearer", "q"),
                        new HttpSettings.Tls(dir.resolve("tls/ca.pem"), null, null, null, true))));
        assertThat(c.job("typed").http().authorization()).isEqualTo(new Authorization("Token", "xyz"));
    }

    @Test
    void notifySecretsComeFromFilesToo() throws Exception {
        write("hook.secret", "from-file\n");
        GuardConfig c = load("""
                notify:
                  webhooks:
                    - url: https://hooks.example/a
                      secret_file: hook.secret
                    - url: http://unsigned.example/b
                  alertmanagers: [{url: 'http://am-1:9093/'}, {url: 'http://am-2:9093'}]
                scrape_configs: [{job_name: a, static_configs: [{targets: ['a:1']}]}]
                """);
        assertThat(c.notifications().webhooks()).containsExactly(
                new NotifyConfig.Webhook("https://hooks.example/a", "from-file"),
                new NotifyConfig.Webhook("http://unsigned.example/b", null));
        assertThat(c.notifications().alertmanagers()).extracting(NotifyConfig.AlertmanagerTarget::url)
                .containsExactly("http://am-1:9093", "http://am-2:9093");
    }

    @Test
    void rulesMergeKeyByKeyAndCanBeUnsetOrSwitchedOff() throws Exception {
        GuardConfig c = load("""
                rules:
                  heap: {over_baseline: 256MiB, consecutive: 5}
                  fds: {over_ratio: ~}
                scrape_configs:
                  - job_name: big
                    rules:
                      heap: {over_baseline: 1GB, over_ratio: 0.25}
                      fds: {enabled: false}
                      goroutines: {consecutive: 10}
                    static_configs: [{targets: ['big:1']}]
                  - job_name: small
                    static_configs: [{targets: ['small:1']}]
                """);
        assertThat(c.rules().heap()).isEqualTo(new MetricRule(256 * MIB, 0.5, 5, true));
        assertThat(c.rules().fds()).isEqualTo(new MetricRule(200.0, null, 3, true));
        ScrapeJob big = c.job("big");
        assertThat(big.rules().heap()).isEqualTo(new MetricRule(1e9, 0.25, 5, true));
        assertThat(big.rules().fds()).isEqualTo(new MetricRule(200.0, null, 3, false));
        assertThat(big.rules().goroutines()).isEqualTo(new MetricRule(500.0, 0.5, 10, true));
        assertThat(c.job("small").rules()).isEqualTo(c.rules());
    }

    @Test
    void everyMistakeIsReportedWithItsLineAndKey() throws Exception {
        List<String> p = problems("""
                global:
                  scrape_intervl: 30s
                  scrape_timeout: 1m
                rules:
                  goroutines: {over_baseline: -5, consecutive: 0}
                  heap: {over_baseline: 12 parsecs, over_ratio: lots}
                  threads: {over_baseline: 1}
                notify:
                  webhooks:
                    - url: alerts.internal/hook
                      secret: a
                      secret_file: hook.secret
                  alertmanagers:
                    - {}
                scrape_configs:
                  - job_name: a
                    stage: alert
                    scrape_interval: 30
                    scrape_timeout: 1m
                    scheme: ftp
                    metrics_path: metrics
                    callback: shed-load
                    static_configs:
                      - targets: ['http://a:1/metrics', 'b:99999', 'ok:80', {x: 1}]
                        labels: {__x: y, bad-name: z}
                    file_sd_configs:
                      - files: ['targets/**/*.json', 'targets.txt']
                        refresh_interval: 0
                    relabel_configs: []
                  - job_name: a
                    tls_config: {cert_file: missing.pem}
                    basic_auth: {password: p}
                    authorization: {type: Basic, credentials: c}
                    static_configs: [{targets: ['c:1']}]
                  - stage: observe
                """);
        assertThat(p).containsExactly(
                ":2: global.scrape_intervl: unknown key (did you mean 'scrape_interval'?)",
                ":3: global.scrape_timeout: (1m) is longer than scrape_interval (30s)",
                ":5: rules.goroutines.over_baseline: must be a number, at least 0, not '-5'",
                ":5: rules.goroutines.consecutive: must be a whole number from 1 to 1000, not '0'",
                ":6: rules.heap.over_baseline: '12 parsecs' is not a size (write bytes, or a number with KB MB GB TB "
                        + "(powers of 1000) or KiB MiB GiB TiB (powers of 1024), e.g. 256MiB)",
                ":6: rules.heap.over_ratio: must be a number, at least 0, not 'lots'",
                ":7: rules.threads: unknown key (known here: fds, goroutines, heap)",
                ":10: notify.webhooks[0].url: 'alerts.internal/hook' is not an http:// or https:// URL",
                ":12: notify.webhooks[0].secret_file: set either secret or secret_file, not both",
                ":14: notify.alertmanagers[0].url: is required",
                ":17: scrape_configs[0].stage: must be observe, capture or notify, not 'alert'",
                ":18: scrape_configs[0].scrape_interval: '30' is not a duration (write it as Prometheus does: 30s, "
                        + "1m30s, 2h, 500ms; units y w d h m s ms, largest first)",
                ":19: scrape_configs[0].scrape_timeout: (1m) is longer than the job's scrape_interval (30s)",
                ":20: scrape_configs[0].scheme: must be http or https, not 'ftp'",
                ":21: scrape_configs[0].metrics_path: must be a path starting with / (no query, no spaces), not 'metrics'",
                ":22: scrape_configs[0].callback: 'shed-load' is not an http:// or https:// URL "
                        + "(write it as http://{target}/path)",
                ":24: scrape_configs[0].static_configs[0].targets[0]: 'http://a:1/metrics' is not host:port (write "
                        + "the target without scheme or path; set scheme and metrics_path on the job)",
                ":24: scrape_configs[0].static_configs[0].targets[1]: 'b:99999' has no valid port (1-65535)",
                ":24: scrape_configs[0].static_configs[0].targets[3]: must be host:port, not a mapping",
                ":25: scrape_configs[0].static_configs[0].labels: '__x': labels starting with __ are Prometheus' "
                        + "internal ones; guard does not use them",
                ":25: scrape_configs[0].static_configs[0].labels: 'bad-name' is not a label name "
                        + "([a-zA-Z_][a-zA-Z0-9_]*)",
                ":27: scrape_configs[0].file_sd_configs[0].files: 'targets/**/*.json' is not a file_sd name: it must "
                        + "end in .json, .yml or .yaml and may have one * in the file name only",
                ":27: scrape_configs[0].file_sd_configs[0].files: 'targets.txt' is not a file_sd name: it must end "
                        + "in .json, .yml or .yaml and may have one * in the file name only",
                ":28: scrape_configs[0].file_sd_configs[0].refresh_interval: must be more than 0",
                ":29: scrape_configs[0].relabel_configs: a Prometheus key guard does not use",
                ":30: scrape_configs[1].job_name: 'a' is used by another job too (line 16)",
                ":31: scrape_configs[1].tls_config.cert_file: cannot read " + dir.resolve("missing.pem"),
                ":31: scrape_configs[1].tls_config.cert_file: a client certificate needs both cert_file and key_file",
                ":32: scrape_configs[1].basic_auth: needs username or username_file",
                ":32: scrape_configs[1].basic_auth: set either basic_auth or authorization, not both",
                ":33: scrape_configs[1].authorization.type: cannot be Basic: use basic_auth",
                ":35: scrape_configs[2].job_name: is required",
                ":35: scrape_configs[2]: has no targets: add static_configs, file_sd_configs or prometheus_sd_configs");
    }

    @Test
    void aSecretFileThatCannotBeReadIsNamed() throws Exception {
        write("empty.secret", "\n");
        List<String> p = problems("""
                notify:
                  webhooks:
                    - {url: 'http://h/1', secret_file: nowhere.secret}
                    - {url: 'http://h/2', secret_file: empty.secret}
                scrape_configs:
                  - job_name: a
                    authorization: {credentials_file: /nonexistent/token}
                    static_configs: [{targets: ['a:1']}]
                """);
        assertThat(p).containsExactly(
                ":3: notify.webhooks[0].secret_file: cannot read " + dir.resolve("nowhere.secret") + ": no such file",
                ":4: notify.webhooks[1].secret_file: " + dir.resolve("empty.secret") + " is empty",
                ":7: scrape_configs[0].authorization.credentials_file: cannot read /nonexistent/token: no such file");
    }

    @Test
    void aRuleLeftWithoutThresholdIsAProblem() throws Exception {
        assertThat(problems("""
                scrape_configs:
                  - job_name: a
                    rules:
                      heap: {over_baseline: null, over_ratio: null}
                    static_configs: [{targets: ['a:1']}]
                """)).containsExactly(":4: scrape_configs[0].rules.heap: needs over_baseline or over_ratio "
                + "(or enabled: false)");
    }

    @Test
    void countsAreNotSizes() throws Exception {
        assertThat(problems("""
                rules:
                  goroutines: {over_baseline: 5MiB}
                scrape_configs: [{job_name: a, static_configs: [{targets: ['a:1']}]}]
                """)).containsExactly(":2: rules.goroutines.over_baseline: must be a number, at least 0, not '5MiB'");
    }

    @Test
    void brokenDocumentsSayWhere() throws Exception {
        assertThat(problems("global:\n  scrape_interval: [30s\nscrape_configs: []\n")).singleElement()
                .asString().startsWith(":3: not valid YAML: ");
        assertThat(problems("""
                scrape_configs:
                  - job_name: a
                    static_configs: [{targets: ['a:1']}]
                    job_name: b
                """)).containsExactly(":4: job_name: duplicate key (first on line 2)");
        assertThat(problems("""
                defaults: &d {targets: ['a:1']}
                scrape_configs:
                  - job_name: a
                    static_configs: [*d]
                """)).contains(":4: YAML aliases (*d) are not supported; write the value out");
        assertThat(problems("- just\n- a list\n")).containsExactly(":1: must be a mapping (key: value), not a list");
        assertThat(problems("")).containsExactly(":1: the file is empty");
        assertThat(problems("global: {}\n")).containsExactly(
                ":1: scrape_configs: no jobs: guard needs at least one scrape_configs entry");
        assertThat(problems("a: 1\n---\nb: 2\n")).singleElement().asString().contains("more than one YAML document");
    }

    @Test
    void aMissingOrHugeFileIsOneLine() throws Exception {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> GuardConfigLoader.load(missing)).isInstanceOf(GuardConfigException.class)
                .hasMessage(missing + ": cannot read " + missing + ": no such file");
        Path huge = write("huge.yml", "# " + "x".repeat(GuardConfigLoader.MAX_CONFIG_BYTES) + "\n");
        assertThatThrownBy(() -> GuardConfigLoader.load(huge)).isInstanceOf(GuardConfigException.class)
                .hasMessage(huge + ": " + huge + " is larger than 4096 KiB");
    }

    @Test
    void aJobOnlyOnAQuerySourceNeedsItsUrl() throws Exception {
        assertThat(problems("""
                scrape_configs:
                  - job_name: fleet
                    prometheus_sd_configs:
                      - job: go
                      - url: prometheus:9090
                """)).containsExactly(
                ":4: scrape_configs[0].prometheus_sd_configs[0].url: is required",
                ":5: scrape_configs[0].prometheus_sd_configs[1].url: 'prometheus:9090' is not an http:// or https:// URL");
    }

    @Test
    void numbersAreDecimalsAsYamlWritesThem() throws Exception {
        GuardConfig c = load("""
                rules:
                  goroutines: {over_baseline: 1e3, over_ratio: .25}
                  fds: {over_baseline: 150.5, over_ratio: 1}
                scrape_configs: [{job_name: a, static_configs: [{targets: ['a:1']}]}]
                """);
        assertThat(c.rules().goroutines()).isEqualTo(new MetricRule(1000.0, 0.25, 3, true));
        assertThat(c.rules().fds()).isEqualTo(new MetricRule(150.5, 1.0, 3, true));
        for (String bad : List.of("1d", "0x1p3", "NaN", "Infinity", "1_000", "-0.5")) {
            assertThat(problems("rules: {fds: {over_ratio: '" + bad + "'}}\n"
                    + "scrape_configs: [{job_name: a, static_configs: [{targets: ['a:1']}]}]\n"))
                    .containsExactly(":1: rules.fds.over_ratio: must be a number, at least 0, not '" + bad + "'");
        }
    }
    @Test
    void namesThatCannotBeFilesAreProblemsNotCrashes() throws Exception {
        assertThat(problems("""
                notify:
                  webhooks: [{url: 'http://h/1', secret_file: "a\\0b"}]
                scrape_configs:
                  - job_name: a
                    tls_config: {ca_file: "ca\\0.pem"}
                    file_sd_configs: [{files: ['sd/[a.json', "sd/\\0.json"]}]
                """)).containsExactly(
                ":2: notify.webhooks[0].secret_file: 'a\\x00b' is not a file name: Nul character not allowed",
                ":5: scrape_configs[0].tls_config.ca_file: 'ca\\x00.pem' is not a file name: Nul character not allowed",
                ":6: scrape_configs[0].file_sd_configs[0].files: 'sd/[a.json' is not a valid glob (check its [ ] "
                        + "and { })",
                ":6: scrape_configs[0].file_sd_configs[0].files: 'sd/\\x00.json' is not a file name: Nul character "
                        + "not allowed");
    }
}
