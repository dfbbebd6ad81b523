package dev.godiag.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What the HTML report pages share: a template (a resource next to this class) with the page's data
 * spliced in as JSON at {@link #DATA_TOKEN}, inside {@code <script type="application/json">}. The
 * JSON escapes {@code < > &} and the JavaScript line separators, so no string from a profile or a
 * dump can end the script element it sits in.
 */
final class ScriptJson {
    static final String DATA_TOKEN = "/*GODIAG_DATA*/";
    private static final JsonFactory FACTORY = new JsonFactory();

    private ScriptJson() {
    }

    /** Loads a template resource of this package. */
    static String template(String name) {
        try (InputStream in = ScriptJson.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the template with the data the body writes in place of {@link #DATA_TOKEN}. */
    static void write(String name, OutputStream os, Json.Body body) throws IOException {
        String template = template(name);
        int at = template.indexOf(DATA_TOKEN);
        if (at < 0) {
            throw new IllegalStateException("template " + name + " has no " + DATA_TOKEN);
        }
        os.write(template.substring(0, at).getBytes(StandardCharsets.UTF_8));
        JsonGenerator g = UnicodeJson.of(FACTORY.createGenerator(os, JsonEncoding.UTF8));
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setCharacterEscapes(ScriptSafe.INSTANCE);
        body.write(g);
        g.close();
        os.write(template.substring(at + DATA_TOKEN.length()).getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    /**
     * Writes a report page: the template with {@code {"schema": 1, "kind": KIND (when not null),
     * "generator": ..., "report": R}} where R is the JSON report text, copied value by value.
     */
    static void page(String name, String kind, String generator, String report, OutputStream os)
            throws IOException {
        write(name, os, g -> {
            g.writeStartObject();
            g.writeNumberField("schema", 1);
            if (kind != null) {
                g.writeStringField("kind", kind);
            }
            if (generator == null) {
                g.writeNullField("generator");
            } else {
                g.writeStringField("generator", generator);
            }
            g.writeFieldName("report");
            copy(report, g);
            g.writeEndObject();
        });
    }

    /**
     * Copies a JSON text (e.g. another renderer's output) into the generator value by value, so it
     * gets the generator's escapes: unlike a raw value, it cannot end the script element.
     */
    static void copy(String json, JsonGenerator g) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != null) {
                g.copyCurrentStructure(p);
            }
        }
    }

    /** JSON escapes that keep the text inert inside an HTML script element. */
    static final class ScriptSafe extends CharacterEscapes {
        static final ScriptSafe INSTANCE = new ScriptSafe();
        private final int[] ascii;

        private ScriptSafe() {
            ascii = standardAsciiEscapesForJSON();
            ascii['<'] = ESCAPE_STANDARD;
            ascii['>'] = ESCAPE_STANDARD;
            ascii['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case 0x2028 -> new SerializedString("\\u2028");
                case 0x2029 -> new SerializedString("\\u2029");
                default -> null;
            };
        }
    }
}
