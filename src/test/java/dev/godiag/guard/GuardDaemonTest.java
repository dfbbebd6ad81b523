package dev.godiag.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.guard.config.Shards;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.notify.Deliveries;
import dev.godiag.store.Database;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.StoreLocation;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.AlertmanagerServer;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.HttpReceiver;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * guard end to end on real parts: two real Go services (testdata/gen/guardsvc) under the same load,
 * one leaking goroutines, heap and sockets per request and one healthy; a target that is down and
 * comes up; a real webhook receiver checking the signature; Debian's Alertmanager receiving
 * through its v2 API; the job's callback. Scraped every second with short baselines, so the story
 * (learn, leak, alert with evidence, deliver, stop the leak, resolve) takes seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuardDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "s3cret-for-tests";
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int CONSECUTIVE = 3;

    @TempDir
    static Path dir;
    private static GuardService leaky;
    private static GuardService healthy;
    private static HttpReceiver receiver;
    private static AlertmanagerServer alertmanager;
    private static Database db;
    private static Guard guard;
    private static GuardServer server;
    private static int latePort;
    private static GuardService late;
    private static final List<String> LOG = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path go = Tools.go127();
        leaky = GuardService.start(go, "-mode", "leaky");
        healthy = GuardService.start(go, "-mode", "healthy");
        receiver = new HttpReceiver();
        alertmanager = AlertmanagerServer.start();
        try (ServerSocket s = new ServerSocket(0)) {
            latePort = s.getLocalPort();
        }
        Path config = dir.resolve("guard.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                baseline: {warmup: 2s, window: 12s}
                rules:
                  goroutines: {over_baseline: 40, over_ratio: 0.5, consecutive: %d}
                  fds: {over_baseline: 15, over_ratio: 0.5, consecutive: %d}
                notify:
                  webhooks:
                    - url: %s
                      secret: %s
                  alertmanagers:
                    - url: %s
                scrape_configs:
                  - job_name: svc
                    stage: notify
                    callback: %s?target={target}
                    static_configs:
                      - targets: ['%s', '%s']
                        labels: {team: pay}
                  - job_name: late
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(CONSECUTIVE, CONSECUTIVE, receiver.url("/hook"), SECRET, alertmanager.url(),
                receiver.url("/shed"), leaky.address, healthy.address, latePort));
        db = Database.open(StoreLocation.parse(null, dir.resolve("guard.db")));
        GuardRepository repo = new GuardRepository(db, "test", GuardRepository.DEFAULT_LEASE, Clock.systemUTC());
        guard = Guard.start(new Guard.Options(config, dir.resolve("data"), Shards.Shard.ALL, Duration.ofHours(1), ""),
                repo, new Engine(EngineContext.of("godiag test")), Clock.systemUTC(), LOG::add);
        server = GuardServer.start(guard, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        Await.closeAll(server, guard, db, leaky, healthy, late, receiver, alertmanager);
    }

    @Test
    @Order(1)
    void aTargetThatIsDownIsReportedWithItsReason() throws Exception {
        await("the late target scraped", () -> target("127.0.0.1:" + latePort).path("health").asText().equals("down"));
        JsonNode t = target("127.0.0.1:" + latePort);
        assertThat(t.path("last_error").asText()).isEqualTo("connection refused");
        assertThat(metrics()).contains("godiag_guard_up{target_job=\"late\",target=\"127.0.0.1:" + latePort + "\"} 0");
    }

    @Test
    @Order(2)
    void aLeakOpensOneAlertPerMetricWithinTheConfiguredScrapesAndNamesTheLeakingCode() throws Exception {
        // learn first: baselines known and the baseline dumps taken
        await("baselines learned", () -> learned(leaky.address) && learned(healthy.address)
                && Files.exists(dir.resolve("data/baselines")) && count(dir.resolve("data/baselines")) == 2);
        Instant leakStart = Instant.now();
        Alert opened = null;
        for (int i = 0; i < 60 && opened == null; i++) {
            leaky.work(3);
            healthy.work(3);
            Thread.sleep(250);
            opened = guard.repository().firing().stream()
                    .filter(a -> a.metric() == Metric.GOROUTINES && a.target().address().equals(leaky.address))
                    .findFirst().orElse(null);
        }
        assertThat(opened).as("a goroutine alert on the leaky service; log:\n%s", String.join("\n", LOG)).isNotNull();

        // within the rule: the alert's 'since' is the first reading over its threshold, and it opened
        // on the reading CONSECUTIVE-1 scrapes later
        final Alert open = opened;
        // readings reach the history a second at a time: wait for the one that opened the alert
        await("the history has the opening readings", () -> guard.repository()
                .readings(open.target().key(), open.since(), 1000).stream()
                .filter(r -> r.value(Metric.GOROUTINES).orElse(0) > open.threshold()).count() >= CONSECUTIVE);
        List<Reading> history = guard.repository().readings(open.target().key(), leakStart, 1000);
        Reading firstOver = history.stream()
                .filter(r -> r.value(Metric.GOROUTINES).orElse(0) > 0)
                .filter(r -> r.value(Metric.GOROUTINES).getAsDouble() > open.threshold())
                .findFirst().orElseThrow();
        assertThat(opened.since()).isEqualTo(firstOver.at());
        long readingsUntilOpen = history.stream().filter(r -> !r.at().isBefore(firstOver.at())
                && r.value(Metric.GOROUTINES).orElse(0) > open.threshold()).count();
        assertThat(readingsUntilOpen).isGreaterThanOrEqualTo(CONSECUTIVE);
        // the rule's threshold over the frozen baseline (or the window's ceiling, when a peak was higher)
        assertThat(opened.threshold()).isGreaterThanOrEqualTo(Math.max(opened.baseline() + 40, opened.baseline() * 1.5));

        // the evidence: what grew, by function and line, and the engine's findings with their fixes
        JsonNode alert = get("/api/guard/alerts/" + URLEncoder.encode(opened.id(), StandardCharsets.UTF_8)
                .replace("+", "%20"));
        JsonNode ev = alert.path("evidence");
        List<String> grown = new ArrayList<>();
        ev.path("buckets").forEach(b -> grown.add(b.path("function").asText() + " " + b.path("wait").asText()
                + " +" + b.path("growth").asLong()));
        assertThat(grown).anyMatch(s -> s.startsWith("main.compute chan send +"))
                .anyMatch(s -> s.startsWith("main.refresher select +"));
        List<String> rules = new ArrayList<>();
        ev.path("findings").forEach(f -> rules.add(f.path("rule").asText()));
        assertThat(rules).contains("goroutines.http-body-not-closed");
        // the client connections' buckets carry that finding's verdict, not their own "idle pool" reading
        List<String> connectionVerdicts = new ArrayList<>();
        ev.path("buckets").forEach(b -> {
            if (b.path("function").asText().startsWith("net/http.(*persistConn).")) {
                connectionVerdicts.add(b.path("verdict").asText());
            }
        });
        assertThat(connectionVerdicts).isNotEmpty()
                .allMatch(v -> v.contains("HTTP response bodies not closed"), "names the body leak");
        assertThat(ev.path("findings").findValuesAsText("fix")).allMatch(fix -> !fix.isBlank());
        // the stored files are served at the alert's evidence link
        JsonNode files = get(alert.path("links").path("evidence").asText());
        List<String> names = files.path("files").findValuesAsText("name");
        assertThat(names).contains("goroutine.debug2.txt", "heap.pprof", "goroutine.0-baseline.debug2.txt");
        String dump = getText("/api/guard/evidence/" + ev.path("capture_id").asText() + "/goroutine.debug2.txt");
        assertThat(dump).contains("main.compute").startsWith("goroutine ");

        // the healthy service under the same load: quiet
        assertThat(guard.repository().alertsOf("svc/" + healthy.address, 10)).isEmpty();
        assertThat(metrics()).contains("godiag_guard_alert_firing{target_job=\"svc\",target=\"" + leaky.address
                + "\",team=\"pay\",metric=\"goroutines\"} 1");
    }

    @Test
    @Order(3)
    void theFiringAlertIsDeliveredSignedToTheWebhookTheCallbackAndAlertmanager() throws Exception {
        Alert alert = firingOn(leaky.address, Metric.GOROUTINES);
        await("the webhook got the firing alert", () -> accepted("/hook", alert.id(), "firing") >= 1);
        HttpReceiver.Request hook = receiver.accepted("/hook").stream()
                .filter(r -> body(r).contains(alert.id())).findFirst().orElseThrow();
        assertThat(hook.header("X-Godiag-Signature")).isEqualTo(Deliveries.signature(hook.body(), SECRET));
        assertThat(json(hook.body()).path("state").asText()).isEqualTo("firing");
        await("the callback got it", () -> receiver.accepted("/shed").stream().anyMatch(r -> body(r).contains(alert.id())));
        await("Alertmanager holds it", () -> alertmanager.activeAlerts().contains(alert.id()));
        JsonNode held = json(alertmanager.activeAlerts().getBytes(StandardCharsets.UTF_8)).findParents("labels").stream()
                .filter(n -> n.path("labels").path("instance").asText().equals(leaky.address)
                        && n.path("labels").path("metric").asText().equals("goroutines"))
                .findFirst().orElseThrow();
        assertThat(held.path("labels").path("job").asText()).isEqualTo("svc");
        assertThat(held.path("labels").path("team").asText()).isEqualTo("pay");
        // exactly once per transition
        Thread.sleep(2 * INTERVAL.toMillis());
        assertThat(accepted("/hook", alert.id(), "firing")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void theAlertResolvesWhenTheLeakStopsAndTheGoroutinesReturn() throws Exception {
        Alert alert = firingOn(leaky.address, Metric.GOROUTINES);
        leaky.stopLeaks();
        await("resolved", () -> guard.repository().alert(alert.id()).map(a -> !a.firing()).orElse(false));
        Alert resolved = guard.repository().alert(alert.id()).orElseThrow();
        assertThat(resolved.resolvedAt()).isAfter(resolved.since());
        assertThat(resolved.value()).isLessThanOrEqualTo(resolved.threshold());
        await("the webhook got the resolve", () -> accepted("/hook", alert.id(), "resolved") == 1);
        await("Alertmanager no longer holds it", () -> !alertmanager.activeAlerts().contains(alert.id()));
        assertThat(get("/api/guard/alerts?state=resolved").path("alerts").findValuesAsText("id")).contains(alert.id());
        assertThat(guard.repository().alertsOf("svc/" + healthy.address, 10)).isEmpty();
    }

    @Test
    @Order(5)
    void aDownTargetRecoversWhenItComesUp() throws Exception {
        late = GuardService.start(Tools.go127(), "-mode", "healthy", "-addr", "127.0.0.1:" + latePort);
        // a down target is retried with backoff (1, 2, 4... intervals, at most 10 intervals): up again within seconds here
        await("the late target up", () -> target("127.0.0.1:" + latePort).path("health").asText().equals("up"));
        assertThat(LOG).anyMatch(l -> l.contains("msg=\"target up again\"") && l.contains("127.0.0.1:" + latePort));
    }

    @Test
    @Order(6)
    void aTargetThatStopsIsReportedDownAndARestartStartsANewBaseline() throws Exception {
        late.close();
        await("the stopped target down", () -> target("127.0.0.1:" + latePort).path("health").asText().equals("down"));
        assertThat(metrics()).contains("godiag_guard_up{target_job=\"late\",target=\"127.0.0.1:" + latePort + "\"} 0");
        late = GuardService.start(Tools.go127(), "-mode", "healthy", "-addr", "127.0.0.1:" + latePort);
        await("up again", () -> target("127.0.0.1:" + latePort).path("health").asText().equals("up"));
        // a new process (its start time changed): its baselines are learned again, from a warm-up
        await("a new baseline", () -> LOG.stream().anyMatch(l -> l.contains("msg=\"new process: learning a new baseline\"")
                && l.contains("127.0.0.1:" + latePort)));
        assertThat(target("127.0.0.1:" + latePort).path("warming_up").asBoolean()).isTrue();
    }

    @Test
    @Order(7)
    void aBadReloadKeepsTheRunningConfiguration() throws Exception {
        Path config = guard.options().configFile();
        String good = Files.readString(config);
        Files.writeString(config, good.replace("stage: notify", "stage: paging"));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains("guard.yml:").contains("stage")
                .contains("paging");
        assertThat(metrics()).contains("godiag_guard_config_last_reload_successful 0");
        assertThat(guard.config().job("svc").stage().key()).isEqualTo("notify");
        Files.writeString(config, good);
        r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(metrics()).contains("godiag_guard_config_last_reload_successful 1");
    }

    // --- helpers

    private static boolean learned(String address) {
        try {
            JsonNode t = target(address);
            return !t.path("warming_up").asBoolean(true)
                    && t.path("metrics").path("goroutines").path("baseline").isNumber();
        } catch (Exception e) {
            return false;
        }
    }

    private static long count(Path d) {
        try (var s = Files.list(d)) {
            return s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Alert firingOn(String address, Metric m) {
        return guard.repository().alerts(null, 100).stream()
                .filter(a -> a.metric() == m && a.target().address().equals(address))
                .findFirst().orElseThrow(() -> new AssertionError("no alert on " + address + "; log:\n"
                        + String.join("\n", LOG)));
    }

    private static long accepted(String path, String alertId, String state) {
        return receiver.accepted(path).stream().filter(r -> {
            JsonNode j = json(r.body());
            return j.path("id").asText().equals(alertId) && j.path("state").asText().equals(state);
        }).count();
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    private static String body(HttpReceiver.Request r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode target(String address) {
        JsonNode all;
        try {
            all = get("/api/guard/targets");
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        for (JsonNode t : all.path("targets")) {
            if (t.path("target").asText().equals(address)) {
                return t;
            }
        }
        throw new AssertionError("no target " + address);
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(getText(path));
    }

    private static String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path
                : base() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    private static String metrics() throws IOException, InterruptedException {
        return getText("/metrics");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition, () -> "guard's log:\n" + String.join("\n", LOG));
    }
}
