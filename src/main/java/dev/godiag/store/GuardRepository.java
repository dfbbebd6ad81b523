package dev.godiag.store;

import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Outbox;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * guard's state over a {@link Database} (SQLite or a PostgreSQL several guards share): per target
 * its labels, the watch state JSON and whether its last scrape worked; the reading history (pruned
 * by {@link #pruneReadings}); every alert with its transitions and evidence; and the outbox of
 * deliveries.
 *
 * <p>The outbox contract: {@link #recordTransition} writes an alert's transition and its deliveries
 * in one transaction and does nothing when that transition (alert id, state) is already recorded,
 * so a transition replayed after a crash is delivered once. {@link #due} claims the deliveries it
 * returns with a lease (this repository's {@code owner} until {@code now + lease}): another guard
 * on the same database skips them until the lease runs out, and the claim is taken with row locks
 * (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}; SQLite: the write lock of the transaction), so two
 * guards never claim one delivery at once. A guard killed while holding leases gets them back at
 * its next start with {@link #releaseLeases} when it runs under the same owner name; otherwise
 * they are free again when they expire.
 *
 * <p>Every write is one transaction: a failure or a crash in the middle leaves nothing half
 * written. Stateless apart from the database, so one repository serves the daemon's threads.
 */
public final class GuardRepository implements Outbox {
    /** How long a claimed delivery stays out of other guards' {@link #due}: beyond any delivery's bounded time. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);
    private static final int MAX_ERROR = 500;
    /** Rows deleted per transaction when pruning: a long prune never holds SQLite's write lock for long. */
    private static final int PRUNE_CHUNK = 2_000;

    /** A watched target as stored: its watch state JSON (null before the first save) and its last scrape (null before the first). */
    public record StoredTarget(Target target, String watchState, Instant lastScrapeAt, boolean up, String lastError,
                               Instant updatedAt) {
    }

    /** A captured file to store with an alert's evidence: its name (e.g. goroutine-debug2.txt) and bytes. */
    public record EvidenceFile(String name, byte[] content) {
        public EvidenceFile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(content, "content");
        }
    }

    /** A stored evidence file, without its bytes ({@link #evidenceFile} reads them). */
    public record StoredFile(String captureId, String alertId, String name, long sizeBytes, Instant createdAt) {
    }

    /** A recorded transition of an alert: when it was stored and the value that made it. */
    public record Transition(String alertId, AlertState state, Instant recordedAt, double value) {
    }

    /** A delivery with its outcome: delivered or failed for good (both null while pending), who holds it and until when. */
    public record StoredDelivery(Delivery delivery, Instant createdAt, Instant deliveredAt, Instant failedAt,
                                 String leaseOwner, Instant leaseUntil) {
        public boolean pending() {
            return deliveredAt == null && failedAt == null;
        }
    }

    /** The outbox in numbers, for guard's own /metrics. */
    public record OutboxCounts(long pending, long delivered, long failed) {
    }

    private final Database db;
    private final String owner;
    private final Duration lease;
    private final Clock clock;
    /** For tests: runs inside a transition's transaction just before the commit. */
    Runnable beforeCommit;

    /** A repository claiming deliveries under a name of its own for {@link #DEFAULT_LEASE}. */
    public GuardRepository(Database db) {
        this(db, "guard-" + UUID.randomUUID(), DEFAULT_LEASE);
    }

    /**
     * {@code owner} names this guard in the leases it takes: unique among the guards sharing the
     * database and the same across its restarts (e.g. its shard), so {@link #releaseLeases} frees
     * what its previous run held.
     */
    public GuardRepository(Database db, String owner, Duration lease) {
        this(db, owner, lease, Clock.systemUTC());
    }

    /**
     * As above, with the clock that stamps what it records (transitions, a new delivery's first
     * attempt, evidence): the one the delivery worker asks {@link #due} with, so a delivery is due
     * as soon as it is stored.
     */
    public GuardRepository(Database db, String owner, Duration lease, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive: " + lease);
        }
        this.lease = lease;
    }

    public Database database() {
        return db;
    }

    public String owner() {
        return owner;
    }

    // ---- targets and readings

    /**
     * Stores a scrape round: each reading in the history, and each target's labels, up and last
     * error, in one transaction (a round of two thousand targets is one commit, not two thousand).
     */
    public void recordReadings(List<Reading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        db.write("recording " + readings.size() + " readings", c -> {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO guard_readings (target_key, at, duration_ms,"
                    + " error, goroutines, heap, fds, process_start, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement up = c.prepareStatement(upsertTarget(
                         "up = excluded.up, last_error = excluded.last_error, last_scrape_at = excluded.last_scrape_at"))) {
                // by target: concurrent writers lock PostgreSQL's target rows in one order, never deadlock
                List<Reading> sorted = new ArrayList<>(readings);
                sorted.sort(Comparator.comparing((Reading r) -> r.target().key()).thenComparing(Reading::at));
                for (Reading r : sorted) {
                    ins.setString(1, r.target().key());
                    ins.setLong(2, r.at().toEpochMilli());
                    ins.setLong(3, r.duration().toMillis());
                    ins.setString(4, r.up() ? null : oneLine(r.error()));
                    setValue(ins, 5, r.value(Metric.GOROUTINES));
                    setValue(ins, 6, r.value(Metric.HEAP));
                    setValue(ins, 7, r.value(Metric.FDS));
                    setValue(ins, 8, r.processStartSeconds());
                    ins.setString(9, r.source() == null ? "" : r.source());
                    ins.addBatch();
                    bindTarget(up, r.target(), null, r.at(), r.up(), r.up() ? null : oneLine(r.error()), r.at());
                    up.addBatch();
                }
                ins.executeBatch();
                up.executeBatch();
            }
            return null;
        });
    }

    /** Stores one reading; see {@link #recordReadings}. */
    public void recordReading(Reading reading) {
        recordReadings(List.of(reading));
    }

    /** Saves a target's watch state (TargetWatch's JSON) and labels. */
    public void saveWatchState(Target target, String watchState, Instant at) {
        saveWatchStates(Map.of(target, watchState), at);
    }

    /** Saves the watch states of many targets in one transaction. */
    public void saveWatchStates(Map<Target, String> states, Instant at) {
        if (states.isEmpty()) {
            return;
        }
        db.write("saving the watch state of " + states.size() + " targets", c -> {
            try (PreparedStatement ps = c.prepareStatement(upsertTarget("watch_state = excluded.watch_state"))) {
                List<Map.Entry<Target, String>> sorted = new ArrayList<>(states.entrySet());
                sorted.sort(Comparator.comparing(e -> e.getKey().key()));
                for (Map.Entry<Target, String> e : sorted) {
                    bindTarget(ps, e.getKey(), Objects.requireNonNull(e.getValue(), "watch state"), null, false, null, at);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Upserts a target row: labels and updated_at always, plus the columns named in {@code alsoSet}. */
    private static String upsertTarget(String alsoSet) {
        return "INSERT INTO guard_targets (target_key, job, address, labels, watch_state, up, last_error,"
                + " last_scrape_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target_key) DO UPDATE SET"
                + " labels = excluded.labels, updated_at = excluded.updated_at, " + alsoSet;
    }

    private static void bindTarget(PreparedStatement ps, Target t, String watchState, Instant scrapedAt, boolean up,
                                   String error, Instant at) throws SQLException {
        ps.setString(1, t.key());
        ps.setString(2, t.job());
        ps.setString(3, t.address());
        ps.setString(4, GuardJson.writeMap(t.labels()));
        ps.setString(5, watchState);
        if (scrapedAt == null) {
            ps.setNull(6, Types.SMALLINT);
            ps.setNull(8, Types.BIGINT);
        } else {
            ps.setShort(6, (short) (up ? 1 : 0));
            ps.setLong(8, scrapedAt.toEpochMilli());
        }
        ps.setString(7, error);
        ps.setLong(9, at.toEpochMilli());
    }

    /** Every stored target, by key. */
    public List<StoredTarget> targets() {
        return db.read("reading guard targets", c -> {
            try (PreparedStatement ps = c.prepareStatement(TARGET_COLUMNS + " ORDER BY target_key")) {
                return targets(ps);
            }
        });
    }

    /** The stored target of that key (job/address), if any. */
    public Optional<StoredTarget> target(String targetKey) {
        return db.read("reading guard target " + targetKey, c -> {
            try (PreparedStatement ps = c.prepareStatement(TARGET_COLUMNS + " WHERE target_key = ?")) {
                ps.setString(1, targetKey);
                return targets(ps).stream().findFirst();
            }
        });
    }

    private static final String TARGET_COLUMNS = "SELECT target_key, job, address, labels, watch_state, up, last_error,"
            + " last_scrape_at, updated_at FROM guard_targets";

    private static List<StoredTarget> targets(PreparedStatement ps) throws SQLException {
        List<StoredTarget> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(1);
                Target t = new Target(rs.getString(2), rs.getString(3),
                        GuardJson.readMap(rs.getString(4), "labels of target " + key));
                boolean up = rs.getShort(6) == 1;
                out.add(new StoredTarget(t, rs.getString(5), instant(rs, 8), up, rs.getString(7),
                        Instant.ofEpochMilli(rs.getLong(9))));
            }
        }
        return out;
    }

    /** A target's readings at or after {@code from}, the newest {@code limit} of them, in time order. */
    public List<Reading> readings(String targetKey, Instant from, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return db.read("reading the history of " + targetKey, c -> {
            Optional<StoredTarget> st;
            try (PreparedStatement ps = c.prepareStatement(TARGET_COLUMNS + " WHERE target_key = ?")) {
                ps.setString(1, targetKey);
                st = targets(ps).stream().findFirst();
            }
            if (st.isEmpty()) {
                return List.<Reading>of();
            }
            Target t = st.get().target();
            List<Reading> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT at, duration_ms, error, goroutines, heap, fds,"
                    + " process_start, source FROM guard_readings WHERE target_key = ? AND at >= ?"
                    + " ORDER BY at DESC, id DESC LIMIT ?")) {
                ps.setString(1, targetKey);
                ps.setLong(2, from.toEpochMilli());
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant at = Instant.ofEpochMilli(rs.getLong(1));
                        Duration d = Duration.ofMillis(rs.getLong(2));
                        String error = rs.getString(3);
                        Map<Metric, Double> values = new EnumMap<>(Metric.class);
                        putValue(values, Metric.GOROUTINES, rs, 4);
                        putValue(values, Metric.HEAP, rs, 5);
                        putValue(values, Metric.FDS, rs, 6);
                        double start = rs.getDouble(7);
                        OptionalDouble processStart = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(start);
                        out.add(new Reading(t, at, d, error, values, processStart, rs.getString(8)));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        });
    }

    /** Deletes the readings taken before {@code before} (the retention's start); the number deleted. */
    public long pruneReadings(Instant before) {
        return pruneChunks("pruning readings", "DELETE FROM guard_readings WHERE id IN (SELECT id FROM guard_readings"
                + " WHERE at < ? LIMIT " + PRUNE_CHUNK + ")", before);
    }

    /** Deletes the deliveries created before {@code before} that are delivered or failed for good; the number deleted. */
    public long pruneDeliveries(Instant before) {
        return pruneChunks("pruning deliveries", "DELETE FROM guard_deliveries WHERE id IN (SELECT id FROM"
                + " guard_deliveries WHERE created_at < ? AND (delivered_at IS NOT NULL OR failed_at IS NOT NULL)"
                + " LIMIT " + PRUNE_CHUNK + ")", before);
    }

    private long pruneChunks(String what, String sql, Instant before) {
        long total = 0;
        while (true) {
            int n = db.write(what, c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, before.toEpochMilli());
                    return ps.executeUpdate();
                }
            });
            total += n;
            if (n < PRUNE_CHUNK) {
                return total;
            }
        }
    }

    /**
     * Deletes the alerts resolved before {@code before} with their transitions, evidence files and
     * deliveries, keeping any whose deliveries are still pending (a receiver down for longer than
     * the retention still gets them), and the evidence files of captures older than that whose
     * alert was never recorded (a guard stopped between the capture and the transition). The
     * number of alerts deleted.
     */
    public int pruneResolved(Instant before) {
        return db.write("pruning resolved alerts", c -> {
            String old = "SELECT id FROM guard_alerts a WHERE a.state = 'resolved' AND a.resolved_at < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM guard_deliveries d WHERE d.alert_id = a.id"
                    + " AND d.delivered_at IS NULL AND d.failed_at IS NULL)";
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(old)) {
                ps.setLong(1, before.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            for (String table : List.of("guard_transitions", "guard_evidence_files", "guard_deliveries")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE alert_id = ?")) {
                    for (String id : ids) {
                        ps.setString(1, id);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM guard_alerts WHERE id = ?")) {
                for (String id : ids) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM guard_evidence_files WHERE created_at < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM guard_alerts a WHERE a.id = guard_evidence_files.alert_id)")) {
                ps.setLong(1, before.toEpochMilli());
                ps.executeUpdate();
            }
            return ids.size();
        });
    }

    // ---- alerts

    /**
     * Records a transition of {@code alert} (its state: firing or resolved) with the deliveries to
     * make for it, in one transaction; false, writing nothing, when this transition of this alert
     * is already recorded (a replay after a crash).
     */
    public boolean recordTransition(Alert alert, List<Pending> deliveries) {
        return recordTransition(alert, deliveries, null);
    }

    /**
     * As {@link #recordTransition(Alert, List)}, also saving the target's watch state in the same
     * transaction, so a restart never finds the alert recorded and the watch not knowing it (or the
     * reverse), which would open it a second time under another id.
     */
    public boolean recordTransition(Alert alert, List<Pending> deliveries, String watchState) {
        Instant now = clock.instant();
        return db.write("recording the " + alert.state().key() + " transition of alert " + alert.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO guard_transitions (alert_id, state, recorded_at,"
                    + " value) VALUES (?, ?, ?, ?) ON CONFLICT (alert_id, state) DO NOTHING")) {
                ps.setString(1, alert.id());
                ps.setString(2, alert.state().key());
                ps.setLong(3, now.toEpochMilli());
                setDouble(ps, 4, alert.value());
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            upsertAlert(c, alert, now, true);
            if (watchState != null) {
                try (PreparedStatement ps = c.prepareStatement(upsertTarget("watch_state = excluded.watch_state"))) {
                    bindTarget(ps, alert.target(), watchState, null, false, null, now);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO guard_deliveries (alert_id, transition, channel,"
                    + " url, headers, body, created_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
                for (Pending p : deliveries) {
                    ps.setString(1, alert.id());
                    ps.setString(2, alert.state().key());
                    ps.setString(3, p.channel());
                    ps.setString(4, p.url());
                    ps.setString(5, GuardJson.writeMap(p.headers()));
                    ps.setBytes(6, p.body());
                    ps.setLong(7, now.toEpochMilli());
                    ps.setLong(8, now.toEpochMilli());
                    ps.executeUpdate(); // one at a time: bodies may be large, and a transition has a few
                }
            }
            if (beforeCommit != null) {
                beforeCommit.run();
            }
            return true;
        });
    }

    /**
     * Updates a firing alert's latest value and evidence (no transition, no delivery); false when
     * no such alert is recorded or it is resolved (a late update cannot change a resolved alert).
     */
    public boolean updateAlert(Alert alert) {
        return db.write("updating alert " + alert.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE guard_alerts SET value = ?,"
                    + " evidence = COALESCE(?, evidence), updated_at = ? WHERE id = ? AND state = 'firing'")) {
                setDouble(ps, 1, alert.value());
                ps.setString(2, alert.evidence() == null ? null : GuardJson.writeEvidence(alert.evidence()));
                ps.setLong(3, clock.instant().toEpochMilli());
                ps.setString(4, alert.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static void upsertAlert(Connection c, Alert a, Instant now, boolean transition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO guard_alerts (id, target_key, job, address, labels,"
                + " metric, state, since, resolved_at, value, baseline, threshold, stage, evidence, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                + " labels = excluded.labels, state = excluded.state, resolved_at = excluded.resolved_at,"
                + " value = excluded.value, stage = excluded.stage,"
                + " evidence = COALESCE(excluded.evidence, guard_alerts.evidence), updated_at = excluded.updated_at")) {
            ps.setString(1, a.id());
            ps.setString(2, a.target().key());
            ps.setString(3, a.target().job());
            ps.setString(4, a.target().address());
            ps.setString(5, GuardJson.writeMap(a.target().labels()));
            ps.setString(6, a.metric().key());
            ps.setString(7, a.state().key());
            ps.setLong(8, a.since().toEpochMilli());
            if (a.resolvedAt() == null) {
                ps.setNull(9, Types.BIGINT);
            } else {
                ps.setLong(9, a.resolvedAt().toEpochMilli());
            }
            setDouble(ps, 10, a.value());
            setDouble(ps, 11, a.baseline());
            setDouble(ps, 12, a.threshold());
            ps.setString(13, a.stage().key());
            ps.setString(14, a.evidence() == null ? null : GuardJson.writeEvidence(a.evidence()));
            ps.setLong(15, now.toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** The alert of that id as last recorded, if any. */
    public Optional<Alert> alert(String id) {
        return db.read("reading alert " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(ALERT_COLUMNS + " WHERE id = ?")) {
                ps.setString(1, id);
                return alerts(ps).stream().findFirst();
            }
        });
    }

    /** The alerts in {@code state} (null: all), newest first (by since), at most {@code limit}. */
    public List<Alert> alerts(AlertState state, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return db.read("reading alerts", c -> {
            String where = state == null ? "" : " WHERE state = ?";
            try (PreparedStatement ps = c.prepareStatement(ALERT_COLUMNS + where + " ORDER BY since DESC, id LIMIT ?")) {
                int i = 1;
                if (state != null) {
                    ps.setString(i++, state.key());
                }
                ps.setInt(i, limit);
                return alerts(ps);
            }
        });
    }

    /** Every firing alert (what a restarted guard continues), oldest first. */
    public List<Alert> firing() {
        List<Alert> out = new ArrayList<>(alerts(AlertState.FIRING, Integer.MAX_VALUE));
        Collections.reverse(out);
        return out;
    }

    /** The alerts of one target (key job/address), newest first, at most {@code limit}. */
    public List<Alert> alertsOf(String targetKey, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return db.read("reading the alerts of " + targetKey, c -> {
            try (PreparedStatement ps = c.prepareStatement(ALERT_COLUMNS
                    + " WHERE target_key = ? ORDER BY since DESC, id LIMIT ?")) {
                ps.setString(1, targetKey);
                ps.setInt(2, limit);
                return alerts(ps);
            }
        });
    }

    private static final String ALERT_COLUMNS = "SELECT id, job, address, labels, metric, state, since, resolved_at,"
            + " value, baseline, threshold, stage, evidence FROM guard_alerts";

    private static List<Alert> alerts(PreparedStatement ps) throws SQLException {
        List<Alert> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                Target t = new Target(rs.getString(2), rs.getString(3),
                        GuardJson.readMap(rs.getString(4), "labels of alert " + id));
                Metric metric = Metric.byKey(rs.getString(5));
                AlertState state = "resolved".equals(rs.getString(6)) ? AlertState.RESOLVED : AlertState.FIRING;
                Stage stage = Stage.byKey(rs.getString(12));
                if (metric == null || stage == null) {
                    throw new StoreException("alert " + id + ": unknown metric '" + rs.getString(5) + "' or stage '"
                            + rs.getString(12) + "' in the database (written by a newer godiag?)");
                }
                String evidence = rs.getString(13);
                out.add(new Alert(id, t, metric, state, Instant.ofEpochMilli(rs.getLong(7)), instant(rs, 8),
                        doubleOrNaN(rs, 9), doubleOrNaN(rs, 10), doubleOrNaN(rs, 11), stage,
                        evidence == null ? null : GuardJson.readEvidence(evidence, "evidence of alert " + id)));
            }
        }
        return out;
    }

    /** The transitions recorded for an alert, in the order recorded. */
    public List<Transition> transitions(String alertId) {
        return db.read("reading the transitions of alert " + alertId, c -> {
            List<Transition> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT state, recorded_at, value FROM guard_transitions"
                    + " WHERE alert_id = ? ORDER BY recorded_at, state")) {
                ps.setString(1, alertId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Transition(alertId, "resolved".equals(rs.getString(1)) ? AlertState.RESOLVED
                                : AlertState.FIRING, Instant.ofEpochMilli(rs.getLong(2)), doubleOrNaN(rs, 3)));
                    }
                }
            }
            return out;
        });
    }

    // ---- evidence

    /**
     * Stores a capture's files under its capture id and sets the alert's evidence summary, in one
     * transaction. The files may be stored before the alert is recorded (the firing transition
     * then carries the summary); a file already stored under that capture and name is kept as it
     * is, so a repeated save adds nothing.
     */
    public void saveEvidence(String alertId, AlertEvidence evidence, List<EvidenceFile> files) {
        Instant now = clock.instant();
        db.write("saving the evidence of alert " + alertId, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO guard_evidence_files (capture_id, alert_id, name,"
                    + " size_bytes, content, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (capture_id, name) DO NOTHING")) {
                for (EvidenceFile f : files) {
                    ps.setString(1, evidence.captureId());
                    ps.setString(2, alertId);
                    ps.setString(3, f.name());
                    ps.setLong(4, f.content().length);
                    ps.setBytes(5, f.content());
                    ps.setLong(6, now.toEpochMilli());
                    ps.executeUpdate(); // one at a time: dumps and profiles may be large
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE guard_alerts SET evidence = ?, updated_at = ?"
                    + " WHERE id = ?")) {
                ps.setString(1, GuardJson.writeEvidence(evidence));
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, alertId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The files of a capture, by name. */
    public List<StoredFile> evidenceFiles(String captureId) {
        return storedFiles("capture_id", captureId);
    }

    /** The files captured for an alert, by capture and name. */
    public List<StoredFile> evidenceFilesOf(String alertId) {
        return storedFiles("alert_id", alertId);
    }

    private List<StoredFile> storedFiles(String column, String value) {
        return db.read("listing evidence files", c -> {
            List<StoredFile> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT capture_id, alert_id, name, size_bytes, created_at"
                    + " FROM guard_evidence_files WHERE " + column + " = ? ORDER BY capture_id, name")) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                Instant.ofEpochMilli(rs.getLong(5))));
                    }
                }
            }
            return out;
        });
    }

    /** The bytes of one stored evidence file, empty when there is none of that capture and name. */
    public Optional<byte[]> evidenceFile(String captureId, String name) {
        return db.read("reading evidence " + captureId + "/" + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT content FROM guard_evidence_files WHERE capture_id = ? AND name = ?")) {
                ps.setString(1, captureId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    // ---- the outbox

    @Override
    public List<Delivery> due(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        long nowMs = now.toEpochMilli();
        String free = "delivered_at IS NULL AND failed_at IS NULL AND (lease_until IS NULL OR lease_until <= ?)";
        // a worker polls often and mostly finds nothing: a read first, the write lock only when there is work
        boolean any = db.read("looking for due deliveries", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM guard_deliveries WHERE " + free
                    + " AND next_attempt_at <= ? LIMIT 1")) {
                ps.setLong(1, nowMs);
                ps.setLong(2, nowMs);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!any) {
            return List.of();
        }
        return db.write("claiming due deliveries", c -> {
            List<Long> candidates = new ArrayList<>();
            // SQLite's transaction already holds the database's write lock; PostgreSQL locks the rows
            // and skips those another guard is claiming right now
            String lock = db.location().sqlite() ? "" : " FOR UPDATE SKIP LOCKED";
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM guard_deliveries WHERE " + free
                    + " AND next_attempt_at <= ? ORDER BY id LIMIT ?" + lock)) {
                ps.setLong(1, nowMs);
                ps.setLong(2, nowMs);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(rs.getLong(1));
                    }
                }
            }
            List<Delivery> claimed = new ArrayList<>();
            try (PreparedStatement claim = c.prepareStatement("UPDATE guard_deliveries SET lease_owner = ?,"
                    + " lease_until = ? WHERE id = ? AND " + free);
                 PreparedStatement read = c.prepareStatement(DELIVERY_COLUMNS + " WHERE id = ?")) {
                for (long id : candidates) {
                    claim.setString(1, owner);
                    claim.setLong(2, now.plus(lease).toEpochMilli());
                    claim.setLong(3, id);
                    claim.setLong(4, nowMs);
                    if (claim.executeUpdate() == 1) {
                        read.setLong(1, id);
                        claimed.addAll(deliveries(read).stream().map(StoredDelivery::delivery).toList());
                    }
                }
            }
            return claimed;
        });
    }

    @Override
    public void delivered(long id, Instant at) {
        db.write("marking delivery " + id + " delivered", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE guard_deliveries SET delivered_at = ?,"
                    + " attempts = attempts + 1, lease_owner = NULL, lease_until = NULL"
                    + " WHERE id = ? AND delivered_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * {@inheritDoc} Ignored when the delivery is done, or when another guard has claimed it since
     * this one's lease ran out (its attempt decides).
     */
    @Override
    public void retryLater(long id, Instant next, String error) {
        db.write("rescheduling delivery " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE guard_deliveries SET attempts = attempts + 1,"
                    + " next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL"
                    + " WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL"
                    + " AND (lease_owner IS NULL OR lease_owner = ?)")) {
                ps.setLong(1, next.toEpochMilli());
                ps.setString(2, oneLine(error));
                ps.setLong(3, id);
                ps.setString(4, owner);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The receiver refused it for good (e.g. HTTP 400): never sent again, kept with its error for
     * the record. Ignored when the delivery is already done.
     */
    public void failed(long id, Instant at, String error) {
        db.write("marking delivery " + id + " failed", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE guard_deliveries SET failed_at = ?,"
                    + " attempts = attempts + 1, last_error = ?, lease_owner = NULL, lease_until = NULL"
                    + " WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, oneLine(error));
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Frees the leases held under this repository's owner name: called once at start, it makes
     * the deliveries a killed previous run had claimed due again at once instead of when their
     * leases expire. The number freed.
     */
    public int releaseLeases() {
        return db.write("releasing the leases of " + owner, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE guard_deliveries SET lease_owner = NULL,"
                    + " lease_until = NULL WHERE lease_owner = ? AND delivered_at IS NULL AND failed_at IS NULL")) {
                ps.setString(1, owner);
                return ps.executeUpdate();
            }
        });
    }

    /** The deliveries of an alert (both transitions), in the order stored, with their outcomes. */
    public List<StoredDelivery> deliveries(String alertId) {
        return db.read("reading the deliveries of alert " + alertId, c -> {
            try (PreparedStatement ps = c.prepareStatement(DELIVERY_COLUMNS + " WHERE alert_id = ? ORDER BY id")) {
                ps.setString(1, alertId);
                return deliveries(ps);
            }
        });
    }

    /** How many deliveries are pending, delivered and failed for good. */
    public OutboxCounts outboxCounts() {
        return db.read("counting deliveries", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT"
                    + " SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END) FROM guard_deliveries");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new OutboxCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        });
    }

    private static final String DELIVERY_COLUMNS = "SELECT id, alert_id, transition, channel, url, headers, body,"
            + " attempts, next_attempt_at, last_error, created_at, delivered_at, failed_at, lease_owner, lease_until"
            + " FROM guard_deliveries";

    private static List<StoredDelivery> deliveries(PreparedStatement ps) throws SQLException {
        List<StoredDelivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                Delivery d = new Delivery(id, rs.getString(2),
                        "resolved".equals(rs.getString(3)) ? AlertState.RESOLVED : AlertState.FIRING, rs.getString(4),
                        rs.getString(5), GuardJson.readMap(rs.getString(6), "headers of delivery " + id), rs.getBytes(7),
                        rs.getInt(8), Instant.ofEpochMilli(rs.getLong(9)), rs.getString(10));
                out.add(new StoredDelivery(d, Instant.ofEpochMilli(rs.getLong(11)), instant(rs, 12), instant(rs, 13),
                        rs.getString(14), instant(rs, 15)));
            }
        }
        return out;
    }

    // ---- column helpers

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }

    /** A value column: NaN stands for NULL (SQLite stores NaN as NULL anyway, PostgreSQL would keep it). */
    private static void setDouble(PreparedStatement ps, int at, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(at, Types.DOUBLE);
        } else {
            ps.setDouble(at, v);
        }
    }

    private static void setValue(PreparedStatement ps, int at, OptionalDouble v) throws SQLException {
        setDouble(ps, at, v.orElse(Double.NaN));
    }

    private static double doubleOrNaN(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    private static void putValue(Map<Metric, Double> values, Metric m, ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        if (!rs.wasNull()) {
            values.put(m, v);
        }
    }

    /** An error as stored: one line, bounded (a receiver's error page is not kept whole). */
    private static String oneLine(String error) {
        String s = StoreException.oneLine(error == null ? "unknown error" : error);
        return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR - 3) + "...";
    }
}
