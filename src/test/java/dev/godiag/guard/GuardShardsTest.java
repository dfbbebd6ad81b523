package dev.godiag.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.guard.config.Shards;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.store.Database;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.StoreLocation;
import dev.godiag.guard.notify.Deliveries;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.HttpReceiver;
import dev.godiag.testutil.PostgresServer;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --shard 0/2} and {@code 1/2}: two guards in one JVM, as two replicas would run, each with
 * its own connection to one real PostgreSQL and the same configuration of 40 targets (a leaky and
 * a healthy guardsvc plus addresses nothing listens on). Each watches its share and only that,
 * together they watch every target once, and what one shard records (readings, an alert with its
 * evidence) is in the shared database for the other to serve.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuardShardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int SHARDS = 2;
    private static final int DOWN_TARGETS = 38;

    @TempDir
    static Path dir;
    private static PostgresServer postgres;
    private static GuardService leaky;
    private static GuardService healthy;
    private static HttpReceiver receiver;
    private static final List<String> ADDRESSES = new ArrayList<>();
    private static final List<Socket> RESERVED = new ArrayList<>();
    private static final Database[] DBS = new Database[SHARDS];
    private static final Guard[] GUARDS = new Guard[SHARDS];
    private static final GuardServer[] SERVERS = new GuardServer[SHARDS];
    private static final List<String> LOG = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start("guard_shards");
        Path go = Tools.go127();
        leaky = GuardService.start(go, "-mode", "leaky");
        healthy = GuardService.start(go, "-mode", "healthy");
        ADDRESSES.add(leaky.address);
        ADDRESSES.add(healthy.address);
        // a port bound by a socket that does not listen: connection refused, the commonest way a
        // fleet's target is down, and no server started later can be given the port
        for (int i = 0; i < DOWN_TARGETS; i++) {
            Socket s = new Socket();
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            RESERVED.add(s);
            ADDRESSES.add("127.0.0.1:" + s.getLocalPort());
        }
        receiver = new HttpReceiver();
        String targets = ADDRESSES.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", "));
        Engine engine = new Engine(EngineContext.of("godiag test"));
        for (int i = 0; i < SHARDS; i++) {
            // the same targets and rules; each shard's own Alertmanager path shows which shard posted what
            Files.writeString(config(i), """
                    global: {scrape_interval: 1s, scrape_timeout: 1s}
                    baseline: {warmup: 2s, window: 12s}
                    rules:
                      goroutines: {over_baseline: 40, over_ratio: 0.5, consecutive: 3}
                    notify:
                      alertmanagers:
                        - url: %s
                    scrape_configs:
                      - job_name: fleet
                        stage: notify
                        static_configs:
                          - targets: [%s]
                            labels: {team: pay}
                    """.formatted(receiver.url("/am-" + i), targets));
        }
        for (int i = 0; i < SHARDS; i++) {
            DBS[i] = Database.open(StoreLocation.parse(postgres.url(), dir.resolve("unused.db")));
            startShard(i, engine, "shard" + i);
        }
    }

    /** Shard {@code i} of {@link #SHARDS} on its database connection, as a replica's daemon starts it. */
    private static void startShard(int i, Engine engine, String logName) {
        Shards.Shard shard = new Shards.Shard(i, SHARDS);
        // the owner name a replica's daemon gives its leases: its shard
        GuardRepository repo = new GuardRepository(DBS[i], "guard-" + shard, GuardRepository.DEFAULT_LEASE,
                Clock.systemUTC());
        GUARDS[i] = Guard.start(new Guard.Options(config(i), dir.resolve("data-" + i), shard, Duration.ofHours(1), ""),
                repo, engine, Clock.systemUTC(), line -> LOG.add(logName + " " + line));
        SERVERS[i] = GuardServer.start(GUARDS[i], "127.0.0.1", 0);
    }

    private static Path config(int shard) {
        return dir.resolve("guard-" + shard + ".yml");
    }

    @AfterAll
    static void stop() {
        List<AutoCloseable> all = new ArrayList<>();
        all.addAll(List.of(SERVERS));
        all.addAll(List.of(GUARDS));
        all.addAll(List.of(DBS));
        all.addAll(Arrays.asList(leaky, healthy, receiver, postgres));
        all.addAll(RESERVED);
        Await.closeAll(all);
    }

    @Test
    @Order(1)
    void theShardsSplitTheTargetsWithNoOverlapAndNoGap() throws Exception {
        List<Set<String>> shares = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            Set<String> share = new HashSet<>();
            for (JsonNode t : get(i, "/api/guard/targets").path("targets")) {
                assertThat(t.path("job").asText()).isEqualTo("fleet");
                assertThat(share.add(t.path("target").asText())).as("listed twice by shard %d", i).isTrue();
            }
            shares.add(share);
        }
        Set<String> union = new HashSet<>(shares.get(0));
        union.addAll(shares.get(1));
        assertThat(union).as("no gap").containsExactlyInAnyOrderElementsOf(ADDRESSES);
        Set<String> overlap = new HashSet<>(shares.get(0));
        overlap.retainAll(shares.get(1));
        assertThat(overlap).as("no overlap").isEmpty();
        // a real split: 40 targets do not all hash to one shard
        assertThat(shares).allSatisfy(s -> assertThat(s).isNotEmpty());
        // each guard says what it watches on its own /metrics
        for (int i = 0; i < SHARDS; i++) {
            assertThat(getText(i, "/metrics")).contains("godiag_guard_targets " + shares.get(i).size() + "\n");
        }
    }

    @Test
    @Order(2)
    void eachShardStoresTheStateOfItsOwnTargets() throws Exception {
        // every target scraped once by its shard: the shared table has all 40, each with its watch state
        await("every target stored", () -> storedKeys().size() == ADDRESSES.size());
        Map<String, GuardRepository.StoredTarget> stored = new HashMap<>();
        for (GuardRepository.StoredTarget st : GUARDS[0].repository().targets()) {
            stored.put(st.target().address(), st);
        }
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(ADDRESSES);
        for (int i = 0; i < SHARDS; i++) {
            for (JsonNode t : get(i, "/api/guard/targets").path("targets")) {
                String address = t.path("target").asText();
                GuardRepository.StoredTarget st = stored.get(address);
                assertThat(st.watchState()).as("watch state of %s", address).isNotBlank();
                assertThat(st.target().labels()).containsEntry("team", "pay");
                // the stored up/down is what the owning shard saw, and the down ones say why
                boolean up = address.equals(leaky.address) || address.equals(healthy.address);
                assertThat(st.up()).as("stored up of %s", address).isEqualTo(up);
                if (!up) {
                    assertThat(st.lastError()).isEqualTo("connection refused");
                    assertThat(t.path("health").asText()).isEqualTo("down");
                }
            }
        }
    }

    @Test
    @Order(3)
    void anAlertOfOneShardIsInTheSharedDatabaseWithItsHistoryAndEvidence() throws Exception {
        int owner = ownerOf(leaky.address);
        int other = 1 - owner;
        await("the leaky service's baseline learned", () -> learned(owner, leaky.address));
        Alert opened = null;
        for (int i = 0; i < 60 && opened == null; i++) {
            leaky.work(3);
            healthy.work(3);
            Thread.sleep(250);
            opened = GUARDS[owner].repository().firing().stream()
                    .filter(a -> a.metric() == Metric.GOROUTINES && a.target().address().equals(leaky.address))
                    .findFirst().orElse(null);
        }
        assertThat(opened).as("a goroutine alert on the leaky service; log:\n%s", String.join("\n", LOG)).isNotNull();
        final Alert alert = opened;

        // the other shard's connection reads the owner's alert and the readings that opened it
        assertThat(GUARDS[other].repository().alert(alert.id())).hasValueSatisfying(a -> {
            assertThat(a.firing()).isTrue();
            assertThat(a.target().key()).isEqualTo("fleet/" + leaky.address);
        });
        await("the readings over the threshold stored", () -> GUARDS[other].repository()
                .readings(alert.target().key(), alert.since(), 1000).stream()
                .filter(r -> r.value(Metric.GOROUTINES).orElse(0) > alert.threshold()).count() >= 3);
        List<Reading> history = GUARDS[other].repository().readings(alert.target().key(), Instant.EPOCH, 10_000);
        assertThat(history).allSatisfy(r -> assertThat(r.target().address()).isEqualTo(leaky.address));
        assertThat(history.stream().filter(r -> r.value(Metric.GOROUTINES).orElse(0) <= alert.baseline()).count())
                .as("readings of the baseline before the leak").isGreaterThanOrEqualTo(3);

        // the other shard does not watch the target, yet serves the alert and its evidence from the store
        assertThat(get(other, "/api/guard/targets").path("targets").findValuesAsText("target"))
                .doesNotContain(leaky.address);
        String path = "/api/guard/alerts/" + URLEncoder.encode(alert.id(), StandardCharsets.UTF_8).replace("+", "%20");
        await("the evidence stored", () -> {
            try {
                return get(other, path).path("evidence").path("capture_id").isTextual();
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode served = get(other, path);
        assertThat(served.path("state").asText()).isEqualTo("firing");
        assertThat(served.path("evidence").path("buckets").findValuesAsText("function")).contains("main.compute");
        String capture = served.path("evidence").path("capture_id").asText();
        assertThat(getText(other, "/api/guard/evidence/" + capture + "/goroutine.debug2.txt"))
                .startsWith("goroutine ").contains("main.compute");
        // only the owner writes files: the evidence is under its data directory, not the other's
        assertThat(dir.resolve("data-" + owner).resolve("captures").resolve(capture)).isDirectory();
        assertThat(Files.exists(dir.resolve("data-" + other).resolve("captures"))).isFalse();

        // the healthy service under the same load: quiet, whichever shard watches it
        assertThat(GUARDS[other].repository().alertsOf("fleet/" + healthy.address, 10)).isEmpty();
    }

    @Test
    @Order(4)
    void aRestartedShardContinuesFromTheSharedDatabase() throws Exception {
        int owner = ownerOf(leaky.address);
        Alert open = GUARDS[owner].repository().firing().stream()
                .filter(a -> a.target().address().equals(leaky.address) && a.metric() == Metric.GOROUTINES)
                .findFirst().orElseThrow();
        List<String> share = get(owner, "/api/guard/targets").path("targets").findValuesAsText("target");
        SERVERS[owner].close();
        GUARDS[owner].close();
        Instant restarted = Instant.now();
        startShard(owner, new Engine(EngineContext.of("godiag test")), "restarted shard" + owner);

        // the same share, the leaky target's learned baseline and open alert restored from the store
        assertThat(get(owner, "/api/guard/targets").path("targets").findValuesAsText("target"))
                .containsExactlyInAnyOrderElementsOf(share);
        await("the leaky target scraped again", () -> {
            try {
                JsonNode t = target(owner, leaky.address);
                return t.has("last_scrape") && Instant.parse(t.path("last_scrape").asText()).isAfter(restarted);
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode t = target(owner, leaky.address);
        assertThat(t.path("warming_up").asBoolean()).as("no new warm-up after a restart").isFalse();
        assertThat(t.path("metrics").path("goroutines").path("baseline").asDouble()).isEqualTo(open.baseline());
        assertThat(t.path("metrics").path("goroutines").path("alert").asText()).isEqualTo(open.id());
        // still leaking, still the one alert: none opened anew for the same condition
        assertThat(GUARDS[owner].repository().alertsOf("fleet/" + leaky.address, 10).stream()
                .filter(a -> a.metric() == Metric.GOROUTINES)).extracting(Alert::id).containsExactly(open.id());
    }

    @Test
    @Order(5)
    void onlyTheOwningShardKeepsAnAlertAliveInAlertmanager() throws Exception {
        int owner = ownerOf(leaky.address);
        int other = 1 - owner;
        Alert open = GUARDS[owner].repository().firing().stream()
                .filter(a -> a.target().address().equals(leaky.address) && a.metric() == Metric.GOROUTINES)
                .findFirst().orElseThrow();
        // a guard re-posts its firing alerts to Alertmanager when it starts and every minute after;
        // the owner restarted in the test before, so its start-up refresh carries the alert
        await("the owner's refresh", () -> refreshes(owner, open.id()) >= 1);

        // the other shard restarted with the alert firing in the shared database: not its target, so
        // not its to refresh (a stale refresh after the owner's resolve would fire it again in Alertmanager)
        SERVERS[other].close();
        GUARDS[other].close();
        Instant restarted = Instant.now();
        startShard(other, new Engine(EngineContext.of("godiag test")), "restarted shard" + other);
        String someTarget = get(other, "/api/guard/targets").path("targets").get(0).path("target").asText();
        await("the restarted shard scraped again", () -> {
            try {
                JsonNode t = target(other, someTarget);
                return t.has("last_scrape") && Instant.parse(t.path("last_scrape").asText()).isAfter(restarted);
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(receiver.requests("/am-" + other + "/api/v2/alerts"))
                .noneMatch(r -> new String(r.body(), StandardCharsets.UTF_8).contains(open.id()));
    }

    // --- helpers

    /** Alertmanager posts of shard {@code shard} that re-post (not deliver a transition of) the alert. */
    private static long refreshes(int shard, String alertId) {
        return receiver.requests("/am-" + shard + "/api/v2/alerts").stream()
                .filter(r -> r.header(Deliveries.DELIVERY_HEADER) == null)
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains(alertId))
                .count();
    }

    private static JsonNode target(int shard, String address) throws Exception {
        for (JsonNode t : get(shard, "/api/guard/targets").path("targets")) {
            if (t.path("target").asText().equals(address)) {
                return t;
            }
        }
        throw new AssertionError("shard " + shard + " does not watch " + address);
    }

    private static int ownerOf(String address) throws Exception {
        for (int i = 0; i < SHARDS; i++) {
            if (get(i, "/api/guard/targets").path("targets").findValuesAsText("target").contains(address)) {
                return i;
            }
        }
        throw new AssertionError("no shard watches " + address);
    }

    private static Set<String> storedKeys() {
        Set<String> keys = new HashSet<>();
        for (GuardRepository.StoredTarget st : GUARDS[1].repository().targets()) {
            if (st.watchState() != null && st.lastScrapeAt() != null) {
                keys.add(st.target().key());
            }
        }
        return keys;
    }

    private static boolean learned(int shard, String address) {
        try {
            for (JsonNode t : get(shard, "/api/guard/targets").path("targets")) {
                if (t.path("target").asText().equals(address)) {
                    return !t.path("warming_up").asBoolean(true)
                            && t.path("metrics").path("goroutines").path("baseline").isNumber()
                            && Files.isDirectory(dir.resolve("data-" + shard).resolve("baselines"));
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static JsonNode get(int shard, String path) throws IOException, InterruptedException {
        return JSON.readTree(getText(shard, path));
    }

    private static String getText(int shard, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + SERVERS[shard].port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s on shard %d: %s", path, shard, r.body()).isEqualTo(200);
        return r.body();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition, () -> "the guards' log:\n" + String.join("\n", LOG));
    }
}
