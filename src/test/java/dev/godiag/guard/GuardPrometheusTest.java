package dev.godiag.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.guard.config.Shards;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Target;
import dev.godiag.store.Database;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.StoreLocation;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.PrometheusServer;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * guard beside Debian's real {@code prometheus}, both ways round. One Prometheus scrapes a leaky
 * and a healthy guardsvc (and an address nothing listens on) as job {@code svc}, and guard's own
 * {@code /metrics} as job {@code guard}. guard's job reads the services' counts from that
 * Prometheus' query API ({@code prometheus_sd_configs}) instead of scraping them, and contacts a
 * service itself only for the evidence of a condition. So: what guard exports comes back through
 * PromQL as guard shows it, and a leak seen only through Prometheus opens an alert whose evidence
 * guard fetched from the leaking process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuardPrometheusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static GuardService leaky;
    private static GuardService healthy;
    private static String down;
    private static Socket downPort;
    private static PrometheusServer prometheus;
    private static Database db;
    private static Guard guard;
    private static GuardServer server;
    private static final List<String> LOG = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path go = Tools.go127();
        leaky = GuardService.start(go, "-mode", "leaky");
        healthy = GuardService.start(go, "-mode", "healthy");
        // ports bound by sockets that do not listen, so no server started meanwhile is given them:
        // one refuses connections for the test's life (a down target), one is freed for guard's server
        downPort = reserve();
        down = "127.0.0.1:" + downPort.getLocalPort();
        Socket guardPort = reserve();
        prometheus = PrometheusServer.start(Duration.ofSeconds(1), """
                - job_name: svc
                  static_configs:
                    - targets: ['%s', '%s', '%s']
                      labels: {team: pay}
                - job_name: guard
                  static_configs:
                    - targets: ['127.0.0.1:%d']
                """.formatted(leaky.address, healthy.address, down, guardPort.getLocalPort()));
        Path config = dir.resolve("guard.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                baseline: {warmup: 2s, window: 12s}
                rules:
                  goroutines: {over_baseline: 40, over_ratio: 0.5, consecutive: 3}
                scrape_configs:
                  - job_name: fleet
                    stage: capture
                    prometheus_sd_configs:
                      - url: %s
                        job: svc
                """.formatted(prometheus.url()));
        db = Database.open(StoreLocation.parse(null, dir.resolve("guard.db")));
        GuardRepository repo = new GuardRepository(db, "test", GuardRepository.DEFAULT_LEASE, Clock.systemUTC());
        guard = Guard.start(new Guard.Options(config, dir.resolve("data"), Shards.Shard.ALL, Duration.ofHours(1), ""),
                repo, new Engine(EngineContext.of("godiag test")), Clock.systemUTC(), LOG::add);
        guardPort.close();
        server = GuardServer.start(guard, "127.0.0.1", guardPort.getLocalPort());
    }

    private static Socket reserve() throws IOException {
        Socket s = new Socket();
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return s;
    }

    @AfterAll
    static void stop() {
        Await.closeAll(server, guard, db, prometheus, leaky, healthy, downPort);
    }

    @Test
    @Order(1)
    void theFleetComesFromPrometheusAndGuardsMetricsGoBackThroughIt() throws Exception {
        // guard knows the job's instances only from Prometheus' series
        await("guard read the three instances from Prometheus", () -> targets().size() == 3
                && targets().values().stream().noneMatch(t -> t.path("health").asText().equals("unknown")));
        Map<String, JsonNode> targets = targets();
        assertThat(targets).containsOnlyKeys(leaky.address, healthy.address, down);
        for (String up : List.of(leaky.address, healthy.address)) {
            assertThat(targets.get(up).path("health").asText()).isEqualTo("up");
            assertThat(targets.get(up).path("source").asText()).isEqualTo("query");
            assertThat(targets.get(up).path("labels").path("team").asText()).isEqualTo("pay");
        }
        assertThat(targets.get(down).path("health").asText()).isEqualTo("down");
        assertThat(targets.get(down).path("last_error").asText()).isEqualTo("down in the query source (up=0)");

        // Prometheus scraping guard holds what guard's API shows: the same up and goroutine count
        // per target (waited for: guard reads and Prometheus scrapes each second, and an idle
        // service's count settles)
        await("Prometheus' copy of guard's metrics equals guard's API", () -> {
            Map<String, JsonNode> now = targets();
            Map<String, Double> up = series("godiag_guard_up{job=\"guard\",target_job=\"fleet\"}");
            Map<String, Double> goroutines = series("godiag_guard_goroutines{job=\"guard\",target_job=\"fleet\"}");
            if (!up.keySet().equals(now.keySet())) {
                return false;
            }
            for (Map.Entry<String, JsonNode> t : now.entrySet()) {
                double health = t.getValue().path("health").asText().equals("up") ? 1 : 0;
                JsonNode value = t.getValue().path("metrics").path("goroutines").path("value");
                if (up.get(t.getKey()) != health
                        || (value.isNumber() ? !Double.valueOf(value.asDouble()).equals(goroutines.get(t.getKey()))
                        : goroutines.containsKey(t.getKey()))) {
                    return false;
                }
            }
            return true;
        });
        // and those counts are the services' own, as Prometheus scraped them from the services
        Map<String, Double> served = series("go_goroutines{job=\"svc\"}");
        assertThat(served).containsOnlyKeys(leaky.address, healthy.address);
        assertThat(series("godiag_guard_goroutines{job=\"guard\"}").get(healthy.address))
                .isCloseTo(served.get(healthy.address), within(3.0));
    }

    @Test
    @Order(2)
    void aLeakSeenThroughPrometheusOpensAnAlertWithEvidenceScrapedFromTheTarget() throws Exception {
        await("baselines learned and their dumps taken from the targets", () -> learned(leaky.address)
                && learned(healthy.address) && count(dir.resolve("data/baselines")) == 2);
        Alert opened = null;
        for (int i = 0; i < 80 && opened == null; i++) {
            leaky.work(3);
            healthy.work(3);
            Thread.sleep(250);
            opened = guard.repository().firing().stream()
                    .filter(a -> a.metric() == Metric.GOROUTINES && a.target().address().equals(leaky.address))
                    .findFirst().orElse(null);
        }
        assertThat(opened).as("a goroutine alert on the leaky service; log:\n%s", String.join("\n", LOG)).isNotNull();
        assertThat(opened.target().job()).isEqualTo("fleet");
        assertThat(opened.threshold()).isGreaterThanOrEqualTo(Math.max(opened.baseline() + 40, opened.baseline() * 1.5));

        // the evidence is not in Prometheus: guard took it from the leaking process' pprof
        String path = "/api/guard/alerts/" + URLEncoder.encode(opened.id(), StandardCharsets.UTF_8).replace("+", "%20");
        await("the evidence analysed", () -> {
            try {
                return get(path).path("evidence").path("buckets").size() > 0;
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode ev = get(path).path("evidence");
        assertThat(ev.path("buckets").findValuesAsText("function")).contains("main.compute");
        String dump = getText("/api/guard/evidence/" + ev.path("capture_id").asText() + "/goroutine.debug2.txt");
        assertThat(dump).startsWith("goroutine ").contains("main.compute");

        // the healthy one under the same load, read the same way: quiet
        assertThat(guard.repository().alertsOf("fleet/" + healthy.address, 10)).isEmpty();
        assertThat(guard.repository().alertsOf("fleet/" + down, 10)).isEmpty();
    }

    @Test
    @Order(3)
    void theFiringAlertIsVisibleInPrometheus() throws Exception {
        String alertId = targets().get(leaky.address).path("metrics").path("goroutines").path("alert").asText();
        assertThat(alertId).as("guard's API names the leaky target's firing alert").isNotEmpty();
        await("Prometheus scraped the firing alert", () ->
                Double.valueOf(1).equals(series("godiag_guard_alert_firing{job=\"guard\",metric=\"goroutines\"}")
                        .get(leaky.address)));
        Map<String, Double> firing = series("godiag_guard_alert_firing{job=\"guard\",metric=\"goroutines\"}");
        assertThat(firing).containsEntry(healthy.address, 0.0).containsEntry(down, 0.0);
        // labelled as guard labels it: the target's job and labels, beside Prometheus' own job and instance
        JsonNode sample = JSON.readTree(prometheus.query(
                "godiag_guard_alert_firing{job=\"guard\",metric=\"goroutines\",target=\"" + leaky.address + "\"}"))
                .path("data").path("result").get(0).path("metric");
        assertThat(sample.path("target_job").asText()).isEqualTo("fleet");
        assertThat(sample.path("team").asText()).isEqualTo("pay");
        assertThat(sample.path("instance").asText()).isEqualTo("127.0.0.1:" + server.port());
    }

    @Test
    @Order(4)
    void shardsSplitTheInstancesOfAQuerySource() throws Exception {
        int shards = 2;
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Guard[] guards = new Guard[shards];
            for (int i = 0; i < shards; i++) {
                Database shardDb = Database.open(StoreLocation.parse(null, dir.resolve("shard-" + i + ".db")));
                opened.add(shardDb);
                guards[i] = Guard.start(new Guard.Options(guard.options().configFile(), dir.resolve("data-" + i),
                        new Shards.Shard(i, shards), Duration.ofHours(1), ""), new GuardRepository(shardDb),
                        new Engine(EngineContext.of("godiag test")), Clock.systemUTC(), LOG::add);
                opened.addFirst(guards[i]);
            }
            // each instance Prometheus knows goes to exactly one shard, the one the hash of its key names
            List<Set<String>> expected = new ArrayList<>();
            for (int i = 0; i < shards; i++) {
                expected.add(new HashSet<>());
            }
            for (String address : List.of(leaky.address, healthy.address, down)) {
                expected.get(Shards.owner(new Target("fleet", address, Map.of()), shards)).add(address);
            }
            await("each shard watches its share of the query source's instances", () -> {
                for (int i = 0; i < shards; i++) {
                    Set<String> watched = new HashSet<>();
                    guards[i].runners().forEach(r -> watched.add(r.target.address()));
                    if (!watched.equals(expected.get(i))) {
                        return false;
                    }
                }
                return true;
            });
        } finally {
            for (AutoCloseable c : opened) {
                c.close();
            }
        }
    }

    // --- helpers

    /** The instant vector of {@code promql} by its {@code target} (or {@code instance}) label. */
    private static Map<String, Double> series(String promql) {
        Map<String, Double> out = new HashMap<>();
        try {
            JsonNode answer = JSON.readTree(prometheus.query(promql));
            for (JsonNode s : answer.path("data").path("result")) {
                JsonNode labels = s.path("metric");
                String key = labels.has("target") ? labels.path("target").asText() : labels.path("instance").asText();
                out.put(key, Double.parseDouble(s.path("value").get(1).asText()));
            }
        } catch (IOException e) {
            throw new AssertionError("Prometheus answered no JSON for " + promql, e);
        }
        return out;
    }

    private static Map<String, JsonNode> targets() {
        Map<String, JsonNode> out = new HashMap<>();
        try {
            for (JsonNode t : get("/api/guard/targets").path("targets")) {
                out.put(t.path("target").asText(), t);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out;
    }

    private static boolean learned(String address) {
        JsonNode t = targets().get(address);
        return t != null && !t.path("warming_up").asBoolean(true)
                && t.path("metrics").path("goroutines").path("baseline").isNumber();
    }

    private static long count(Path d) {
        try (var s = Files.list(d)) {
            return s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(getText(path));
    }

    private static String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition, () -> "guard's log:\n" + String.join("\n", LOG) + "\nPrometheus' log:\n" + prometheus.log());
    }
}
