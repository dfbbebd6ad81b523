package dev.godiag.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Streaming JSON output with one pretty-printing style for every report. */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    public static String write(Body body) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // JSON is Unicode: bytes of invalid UTF-8 names show as U+FFFD, as Go's encoder writes them
        return dev.godiag.util.RawUtf8.toUnicode(w.append('\n').toString());
    }
}
