package dev.godiag.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON request body read into plain values: objects as maps in order, arrays as lists, strings,
 * numbers, booleans and null. The body is bounded before it is parsed and its nesting is shallow,
 * so no request can make the server hold much or recurse deeply; every problem is a 400 (413 for
 * size) with one line naming the body.
 */
final class JsonRequest {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 22)
                    .maxNumberLength(100).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonRequest() {
    }

    /** The request body, refused (413) beyond {@code limit} bytes without reading the rest. */
    static byte[] body(Context ctx, long limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        try (InputStream in = ctx.req().getInputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    ctx.header("Connection", "close");
                    throw new Http.ClientError(413, "the request body is larger than the limit of " + limit + " bytes");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new Http.ClientError(400, "the request body could not be read: " + e.getMessage());
        }
        return out.toByteArray();
    }

    /** The body as one JSON object; {@code what} names it in errors ("the capture request"). */
    static Map<String, Object> object(byte[] body, String what) {
        if (parse(body, what) instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> o = (Map<String, Object>) m;
            return o;
        }
        throw new Http.ClientError(400, what + " must be a JSON object");
    }

    /** One JSON value and nothing after it. */
    static Object parse(byte[] body, String what) {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new Http.ClientError(400, what + " is empty: a JSON body is expected");
            }
            Object v = value(p, t);
            if (p.nextToken() != null) {
                throw new Http.ClientError(400, what + ": more than one JSON value");
            }
            return v;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null || l.getLineNr() < 0 ? "" : " (line " + l.getLineNr() + ", column "
                    + l.getColumnNr() + ")";
            String m = String.valueOf(e.getOriginalMessage());
            int cut = m.indexOf('\n');
            throw new Http.ClientError(400, what + " is not valid JSON" + where + ": "
                    + (cut < 0 ? m : m.substring(0, cut)));
        } catch (IOException e) {
            throw new Http.ClientError(400, what + " could not be read: " + e.getMessage());
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
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
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new Http.ClientError(400, "unexpected JSON token " + t);
        };
    }

    /** A value {@link #parse} returned, as compact JSON. */
    static String write(Object value) {
        return Http.json(g -> write(g, value));
    }

    private static void write(com.fasterxml.jackson.core.JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName((String) e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object e : l) {
                    write(g, e);
                }
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case java.math.BigInteger n -> g.writeNumber(n);
            case java.math.BigDecimal n -> g.writeNumber(n);
            case Double n -> g.writeNumber(n);
            case Float n -> g.writeNumber(n);
            case Number n -> g.writeNumber(n.longValue());
            default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass().getSimpleName());
        }
    }

    /** A string field; null when absent or null; 400 when it is another type. */
    static String string(Map<String, Object> o, String field, String what) {
        Object v = o.get(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new Http.ClientError(400, what + ": " + field + " must be a string");
    }

    /** Fields other than {@code known}: a 400 naming the first, so a misspelt field is not silently ignored. */
    static void onlyFields(Map<String, Object> o, List<String> known, String what) {
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                String shown = k.length() > 60 ? k.substring(0, 60) + "…" : k;
                throw new Http.ClientError(400, what + ": unknown field '" + shown + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }
}
