-- godiag guard's state: targets, their reading history, alerts with their transitions and
-- evidence, and the outbox of deliveries. Portable SQL for SQLite and PostgreSQL with the same
-- ${id} and ${blob} placeholders as V1. Times are milliseconds since the epoch (UTC); a missing
-- time or value is NULL. JSON columns are written and read by GuardRepository.

-- one row per watched target (key: job/address): its labels (JSON object), the watch state
-- (TargetWatch's JSON, so a restart continues its baselines and streaks) and its last scrape
CREATE TABLE guard_targets (
    target_key TEXT NOT NULL PRIMARY KEY,
    job TEXT NOT NULL,
    address TEXT NOT NULL,
    labels TEXT NOT NULL,
    watch_state TEXT,
    up SMALLINT,
    last_error TEXT,
    last_scrape_at BIGINT,
    updated_at BIGINT NOT NULL
);

-- every scrape, pruned past the retention; values NULL when the target did not expose them
CREATE TABLE guard_readings (
    id ${id},
    target_key TEXT NOT NULL,
    at BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    error TEXT,
    goroutines DOUBLE PRECISION,
    heap DOUBLE PRECISION,
    fds DOUBLE PRECISION,
    process_start DOUBLE PRECISION,
    source VARCHAR(20) NOT NULL
);
CREATE INDEX guard_readings_by_target ON guard_readings (target_key, at);
CREATE INDEX guard_readings_by_time ON guard_readings (at);

-- every alert, firing or resolved, as last recorded; evidence is AlertEvidence as JSON
CREATE TABLE guard_alerts (
    id TEXT NOT NULL PRIMARY KEY,
    target_key TEXT NOT NULL,
    job TEXT NOT NULL,
    address TEXT NOT NULL,
    labels TEXT NOT NULL,
    metric VARCHAR(20) NOT NULL,
    state VARCHAR(10) NOT NULL,
    since BIGINT NOT NULL,
    resolved_at BIGINT,
    value DOUBLE PRECISION,
    baseline DOUBLE PRECISION,
    threshold DOUBLE PRECISION,
    stage VARCHAR(10) NOT NULL,
    evidence TEXT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX guard_alerts_by_state ON guard_alerts (state, since);
CREATE INDEX guard_alerts_by_target ON guard_alerts (target_key, since);

-- the transitions recorded (firing, resolved): the key makes recording one idempotent, so a
-- transition replayed after a crash adds no second set of deliveries
CREATE TABLE guard_transitions (
    alert_id TEXT NOT NULL,
    state VARCHAR(10) NOT NULL,
    recorded_at BIGINT NOT NULL,
    value DOUBLE PRECISION,
    PRIMARY KEY (alert_id, state)
);

-- the files of a capture (goroutine dumps, heap profile...), as fetched
CREATE TABLE guard_evidence_files (
    id ${id},
    capture_id TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    name TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content ${blob} NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (capture_id, name)
);
CREATE INDEX guard_evidence_by_alert ON guard_evidence_files (alert_id);

-- the outbox: one request per row, written with its transition. A row is due while neither
-- delivered nor failed, its next attempt has come and no guard holds an unexpired lease on it
CREATE TABLE guard_deliveries (
    id ${id},
    alert_id TEXT NOT NULL,
    transition VARCHAR(10) NOT NULL,
    channel VARCHAR(20) NOT NULL,
    url TEXT NOT NULL,
    headers TEXT NOT NULL,
    body ${blob} NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    delivered_at BIGINT,
    failed_at BIGINT,
    last_error TEXT
);
-- partial: the rows still to send are few however long the history grows
CREATE INDEX guard_deliveries_pending ON guard_deliveries (id) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX guard_deliveries_finished ON guard_deliveries (created_at);
CREATE INDEX guard_deliveries_by_alert ON guard_deliveries (alert_id);
