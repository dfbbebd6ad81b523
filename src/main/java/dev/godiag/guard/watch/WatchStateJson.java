package dev.godiag.guard.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.model.EvidenceJson;
import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Stage;
import dev.godiag.guard.model.Target;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link TargetWatch}'s state as JSON and back (jackson-core streaming; the shape is in docs/json.md). */
final class WatchStateJson {
    static final int FORMAT = 1;
    /** A state at the largest settings is well under this; anything bigger is not ours. */
    private static final int MAX_CHARS = 8 << 20;
    private static final JsonFactory JSON = new JsonFactory();

    private WatchStateJson() {
    }

    static String write(TargetWatch w) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("target", w.target().key());
            g.writeStringField("last_reading_at", w.lastReadingAt == null ? null : w.lastReadingAt.toString());
            g.writeBooleanField("up", w.up);
            g.writeStringField("last_error", w.lastError);
            writeNumberOrNull(g, "process_start_seconds", w.processStart);
            g.writeNumberField("readings_since_start", w.readingsSinceStart);
            g.writeObjectFieldStart("metrics");
            for (MetricWatch m : w.metrics.values()) {
                g.writeObjectFieldStart(m.metric.key());
                writeNumberOrNull(g, "last", m.last);
                g.writeArrayFieldStart("buckets");
                for (MetricWatch.Bucket b : m.buckets) {
                    g.writeStartArray();
                    g.writeNumber(b.median());
                    g.writeNumber(b.max());
                    g.writeEndArray();
                }
                g.writeEndArray();
                writeArray(g, "open", m.open, m.openCount);
                writeArray(g, "held", m.held, m.heldCount);
                g.writeNumberField("over", m.over);
                g.writeStringField("over_since", m.overSince == null ? null : m.overSince.toString());
                g.writeNumberField("under", m.under);
                if (m.alert == null) {
                    g.writeNullField("alert");
                } else {
                    Alert a = m.alert;
                    g.writeObjectFieldStart("alert");
                    g.writeStringField("id", a.id());
                    g.writeStringField("since", a.since().toString());
                    g.writeNumberField("value", a.value());
                    g.writeNumberField("baseline", a.baseline());
                    g.writeNumberField("threshold", a.threshold());
                    g.writeStringField("stage", a.stage().key());
                    g.writeObjectFieldStart("labels");
                    for (Map.Entry<String, String> l : a.target().labels().entrySet()) {
                        g.writeStringField(l.getKey(), l.getValue());
                    }
                    g.writeEndObject();
                    if (a.evidence() != null) {
                        writeEvidence(g, a.evidence());
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeEvidence(JsonGenerator g, AlertEvidence e) throws IOException {
        g.writeFieldName("evidence");
        EvidenceJson.write(g, e);
    }

    private static void writeNumberOrNull(JsonGenerator g, String key, double value) throws IOException {
        if (Double.isNaN(value)) {
            g.writeNullField(key);
        } else {
            g.writeNumberField(key, value);
        }
    }

    private static void writeArray(JsonGenerator g, String key, double[] values, int count) throws IOException {
        g.writeArrayFieldStart(key);
        for (int i = 0; i < count; i++) {
            g.writeNumber(values[i]);
        }
        g.writeEndArray();
    }

    static void read(String json, TargetWatch w) {
        String name = "watch state of " + w.target().key();
        if (json == null || json.isBlank()) {
            throw new BadInputException(name + ": empty");
        }
        if (json.length() > MAX_CHARS) {
            throw new BadInputException(name + ": " + json.length() + " characters, over the limit of " + MAX_CHARS);
        }
        Object tree;
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            tree = value(p, first);
            if (p.nextToken() != null) {
                throw new BadInputException(name + ": text after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new BadInputException(name + ": not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(name + ": not JSON: " + e.getMessage());
        }
        new Reader(name, w).state(tree);
    }

    /** One JSON value as maps, lists, doubles, strings, booleans and nulls. */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new IOException("nothing to read");
        }
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    m.put(key, value(p, p.nextToken()));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                yield l;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + t);
        };
    }

    /** Fills a fresh watch from the tree; every problem is one line naming the key. */
    private record Reader(String name, TargetWatch w) {
        void state(Object tree) {
            Map<String, Object> s = object(tree, "the state");
            int format = count(s, "format", "format");
            if (format != FORMAT) {
                throw bad("format", "format " + format + " is not " + FORMAT + " (written by another version of godiag)");
            }
            String key = string(s, "target", "target");
            if (key != null && !key.equals(w.target().key())) {
                throw bad("target", "is the state of " + key);
            }
            w.lastReadingAt = instant(s, "last_reading_at", "last_reading_at");
            w.up = !Boolean.FALSE.equals(s.get("up"));
            w.lastError = string(s, "last_error", "last_error");
            w.processStart = numberOrNaN(s, "process_start_seconds", "process_start_seconds");
            w.readingsSinceStart = count(s, "readings_since_start", "readings_since_start");
            Map<String, Object> metrics = object(s.get("metrics"), "metrics");
            for (MetricWatch m : w.metrics.values()) {
                Object entry = metrics.get(m.metric.key());
                if (entry != null) {
                    metric(object(entry, "metrics." + m.metric.key()), m, "metrics." + m.metric.key());
                }
            }
        }

        private void metric(Map<String, Object> s, MetricWatch m, String path) {
            m.last = numberOrNaN(s, "last", path + ".last");
            Object buckets = s.get("buckets");
            for (Object b : buckets == null ? List.of() : list(buckets, path + ".buckets")) {
                List<Object> pair = list(b, path + ".buckets");
                if (pair.size() != 2) {
                    throw bad(path + ".buckets", "a bucket is [median, max], got " + pair.size() + " numbers");
                }
                m.restoreBucket(number(pair.get(0), path + ".buckets"), number(pair.get(1), path + ".buckets"));
            }
            m.trim(w.settings());
            for (double v : numbers(s.get("open"), path + ".open")) {
                m.addToWindow(v, w.settings());
            }
            m.held = numbers(s.get("held"), path + ".held");
            m.heldCount = m.held.length;
            if (m.held.length == 0) {
                m.held = new double[4];
            }
            m.over = count(s, "over", path + ".over");
            m.overSince = instant(s, "over_since", path + ".over_since");
            m.under = count(s, "under", path + ".under");
            Object a = s.get("alert");
            if (a != null) {
                m.alert = alert(object(a, path + ".alert"), m.metric, path + ".alert");
            }
        }

        private Alert alert(Map<String, Object> a, Metric metric, String path) {
            String id = string(a, "id", path + ".id");
            Instant since = instant(a, "since", path + ".since");
            String stageKey = string(a, "stage", path + ".stage");
            Stage stage = stageKey == null ? null : Stage.byKey(stageKey);
            if (id == null || since == null || stage == null) {
                throw bad(path, "needs an id, a since time and a stage (observe, capture, notify)");
            }
            Object e = a.get("evidence");
            Target target = w.target();
            Object labels = a.get("labels");
            if (labels != null) {
                Map<String, String> l = new LinkedHashMap<>();
                for (Map.Entry<String, Object> entry : object(labels, path + ".labels").entrySet()) {
                    if (!(entry.getValue() instanceof String v)) {
                        throw bad(path + ".labels." + entry.getKey(), "expected a string, got " + describe(entry.getValue()));
                    }
                    l.put(entry.getKey(), v);
                }
                target = new Target(target.job(), target.address(), l);
            }
            return new Alert(id, target, metric, AlertState.FIRING, since, null,
                    number(a.get("value"), path + ".value"), number(a.get("baseline"), path + ".baseline"),
                    number(a.get("threshold"), path + ".threshold"), stage,
                    e == null ? null : evidence(object(e, path + ".evidence"), path + ".evidence"));
        }

        private AlertEvidence evidence(Map<String, Object> e, String path) {
            List<AlertEvidence.GrowingBucket> buckets = new ArrayList<>();
            for (Object o : optionalList(e.get("buckets"), path + ".buckets")) {
                Map<String, Object> b = object(o, path + ".buckets");
                String p = path + ".buckets";
                buckets.add(new AlertEvidence.GrowingBucket(string(b, "function", p + ".function"), string(b, "file", p + ".file"),
                        count(b, "line", p + ".line"), string(b, "wait", p + ".wait"), whole(b.get("count"), p + ".count"),
                        whole(b.get("baseline_count"), p + ".baseline_count"), string(b, "verdict", p + ".verdict")));
            }
            List<AlertEvidence.FindingSummary> findings = new ArrayList<>();
            for (Object o : optionalList(e.get("findings"), path + ".findings")) {
                Map<String, Object> f = object(o, path + ".findings");
                String p = path + ".findings";
                findings.add(new AlertEvidence.FindingSummary(string(f, "rule", p + ".rule"), string(f, "severity", p + ".severity"),
                        string(f, "title", p + ".title"), string(f, "location", p + ".location"), string(f, "fix", p + ".fix")));
            }
            List<String> files = new ArrayList<>();
            for (Object o : optionalList(e.get("files"), path + ".files")) {
                if (!(o instanceof String f)) {
                    throw bad(path + ".files", "expected a string, got " + describe(o));
                }
                files.add(f);
            }
            return new AlertEvidence(string(e, "capture_id", path + ".capture_id"),
                    instant(e, "captured_at", path + ".captured_at"), buckets, findings, files);
        }

        private List<Object> optionalList(Object v, String path) {
            return v == null ? List.of() : list(v, path);
        }

        private long whole(Object v, String path) {
            double d = number(v, path);
            if (d != Math.rint(d) || Math.abs(d) > 1e15) {
                throw bad(path, "expected a whole number, got " + d);
            }
            return (long) d;
        }

        private double[] numbers(Object v, String path) {
            if (v == null) {
                return new double[0];
            }
            List<Object> l = list(v, path);
            if (l.size() > WatchSettings.MAX_COUNT) {
                throw bad(path, l.size() + " values, over the limit of " + WatchSettings.MAX_COUNT);
            }
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = number(l.get(i), path);
            }
            return out;
        }

        private double number(Object v, String path) {
            if (!(v instanceof Double d) || !Double.isFinite(d)) {
                throw bad(path, "expected a number, got " + describe(v));
            }
            return d;
        }

        private double numberOrNaN(Map<String, Object> s, String key, String path) {
            Object v = s.get(key);
            return v == null ? Double.NaN : number(v, path);
        }

        private int count(Map<String, Object> s, String key, String path) {
            Object v = s.get(key);
            if (v == null) {
                return 0;
            }
            double d = number(v, path);
            if (d < 0 || d > Integer.MAX_VALUE || d != Math.rint(d)) {
                throw bad(path, "expected a count, got " + d);
            }
            return (int) d;
        }

        private String string(Map<String, Object> s, String key, String path) {
            Object v = s.get(key);
            if (v != null && !(v instanceof String)) {
                throw bad(path, "expected a string, got " + describe(v));
            }
            return (String) v;
        }

        private Instant instant(Map<String, Object> s, String key, String path) {
            String v = string(s, key, path);
            try {
                return v == null ? null : Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw bad(path, "not an instant: " + v);
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> object(Object v, String path) {
            if (!(v instanceof Map)) {
                throw bad(path, "expected an object, got " + describe(v));
            }
            return (Map<String, Object>) v;
        }

        @SuppressWarnings("unchecked")
        private List<Object> list(Object v, String path) {
            if (!(v instanceof List)) {
                throw bad(path, "expected an array, got " + describe(v));
            }
            return (List<Object>) v;
        }

        private static String describe(Object v) {
            return switch (v) {
                case null -> "null";
                case Map<?, ?> m -> "an object";
                case List<?> l -> "an array";
                case String s -> "a string";
                case Boolean b -> b.toString();
                default -> v.toString();
            };
        }

        private BadInputException bad(String path, String problem) {
            return new BadInputException(name + ": " + path + ": " + problem);
        }
    }
}
