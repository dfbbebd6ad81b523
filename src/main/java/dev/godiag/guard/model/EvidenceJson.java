package dev.godiag.guard.model;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * The one JSON form of an {@link AlertEvidence}: what the API and webhooks show and what the
 * watch state and the store keep. {@code captured_at} is an ISO instant (null when unknown); a
 * bucket's wait state is {@code wait}, its {@code growth} is derived (readers ignore it).
 */
public final class EvidenceJson {
    private EvidenceJson() {
    }

    /** Writes the evidence as one JSON object at the generator's position. */
    public static void write(JsonGenerator g, AlertEvidence e) throws IOException {
        g.writeStartObject();
        g.writeStringField("capture_id", e.captureId());
        if (e.capturedAt() == null) {
            g.writeNullField("captured_at");
        } else {
            g.writeStringField("captured_at", e.capturedAt().toString());
        }
        g.writeArrayFieldStart("buckets");
        for (AlertEvidence.GrowingBucket b : e.buckets()) {
            g.writeStartObject();
            g.writeStringField("function", b.function());
            g.writeStringField("file", b.file());
            g.writeNumberField("line", b.line());
            g.writeStringField("wait", b.state());
            g.writeNumberField("count", b.count());
            g.writeNumberField("baseline_count", b.baselineCount());
            g.writeNumberField("growth", b.growth());
            g.writeStringField("verdict", b.verdict());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("findings");
        for (AlertEvidence.FindingSummary f : e.findings()) {
            g.writeStartObject();
            g.writeStringField("rule", f.rule());
            g.writeStringField("severity", f.severity());
            g.writeStringField("title", f.title());
            g.writeStringField("location", f.location());
            g.writeStringField("fix", f.fix());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("files");
        for (String f : e.files()) {
            g.writeString(f);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
