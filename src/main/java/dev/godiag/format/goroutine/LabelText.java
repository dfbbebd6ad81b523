package dev.godiag.format.goroutine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Label sets as Go prints them: the traceback's {@code {k: v, "k 2": "v\n"}} (Go 1.26+, values
 * quoted only when needed), pprof's debug=1 {@code # labels: {"k":"v", "k2":"v2"}}, and the same
 * after a {@code labels:} prefix. Keys and values are Go strings: quoted ones are unescaped.
 */
final class LabelText {
    private LabelText() {
    }

    /**
     * The labels of {@code s} from the '{' at {@code from}; {@code end[0]} receives the index after
     * the closing '}'. Null when the text is not a label set.
     */
    static Map<String, String> parse(String s, int from, int[] end) {
        if (from >= s.length() || s.charAt(from) != '{') {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int i = skipSpaces(s, from + 1);
        if (i < s.length() && s.charAt(i) == '}') {
            end[0] = i + 1;
            return labels;
        }
        int[] next = new int[1];
        while (true) {
            String key = token(s, i, next, true);
            if (key == null) {
                return null;
            }
            i = skipSpaces(s, next[0]);
            if (i >= s.length() || s.charAt(i) != ':') {
                return null;
            }
            i = skipSpaces(s, i + 1);
            String value = token(s, i, next, false);
            if (value == null) {
                return null;
            }
            labels.put(key, value);
            i = skipSpaces(s, next[0]);
            if (i >= s.length()) {
                return null;
            }
            char c = s.charAt(i);
            if (c == '}') {
                end[0] = i + 1;
                return labels;
            }
            if (c != ',') {
                return null;
            }
            i = skipSpaces(s, i + 1);
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** A quoted Go string, or a bare word up to ':' (keys) or ',' / '}' (values). */
    private static String token(String s, int i, int[] next, boolean key) {
        if (i >= s.length()) {
            return null;
        }
        if (s.charAt(i) == '"') {
            StringBuilder b = new StringBuilder();
            int j = i + 1;
            while (j < s.length()) {
                char c = s.charAt(j);
                if (c == '"') {
                    next[0] = j + 1;
                    return b.toString();
                }
                if (c == '\\' && j + 1 < s.length()) {
                    j = unescape(s, j + 1, b);
                    continue;
                }
                b.append(c);
                j++;
            }
            return null;
        }
        int j = i;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (key ? c == ':' || c == ' ' : c == ',' || c == '}') {
                break;
            }
            j++;
        }
        if (j == i && key) {
            return null;
        }
        next[0] = j;
        return s.substring(i, j).strip();
    }

    /** Appends the escape starting at {@code j} (after the backslash); returns the index after it. */
    private static int unescape(String s, int j, StringBuilder b) {
        char c = s.charAt(j);
        switch (c) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'a' -> b.append('\u0007');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'v' -> b.append('\u000b');
            case 'x', 'u', 'U' -> {
                int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                if (j + digits < s.length()) {
                    try {
                        int cp = Integer.parseInt(s.substring(j + 1, j + 1 + digits), 16);
                        if (c == 'x') {
                            b.append((char) cp); // a byte; labels are almost always ASCII
                        } else if (Character.isValidCodePoint(cp)) {
                            b.appendCodePoint(cp);
                        }
                        return j + 1 + digits;
                    } catch (NumberFormatException | IndexOutOfBoundsException e) {
                        b.append(c);
                        return j + 1;
                    }
                }
                b.append(c);
            }
            default -> b.append(c); // \" \\ and anything else: the character itself
        }
        return j + 1;
    }
}
