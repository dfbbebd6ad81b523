-- godiag serve: uploads with their raw inputs, the reports made of them, the history's search
-- columns, services and the gate results CI posts. Portable SQL for SQLite and PostgreSQL with the
-- ${id} and ${blob} placeholders of V1. Times are milliseconds since the epoch (UTC).

-- raw inputs, content-addressed: one row per distinct content, however many uploads hold it, so any
-- report can be made again from exactly what was uploaded
CREATE TABLE blobs (
    sha256 VARCHAR(64) NOT NULL PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    content ${blob} NOT NULL,
    created_at BIGINT NOT NULL
);

-- one row per upload (or live capture); status is pending (stored, not yet analysed), done or
-- failed (error says why); kinds is the input kinds found, as ",cpu,heap," for a search by kind;
-- labels is a JSON object (upload_labels holds the same pairs for the search)
CREATE TABLE uploads (
    id VARCHAR(40) NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    service VARCHAR(200),
    version VARCHAR(200),
    labels TEXT NOT NULL,
    origin TEXT NOT NULL,
    status VARCHAR(10) NOT NULL,
    error TEXT,
    kinds TEXT NOT NULL,
    analysed_at BIGINT,
    analysis_ms BIGINT,
    godiag_version VARCHAR(64),
    finding_count INTEGER,
    worst_severity VARCHAR(10)
);
CREATE INDEX uploads_by_time ON uploads (created_at);
CREATE INDEX uploads_by_service ON uploads (service, created_at);
CREATE INDEX uploads_by_status ON uploads (status, created_at);

-- the files of an upload in the order given, each pointing at its content
CREATE TABLE upload_files (
    upload_id VARCHAR(40) NOT NULL REFERENCES uploads (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind VARCHAR(40) NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR(64) NOT NULL REFERENCES blobs (sha256),
    PRIMARY KEY (upload_id, position)
);

CREATE TABLE upload_labels (
    upload_id VARCHAR(40) NOT NULL REFERENCES uploads (id),
    name VARCHAR(200) NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (upload_id, name)
);
CREATE INDEX upload_labels_by_pair ON upload_labels (name, value);

-- the findings of the last analysis, for the history's search by rule and its summary
CREATE TABLE upload_findings (
    upload_id VARCHAR(40) NOT NULL REFERENCES uploads (id),
    position INTEGER NOT NULL,
    rule VARCHAR(100) NOT NULL,
    severity VARCHAR(10) NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (upload_id, position)
);
CREATE INDEX upload_findings_by_rule ON upload_findings (rule, upload_id);

-- the reports of the last analysis, gzipped: json (godiag diagnose --format json), markdown, html
CREATE TABLE upload_reports (
    upload_id VARCHAR(40) NOT NULL REFERENCES uploads (id),
    format VARCHAR(10) NOT NULL,
    content ${blob} NOT NULL,
    PRIMARY KEY (upload_id, format)
);

-- numbers of an analysis a service's trend charts draw (goroutines, heap in use, CPU share of a
-- function, ...)
CREATE TABLE upload_metrics (
    upload_id VARCHAR(40) NOT NULL REFERENCES uploads (id),
    name VARCHAR(400) NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (upload_id, name)
);

-- what the platform knows of a service beyond its uploads: the link template of its source lines
CREATE TABLE services (
    name VARCHAR(200) NOT NULL PRIMARY KEY,
    source_url TEXT,
    updated_at BIGINT NOT NULL
);

-- gate results CI posts (godiag gate --format json), for a service's trend
CREATE TABLE gate_results (
    id ${id},
    service VARCHAR(200) NOT NULL,
    version VARCHAR(200),
    created_at BIGINT NOT NULL,
    passed SMALLINT NOT NULL,
    summary TEXT NOT NULL,
    labels TEXT NOT NULL,
    content TEXT NOT NULL
);
CREATE INDEX gate_results_by_service ON gate_results (service, created_at);
