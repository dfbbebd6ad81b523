package dev.godiag.guard.notify;

import dev.godiag.testutil.HttpReceiver;
import dev.godiag.guard.config.NotifyConfig;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Outbox;
import dev.godiag.guard.model.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker against a real HTTP receiver on loopback; retries come due by moving a clock, never by sleeping. */
class DeliveryWorkerTest {
    private static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    private static final DeliveryWorker.RetryPolicy POLICY = new DeliveryWorker.RetryPolicy(Duration.ofSeconds(2),
            Duration.ofSeconds(30), 6, Duration.ofSeconds(5));
    private static HttpReceiver receiver;
    private static HttpClient http;

    private final MemoryOutbox outbox = new MemoryOutbox();
    private final SettableClock clock = new SettableClock(T0);
    private final DeliveryWorker worker = new DeliveryWorker(outbox, http, clock, POLICY, 100);
    private final Deliveries deliveries = new Deliveries(new AlertJson("http://guard:9200"));

    @BeforeAll
    static void start() throws IOException {
        receiver = new HttpReceiver();
        http = DeliveryWorker.httpClient(Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        receiver.close();
        http.shutdownNow();
    }

    /** Stores the transition of {@code alert} for one signed webhook at {@code path}; returns the delivery id. */
    private long webhook(Alert alert, String path) {
        NotifyConfig notify = TestAlerts.notify(List.of(new NotifyConfig.Webhook(receiver.url(path), "s3cret")), List.of());
        return outbox.add(alert.id(), alert.state(), deliveries.plan(alert, notify, null), clock.instant()).getFirst();
    }

    @Test
    void signedWebhookIsDeliveredOnceAndTheReceiverCanCheckIt() throws InterruptedException {
        long id = webhook(TestAlerts.firing(Stage.NOTIFY), "/ok");
        List<DeliveryWorker.Outcome> outcomes = worker.runOnce();
        assertThat(outcomes).extracting(DeliveryWorker.Outcome::result).containsExactly(DeliveryWorker.Result.DELIVERED);
        assertThat(outbox.row(id).deliveredAt).isEqualTo(T0);

        List<HttpReceiver.Request> got = receiver.requests("/ok");
        assertThat(got).hasSize(1);
        HttpReceiver.Request r = got.getFirst();
        // the receiver's check: HMAC-SHA256 of the bytes it received, keyed with the shared secret
        assertThat(r.header("X-Godiag-Signature")).isEqualTo(Deliveries.signature(r.body(), "s3cret"));
        assertThat(r.header("X-Godiag-Delivery")).matches("[0-9a-f]{32}");
        assertThat(r.header("X-Godiag-Event")).isEqualTo("firing");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(new String(r.body())).contains("\"state\":\"firing\"", "\"target\":\"payments-1:6060\"");

        // delivered: later runs send nothing more
        clock.advance(Duration.ofHours(1));
        assertThat(worker.runOnce()).isEmpty();
        assertThat(receiver.requests("/ok")).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedWithDoublingBackoffUntilAccepted() throws InterruptedException {
        receiver.statuses("/flaky", 503, 500, 502);
        long id = webhook(TestAlerts.firing(Stage.NOTIFY), "/flaky");

        DeliveryWorker.Outcome first = worker.runOnce().getFirst();
        assertThat(first.result()).isEqualTo(DeliveryWorker.Result.RETRY);
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.nextAttempt()).isEqualTo(T0.plusSeconds(2));
        assertThat(first.detail()).startsWith("webhook " + receiver.url("/flaky") + " (firing): HTTP 503");

        // not due before its time
        clock.advance(Duration.ofSeconds(1));
        assertThat(worker.runOnce()).isEmpty();
        clock.set(T0.plusSeconds(2));
        DeliveryWorker.Outcome second = worker.runOnce().getFirst();
        assertThat(second.nextAttempt()).isEqualTo(T0.plusSeconds(2 + 4));
        clock.set(second.nextAttempt());
        DeliveryWorker.Outcome third = worker.runOnce().getFirst();
        assertThat(third.nextAttempt()).isEqualTo(T0.plusSeconds(2 + 4 + 8));
        clock.set(third.nextAttempt());
        assertThat(worker.runOnce().getFirst().result()).isEqualTo(DeliveryWorker.Result.DELIVERED);

        assertThat(receiver.requests("/flaky")).hasSize(4);
        // every attempt is the same delivery: same id and same signed bytes
        assertThat(receiver.requests("/flaky")).extracting(r -> r.header("X-Godiag-Delivery")).containsOnly(
                receiver.requests("/flaky").getFirst().header("X-Godiag-Delivery"));
        assertThat(outbox.row(id).deliveredAt).isEqualTo(T0.plusSeconds(14));
        assertThat(outbox.row(id).attempts).isEqualTo(3);
    }

    @Test
    void backoffIsCappedAndRetryAfterIsHonouredUpToTheCap() throws InterruptedException {
        assertThat(POLICY.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(POLICY.delayAfter(4)).isEqualTo(Duration.ofSeconds(16));
        assertThat(POLICY.delayAfter(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(POLICY.delayAfter(200)).isEqualTo(Duration.ofSeconds(30));

        receiver.answer("/busy", () -> new HttpReceiver.Answer(429, Map.of("Retry-After", "20"), "slow down", Duration.ZERO));
        webhook(TestAlerts.firing(Stage.NOTIFY), "/busy");
        DeliveryWorker.Outcome o = worker.runOnce().getFirst();
        assertThat(o.result()).isEqualTo(DeliveryWorker.Result.RETRY);
        assertThat(o.nextAttempt()).isEqualTo(T0.plusSeconds(20));
        assertThat(o.detail()).endsWith("HTTP 429: slow down");

        receiver.answer("/busier", () -> new HttpReceiver.Answer(503, Map.of("Retry-After", "3600"), "", Duration.ZERO));
        webhook(TestAlerts.resolved(Stage.NOTIFY), "/busier");
        clock.set(T0);
        DeliveryWorker.Outcome capped = worker.runOnce().stream()
                .filter(x -> x.delivery().url().endsWith("/busier")).findFirst().orElseThrow();
        assertThat(capped.nextAttempt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void aClientErrorFailsForGoodAndIsReportedOnce() throws InterruptedException {
        receiver.answer("/gone", () -> new HttpReceiver.Answer(404, Map.of(), "no such hook\nat all", Duration.ZERO));
        long id = webhook(TestAlerts.firing(Stage.NOTIFY), "/gone");
        List<DeliveryWorker.Outcome> outcomes = worker.runOnce();
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.getFirst().result()).isEqualTo(DeliveryWorker.Result.FAILED);
        assertThat(outcomes.getFirst().detail()).isEqualTo("webhook " + receiver.url("/gone")
                + " (firing): HTTP 404: no such hook at all");
        assertThat(outbox.row(id).failedAt).isEqualTo(T0);
        clock.advance(Duration.ofDays(1));
        assertThat(worker.runOnce()).isEmpty();
        assertThat(receiver.requests("/gone")).hasSize(1);
    }

    @Test
    void retriesRunOutAfterTheAttemptLimit() throws InterruptedException {
        receiver.statuses("/down", 500, 500, 500, 500, 500, 500, 500, 500);
        long id = webhook(TestAlerts.firing(Stage.NOTIFY), "/down");
        DeliveryWorker.Outcome last = null;
        for (int i = 0; i < POLICY.maxAttempts(); i++) {
            List<DeliveryWorker.Outcome> run = worker.runOnce();
            assertThat(run).hasSize(1);
            last = run.getFirst();
            if (last.nextAttempt() != null) {
                clock.set(last.nextAttempt());
            }
        }
        assertThat(last.result()).isEqualTo(DeliveryWorker.Result.FAILED);
        assertThat(last.detail()).endsWith("HTTP 500 (gave up after 6 attempts)");
        assertThat(outbox.row(id).failedAt).isNotNull();
        assertThat(receiver.requests("/down")).hasSize(6);
    }

    @Test
    void refusedConnectionAndSlowReceiverAreRetriedWithinTheTimeLimit() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Alert alert = TestAlerts.firing(Stage.NOTIFY);
        NotifyConfig notify = TestAlerts.notify(List.of(new NotifyConfig.Webhook("http://127.0.0.1:" + closedPort + "/hook", null)),
                List.of());
        outbox.add(alert.id(), alert.state(), deliveries.plan(alert, notify, null), T0);
        receiver.answer("/slow", () -> new HttpReceiver.Answer(200, Map.of(), "", Duration.ofSeconds(10)));
        webhook(alert, "/slow");
        DeliveryWorker impatient = new DeliveryWorker(outbox, http, clock, new DeliveryWorker.RetryPolicy(
                POLICY.firstDelay(), POLICY.maxDelay(), POLICY.maxAttempts(), Duration.ofSeconds(1)), 100);

        long start = System.nanoTime();
        List<DeliveryWorker.Outcome> outcomes = impatient.runOnce();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(outcomes).extracting(DeliveryWorker.Outcome::result)
                .containsOnly(DeliveryWorker.Result.RETRY).hasSize(2);
        assertThat(outcomes).extracting(DeliveryWorker.Outcome::detail).anySatisfy(d -> assertThat(d).endsWith(
                ":" + closedPort + "/hook (firing): connection refused"))
                .anySatisfy(d -> assertThat(d).endsWith("/slow (firing): no response within 1s"));
        // the receivers are tried in parallel and the slow one is cut at its limit, not waited for
        assertThat(took).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aUrlThatCannotBeSentToFailsAtOnce() throws InterruptedException {
        Alert alert = TestAlerts.firing(Stage.NOTIFY);
        long id = outbox.add(alert.id(), alert.state(), List.of(new Outbox.Pending("callback", "http://{bad target}/cb",
                Map.of(), new byte[0])), T0).getFirst();
        DeliveryWorker.Outcome o = worker.runOnce().getFirst();
        assertThat(o.result()).isEqualTo(DeliveryWorker.Result.FAILED);
        assertThat(o.detail()).startsWith("callback http://{bad target}/cb (firing): cannot send there: ");
        assertThat(outbox.row(id).failedAt).isEqualTo(T0);
    }

    @Test
    void aResolveWaitsForItsFiringToTheSameReceiver() throws InterruptedException {
        receiver.statuses("/ordered", 503);
        long firing = webhook(TestAlerts.firing(Stage.NOTIFY), "/ordered");
        long resolved = webhook(TestAlerts.resolved(Stage.NOTIFY), "/ordered");

        List<DeliveryWorker.Outcome> run = worker.runOnce();
        assertThat(run).extracting(DeliveryWorker.Outcome::result)
                .containsExactly(DeliveryWorker.Result.RETRY, DeliveryWorker.Result.RETRY);
        assertThat(receiver.requests("/ordered")).hasSize(1);
        assertThat(outbox.row(resolved).next).isEqualTo(outbox.row(firing).next);

        clock.set(outbox.row(firing).next);
        assertThat(worker.runOnce()).extracting(DeliveryWorker.Outcome::result)
                .containsExactly(DeliveryWorker.Result.DELIVERED, DeliveryWorker.Result.DELIVERED);
        assertThat(receiver.requests("/ordered")).extracting(r -> r.header("X-Godiag-Event"))
                .containsExactly("firing", "firing", "resolved");
    }

    @Test
    void aFiringStillPendingAfterItsResolveWasDeliveredIsDropped() throws InterruptedException {
        receiver.statuses("/late", 503);
        long firing = webhook(TestAlerts.firing(Stage.NOTIFY), "/late");
        worker.runOnce(); // the firing fails and waits 2 s
        long resolved = webhook(TestAlerts.resolved(Stage.NOTIFY), "/late");
        clock.advance(Duration.ofSeconds(1));
        assertThat(worker.runOnce()).extracting(DeliveryWorker.Outcome::result)
                .containsExactly(DeliveryWorker.Result.DELIVERED);
        assertThat(outbox.row(resolved).deliveredAt).isNotNull();

        clock.advance(Duration.ofSeconds(5));
        DeliveryWorker.Outcome o = worker.runOnce().getFirst();
        assertThat(o.delivery().id()).isEqualTo(firing);
        assertThat(o.result()).isEqualTo(DeliveryWorker.Result.FAILED);
        assertThat(o.detail()).endsWith("dropped, its resolve was delivered first");
        assertThat(receiver.requests("/late")).extracting(r -> r.header("X-Godiag-Event"))
                .containsExactly("firing", "resolved");
    }

    @Test
    void transitionsOfOtherAlertsAreNotHeldBackByAFailingOne() throws InterruptedException {
        receiver.statuses("/shared", 500);
        Alert a = TestAlerts.firing(Stage.NOTIFY);
        Alert b = new Alert("other", a.target(), a.metric(), AlertState.FIRING, a.since(), null, a.value(),
                a.baseline(), a.threshold(), a.stage(), null);
        webhook(a, "/shared");
        webhook(b, "/shared");
        List<DeliveryWorker.Outcome> run = worker.runOnce();
        // both were sent (the receiver failed whichever came first): a failure holds back only its own alert
        assertThat(receiver.requests("/shared")).extracting(r -> r.header("X-Godiag-Delivery")).doesNotHaveDuplicates()
                .hasSize(2);
        assertThat(run).extracting(DeliveryWorker.Outcome::result)
                .containsExactlyInAnyOrder(DeliveryWorker.Result.RETRY, DeliveryWorker.Result.DELIVERED);
    }
}
