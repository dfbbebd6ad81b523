package dev.godiag.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** What every route of the server shares: JSON answers, the one-line JSON error, parameters checked. */
final class Http {
    /** JSON with {@code < > &} as unicode escapes: names from profiles stay inert even where a body is taken for HTML. */
    static final JsonFactory JSON = new JsonFactoryBuilder().characterEscapes(new HtmlSafeEscapes()).build();

    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        HtmlSafeEscapes() {
            for (char c : new char[]{'<', '>', '&'}) {
                ascii[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    private Http() {
    }

    /** A request the client must fix: answered with its status and {@code {"error": message}}. */
    static final class ClientError extends RuntimeException {
        final int status;

        ClientError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    static String json(JsonBody body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static void json(Context ctx, int status, JsonBody body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(json(body));
    }

    static void json(Context ctx, JsonBody body) {
        json(ctx, 200, body);
    }

    /** The error answer: one line, never markup, never a stack trace. */
    static void error(Context ctx, int status, String message) {
        String line = message == null || message.isBlank() ? "error " + status
                : message.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
        ctx.status(status).contentType("application/json; charset=utf-8")
                .result(json(g -> {
                    g.writeStartObject();
                    g.writeStringField("error", line);
                    g.writeEndObject();
                }));
    }

    /** A query parameter, null when absent or blank. */
    static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = param(ctx, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ClientError(400, name + " must be a whole number from " + min + " to " + max + ", not " + v);
        }
    }

    /** A time parameter: RFC 3339 ({@code 2026-12-01T10:00:00Z}), a date ({@code 2026-12-01}) or epoch seconds. */
    static Instant timeParam(Context ctx, String name) {
        String v = param(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            if (v.matches("\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(v));
            }
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            }
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ClientError(400, name + " must be a time as 2026-12-01T10:00:00Z, 2026-12-01 or epoch seconds,"
                    + " not " + v);
        }
    }

    static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }
}
