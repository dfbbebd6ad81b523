package dev.godiag.util;

import java.nio.charset.StandardCharsets;

/**
 * Strings from files that need not be valid UTF-8 (Go strings are bytes), kept losslessly: each
 * byte that is not part of a valid UTF-8 sequence (by Go's rules: one byte at a time) becomes the
 * lone surrogate U+DC80+byte, which valid text never contains. Text output writes those bytes back
 * as they were, as Go's tools print them; JSON and HTML show U+FFFD, as Go's JSON encoder does.
 */
public final class RawUtf8 {
    private static final char FIRST_ESCAPE = '\uDC80';
    private static final char LAST_ESCAPE = '\uDCFF';

    private RawUtf8() {
    }

    public static String decode(byte[] b) {
        return decode(b, 0, b.length);
    }

    public static String decode(byte[] b, int off, int len) {
        String s = new String(b, off, len, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') < 0) {
            return s; // valid (a U+FFFD in the text itself is decoded again below, and kept)
        }
        StringBuilder out = new StringBuilder(len);
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xff;
            int n = sequenceLength(b, i, end);
            if (n == 0) {
                out.append((char) (FIRST_ESCAPE + (c - 0x80)));
                i++;
            } else {
                out.append(new String(b, i, n, StandardCharsets.UTF_8));
                i += n;
            }
        }
        return out.toString();
    }

    /** The length of the valid UTF-8 sequence at i, or 0 if the byte there starts none. */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xff;
        if (c < 0x80) {
            return 1;
        }
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) {
                lo = 0xA0; // no overlong forms
            } else if (c == 0xED) {
                hi = 0x9F; // no surrogates
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F; // nothing above U+10FFFF
            }
        } else {
            return 0;
        }
        if (end - i < n) {
            return 0;
        }
        int second = b[i + 1] & 0xff;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int cont = b[i + k] & 0xff;
            if (cont < 0x80 || cont > 0xBF) {
                return 0;
            }
        }
        return n;
    }

    /** The UTF-8 bytes of s, with the bytes it keeps for invalid input written back as they were. */
    public static byte[] encode(String s) {
        if (!hasRawBytes(s)) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length() + 16);
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            if (isEscape(s, i)) {
                byte[] text = s.substring(from, i).getBytes(StandardCharsets.UTF_8);
                out.write(text, 0, text.length);
                out.write(0x80 + (s.charAt(i) - FIRST_ESCAPE));
                from = i + 1;
            }
        }
        byte[] text = s.substring(from).getBytes(StandardCharsets.UTF_8);
        out.write(text, 0, text.length);
        return out.toByteArray();
    }

    /** s with each kept byte shown as U+FFFD: for JSON and HTML, which must be valid Unicode. */
    public static String toUnicode(String s) {
        if (!hasRawBytes(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s);
        for (int i = 0; i < out.length(); i++) {
            if (isEscape(s, i)) {
                out.setCharAt(i, '\uFFFD');
            }
        }
        return out.toString();
    }

    /** Whether s holds bytes of invalid UTF-8 input. */
    public static boolean hasRawBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isEscape(s, i)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the char at i stands for a raw byte: a low surrogate of the range, not after a high one. */
    public static boolean isEscape(String s, int i) {
        return isEscape(s.charAt(i)) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    /** Whether c is in the range of raw bytes (a raw byte when it does not follow a high surrogate). */
    public static boolean isEscape(char c) {
        return c >= FIRST_ESCAPE && c <= LAST_ESCAPE;
    }
}
