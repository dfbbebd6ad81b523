package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import dev.godiag.util.RawUtf8;

import java.io.IOException;

/**
 * A JSON generator whose strings are valid Unicode: the bytes of invalid UTF-8 names that the
 * model keeps ({@link RawUtf8}) are written as U+FFFD, as Go's JSON encoder writes them.
 */
final class UnicodeJson extends JsonGeneratorDelegate {
    private UnicodeJson(JsonGenerator g) {
        super(g, false);
    }

    static JsonGenerator of(JsonGenerator g) {
        return new UnicodeJson(g);
    }

    @Override
    public void writeString(String text) throws IOException {
        delegate.writeString(text == null ? null : RawUtf8.toUnicode(text));
    }

    @Override
    public void writeFieldName(String name) throws IOException {
        delegate.writeFieldName(RawUtf8.toUnicode(name));
    }
}
