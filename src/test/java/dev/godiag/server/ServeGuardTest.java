package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.guard.Guard;
import dev.godiag.guard.config.Shards;
import dev.godiag.store.Database;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.StoreLocation;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.JavaProcess;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * guard inside godiag serve: a guard watching a real Go service (testdata/gen/guardsvc), its state in
 * the server's database, its API and metrics served by the serve server; and `godiag serve
 * --guard-config` as a process, wired the same way.
 */
class ServeGuardTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<String> LOG = new CopyOnWriteArrayList<>();
    @TempDir
    static Path dir;
    static GuardService service;
    static Database guardDb;
    static Guard guard;
    static TestServer server;

    static Path config(Path where, String address) throws IOException {
        Files.writeString(where, """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                scrape_configs:
                  - job_name: svc
                    static_configs:
                      - targets: ['%s']
                        labels: {team: pay}
                """.formatted(address));
        return where;
    }

    @BeforeAll
    static void start() throws Exception {
        service = GuardService.start(Tools.anyGo(), "-mode", "healthy");
        Path db = dir.resolve("serve.db");
        // guard keeps its state in the database the server stores uploads in
        guardDb = Database.open(StoreLocation.parse("sqlite:" + db, null));
        guard = Guard.start(new Guard.Options(config(dir.resolve("guard.yml"), service.address), dir.resolve("guard"),
                        Shards.Shard.ALL, Duration.ofHours(1), ""),
                new GuardRepository(guardDb, "serve-test", GuardRepository.DEFAULT_LEASE, Clock.systemUTC()),
                new Engine(EngineContext.of(TestServer.VERSION)), Clock.systemUTC(), LOG::add);
        server = TestServer.start(TestServer.Settings.sqlite().withDatabase("sqlite:" + db).withGuard(guard));
    }

    @AfterAll
    static void stop() {
        Await.closeAll(server, guard, guardDb, service);
    }

    static JsonNode target(String base, String address) throws Exception {
        JsonNode all = JSON.readTree(get(base + "/api/guard/targets").body());
        for (JsonNode t : all.path("targets")) {
            if (t.path("target").asText().equals(address)) {
                return t;
            }
        }
        return JSON.createObjectNode();
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static boolean up(String base, String address) {
        try {
            return target(base, address).path("health").asText().equals("up");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void guardsTargetsAndMetricsAreServedNextToThePlatform() throws Exception {
        Await.until("guard scraped the service through the serve server", () -> up(server.base, service.address),
                () -> String.join("\n", LOG) + String.join("\n", server.log));
        JsonNode t = target(server.base, service.address);
        assertThat(t.get("job").asText()).isEqualTo("svc");
        assertThat(t.get("labels").get("team").asText()).isEqualTo("pay");
        assertThat(t.get("last_scrape").asText()).isNotEmpty();
        // the state is in the server's database
        assertThat(guard.repository().database()).isSameAs(guardDb);
        assertThat(new GuardRepository(server.db, "reader", GuardRepository.DEFAULT_LEASE, Clock.systemUTC())
                .target("svc/" + service.address)).isPresent();

        // the platform works beside it, on the same database
        TestServer.Answer up = server.post("/api/uploads?name=cpu.pprof&wait=120",
                Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof")), "application/octet-stream");
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        JsonNode health = JSON.readTree(server.get("/health").body());
        assertThat(health.get("guard").asBoolean()).isTrue();

        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains("godiag_serve_http_requests_total{")
                .contains("godiag_guard_up{target_job=\"svc\",target=\"" + service.address + "\",team=\"pay\"} 1");
        assertThat(server.get("/api/guard/alerts").status()).isEqualTo(200);
    }

    private static final Pattern LISTENING = Pattern.compile("msg=listening url=(http://127\\.0\\.0\\.1:\\d+)");

    @Test
    void godiagServeWithAGuardConfigRunsGuardInside() throws Exception {
        Path data = dir.resolve("serve-data");
        JavaProcess.Running p = JavaProcess.start("dev.godiag.cli.Main", List.of("serve", "--listen", "127.0.0.1:0",
                "--data-dir", data.toString(), "--guard-config",
                config(dir.resolve("process-guard.yml"), service.address).toString()));
        try {
            String[] base = new String[1];
            Await.until("godiag serve says where it listens", () -> {
                Matcher m = LISTENING.matcher(read(p.err()));
                if (m.find()) {
                    base[0] = m.group(1);
                }
                return base[0] != null || !p.process().isAlive();
            }, () -> read(p.err()));
            assertThat(base[0]).as(read(p.err())).isNotNull();
            Await.until("guard inside serve scraped the service", () -> up(base[0], service.address),
                    () -> read(p.err()));
            String metrics = get(base[0] + "/metrics").body();
            assertThat(metrics).contains("godiag_serve_uploads")
                    .contains("godiag_guard_up{target_job=\"svc\",target=\"" + service.address + "\",team=\"pay\"} 1");
            assertThat(JSON.readTree(get(base[0] + "/health").body()).get("guard").asBoolean()).isTrue();
        } finally {
            p.process().destroy(); // SIGTERM: the server stops cleanly
            Peers.Result r = p.await();
            assertThat(r.stderr()).doesNotContain("Exception");
        }
        // guard's state went to the server's database, the SQLite file in its data directory
        try (Database db = Database.open(StoreLocation.parse("sqlite:" + data.resolve("godiag.db"), null))) {
            assertThat(new GuardRepository(db, "reader", GuardRepository.DEFAULT_LEASE, Clock.systemUTC())
                    .target("svc/" + service.address)).isPresent();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
