package dev.godiag.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

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

    /** The same JSON, written to out as it is generated (for reports too large to hold twice). */
    public static void write(Writer out, Body body) throws IOException {
        Writer unicode = new UnicodeWriter(out);
        try (JsonGenerator g = FACTORY.createGenerator(unicode)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            body.write(g);
        }
        unicode.write('\n');
        unicode.flush();
    }

    /** Shows each kept byte of invalid UTF-8 as U+FFFD, as {@link dev.godiag.util.RawUtf8#toUnicode} does. */
    private static final class UnicodeWriter extends FilterWriter {
        private boolean afterHigh; // the last char written was a high surrogate

        UnicodeWriter(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            out.write(map((char) c));
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            char[] copy = new char[len];
            for (int i = 0; i < len; i++) {
                copy[i] = map(buf[off + i]);
            }
            out.write(copy, 0, len);
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            write(s.toCharArray(), off, len);
        }

        private char map(char c) {
            boolean escape = !afterHigh && dev.godiag.util.RawUtf8.isEscape(c);
            afterHigh = Character.isHighSurrogate(c);
            return escape ? '\uFFFD' : c;
        }
    }
}
