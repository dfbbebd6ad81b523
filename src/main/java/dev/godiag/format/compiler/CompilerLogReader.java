package dev.godiag.format.compiler;

import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.util.BadInputException;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The Go compiler's diagnostics in either form: the text of {@code go build -gcflags=-m} (or
 * {@code -m=2}, {@code -d=ssa/check_bce/debug=1}) and a file of {@code -gcflags=-json=0,file://DIR}.
 * Input that holds none is refused with one line.
 */
public final class CompilerLogReader {
    /** How far {@link #looksLike} looks, as the recognizer does. */
    private static final int HEAD = 64 * 1024;
    private static final Pattern JSON_HEADER = Pattern.compile(
            "^\\{\"version\":\\d+,.*\"gc_version\":.*\"file\":.*");

    private CompilerLogReader() {
    }

    public static CompilerDiagnostics read(byte[] data) {
        int nul = indexOfNul(data, data.length);
        if (nul >= 0) {
            throw new BadInputException("binary data (a NUL byte at offset " + nul + "), not compiler output");
        }
        String text = new String(data, StandardCharsets.UTF_8);
        if (isJson(text)) {
            return CompilerJsonReader.read(text);
        }
        int[] recognised = {0};
        CompilerDiagnostics d = CompilerTextReader.read(text, recognised);
        if (recognised[0] == 0) {
            throw new BadInputException("no compiler diagnostics in it (expected the output of go build"
                    + " -gcflags=-m, -m=2 or -d=ssa/check_bce/debug=1, or a file of -gcflags=-json=0,file://DIR)");
        }
        return d;
    }

    /** Whether the first 64 KiB look like compiler diagnostics, in either form. */
    public static boolean looksLike(byte[] head) {
        int n = Math.min(head.length, HEAD);
        if (indexOfNul(head, n) >= 0) {
            return false;
        }
        String text = new String(head, 0, n, StandardCharsets.UTF_8);
        if (isJson(text)) {
            return true;
        }
        int[] recognised = {0};
        CompilerTextReader.read(text, recognised);
        return recognised[0] > 0;
    }

    private static boolean isJson(String text) {
        int eol = text.indexOf('\n');
        return JSON_HEADER.matcher(eol < 0 ? text : text.substring(0, eol)).matches();
    }

    private static int indexOfNul(byte[] data, int n) {
        for (int i = 0; i < n; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
