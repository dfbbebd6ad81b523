package dev.godiag.guard.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.EvidenceJson;
import dev.godiag.guard.model.Metric;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * An alert as JSON: the shape {@code /api/guard/alerts} lists and webhooks and callbacks carry
 * (see docs/json.md). Links point into guard's own API under {@code externalUrl}, the
 * address receivers reach guard at ({@code ""}: links relative to guard's root), as
 * {@code /api/guard/alerts/<id>} and {@code /api/guard/evidence/<capture id>}.
 */
public final class AlertJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final String externalUrl;

    /** {@code externalUrl}: guard's base URL as receivers reach it, e.g. {@code http://guard.internal:9200}; "" or null for relative links. */
    public AlertJson(String externalUrl) {
        String u = externalUrl == null ? "" : externalUrl.strip();
        this.externalUrl = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** Whether links are absolute (an external URL was given). */
    public boolean absoluteLinks() {
        return !externalUrl.isEmpty();
    }

    /** Where guard shows this alert. */
    public String alertUrl(Alert alert) {
        return externalUrl + "/api/guard/alerts/" + pathSegment(alert.id());
    }

    /** Where guard serves the files of this capture. */
    public String evidenceUrl(AlertEvidence evidence) {
        return externalUrl + "/api/guard/evidence/" + pathSegment(evidence.captureId());
    }

    /** The alert as compact UTF-8 JSON: a webhook's or callback's body. */
    public byte[] bytes(Alert alert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, alert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the alert as one JSON object (the daemon's /api/guard/alerts writes an array of them). */
    public void write(JsonGenerator g, Alert a) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", a.id());
        g.writeStringField("state", a.state().key());
        g.writeStringField("target", a.target().address());
        g.writeStringField("job", a.target().job());
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> l : a.target().labels().entrySet()) {
            g.writeStringField(l.getKey(), l.getValue());
        }
        g.writeEndObject();
        g.writeStringField("metric", a.metric().key());
        g.writeStringField("unit", a.metric().unit());
        number(g, "value", a.value());
        number(g, "baseline", a.baseline());
        number(g, "threshold", a.threshold());
        g.writeStringField("since", a.since().toString());
        time(g, "resolved_at", a.resolvedAt());
        g.writeStringField("stage", a.stage().key());
        g.writeStringField("summary", summary(a));
        AlertEvidence e = a.evidence();
        if (e == null) {
            g.writeNullField("evidence");
        } else {
            writeEvidence(g, e);
        }
        g.writeObjectFieldStart("links");
        g.writeStringField("alert", alertUrl(a));
        if (e == null) {
            g.writeNullField("evidence");
        } else {
            g.writeStringField("evidence", evidenceUrl(e));
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeEvidence(JsonGenerator g, AlertEvidence e) throws IOException {
        g.writeFieldName("evidence");
        EvidenceJson.write(g, e);
    }

    /**
     * One line saying what grew and where, e.g. "goroutines on payments-1:6060 (job payments):
     * 2340, baseline 180, threshold 680, since 2026-12-02T06:00:00Z"; a resolved alert says when
     * and at what value it came back under.
     */
    public static String summary(Alert a) {
        String head = a.metric().key() + " on " + a.target().address() + " (job " + a.target().job() + ")";
        String levels = "baseline " + amount(a.metric(), a.baseline()) + ", threshold " + amount(a.metric(), a.threshold());
        if (a.firing()) {
            return head + ": " + amount(a.metric(), a.value()) + ", " + levels + ", since " + a.since();
        }
        return head + " back under the threshold: " + amount(a.metric(), a.value()) + ", " + levels + ", over from "
                + a.since() + " to " + a.resolvedAt();
    }

    /** A value as an engineer reads it: counts whole, bytes in MiB or GiB. */
    static String amount(Metric metric, double v) {
        if (!Double.isFinite(v)) {
            return "none";
        }
        if (metric.unit().equals("bytes")) {
            double mib = v / (1024 * 1024);
            return mib >= 1024 ? String.format(Locale.ROOT, "%.2f GiB", mib / 1024)
                    : String.format(Locale.ROOT, "%.1f MiB", mib);
        }
        return whole(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (!Double.isFinite(v)) {
            // a rule with neither limit set has no threshold; JSON has no infinity
            g.writeNullField(name);
        } else if (whole(v)) {
            g.writeNumberField(name, (long) v);
        } else {
            g.writeNumberField(name, v);
        }
    }

    private static boolean whole(double v) {
        return v == Math.rint(v) && Math.abs(v) < 0x1p53;
    }

    private static void time(JsonGenerator g, String name, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, t.toString());
        }
    }

    private static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
