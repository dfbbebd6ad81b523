package dev.godiag.store;

import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Outbox;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;
import dev.godiag.testutil.JavaProcess;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What guard's store must do on every database; a subclass names the database. */
abstract class GuardStoreContract {
    static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");

    /** The --db value of a database shared by this class's tests (they use targets of their own). */
    abstract String db();

    /** A new, empty database: for the outbox tests, whose {@code due} sees every delivery stored. */
    abstract String freshDb();

    static Database open(String db) {
        return Database.open(StoreLocation.parse(db, null));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Target target(String job, String address) {
        return new Target(job, address, Map.of("team", "pay", "zone", "b"));
    }

    static AlertEvidence evidence(String captureId) {
        return new AlertEvidence(captureId, T0.plusSeconds(95),
                List.of(new AlertEvidence.GrowingBucket("main.(*worker).send", "main.go", 42, "chan send", 812, 12,
                        "leak: channel send nobody receives")),
                List.of(new AlertEvidence.FindingSummary("goroutines.leak", "critical", "812 goroutines blocked",
                        "main.go:42", "give the channel a receiver or a buffer; é ✓ \"quoted\"\nsecond line")),
                List.of("goroutine-debug2.txt", "heap.pb.gz"));
    }

    static Alert firing(String id, Target t) {
        return new Alert(id, t, Metric.GOROUTINES, AlertState.FIRING, T0.plusSeconds(60), null, 812, 12, 512,
                Stage.NOTIFY, null);
    }

    static List<Outbox.Pending> pendings(String alertId) {
        return List.of(new Outbox.Pending("webhook", "http://hooks.test/a", Map.of("X-Godiag-Delivery", alertId + "/w",
                        "X-Godiag-Signature", "sha256=00ff"), ("{\"id\":\"" + alertId + "\"}").getBytes(StandardCharsets.UTF_8)),
                new Outbox.Pending("alertmanager", "http://am.test/api/v2/alerts", Map.of("Content-Type",
                        "application/json"), new byte[]{0, (byte) 0xff, 10, 13}));
    }

    static Reading reading(Target t, Instant at, double goroutines, Double heap, double start) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        values.put(Metric.GOROUTINES, goroutines);
        if (heap != null) {
            values.put(Metric.HEAP, heap);
        }
        return new Reading(t, at, Duration.ofMillis(37), null, values, OptionalDouble.of(start), "metrics");
    }

    @Test
    void readingsTargetsAndWatchStatesRoundTrip() {
        String job = unique("readings");
        Target a = target(job, "a:6060");
        Target b = new Target(job, "b:6060", Map.of());
        try (Database d = open(db())) {
            GuardRepository repo = new GuardRepository(d);
            List<Reading> round = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                round.add(reading(a, T0.plusSeconds(15L * i), 100 + i, i % 2 == 0 ? 1.5e8 + i : null, 1.7645e9));
            }
            round.add(Reading.failed(b, T0, Duration.ofSeconds(10), "timeout after 10s\nwhile reading"));
            repo.recordReadings(round);
            repo.saveWatchState(a, "{\"baseline\":{\"goroutines\":100}}", T0.plusSeconds(150));

            List<Reading> history = repo.readings(a.key(), T0.plusSeconds(30), 5);
            // the newest 5 at or after T0+30s, in time order
            assertThat(history).extracting(Reading::at).containsExactly(T0.plusSeconds(75), T0.plusSeconds(90),
                    T0.plusSeconds(105), T0.plusSeconds(120), T0.plusSeconds(135));
            Reading r6 = history.get(1);
            assertThat(r6).isEqualTo(round.get(6));
            assertThat(history.get(0).value(Metric.HEAP)).isEmpty();
            assertThat(history.get(0).value(Metric.FDS)).isEmpty();
            assertThat(r6.target().labels()).containsEntry("team", "pay");

            GuardRepository.StoredTarget sa = repo.target(a.key()).orElseThrow();
            assertThat(sa.target()).isEqualTo(a);
            assertThat(sa.up()).isTrue();
            assertThat(sa.lastError()).isNull();
            assertThat(sa.lastScrapeAt()).isEqualTo(T0.plusSeconds(135));
            assertThat(sa.watchState()).isEqualTo("{\"baseline\":{\"goroutines\":100}}");
            GuardRepository.StoredTarget sb = repo.target(b.key()).orElseThrow();
            assertThat(sb.up()).isFalse();
            assertThat(sb.lastError()).isEqualTo("timeout after 10s; while reading");
            assertThat(sb.watchState()).isNull();
            assertThat(repo.readings(b.key(), T0, 10)).singleElement()
                    .satisfies(r -> assertThat(r.error()).isEqualTo("timeout after 10s; while reading"));

            // the target recovers: up again, its watch state kept
            repo.recordReading(reading(a, T0.plusSeconds(150), 111, null, 1.7645e9));
            repo.recordReading(reading(b, T0.plusSeconds(150), 5, null, 1.7645e9));
            assertThat(repo.target(b.key()).orElseThrow().up()).isTrue();
            assertThat(repo.target(b.key()).orElseThrow().lastError()).isNull();
            assertThat(repo.target(a.key()).orElseThrow().watchState()).contains("baseline");
            assertThat(repo.targets()).extracting(s -> s.target().key()).contains(a.key(), b.key());

            // retention: everything before T0+60s goes, for every target; the rest stays
            long pruned = repo.pruneReadings(T0.plusSeconds(60));
            assertThat(pruned).isGreaterThanOrEqualTo(5); // a's 4 and b's failed one, plus other tests' old rows
            assertThat(repo.readings(a.key(), Instant.EPOCH, 100)).hasSize(7).first()
                    .satisfies(r -> assertThat(r.at()).isEqualTo(T0.plusSeconds(60)));
            assertThat(repo.readings(b.key(), Instant.EPOCH, 100)).hasSize(1);
            assertThat(repo.readings("nosuch/target", Instant.EPOCH, 100)).isEmpty();
        }
    }

    @Test
    void aTransitionIsRecordedOnceWithItsDeliveries() {
        Target t = target(unique("transitions"), "p1:6060");
        String id = t.key() + "/goroutines/" + T0.plusSeconds(60).toEpochMilli();
        try (Database d = open(db())) {
            GuardRepository repo = new GuardRepository(d);
            Alert fired = firing(id, t);
            assertThat(repo.recordTransition(fired, pendings(id), "{\"open\":true}")).isTrue();
            assertThat(repo.recordTransition(fired, pendings(id), "{\"open\":true}")).isFalse(); // a replay adds nothing
            assertThat(repo.recordTransition(fired.withValue(900), List.of())).isFalse();
            assertThat(repo.deliveries(id)).hasSize(2);
            assertThat(repo.alert(id)).contains(fired);
            assertThat(repo.target(t.key()).orElseThrow().watchState()).isEqualTo("{\"open\":true}");
            assertThat(repo.alertsOf(t.key(), 10)).containsExactly(fired);

            // while firing, the value moves and evidence arrives: no transition, no delivery
            assertThat(repo.updateAlert(fired.withValue(1300).withEvidence(evidence("cap-" + id)))).isTrue();
            assertThat(repo.alert(id).orElseThrow().value()).isEqualTo(1300);
            assertThat(repo.alert(id).orElseThrow().evidence()).isEqualTo(evidence("cap-" + id));
            assertThat(repo.updateAlert(firing("never-recorded", t))).isFalse();
            assertThat(repo.alert("never-recorded")).isEmpty();

            Alert resolved = repo.alert(id).orElseThrow().resolved(T0.plusSeconds(600), 14);
            assertThat(repo.recordTransition(resolved, pendings(id).subList(0, 1))).isTrue();
            assertThat(repo.recordTransition(resolved, pendings(id).subList(0, 1))).isFalse();
            assertThat(repo.alert(id)).contains(resolved);
            assertThat(repo.alert(id).orElseThrow().evidence()).isEqualTo(evidence("cap-" + id));
            // a late update of the firing alert changes nothing of the resolved one
            assertThat(repo.updateAlert(fired.withValue(2000))).isFalse();
            assertThat(repo.alert(id)).contains(resolved);

            assertThat(repo.deliveries(id)).extracting(s -> s.delivery().transition(), s -> s.delivery().channel())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertState.FIRING, "webhook"),
                            org.assertj.core.groups.Tuple.tuple(AlertState.FIRING, "alertmanager"),
                            org.assertj.core.groups.Tuple.tuple(AlertState.RESOLVED, "webhook"));
            Outbox.Delivery first = repo.deliveries(id).get(0).delivery();
            assertThat(first.headers()).isEqualTo(pendings(id).get(0).headers());
            assertThat(first.body()).isEqualTo(pendings(id).get(0).body());
            assertThat(repo.deliveries(id).get(1).delivery().body()).containsExactly(0, (byte) 0xff, 10, 13);
            assertThat(repo.transitions(id)).extracting(GuardRepository.Transition::state, GuardRepository.Transition::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertState.FIRING, 812.0),
                            org.assertj.core.groups.Tuple.tuple(AlertState.RESOLVED, 14.0));

            // by state: this alert is history now; a second one of the target is current
            Alert heap = new Alert(t.key() + "/heap/1", t, Metric.HEAP, AlertState.FIRING, T0.plusSeconds(700), null,
                    3.2e8, 1.5e8, 2.25e8, Stage.CAPTURE, null);
            repo.recordTransition(heap, List.of());
            assertThat(repo.alerts(AlertState.FIRING, 10_000)).contains(heap).doesNotContain(resolved);
            assertThat(repo.alerts(AlertState.RESOLVED, 10_000)).contains(resolved).doesNotContain(heap);
            assertThat(repo.firing()).contains(heap);
            assertThat(repo.alertsOf(t.key(), 10)).containsExactly(heap, resolved); // newest first
            assertThat(repo.alertsOf(t.key(), 1)).containsExactly(heap);
            assertThat(repo.deliveries(heap.id())).isEmpty();
        }
    }

    @Test
    void aFailedTransactionLeavesNothingAndItsReplayRecordsIt() {
        Target t = target(unique("rollback"), "r:1");
        String id = t.key() + "/goroutines/1";
        try (Database d = open(db())) {
            GuardRepository repo = new GuardRepository(d);
            repo.beforeCommit = () -> {
                throw new IllegalStateException("the disk went away");
            };
            assertThatThrownBy(() -> repo.recordTransition(firing(id, t), pendings(id), "{\"s\":1}"))
                    .isInstanceOf(StoreException.class).hasMessageContaining("the disk went away")
                    .hasMessageContaining(id);
            assertNothingOf(repo, id, t);

            repo.beforeCommit = null;
            assertThat(repo.recordTransition(firing(id, t), pendings(id), "{\"s\":1}")).isTrue();
            assertThat(repo.deliveries(id)).hasSize(2);
            assertThat(repo.transitions(id)).hasSize(1);
        }
    }

    private static void assertNothingOf(GuardRepository repo, String id, Target t) {
        assertThat(repo.alert(id)).isEmpty();
        assertThat(repo.transitions(id)).isEmpty();
        assertThat(repo.deliveries(id)).isEmpty();
        assertThat(repo.target(t.key())).isEmpty();
    }

    /** A real crash: a process SIGKILLed with the transition's rows written but not committed. */
    @Test
    void aGuardKilledInsideATransitionLeavesNothing() throws Exception {
        Target t = target("crash", "c:1");
        String id = unique("crash/c:1/goroutines");
        JavaProcess.Running r = JavaProcess.start(GuardStoreWorker.class.getName(), List.of(db(), id));
        long guard = System.nanoTime() + TimeUnit.MINUTES.toNanos(Peers.HANG_GUARD_MINUTES);
        while (!Files.readString(r.out()).contains("inside")) {
            if (!r.process().isAlive() || System.nanoTime() > guard) {
                r.process().destroyForcibly();
                throw new AssertionError("the worker never reached its commit: " + r.await());
            }
            Thread.sleep(20);
        }
        r.process().destroyForcibly(); // SIGKILL: no shutdown hook, no rollback by the process
        r.process().waitFor();
        assertThat(r.await().stdout()).doesNotContain("committed");
        try (Database d = open(db())) {
            GuardRepository repo = new GuardRepository(d);
            assertThat(repo.alert(id)).isEmpty();
            assertThat(repo.transitions(id)).isEmpty();
            assertThat(repo.deliveries(id)).isEmpty();
            // and the replay after the restart records it whole
            assertThat(repo.recordTransition(firing(id, t), pendings(id), "{\"crash\":true}")).isTrue();
            assertThat(repo.deliveries(id)).hasSize(2);
            assertThat(repo.target(t.key()).orElseThrow().watchState()).isEqualTo("{\"crash\":true}");
        }
    }

    @Test
    void dueClaimsWithALeaseAndOutcomesStick() {
        String db = freshDb();
        Target t = target("outbox", "o:1");
        Duration lease = Duration.ofSeconds(30);
        try (Database d1 = open(db); Database d2 = open(db)) {
            GuardRepository a = new GuardRepository(d1, "guard-a", lease);
            GuardRepository b = new GuardRepository(d2, "guard-b", lease);
            assertThat(a.due(Instant.now(), 10)).isEmpty();
            a.recordTransition(firing("x1", t), pendings("x1"));
            a.recordTransition(firing("x2", t), pendings("x2").subList(0, 1));
            Instant now = Instant.now().plusSeconds(1);

            List<Outbox.Delivery> claimed = a.due(now, 10);
            assertThat(claimed).extracting(Outbox.Delivery::alertId).containsExactly("x1", "x1", "x2");
            assertThat(claimed).extracting(Outbox.Delivery::attempts).containsOnly(0);
            assertThat(claimed.get(0).headers()).isEqualTo(pendings("x1").get(0).headers());
            assertThat(claimed.get(0).body()).isEqualTo(pendings("x1").get(0).body());
            assertThat(a.deliveries("x1")).allSatisfy(s -> {
                assertThat(s.leaseOwner()).isEqualTo("guard-a");
                assertThat(s.leaseUntil()).isEqualTo(Instant.ofEpochMilli(now.plus(lease).toEpochMilli()));
            });
            // leased: nobody else gets them, not even this guard, until the lease runs out
            assertThat(b.due(now, 10)).isEmpty();
            assertThat(a.due(now.plus(lease).minusMillis(1), 10)).isEmpty();

            long delivered = claimed.get(0).id();
            long retried = claimed.get(1).id();
            long refused = claimed.get(2).id();
            a.delivered(delivered, now.plusSeconds(1));
            a.retryLater(retried, now.plusSeconds(20), "HTTP 503 Service Unavailable\n<html>");
            a.failed(refused, now.plusSeconds(1), "HTTP 400 Bad Request");
            assertThat(b.due(now.plusSeconds(19), 10)).isEmpty();
            List<Outbox.Delivery> again = b.due(now.plusSeconds(20), 10);
            assertThat(again).singleElement().satisfies(x -> {
                assertThat(x.id()).isEqualTo(retried);
                assertThat(x.attempts()).isEqualTo(1);
                assertThat(x.lastError()).isEqualTo("HTTP 503 Service Unavailable; <html>");
                assertThat(x.nextAttemptAt()).isEqualTo(now.plusSeconds(20).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            });
            // a's stale retry of a delivery b holds now changes nothing; b's outcome decides
            a.retryLater(retried, now.plusSeconds(25), "late");
            assertThat(b.deliveries("x1").get(1).leaseOwner()).isEqualTo("guard-b");
            b.delivered(retried, now.plusSeconds(21));
            b.delivered(retried, now.plusSeconds(99)); // twice: the first time stands
            b.retryLater(delivered, now.plusSeconds(30), "too late");

            // every outcome is final: nothing is due ever again
            assertThat(a.due(now.plus(Duration.ofDays(365)), 10)).isEmpty();
            List<GuardRepository.StoredDelivery> x1 = a.deliveries("x1");
            assertThat(x1.get(0).deliveredAt()).isEqualTo(now.plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(x1.get(0).delivery().attempts()).isEqualTo(1);
            assertThat(x1.get(1).deliveredAt()).isEqualTo(now.plusSeconds(21).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(x1.get(1).delivery().attempts()).isEqualTo(2);
            assertThat(x1).noneMatch(GuardRepository.StoredDelivery::pending);
            GuardRepository.StoredDelivery x2 = a.deliveries("x2").get(0);
            assertThat(x2.failedAt()).isNotNull();
            assertThat(x2.deliveredAt()).isNull();
            assertThat(x2.delivery().lastError()).isEqualTo("HTTP 400 Bad Request");
            assertThat(a.outboxCounts()).isEqualTo(new GuardRepository.OutboxCounts(0, 2, 1));

            // finished deliveries go with the retention, pending ones never
            a.recordTransition(firing("x3", t), pendings("x3").subList(0, 1));
            assertThat(a.pruneDeliveries(Instant.now().plusSeconds(5))).isEqualTo(3);
            assertThat(a.outboxCounts()).isEqualTo(new GuardRepository.OutboxCounts(1, 0, 0));
            assertThat(a.deliveries("x3")).hasSize(1);
        }
    }

    @Test
    void aLeaseRunsOutAndAnotherGuardTakesOver() {
        String db = freshDb();
        Duration lease = Duration.ofSeconds(30);
        try (Database d1 = open(db); Database d2 = open(db)) {
            GuardRepository a = new GuardRepository(d1, "guard-a", lease);
            GuardRepository b = new GuardRepository(d2, "guard-b", lease);
            a.recordTransition(firing("y1", target("lease", "l:1")), pendings("y1").subList(0, 1));
            Instant now = Instant.now().plusSeconds(1);
            assertThat(a.due(now, 10)).hasSize(1);
            // guard a hangs: after its lease b claims the delivery
            assertThat(b.due(now.plus(lease), 10)).singleElement()
                    .satisfies(x -> assertThat(x.alertId()).isEqualTo("y1"));
            assertThat(b.deliveries("y1").get(0).leaseOwner()).isEqualTo("guard-b");
        }
    }

    /**
     * Two guards, each with four threads, drain one outbox: every delivery is claimed exactly once
     * (the lease outlives the test, so a second claim could only be a race).
     */
    @Test
    void twoGuardsNeverClaimOneDeliveryTogether() throws Exception {
        String db = freshDb();
        int alerts = 60;
        try (Database d1 = open(db); Database d2 = open(db)) {
            GuardRepository seed = new GuardRepository(d1);
            for (int i = 0; i < alerts; i++) {
                seed.recordTransition(firing("z" + i, target("race", "r:" + i)), pendings("z" + i));
            }
            List<GuardRepository> guards = List.of(new GuardRepository(d1, "guard-a", Duration.ofHours(1)),
                    new GuardRepository(d2, "guard-b", Duration.ofHours(1)));
            Map<Long, AtomicInteger> claims = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> byGuard = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    GuardRepository g = guards.get(w % 2);
                    work.add(pool.submit(() -> {
                        start.await();
                        Instant now = Instant.now();
                        for (List<Outbox.Delivery> batch = g.due(now, 3); !batch.isEmpty(); batch = g.due(now, 3)) {
                            for (Outbox.Delivery x : batch) {
                                claims.computeIfAbsent(x.id(), k -> new AtomicInteger()).incrementAndGet();
                                byGuard.computeIfAbsent(g.owner(), k -> new AtomicInteger()).incrementAndGet();
                                g.delivered(x.id(), now);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : work) {
                    f.get(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(claims).hasSize(alerts * 2);
            assertThat(claims.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            assertThat(seed.outboxCounts()).isEqualTo(new GuardRepository.OutboxCounts(0, alerts * 2L, 0));
        }
    }

    /**
     * A guard stops (killed or not) with an open alert, a claimed delivery and a pending one; its
     * restart under the same owner finds its baselines and the alert, and sends both deliveries.
     */
    @Test
    void aRestartContinuesWhereItStopped() {
        String db = freshDb();
        Target t = target("restart", "s:1");
        String id = t.key() + "/goroutines/1";
        Instant now;
        long claimedId;
        try (Database d = open(db)) {
            GuardRepository before = new GuardRepository(d, "shard-0", GuardRepository.DEFAULT_LEASE);
            before.recordReading(reading(t, T0, 120, 1.5e8, 1.7645e9));
            before.saveWatchState(t, "{\"baseline\":120}", T0);
            before.recordTransition(firing(id, t), pendings(id), "{\"baseline\":120,\"open\":\"" + id + "\"}");
            now = Instant.now().plusSeconds(1);
            claimedId = before.due(now, 1).get(0).id();
        }
        try (Database d = open(db)) {
            GuardRepository after = new GuardRepository(d, "shard-0", GuardRepository.DEFAULT_LEASE);
            assertThat(after.target(t.key()).orElseThrow().watchState()).isEqualTo("{\"baseline\":120,\"open\":\"" + id + "\"}");
            assertThat(after.firing()).containsExactly(firing(id, t));
            assertThat(after.readings(t.key(), T0, 10)).hasSize(1);
            // another owner's restart does not steal shard-0's lease
            assertThat(new GuardRepository(d, "shard-1", GuardRepository.DEFAULT_LEASE).releaseLeases()).isZero();
            assertThat(after.due(now, 10)).extracting(Outbox.Delivery::id).doesNotContain(claimedId).hasSize(1);
            assertThat(after.releaseLeases()).isEqualTo(2);
            assertThat(after.due(now, 10)).extracting(Outbox.Delivery::id).contains(claimedId).hasSize(2);
        }
    }

    @Test
    void evidenceKeepsItsBytesAndItsSummary() {
        Target t = target(unique("evidence"), "e:1");
        String id = t.key() + "/goroutines/1";
        String capture = unique("cap");
        byte[] dump = "goroutine 1 [chan send, 12 minutes]:\nmain.(*worker).send(...)\n".repeat(2000)
                .getBytes(StandardCharsets.UTF_8);
        byte[] heap = new byte[70_000];
        for (int i = 0; i < heap.length; i++) {
            heap[i] = (byte) (i * 31 + 7);
        }
        try (Database d = open(db())) {
            GuardRepository repo = new GuardRepository(d);
            // captured as the condition starts, before the alert is recorded
            List<GuardRepository.EvidenceFile> files = List.of(new GuardRepository.EvidenceFile("goroutine-debug2.txt", dump),
                    new GuardRepository.EvidenceFile("heap.pb.gz", heap));
            repo.saveEvidence(id, evidence(capture), files);
            repo.saveEvidence(id, evidence(capture), files); // a repeat adds nothing
            Alert fired = firing(id, t).withEvidence(evidence(capture));
            repo.recordTransition(fired, List.of());
            assertThat(repo.alert(id).orElseThrow().evidence()).isEqualTo(evidence(capture));
            assertThat(repo.evidenceFiles(capture)).extracting(GuardRepository.StoredFile::name,
                    GuardRepository.StoredFile::sizeBytes).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("goroutine-debug2.txt", (long) dump.length),
                    org.assertj.core.groups.Tuple.tuple("heap.pb.gz", (long) heap.length));
            assertThat(repo.evidenceFilesOf(id)).hasSize(2);
            assertThat(repo.evidenceFile(capture, "heap.pb.gz")).hasValueSatisfying(b -> assertThat(b).isEqualTo(heap));
            assertThat(repo.evidenceFile(capture, "goroutine-debug2.txt"))
                    .hasValueSatisfying(b -> assertThat(b).isEqualTo(dump));
            assertThat(repo.evidenceFile(capture, "nosuch")).isEmpty();

            // a later capture of the same alert replaces the summary, keeps the first files
            String second = unique("cap");
            repo.saveEvidence(id, evidence(second), List.of(new GuardRepository.EvidenceFile("goroutine-debug2.txt",
                    new byte[]{1})));
            assertThat(repo.alert(id).orElseThrow().evidence().captureId()).isEqualTo(second);
            assertThat(repo.evidenceFilesOf(id)).hasSize(3);
            assertThat(repo.evidenceFile(capture, "goroutine-debug2.txt")).hasValueSatisfying(b -> assertThat(b).isEqualTo(dump));
        }
    }

    @Test
    void alertValuesKeepTheirBitsAndNaNStaysNaN() {
        Target t = target(unique("values"), "v:1");
        try (Database d = open(db())) {
            GuardRepository repo = new GuardRepository(d);
            Alert a = new Alert(t.key() + "/fds/1", t, Metric.FDS, AlertState.FIRING, T0, null, 1e-300,
                    Double.NaN, 123456789.123, Stage.OBSERVE, null);
            repo.recordTransition(a, List.of());
            Alert back = repo.alert(a.id()).orElseThrow();
            assertThat(back.value()).isEqualTo(1e-300);
            assertThat(back.baseline()).isNaN();
            assertThat(back.threshold()).isEqualTo(123456789.123);
            assertThat(back.stage()).isEqualTo(Stage.OBSERVE);
        }
    }

    @Test
    void pruningResolvedAlertsKeepsWhatIsStillToSend() {
        String db = freshDb();
        try (Database d = open(db)) {
            Instant before = Instant.now().plusSeconds(60);
            GuardRepository repo = new GuardRepository(d);
            Target t = target("prune", "p:1");
            Alert done = firing("done", t);
            repo.saveEvidence("done", evidence("cap-done"), List.of(new GuardRepository.EvidenceFile("dump.txt", new byte[]{1})));
            repo.recordTransition(done, pendings("done"));
            repo.recordTransition(done.resolved(T0.plusSeconds(600), 10), pendings("done").subList(0, 1));
            Alert waiting = firing("waiting", t);
            repo.recordTransition(waiting, List.of());
            repo.recordTransition(waiting.resolved(T0.plusSeconds(600), 10), pendings("waiting").subList(0, 1));
            Alert open = firing("open", t);
            repo.recordTransition(open, pendings("open"));
            Alert recent = firing("recent", t);
            repo.recordTransition(recent, List.of());
            repo.recordTransition(recent.resolved(before.plusSeconds(3600), 10), List.of());
            // a capture whose alert was never recorded: the guard stopped in between
            repo.saveEvidence("orphan", evidence("cap-orphan"), List.of(new GuardRepository.EvidenceFile("dump.txt", new byte[]{2})));
            for (Outbox.Delivery x : repo.due(Instant.now().plusSeconds(1), 100)) {
                if (x.alertId().equals("done")) {
                    repo.delivered(x.id(), Instant.now());
                }
            }

            assertThat(repo.pruneResolved(before)).isEqualTo(1);
            assertThat(repo.alert("done")).isEmpty();
            assertThat(repo.transitions("done")).isEmpty();
            assertThat(repo.deliveries("done")).isEmpty();
            assertThat(repo.evidenceFilesOf("done")).isEmpty();
            assertThat(repo.evidenceFilesOf("orphan")).isEmpty();
            assertThat(repo.alert("waiting")).isPresent();
            assertThat(repo.deliveries("waiting")).hasSize(1);
            assertThat(repo.alert("open")).isPresent();
            assertThat(repo.deliveries("open")).hasSize(2);
            assertThat(repo.alert("recent")).isPresent();
            assertThat(repo.pruneResolved(before)).isZero();
        }
    }

    /** A daemon on a test clock: what it records is stamped by that clock, so deliveries are due by it. */
    @Test
    void theRepositorysClockStampsWhatItRecords() {
        String db = freshDb();
        java.time.Clock clock = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
        try (Database d = open(db)) {
            GuardRepository repo = new GuardRepository(d, "clocked", Duration.ofSeconds(30), clock);
            repo.recordTransition(firing("c1", target("clock", "k:1")), pendings("c1").subList(0, 1));
            assertThat(repo.transitions("c1")).extracting(GuardRepository.Transition::recordedAt).containsExactly(T0);
            assertThat(repo.deliveries("c1").get(0).createdAt()).isEqualTo(T0);
            assertThat(repo.due(T0.minusMillis(1), 10)).isEmpty();
            assertThat(repo.due(T0, 10)).singleElement().satisfies(x -> assertThat(x.nextAttemptAt()).isEqualTo(T0));
        }
    }

    /** Retention over more rows than one prune transaction takes: every old one goes, no new one. */
    @Test
    void pruningTakesEveryOldReadingInChunks() {
        String db = freshDb();
        try (Database d = open(db)) {
            GuardRepository repo = new GuardRepository(d);
            List<Reading> rows = new ArrayList<>();
            for (int i = 0; i < 4510; i++) {
                Target t = target("retention", "r:" + (i % 50));
                rows.add(reading(t, T0.plusSeconds(i < 4500 ? i / 50 : 3600 + i), i, null, 1));
            }
            repo.recordReadings(rows);
            assertThat(repo.pruneReadings(T0.plusSeconds(3600))).isEqualTo(4500);
            long left = 0;
            for (int a = 0; a < 50; a++) {
                left += repo.readings("retention/r:" + a, Instant.EPOCH, 1000).size();
            }
            assertThat(left).isEqualTo(10);
            assertThat(repo.pruneReadings(T0.plusSeconds(3600))).isZero();
        }
    }

    /** Two guards (and threads within each) recording one transition at once: it is stored once, its deliveries once. */
    @Test
    void aTransitionRecordedConcurrentlyIsStoredOnce() throws Exception {
        String db = freshDb();
        Target t = target("twice", "t:1");
        try (Database d1 = open(db); Database d2 = open(db)) {
            List<GuardRepository> guards = List.of(new GuardRepository(d1), new GuardRepository(d2));
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                for (int round = 0; round < 5; round++) {
                    String id = "same-" + round;
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Boolean>> calls = new ArrayList<>();
                    for (int w = 0; w < 6; w++) {
                        GuardRepository g = guards.get(w % 2);
                        calls.add(pool.submit(() -> {
                            start.await();
                            return g.recordTransition(firing(id, t), pendings(id));
                        }));
                    }
                    start.countDown();
                    int recorded = 0;
                    for (Future<Boolean> f : calls) {
                        recorded += f.get(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES) ? 1 : 0;
                    }
                    assertThat(recorded).as("round %d", round).isEqualTo(1);
                    assertThat(guards.get(0).deliveries(id)).hasSize(2);
                    assertThat(guards.get(1).transitions(id)).hasSize(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
