package dev.godiag.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * godiag serve's uploads over a {@link Database}: each upload's files (contents stored once per
 * distinct content, by SHA-256, so an upload can be analysed again by a newer godiag), its status,
 * and the last analysis (findings, reports, trend numbers); services and the gate results CI posts.
 *
 * <p>An upload is stored whole in one transaction before it is acknowledged: a crash loses no upload
 * that was answered, and never leaves half of one. An analysis replaces the previous one in one
 * transaction. Stateless apart from the database, so one repository serves every request thread.
 */
public final class UploadRepository {
    /** Where an upload is: stored and waiting for its analysis, analysed, or refused (its error says why). */
    public enum Status {
        PENDING, DONE, FAILED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT));
        }
    }

    /** A file to store: its name in the upload, the input kind it was recognised as, its bytes. */
    public record NewFile(String name, String kind, byte[] data) {
        public NewFile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * An upload to store.
     *
     * @param origin "upload", or the URL a live capture came from
     * @param status pending (to analyse) or failed (refused when it came in, with its error)
     */
    public record NewUpload(String id, Instant createdAt, String service, String version, Map<String, String> labels,
                            String origin, List<NewFile> files, Status status, String error) {
        public NewUpload {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(createdAt, "createdAt");
            labels = Map.copyOf(labels);
            Objects.requireNonNull(origin, "origin");
            files = List.copyOf(files);
            Objects.requireNonNull(status, "status");
        }
    }

    /** A stored file of an upload, without its bytes. */
    public record StoredFile(int position, String name, String kind, long sizeBytes, String sha256) {
    }

    /** A finding of an analysis, as the history lists and searches it. */
    public record FindingRow(String rule, String severity, double score, String title) {
    }

    /** An upload as stored; the analysis fields are null until one has run. */
    public record Upload(String id, Instant createdAt, String service, String version, Map<String, String> labels,
                         String origin, Status status, String error, List<String> kinds, Instant analysedAt,
                         Long analysisMs, String godiagVersion, Integer findingCount, String worstSeverity) {
        public Upload {
            labels = Map.copyOf(labels);
            kinds = List.copyOf(kinds);
        }
    }

    /**
     * What an analysis made of an upload.
     *
     * @param fileKinds the kind of each file by position, as the analysis read it (cpu, heap, goroutines...)
     * @param reports   format (json, markdown, html) to the report's bytes
     * @param metrics   the numbers a service's trend charts draw
     */
    public record Analysis(List<String> kinds, Map<Integer, String> fileKinds, List<FindingRow> findings,
                           Map<String, byte[]> reports, Map<String, Double> metrics, String godiagVersion,
                           long analysisMs) {
        public Analysis {
            kinds = List.copyOf(kinds);
            fileKinds = Map.copyOf(fileKinds);
            findings = List.copyOf(findings);
            reports = Map.copyOf(reports);
            metrics = Map.copyOf(metrics);
        }
    }

    /**
     * A search of the history; null fields do not filter. {@code label} is {@code name} (any value)
     * or {@code name=value}; {@code before} pages: only uploads older than that one.
     */
    public record HistoryQuery(String service, String label, String kind, String rule, Instant since, Instant until,
                               Status status, String before, int limit) {
        public HistoryQuery {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1");
            }
        }

        public static HistoryQuery all(int limit) {
            return new HistoryQuery(null, null, null, null, null, null, null, null, limit);
        }
    }

    /** One number of one upload's analysis, for a trend chart. */
    public record MetricPoint(String uploadId, Instant at, String version, String name, double value) {
    }

    /** A service: its link template (null when none was set), how many uploads it has and the last one's time. */
    public record Service(String name, String sourceUrl, long uploads, Instant lastUpload) {
    }

    /** A gate result CI posted: {@code content} is the gate's JSON as posted. */
    public record GateRow(long id, String service, String version, Instant createdAt, boolean passed, String summary,
                          Map<String, String> labels, String content) {
        public GateRow {
            labels = Map.copyOf(labels);
        }
    }

    private static final int MAX_ERROR = 2_000;

    private final Database db;
    private final Clock clock;

    public UploadRepository(Database db, Clock clock) {
        this.db = Objects.requireNonNull(db);
        this.clock = Objects.requireNonNull(clock);
    }

    // ---- uploads

    /** Stores an upload whole (its contents once per distinct content), in one transaction. */
    public void save(NewUpload u) {
        db.write("saving upload " + u.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO uploads (id, created_at, service, version,"
                    + " labels, origin, status, error, kinds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, u.id());
                ps.setLong(2, u.createdAt().toEpochMilli());
                ps.setString(3, u.service());
                ps.setString(4, u.version());
                ps.setString(5, GuardJson.writeMap(new java.util.TreeMap<>(u.labels())));
                ps.setString(6, u.origin());
                ps.setString(7, u.status().key());
                ps.setString(8, u.error() == null ? null : oneLine(u.error()));
                ps.setString(9, kinds(u.files().stream().map(NewFile::kind).toList()));
                ps.executeUpdate();
            }
            try (PreparedStatement blob = c.prepareStatement("INSERT INTO blobs (sha256, size_bytes, content, created_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING");
                 PreparedStatement file = c.prepareStatement("INSERT INTO upload_files (upload_id, position, name, kind,"
                         + " size_bytes, sha256) VALUES (?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (NewFile f : u.files()) {
                    String sha = sha256(f.data());
                    blob.setString(1, sha);
                    blob.setLong(2, f.data().length);
                    blob.setBytes(3, f.data());
                    blob.setLong(4, u.createdAt().toEpochMilli());
                    blob.executeUpdate(); // one at a time: profiles and dumps may be large
                    file.setString(1, u.id());
                    file.setInt(2, position++);
                    file.setString(3, f.name());
                    file.setString(4, f.kind());
                    file.setLong(5, f.data().length);
                    file.setString(6, sha);
                    file.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload_labels (upload_id, name, value)"
                    + " VALUES (?, ?, ?)")) {
                for (Map.Entry<String, String> l : u.labels().entrySet()) {
                    ps.setString(1, u.id());
                    ps.setString(2, l.getKey());
                    ps.setString(3, l.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (u.service() != null) {
                ensureService(c, u.service(), u.createdAt());
            }
            return null;
        });
    }

    public Optional<Upload> upload(String id) {
        return db.read("reading upload " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_UPLOAD + " WHERE id = ?")) {
                ps.setString(1, id);
                List<Upload> found = uploads(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    /** The files of an upload in the order given. */
    public List<StoredFile> files(String uploadId) {
        return db.read("listing the files of upload " + uploadId, c -> {
            List<StoredFile> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT position, name, kind, size_bytes, sha256"
                    + " FROM upload_files WHERE upload_id = ? ORDER BY position")) {
                ps.setString(1, uploadId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredFile(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    /** The bytes of one file of an upload, empty when it has no file at that position. */
    public Optional<byte[]> fileContent(String uploadId, int position) {
        return db.read("reading a file of upload " + uploadId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT b.content FROM upload_files f JOIN blobs b"
                    + " ON b.sha256 = f.sha256 WHERE f.upload_id = ? AND f.position = ?")) {
                ps.setString(1, uploadId);
                ps.setInt(2, position);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    /**
     * Claims a pending upload for analysis by {@code owner} until {@code until}: true when it is
     * pending and unclaimed, or its claim ran out, or {@code owner} holds it already. One conditional
     * UPDATE, so of several servers on one database exactly one wins.
     */
    public boolean claim(String uploadId, String owner, Instant until) {
        long now = clock.millis();
        return db.write("claiming upload " + uploadId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE uploads SET claimed_by = ?, claimed_until = ?"
                    + " WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?"
                    + " OR claimed_by = ?)")) {
                ps.setString(1, owner);
                ps.setLong(2, until.toEpochMilli());
                ps.setString(3, uploadId);
                ps.setLong(4, now);
                ps.setString(5, owner);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Pending uploads {@code owner} may analyse, oldest first: those nobody holds a live claim on,
     * and its own (a restarted server's, claimed before it died).
     */
    public List<String> claimable(String owner, int limit) {
        long now = clock.millis();
        return db.read("listing claimable uploads", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM uploads WHERE status = 'pending'"
                    + " AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?) ORDER BY created_at, id"
                    + " LIMIT ?")) {
                ps.setLong(1, now);
                ps.setString(2, owner);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Stores an analysis in place of the previous one, and marks the upload done, in one transaction. */
    public void saveAnalysis(String uploadId, Analysis a) {
        Instant now = clock.instant();
        db.write("saving the analysis of upload " + uploadId, c -> {
            clearAnalysis(c, uploadId);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload_findings (upload_id, position, rule,"
                    + " severity, score, title) VALUES (?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (FindingRow f : a.findings()) {
                    ps.setString(1, uploadId);
                    ps.setInt(2, position++);
                    ps.setString(3, f.rule());
                    ps.setString(4, f.severity());
                    ps.setDouble(5, f.score());
                    ps.setString(6, f.title());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload_reports (upload_id, format, content)"
                    + " VALUES (?, ?, ?)")) {
                for (Map.Entry<String, byte[]> r : a.reports().entrySet()) {
                    ps.setString(1, uploadId);
                    ps.setString(2, r.getKey());
                    ps.setBytes(3, gzip(r.getValue()));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload_metrics (upload_id, name, value)"
                    + " VALUES (?, ?, ?)")) {
                for (Map.Entry<String, Double> m : a.metrics().entrySet()) {
                    if (Double.isFinite(m.getValue())) {
                        ps.setString(1, uploadId);
                        ps.setString(2, m.getKey());
                        ps.setDouble(3, m.getValue());
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload_files SET kind = ? WHERE upload_id = ?"
                    + " AND position = ?")) {
                for (Map.Entry<Integer, String> k : a.fileKinds().entrySet()) {
                    ps.setString(1, k.getValue());
                    ps.setString(2, uploadId);
                    ps.setInt(3, k.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            String worst = a.findings().stream().map(FindingRow::severity).max(
                    java.util.Comparator.comparingInt(UploadRepository::severityRank)).orElse(null);
            try (PreparedStatement ps = c.prepareStatement("UPDATE uploads SET status = 'done', error = NULL,"
                    + " claimed_by = NULL, claimed_until = NULL, kinds = ?, analysed_at = ?, analysis_ms = ?, godiag_version = ?, finding_count = ?,"
                    + " worst_severity = ? WHERE id = ?")) {
                ps.setString(1, kinds(a.kinds()));
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, a.analysisMs());
                ps.setString(4, a.godiagVersion());
                ps.setInt(5, a.findings().size());
                ps.setString(6, worst);
                ps.setString(7, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Marks an upload failed with its error (one line); a previous analysis is removed, never shown as this one's. */
    public void fail(String uploadId, String error, String godiagVersion, long analysisMs) {
        Instant now = clock.instant();
        db.write("recording the failure of upload " + uploadId, c -> {
            clearAnalysis(c, uploadId);
            try (PreparedStatement ps = c.prepareStatement("UPDATE uploads SET status = 'failed', error = ?, claimed_by = NULL, claimed_until = NULL,"
                    + " analysed_at = ?, analysis_ms = ?, godiag_version = ?, finding_count = NULL,"
                    + " worst_severity = NULL WHERE id = ?")) {
                ps.setString(1, oneLine(error));
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, analysisMs);
                ps.setString(4, godiagVersion);
                ps.setString(5, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Marks an upload pending again, to be analysed anew (by a newer godiag). */
    public boolean markPending(String uploadId) {
        return db.write("queueing upload " + uploadId + " again", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE uploads SET status = 'pending', error = NULL,"
                    + " claimed_by = NULL, claimed_until = NULL WHERE id = ?")) {
                ps.setString(1, uploadId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static void clearAnalysis(Connection c, String uploadId) throws SQLException {
        for (String table : List.of("upload_findings", "upload_reports", "upload_metrics")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                ps.executeUpdate();
            }
        }
    }

    /** A report of the last analysis: json, markdown or html; empty when there is none. */
    public Optional<byte[]> report(String uploadId, String format) {
        return db.read("reading the report of upload " + uploadId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT content FROM upload_reports WHERE upload_id = ?"
                    + " AND format = ?")) {
                ps.setString(1, uploadId);
                ps.setString(2, format);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(gunzip(rs.getBytes(1))) : Optional.<byte[]>empty();
                }
            }
        });
    }

    /** The findings of the last analysis, ranked. */
    public List<FindingRow> findings(String uploadId) {
        return db.read("reading the findings of upload " + uploadId, c -> {
            List<FindingRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT rule, severity, score, title FROM upload_findings"
                    + " WHERE upload_id = ? ORDER BY position")) {
                ps.setString(1, uploadId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new FindingRow(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    /** How many findings of each severity the last analysis of each upload has, in one query (for a page of history). */
    public Map<String, Map<String, Integer>> findingCounts(List<String> uploadIds) {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        if (uploadIds.isEmpty()) {
            return out;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(uploadIds.size(), "?"));
        return db.read("counting the findings of " + uploadIds.size() + " uploads", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT upload_id, severity, COUNT(*) FROM upload_findings"
                    + " WHERE upload_id IN (" + marks + ") GROUP BY upload_id, severity")) {
                for (int i = 0; i < uploadIds.size(); i++) {
                    ps.setString(i + 1, uploadIds.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getInt(3));
                    }
                }
            }
            return out;
        });
    }

    /** The trend numbers of the last analysis of an upload, by name. */
    public Map<String, Double> metrics(String uploadId) {
        return db.read("reading the numbers of upload " + uploadId, c -> {
            Map<String, Double> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, value FROM upload_metrics WHERE upload_id = ?"
                    + " ORDER BY name")) {
                ps.setString(1, uploadId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getDouble(2));
                    }
                }
            }
            return out;
        });
    }

    // ---- history

    private static final String SELECT_UPLOAD = "SELECT id, created_at, service, version, labels, origin, status,"
            + " error, kinds, analysed_at, analysis_ms, godiag_version, finding_count, worst_severity FROM uploads u";

    /** Uploads matching the query, newest first. */
    public List<Upload> history(HistoryQuery q) {
        StringBuilder sql = new StringBuilder(SELECT_UPLOAD).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.service() != null) {
            sql.append(" AND u.service = ?");
            args.add(q.service());
        }
        if (q.label() != null) {
            int eq = q.label().indexOf('=');
            if (eq < 0) {
                sql.append(" AND EXISTS (SELECT 1 FROM upload_labels l WHERE l.upload_id = u.id AND l.name = ?)");
                args.add(q.label());
            } else {
                sql.append(" AND EXISTS (SELECT 1 FROM upload_labels l WHERE l.upload_id = u.id AND l.name = ?"
                        + " AND l.value = ?)");
                args.add(q.label().substring(0, eq));
                args.add(q.label().substring(eq + 1));
            }
        }
        if (q.kind() != null) {
            sql.append(" AND u.kinds LIKE ?");
            args.add("%," + q.kind().replace("%", "").replace("_", "") + ",%");
        }
        if (q.rule() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM upload_findings f WHERE f.upload_id = u.id AND f.rule = ?)");
            args.add(q.rule());
        }
        if (q.since() != null) {
            sql.append(" AND u.created_at >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND u.created_at < ?");
            args.add(q.until().toEpochMilli());
        }
        if (q.status() != null) {
            sql.append(" AND u.status = ?");
            args.add(q.status().key());
        }
        if (q.before() != null) {
            sql.append(" AND (u.created_at < (SELECT created_at FROM uploads WHERE id = ?) OR (u.created_at ="
                    + " (SELECT created_at FROM uploads WHERE id = ?) AND u.id < ?))");
            args.add(q.before());
            args.add(q.before());
            args.add(q.before());
        }
        sql.append(" ORDER BY u.created_at DESC, u.id DESC LIMIT ").append(q.limit());
        return db.read("searching the history", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, args);
                return uploads(ps);
            }
        });
    }

    /** How many uploads are in each status. */
    public Map<Status, Long> countByStatus() {
        return db.read("counting uploads", c -> {
            Map<Status, Long> out = new java.util.EnumMap<>(Status.class);
            for (Status s : Status.values()) {
                out.put(s, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM uploads GROUP BY status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Status.of(rs.getString(1)), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** The distinct contents stored (each once, however many uploads hold it): how many and their bytes. */
    public long[] storedContents() {
        return db.read("counting stored contents", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM blobs");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        });
    }

    /** The trend numbers of a service's analysed uploads since {@code since} (null: all), oldest first. */
    public List<MetricPoint> serviceMetrics(String service, Instant since, int maxUploads) {
        return db.read("reading the trend of service " + service, c -> {
            List<MetricPoint> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT u.id, u.created_at, u.version, m.name, m.value"
                    + " FROM upload_metrics m JOIN (SELECT id, created_at, version FROM uploads WHERE service = ?"
                    + " AND status = 'done' AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT ?) u"
                    + " ON u.id = m.upload_id ORDER BY u.created_at, u.id, m.name")) {
                ps.setString(1, service);
                ps.setLong(2, since == null ? Long.MIN_VALUE : since.toEpochMilli());
                ps.setInt(3, maxUploads);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MetricPoint(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                                rs.getString(4), rs.getDouble(5)));
                    }
                }
            }
            return out;
        });
    }

    // ---- services

    private static void ensureService(Connection c, String name, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO services (name, source_url, updated_at)"
                + " VALUES (?, NULL, ?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, name);
            ps.setLong(2, at.toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** Every service with its upload count, by name. */
    public List<Service> services() {
        return db.read("listing services", c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_SERVICE + " ORDER BY s.name")) {
                return services(ps);
            }
        });
    }

    public Optional<Service> service(String name) {
        return db.read("reading service " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_SERVICE + " WHERE s.name = ?")) {
                ps.setString(1, name);
                List<Service> found = services(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    /** Sets a service's link template (null removes it), creating the service when it is new. */
    public void setSourceUrl(String service, String template) {
        Instant now = clock.instant();
        db.write("setting the source link of service " + service, c -> {
            ensureService(c, service, now);
            try (PreparedStatement ps = c.prepareStatement("UPDATE services SET source_url = ?, updated_at = ?"
                    + " WHERE name = ?")) {
                ps.setString(1, template);
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, service);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static final String SELECT_SERVICE = "SELECT s.name, s.source_url, (SELECT COUNT(*) FROM uploads u"
            + " WHERE u.service = s.name), (SELECT MAX(created_at) FROM uploads u WHERE u.service = s.name)"
            + " FROM services s";

    private static List<Service> services(PreparedStatement ps) throws SQLException {
        List<Service> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long last = rs.getLong(4);
                boolean none = rs.wasNull();
                out.add(new Service(rs.getString(1), rs.getString(2), rs.getLong(3),
                        none ? null : Instant.ofEpochMilli(last)));
            }
        }
        return out;
    }

    // ---- gate results

    /** Stores a gate result CI posted; returns its id. */
    public long saveGate(String service, String version, boolean passed, String summary, Map<String, String> labels,
                         String content) {
        Instant now = clock.instant();
        return db.write("saving a gate result of service " + service, c -> {
            ensureService(c, service, now);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO gate_results (service, version, created_at,"
                    + " passed, summary, labels, content) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, service);
                ps.setString(2, version);
                ps.setLong(3, now.toEpochMilli());
                ps.setInt(4, passed ? 1 : 0);
                ps.setString(5, oneLine(summary));
                ps.setString(6, GuardJson.writeMap(new java.util.TreeMap<>(labels)));
                ps.setString(7, content);
                try (ResultSet keys = ps.executeQuery()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** A service's gate results, newest first. */
    public List<GateRow> gates(String service, int limit) {
        return db.read("reading the gate results of service " + service, c -> {
            List<GateRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, service, version, created_at, passed, summary,"
                    + " labels, content FROM gate_results WHERE service = ? ORDER BY created_at DESC, id DESC"
                    + " LIMIT ?")) {
                ps.setString(1, service);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new GateRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                                Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5) != 0, rs.getString(6),
                                GuardJson.readMap(rs.getString(7), "gate result labels"), rs.getString(8)));
                    }
                }
            }
            return out;
        });
    }

    // ---- helpers

    private static List<Upload> uploads(PreparedStatement ps) throws SQLException {
        List<Upload> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long analysedAt = rs.getLong(10);
                Instant analysed = rs.wasNull() ? null : Instant.ofEpochMilli(analysedAt);
                long ms = rs.getLong(11);
                Long analysisMs = rs.wasNull() ? null : ms;
                int count = rs.getInt(13);
                Integer findingCount = rs.wasNull() ? null : count;
                out.add(new Upload(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                        rs.getString(4), GuardJson.readMap(rs.getString(5), "upload labels"), rs.getString(6),
                        Status.of(rs.getString(7)), rs.getString(8), kindList(rs.getString(9)), analysed, analysisMs,
                        rs.getString(12), findingCount, rs.getString(14)));
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    /** ",cpu,heap," : each kind between commas, so LIKE '%,heap,%' finds one exactly. */
    private static String kinds(List<String> kinds) {
        List<String> distinct = kinds.stream().distinct().sorted().toList();
        return distinct.isEmpty() ? "" : "," + String.join(",", distinct) + ",";
    }

    private static List<String> kindList(String kinds) {
        if (kinds == null || kinds.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(kinds.split(",")).filter(s -> !s.isEmpty()).toList();
    }

    private static int severityRank(String severity) {
        return switch (severity) {
            case "critical" -> 3;
            case "warning" -> 2;
            case "info" -> 1;
            default -> 0;
        };
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes(); // written by this class: its own report, not untrusted input
        } catch (IOException e) {
            throw new StoreException("a stored report is damaged: " + e.getMessage(), e);
        }
    }

    private static String oneLine(String error) {
        String s = error == null ? "" : error.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
        return s.length() > MAX_ERROR ? s.substring(0, MAX_ERROR) + "…" : s;
    }
}
