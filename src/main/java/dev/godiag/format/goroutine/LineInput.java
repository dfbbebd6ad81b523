package dev.godiag.format.goroutine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a byte stream, read in 64 KiB blocks: "\n" or "\r\n" ends a line (a lone trailing
 * "\r" is dropped too), UTF-8 decoded. A line longer than {@link #MAX_LINE} bytes keeps its first
 * {@code MAX_LINE} bytes ({@link #wasCut()}), so that a hostile input cannot grow one string
 * without bound. Never holds more than a block and a line.
 */
final class LineInput {
    static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private boolean eof;
    private long number;
    private boolean cut;
    private byte[] carry = new byte[256];

    LineInput(InputStream in) {
        this.in = in;
    }

    /** The 1-based number of the line last returned. */
    long number() {
        return number;
    }

    /** The line last returned was longer than {@link #MAX_LINE} and was cut. */
    boolean wasCut() {
        return cut;
    }

    /** The next line without its line end, or null at the end of the input. */
    String next() {
        cut = false;
        int carryLen = 0;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    if (carryLen == 0 && !cut) {
                        return null;
                    }
                    number++;
                    return decode(carry, 0, carryLen);
                }
            }
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0) {
                number++;
                String s;
                if (carryLen == 0 && !cut) {
                    s = decode(buf, pos, nl - pos);
                } else {
                    carryLen = append(carryLen, buf, pos, nl - pos);
                    s = decode(carry, 0, carryLen);
                }
                pos = nl + 1;
                return s;
            }
            carryLen = append(carryLen, buf, pos, end - pos);
            pos = end;
        }
    }

    private int append(int carryLen, byte[] b, int off, int len) {
        int room = MAX_LINE - carryLen;
        if (len > room) {
            len = room;
            cut = true;
        }
        if (carryLen + len > carry.length) {
            carry = Arrays.copyOf(carry, Math.min(MAX_LINE, Math.max(carry.length * 2, carryLen + len)));
        }
        System.arraycopy(b, off, carry, carryLen, len);
        return carryLen + len;
    }

    private static String decode(byte[] b, int off, int len) {
        if (len > 0 && b[off + len - 1] == '\r') {
            len--;
        }
        return len == 0 ? "" : new String(b, off, len, StandardCharsets.UTF_8);
    }

    private boolean fill() {
        try {
            int n = in.readNBytes(buf, 0, buf.length);
            pos = 0;
            end = Math.max(n, 0);
            if (n < buf.length) {
                eof = true;
            }
            return end > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
