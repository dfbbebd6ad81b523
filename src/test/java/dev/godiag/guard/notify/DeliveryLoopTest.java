package dev.godiag.guard.notify;

import dev.godiag.testutil.HttpReceiver;
import dev.godiag.guard.config.NotifyConfig;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.Outbox;
import dev.godiag.guard.model.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The delivery thread delivers when woken, refreshes firing alerts, reports what happened and survives a failing outbox. */
class DeliveryLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough that only {@link DeliveryLoop#wake} and the start make rounds happen within a test. */
    private static final Duration NEVER = Duration.ofMinutes(10);
    private static HttpReceiver receiver;
    private static HttpClient http;

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

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + "s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aStoredTransitionIsDeliveredWhenWokenAndFiringAlertsAreRefreshed() throws Exception {
        MemoryOutbox outbox = new MemoryOutbox();
        Deliveries deliveries = new Deliveries(new AlertJson(""));
        NotifyConfig notify = TestAlerts.notify(List.of(new NotifyConfig.Webhook(receiver.url("/loop-hook"), "k")),
                List.of(receiver.url("/loop-am")));
        Alert firing = TestAlerts.firing(Stage.NOTIFY);
        List<String> report = new CopyOnWriteArrayList<>();
        DeliveryWorker worker = new DeliveryWorker(outbox, http, Clock.systemUTC());
        try (DeliveryLoop loop = new DeliveryLoop(worker, deliveries, () -> notify, () -> List.of(firing), report::add,
                NEVER, NEVER).start()) {
            // the first round refreshes what fires at once
            await("the refresh", () -> !receiver.requests("/loop-am/api/v2/alerts").isEmpty());
            assertThat(new String(receiver.requests("/loop-am/api/v2/alerts").getFirst().body()))
                    .contains("\"alertname\":\"GoroutineGrowth\"");

            List<Outbox.Pending> plan = deliveries.plan(firing, notify, null);
            outbox.add(firing.id(), firing.state(), plan.subList(0, 1), Instant.now());
            loop.wake();
            await("the webhook", () -> !receiver.requests("/loop-hook").isEmpty());
            await("the report", () -> report.stream().anyMatch(l -> l.startsWith("delivered webhook ")));
            assertThat(report).containsExactly("delivered webhook " + receiver.url("/loop-hook") + " (firing): HTTP 200");
        }
        assertThat(receiver.requests("/loop-hook")).hasSize(1);
    }

    @Test
    void aFailingOutboxIsReportedAndTheLoopGoesOn() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        MemoryOutbox store = new MemoryOutbox();
        Outbox outbox = new Outbox() {
            @Override
            public List<Delivery> due(Instant now, int limit) {
                if (broken.getAndSet(false)) {
                    throw new IllegalStateException("database is locked");
                }
                return store.due(now, limit);
            }

            @Override
            public void delivered(long id, Instant at) {
                store.delivered(id, at);
            }

            @Override
            public void retryLater(long id, Instant next, String error) {
                store.retryLater(id, next, error);
            }

            @Override
            public void failed(long id, Instant at, String error) {
                store.failed(id, at, error);
            }
        };
        List<String> report = new CopyOnWriteArrayList<>();
        Alert firing = TestAlerts.firing(Stage.NOTIFY);
        NotifyConfig notify = TestAlerts.notify(List.of(new NotifyConfig.Webhook(receiver.url("/after-failure"), null)),
                List.of());
        store.add(firing.id(), firing.state(), new Deliveries(new AlertJson("")).plan(firing, notify, null), Instant.now());
        try (DeliveryLoop loop = new DeliveryLoop(new DeliveryWorker(outbox, http, Clock.systemUTC()),
                new Deliveries(new AlertJson("")), () -> notify, List::of, report::add, Duration.ofMillis(50), NEVER)
                .start()) {
            await("the delivery after the failed round", () -> report.stream().anyMatch(l -> l.startsWith("delivered webhook ")));
        }
        assertThat(report.getFirst()).isEqualTo("delivery round failed: database is locked");
        assertThat(receiver.requests("/after-failure")).hasSize(1);
    }
}
