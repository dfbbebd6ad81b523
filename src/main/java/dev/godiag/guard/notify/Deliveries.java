package dev.godiag.guard.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.guard.config.NotifyConfig;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Outbox;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one transition of an alert (firing, resolved) is delivered as in the notify stage, fixed
 * when the transition is stored in the outbox: the alert's JSON to every webhook (signed with its
 * secret), the alert to every Alertmanager's v2 API, and the alert's JSON POSTed to the job's
 * callback on the service itself (the circuit-break hook).
 */
public final class Deliveries {
    public static final String WEBHOOK = "webhook";
    public static final String ALERTMANAGER = "alertmanager";
    public static final String CALLBACK = "callback";

    /** The header carrying {@code sha256=<hex HMAC-SHA256 of the body>} (GitHub's convention). */
    public static final String SIGNATURE_HEADER = "X-Godiag-Signature";
    /** The header naming the delivery: the same on every retry of it, so a receiver can drop a repeat. */
    public static final String DELIVERY_HEADER = "X-Godiag-Delivery";
    /** The header naming the transition: firing or resolved. */
    public static final String EVENT_HEADER = "X-Godiag-Event";

    /** Alertmanager's label names: Prometheus' syntax; a target label that breaks it is left out rather than refused. */
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** How many growing buckets and findings the Alertmanager description lists (the full list is behind the link). */
    private static final int DESCRIPTION_ITEMS = 5;
    private static final JsonFactory FACTORY = new JsonFactory();

    private final AlertJson json;

    public Deliveries(AlertJson json) {
        this.json = json;
    }

    /**
     * The requests to store with this transition of {@code alert}: none unless the alert's stage
     * notifies (the stage it opened in, so a resolve goes wherever the firing went); otherwise one
     * per webhook and Alertmanager of {@code notify} and one to {@code job}'s callback when it has
     * one ({@code job} null: the job left the configuration, no callback). A webhook without a
     * secret (or with an empty one) is sent unsigned.
     */
    public List<Outbox.Pending> plan(Alert alert, NotifyConfig notify, ScrapeJob job) {
        if (!alert.stage().notifies()) {
            return List.of();
        }
        List<Outbox.Pending> out = new ArrayList<>();
        byte[] alertJson = json.bytes(alert);
        for (NotifyConfig.Webhook w : notify.webhooks()) {
            Map<String, String> headers = headers(alert, WEBHOOK, w.url());
            if (w.secret() != null && !w.secret().isEmpty()) {
                headers.put(SIGNATURE_HEADER, signature(alertJson, w.secret()));
            }
            out.add(new Outbox.Pending(WEBHOOK, w.url(), headers, alertJson));
        }
        if (!notify.alertmanagers().isEmpty()) {
            byte[] amBody = alertmanagerBody(List.of(alert));
            for (NotifyConfig.AlertmanagerTarget am : notify.alertmanagers()) {
                String url = trimSlash(am.url()) + "/api/v2/alerts";
                out.add(new Outbox.Pending(ALERTMANAGER, url, headers(alert, ALERTMANAGER, url), amBody));
            }
        }
        if (job != null && job.callback() != null && !job.callback().isBlank()) {
            String url = job.callback().replace("{target}", alert.target().address());
            out.add(new Outbox.Pending(CALLBACK, url, headers(alert, CALLBACK, url), alertJson));
        }
        return out;
    }

    /**
     * The firing alerts of the notify stage re-posted to every Alertmanager, one request each, for
     * {@link DeliveryWorker#sendOnce}: Alertmanager ends an alert nobody re-sends after its
     * {@code resolve_timeout} (5 min by default) and would tell its receivers it resolved, so the
     * daemon re-posts what is still firing every minute, as Prometheus does. Empty when nothing
     * notifying fires or there is no Alertmanager.
     */
    public List<Outbox.Pending> alertmanagerRefresh(List<Alert> alerts, NotifyConfig notify) {
        List<Alert> firing = alerts.stream().filter(a -> a.firing() && a.stage().notifies()).toList();
        if (firing.isEmpty() || notify.alertmanagers().isEmpty()) {
            return List.of();
        }
        byte[] body = alertmanagerBody(firing);
        List<Outbox.Pending> out = new ArrayList<>();
        for (NotifyConfig.AlertmanagerTarget am : notify.alertmanagers()) {
            out.add(new Outbox.Pending(ALERTMANAGER, trimSlash(am.url()) + "/api/v2/alerts",
                    Map.of("Content-Type", "application/json"), body));
        }
        return out;
    }

    /** {@code sha256=<hex HMAC-SHA256 of body keyed with secret>}: what a receiver recomputes to check a webhook. */
    public static String signature(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static Map<String, String> headers(Alert alert, String channel, String url) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put(DELIVERY_HEADER, deliveryId(alert, channel, url));
        h.put(EVENT_HEADER, alert.state().key());
        return h;
    }

    /**
     * A stable id per (alert, transition, channel, url): the same when a transition is planned
     * again after a crash, different for every other request. Hashed, since alert ids and URLs may
     * hold characters a header cannot.
     */
    static String deliveryId(Alert alert, String channel, String url) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String key = alert.id() + '\n' + alert.state().key() + '\n' + channel + '\n' + url;
            return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Alertmanager's v2 {@code postableAlerts}: each alert with labels that identify it (alertname,
     * job, instance, metric, severity, and the target's own labels, as Prometheus attaches them)
     * and whose annotations say what grew and where. A firing alert carries no {@code endsAt}
     * (Alertmanager keeps it for its resolve_timeout); a resolved one ends at its resolve time.
     */
    private byte[] alertmanagerBody(List<Alert> alerts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (Alert a : alerts) {
                writeAlertmanagerAlert(g, a);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void writeAlertmanagerAlert(JsonGenerator g, Alert a) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> l : a.target().labels().entrySet()) {
            if (LABEL_NAME.matcher(l.getKey()).matches() && !l.getKey().startsWith("__")) {
                labels.put(l.getKey(), l.getValue());
            }
        }
        labels.put("alertname", alertName(a.metric()));
        labels.put("job", a.target().job());
        labels.put("instance", a.target().address());
        labels.put("metric", a.metric().key());
        labels.put("severity", "warning");
        g.writeStartObject();
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> l : labels.entrySet()) {
            g.writeStringField(l.getKey(), l.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("annotations");
        g.writeStringField("summary", AlertJson.summary(a));
        g.writeStringField("description", description(a));
        g.writeStringField("godiag_alert_id", a.id());
        if (a.evidence() != null) {
            g.writeStringField("evidence", json.evidenceUrl(a.evidence()));
        }
        g.writeEndObject();
        g.writeStringField("startsAt", a.since().toString());
        if (a.resolvedAt() != null) {
            g.writeStringField("endsAt", a.resolvedAt().toString());
        }
        if (json.absoluteLinks()) {
            g.writeStringField("generatorURL", json.alertUrl(a));
        }
        g.writeEndObject();
    }

    /** GoroutineGrowth, HeapGrowth, FdGrowth: one alertname per metric, for routing and silences. */
    private static String alertName(Metric metric) {
        return switch (metric) {
            case GOROUTINES -> "GoroutineGrowth";
            case HEAP -> "HeapGrowth";
            case FDS -> "FdGrowth";
        };
    }

    /** The evidence in a few lines: the buckets that grew most and the engine's fixes. */
    private static String description(Alert a) {
        StringBuilder sb = new StringBuilder(AlertJson.summary(a));
        AlertEvidence e = a.evidence();
        if (e == null) {
            return sb.toString();
        }
        List<AlertEvidence.GrowingBucket> grown = e.buckets().stream()
                .sorted((x, y) -> Long.compare(y.growth(), x.growth())).limit(DESCRIPTION_ITEMS).toList();
        if (!grown.isEmpty()) {
            sb.append("\nGrowing goroutines:");
            for (AlertEvidence.GrowingBucket b : grown) {
                sb.append("\n  +").append(b.growth()).append(" (").append(b.baselineCount()).append(" -> ")
                        .append(b.count()).append(") ").append(b.function()).append(" at ").append(b.file())
                        .append(':').append(b.line()).append(" [").append(b.state()).append("]");
                if (b.verdict() != null && !b.verdict().isBlank()) {
                    sb.append(": ").append(b.verdict());
                }
            }
        }
        for (AlertEvidence.FindingSummary f : e.findings().stream().limit(DESCRIPTION_ITEMS).toList()) {
            sb.append("\n").append(f.severity()).append(' ').append(f.rule()).append(": ").append(f.title());
            if (f.location() != null && !f.location().isBlank()) {
                sb.append(" (").append(f.location()).append(')');
            }
            if (f.fix() != null && !f.fix().isBlank()) {
                sb.append("\n  fix: ").append(f.fix());
            }
        }
        return sb.toString();
    }

    private static String trimSlash(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
