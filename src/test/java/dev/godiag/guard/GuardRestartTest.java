package dev.godiag.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Await;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.HttpReceiver;
import dev.godiag.testutil.JavaProcess;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * guard as a process, as it runs in production: killed with SIGKILL while a notification is in
 * flight and started again on the same data directory, it delivers each transition exactly once
 * (the receiver accepts one firing and one resolve of the alert), keeps the baselines it learned
 * (no second warm-up) and the alert it had open (the same id, not a new alert); SIGHUP reloads its
 * configuration.
 */
class GuardRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LISTENING = Pattern.compile("msg=listening url=(http://\\S+)");

    @TempDir
    static Path dir;
    private static GuardService leaky;
    private static HttpReceiver receiver;
    private static Path config;
    private static JavaProcess.Running guard;

    @BeforeAll
    static void start() throws Exception {
        leaky = GuardService.start(Tools.go127(), "-mode", "leaky");
        receiver = new HttpReceiver();
        // the first delivery hangs (guard is killed while it waits), every later one is accepted
        AtomicInteger calls = new AtomicInteger();
        receiver.answer("/hook", () -> calls.getAndIncrement() == 0
                ? new HttpReceiver.Answer(500, java.util.Map.of(), "", Duration.ofSeconds(20))
                : HttpReceiver.Answer.status(200));
        config = dir.resolve("guard.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                baseline: {warmup: 2s, window: 12s}
                rules:
                  goroutines: {over_baseline: 40, over_ratio: 0.5, consecutive: 3}
                  fds: {enabled: false}
                  heap: {enabled: false}
                notify:
                  webhooks:
                    - url: %s
                      secret: restart-test
                scrape_configs:
                  - job_name: svc
                    stage: notify
                    static_configs:
                      - targets: ['%s']
                """.formatted(receiver.url("/hook"), leaky.address));
    }

    @AfterAll
    static void stop() {
        if (guard != null) {
            guard.process().destroyForcibly();
        }
        leaky.close();
        receiver.close();
    }

    @Test
    void aGuardKilledMidDeliveryDeliversEachTransitionOnceAndKeepsItsBaselinesAndOpenAlert() throws Exception {
        String base = startGuard();
        await("baseline learned", () -> learned(base));
        double baselineBefore = target(base).path("metrics").path("goroutines").path("baseline").asDouble();

        // leak until the firing alert's delivery is in flight (the receiver holds it)
        for (int i = 0; i < 80 && receiver.requests("/hook").isEmpty(); i++) {
            leaky.work(3);
            Thread.sleep(250);
        }
        assertThat(receiver.requests("/hook")).as("a delivery in flight; guard said:\n%s", log()).hasSize(1);
        String alertId = JSON.readTree(receiver.requests("/hook").get(0).body()).path("id").asText();

        guard.process().destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, the delivery unanswered
        String base2 = startGuard();

        // the restarted guard knows what it learned and what it had open
        JsonNode t = target(base2);
        assertThat(t.path("warming_up").asBoolean()).isFalse();
        assertThat(t.path("metrics").path("goroutines").path("baseline").asDouble()).isEqualTo(baselineBefore);
        assertThat(alertIds(base2, "firing")).containsExactly(alertId);
        await("the firing alert delivered after the restart", () -> accepted(alertId, "firing") == 1);

        leaky.stopLeaks();
        await("resolved and delivered", () -> accepted(alertId, "resolved") == 1);
        Thread.sleep(2000);
        assertThat(accepted(alertId, "firing")).isEqualTo(1);
        assertThat(accepted(alertId, "resolved")).isEqualTo(1);
        assertThat(alertIds(base2, "")).containsExactly(alertId); // no alert opened twice
        assertThat(log()).contains("deliveries of an earlier run resumed");

        // SIGHUP re-reads the configuration
        Files.writeString(config, Files.readString(config).replace("stage: notify", "stage: capture"));
        new ProcessBuilder("kill", "-HUP", Long.toString(guard.process().pid())).start().waitFor();
        await("reloaded on SIGHUP", () -> log().contains("msg=\"config reloaded\""));
        assertThat(target(base2).path("stage").asText()).isEqualTo("capture");
    }

    // --- helpers

    private static String startGuard() throws InterruptedException {
        guard = JavaProcess.start("dev.godiag.cli.Main", List.of("guard", "--config", config.toString(),
                "--listen", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString()));
        String[] url = new String[1];
        await("guard listening", () -> {
            Matcher m = LISTENING.matcher(log());
            if (m.find()) {
                url[0] = m.group(1);
            }
            return url[0] != null || !guard.process().isAlive();
        });
        assertThat(guard.process().isAlive()).as("guard runs; it said:\n%s", log()).isTrue();
        return url[0];
    }

    private static String log() {
        try {
            return Files.readString(guard.err(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean learned(String base) {
        JsonNode t = target(base);
        return !t.path("warming_up").asBoolean(true) && t.path("metrics").path("goroutines").path("baseline").isNumber();
    }

    private static long accepted(String alertId, String state) {
        return receiver.accepted("/hook").stream().map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).filter(j -> j.path("id").asText().equals(alertId) && j.path("state").asText().equals(state)).count();
    }

    private static List<String> alertIds(String base, String state) {
        return get(base + "/api/guard/alerts" + (state.isEmpty() ? "" : "?state=" + state)).path("alerts")
                .findValuesAsText("id");
    }

    private static JsonNode target(String base) {
        return get(base + "/api/guard/targets").path("targets").get(0);
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(url + ": " + e + "; guard said:\n" + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition, () -> "guard said:\n" + log());
    }
}
