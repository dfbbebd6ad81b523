package dev.godiag.server;

import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.guard.Guard;
import dev.godiag.guard.config.Shards;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.Metric;
import dev.godiag.store.Database;
import dev.godiag.store.GuardRepository;
import dev.godiag.store.StoreLocation;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URLEncoder;
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
 * guard's dashboard in a server that runs a real guard over a real leaking Go service (and a target
 * that is down), and the page of a server without guard.
 */
class GuardPagesTest {
    @TempDir
    static Path dir;
    static GuardService leaky;
    static int downPort;
    static Database db;
    static Guard guard;
    static TestServer server;
    static final List<String> LOG = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        leaky = GuardService.start(Tools.go127(), "-mode", "leaky");
        try (ServerSocket s = new ServerSocket(0)) {
            downPort = s.getLocalPort();
        }
        Path config = dir.resolve("guard.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                baseline: {warmup: 2s, window: 12s}
                rules:
                  goroutines: {over_baseline: 40, over_ratio: 0.5, consecutive: 3}
                scrape_configs:
                  - job_name: svc
                    stage: capture
                    static_configs:
                      - targets: ['%s']
                        labels: {team: "<b>pay</b>"}
                  - job_name: gone
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(leaky.address, downPort));
        db = Database.open(StoreLocation.parse(null, dir.resolve("guard.db")));
        guard = Guard.start(new Guard.Options(config, dir.resolve("data"), Shards.Shard.ALL, Duration.ofHours(1), ""),
                new GuardRepository(db, "test", GuardRepository.DEFAULT_LEASE, Clock.systemUTC()),
                new Engine(EngineContext.of("godiag test")), Clock.systemUTC(), LOG::add);
        server = TestServer.start(TestServer.Settings.sqlite().withGuard(guard));
    }

    @AfterAll
    static void stop() {
        Await.closeAll(server, guard, db, leaky);
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition, () -> "guard's log:\n" + String.join("\n", LOG));
    }

    @Test
    void theDashboardShowsTargetsAndAFiringAlertWithItsEvidenceAndDiagnosis() throws Exception {
        await("the baseline learned", () -> guard.snapshots().stream().anyMatch(t -> t.target().address()
                .equals(leaky.address) && !t.warmingUp() && t.baselines().containsKey(Metric.GOROUTINES)));
        String learning = server.get("/guard").body();
        Matcher row = Pattern.compile("<tr data-target=\"svc/" + Pattern.quote(leaky.address) + "\">.*?</tr>")
                .matcher(learning);
        assertThat(row.find()).as(learning).isTrue();
        Guard.TargetSnapshot snap = guard.snapshots().stream().filter(t -> t.target().job().equals("svc")).findFirst()
                .orElseThrow();
        assertThat(row.group()).contains("<span class=\"sev-ok\">up</span>")
                .contains("<span class=\"label\">team=&lt;b&gt;pay&lt;/b&gt;</span>")
                .containsPattern("<td class=\"num\" data-metric=\"goroutines\">[\\d,]+ <span class=\"muted\">/ "
                        + String.format(java.util.Locale.ROOT, "%,d", Math.round(snap.baselines().get(Metric.GOROUTINES)))
                        + "</span></td>");
        assertThat(learning).doesNotContain("<b>pay</b>");

        // the leak: an alert opens and its evidence is captured and diagnosed
        Alert alert = null;
        for (int i = 0; i < 120 && alert == null; i++) {
            leaky.work(3);
            Thread.sleep(250);
            alert = guard.repository().firing().stream()
                    .filter(a -> a.metric() == Metric.GOROUTINES && a.evidence() != null).findFirst().orElse(null);
        }
        assertThat(alert).as("a goroutine alert with evidence; log:\n%s", String.join("\n", LOG)).isNotNull();
        AlertEvidence ev = alert.evidence();
        TestServer.Answer a = server.get("/guard");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Security-Policy")).isEqualTo(Page.CSP);
        String body = a.body();
        String article = body.substring(body.indexOf("<article class=\"alert firing\" id=\"alert-" + Page.esc(alert.id())));
        article = article.substring(0, article.indexOf("</article>"));
        assertThat(article).contains("Goroutines on <code>svc/" + leaky.address + "</code>");
        // every stored evidence file is a link to guard's evidence API, and the link works
        List<GuardRepository.StoredFile> files = guard.repository().evidenceFiles(ev.captureId());
        assertThat(files).isNotEmpty();
        for (GuardRepository.StoredFile f : files) {
            String href = "/api/guard/evidence/" + URLEncoder.encode(ev.captureId(), StandardCharsets.UTF_8) + "/"
                    + URLEncoder.encode(f.name(), StandardCharsets.UTF_8);
            assertThat(article).contains("<a href=\"" + href + "\"><code>" + f.name() + "</code></a>");
        }
        assertThat(server.get("/api/guard/evidence/" + ev.captureId() + "/goroutine.debug2.txt").body())
                .startsWith("goroutine ");
        // the diagnosis: each finding's title, its card, its fix
        assertThat(ev.findings()).isNotEmpty();
        for (AlertEvidence.FindingSummary f : ev.findings()) {
            assertThat(article).contains("<strong>" + Page.esc(f.title()) + "</strong>")
                    .contains("<a href=\"/kb/" + f.rule() + "\"");
            if (f.fix() != null && !f.fix().isBlank()) {
                assertThat(article).contains("<p class=\"fix\">" + Page.esc(f.fix()) + "</p>");
            }
        }
        assertThat(article).contains("main.compute");
        // firing alerts come before the resolved ones
        int resolved = body.indexOf("<h3>Recently resolved</h3>");
        assertThat(resolved < 0 || resolved > body.indexOf("<article class=\"alert firing\"")).isTrue();
    }

    @Test
    void aTargetThatIsDownSaysWhy() throws Exception {
        String key = "gone/127.0.0.1:" + downPort;
        await("the down target scraped", () -> guard.snapshots().stream()
                .anyMatch(t -> t.target().key().equals(key) && t.last() != null));
        String body = server.get("/guard").body();
        Matcher row = Pattern.compile("<tr data-target=\"" + Pattern.quote(key) + "\">.*?</tr>").matcher(body);
        assertThat(row.find()).isTrue();
        assertThat(row.group()).contains("<span class=\"sev-critical\">down</span> <span class=\"muted\">connection refused");
    }

    @Test
    void withoutGuardThePageSaysHowToStartIt() {
        try (TestServer plain = TestServer.start()) {
            TestServer.Answer a = plain.get("/guard");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.header("Content-Type")).startsWith("text/html");
            assertThat(a.body()).contains("guard is not running in this server")
                    .contains("godiag serve --data-dir DIR --guard-config guard.yml");
        }
    }
}
