package dev.godiag.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.EvidenceJson;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON columns of guard's tables: string maps (labels, headers) and an {@link AlertEvidence}
 * summary, written and read with jackson-core's streaming API. Only the store reads what it wrote,
 * so unknown fields are skipped (a newer godiag may add some) and a malformed column is a
 * {@link StoreException} naming it.
 */
final class GuardJson {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private GuardJson() {
    }

    static String writeMap(Map<String, String> map) {
        return write(g -> {
            g.writeStartObject();
            for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }

    static Map<String, String> readMap(String json, String what) {
        return read(json, what, p -> {
            Map<String, String> out = new TreeMap<>();
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                out.put(key, p.getValueAsString());
            }
            return out;
        });
    }

    static String writeEvidence(AlertEvidence e) {
        return write(g -> EvidenceJson.write(g, e));
    }

    static AlertEvidence readEvidence(String json, String what) {
        return read(json, what, p -> {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            String captureId = null;
            Instant capturedAt = null;
            List<AlertEvidence.GrowingBucket> buckets = new ArrayList<>();
            List<AlertEvidence.FindingSummary> findings = new ArrayList<>();
            List<String> files = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "capture_id" -> captureId = p.getValueAsString();
                    case "captured_at" -> capturedAt = value == JsonToken.VALUE_NULL ? null : Instant.parse(p.getText());
                    case "buckets" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, Object> o = object(p);
                            buckets.add(new AlertEvidence.GrowingBucket(str(o, "function"), str(o, "file"),
                                    (int) num(o, "line"), str(o, "wait"), num(o, "count"), num(o, "baseline_count"),
                                    str(o, "verdict")));
                        }
                    }
                    case "findings" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, Object> o = object(p);
                            findings.add(new AlertEvidence.FindingSummary(str(o, "rule"), str(o, "severity"),
                                    str(o, "title"), str(o, "location"), str(o, "fix")));
                        }
                    }
                    case "files" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            files.add(p.getText());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return new AlertEvidence(captureId, capturedAt, buckets, findings, files);
        });
    }

    /** The scalar fields of the object the parser is at, up to its end (nested values skipped). */
    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> o = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NUMBER_INT) {
                o.put(key, p.getLongValue());
            } else if (t == JsonToken.VALUE_STRING) {
                o.put(key, p.getText());
            } else {
                p.skipChildren();
            }
        }
        return o;
    }

    private static String str(Map<String, Object> o, String key) {
        return o.get(key) instanceof String s ? s : null;
    }

    private static long num(Map<String, Object> o, String key) {
        return o.get(key) instanceof Long l ? l : 0;
    }

    private static void expect(JsonToken got, JsonToken want) throws IOException {
        if (got != want) {
            throw new IOException("expected " + want + ", found " + got);
        }
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    private static String write(Writer w) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static <T> T read(String json, String what, Reader<T> r) {
        try (JsonParser p = JSON.createParser(json)) {
            return r.read(p);
        } catch (IOException e) {
            throw new StoreException(what + ": malformed JSON in the database: " + e.getMessage());
        }
    }
}
