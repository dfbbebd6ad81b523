package dev.godiag.util;

/**
 * Input that godiag cannot read: truncated, corrupt, hostile or simply not what was expected.
 * The message is one line meant for the user; the CLI prefixes the input's name and exits 2.
 * Whatever the message quotes from the input, it stays one line: control characters and Unicode
 * line breaks are escaped ({@link #oneLine}).
 */
public final class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(oneLine(message), null, false, false);
    }

    public BadInputException(String message, Throwable cause) {
        super(oneLine(message), cause, false, false);
    }

    /**
     * The text with every control character (C0, DEL, C1), Unicode line or paragraph separator
     * and bidirectional override escaped ({@code \n}, {@code \t}, {@code \xNN}, {@code \\uNNNN}),
     * so that quoted input can neither break the one-line message nor drive a terminal.
     */
    public static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!needsEscape(c)) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x100) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069'; // bidi overrides
    }
}
