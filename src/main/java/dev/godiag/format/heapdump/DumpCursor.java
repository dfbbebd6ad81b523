package dev.godiag.format.heapdump;

import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * A buffered forward cursor over a heap dump file: uvarints, strings and skipped memory ranges,
 * every length checked against the bytes left in the file before anything is read or allocated.
 * Errors name the byte offset. Large ranges (object contents) are skipped without being read.
 */
final class DumpCursor {
    private final FileChannel ch;
    private final long fileSize;
    private final ByteBuffer buf;
    /** The file offset of buf's first byte. */
    private long bufStart;

    DumpCursor(FileChannel ch, int bufferSize) throws IOException {
        this.ch = ch;
        this.fileSize = ch.size();
        this.buf = ByteBuffer.allocate(bufferSize).limit(0);
    }

    /** The file offset of the next byte. */
    long position() {
        return bufStart + buf.position();
    }

    long remaining() {
        return fileSize - position();
    }

    boolean atEnd() {
        return remaining() == 0;
    }

    int readByte(String what) throws IOException {
        if (!buf.hasRemaining() && !fill()) {
            throw truncated(what);
        }
        return buf.get() & 0xff;
    }

    /** encoding/binary's uvarint: at most 10 bytes, the tenth at most 1. */
    long uvarint(String what) throws IOException {
        long start = position();
        long x = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte(what);
            if (shift == 63 && b > 1) {
                throw new BadInputException("heap dump: uvarint overflows 64 bits at byte " + start + " (" + what + ")");
            }
            x |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                return x;
            }
        }
        throw new BadInputException("heap dump: uvarint overflows 64 bits at byte " + start + " (" + what + ")");
    }

    /** A uvarint that must be a length no larger than the rest of the file. */
    long length(String what) throws IOException {
        long at = position();
        long n = uvarint(what);
        if (n < 0 || n > remaining()) {
            throw new BadInputException("heap dump truncated or damaged: " + what + " at byte " + at + " claims "
                    + Long.toUnsignedString(n) + " bytes, only " + remaining() + " are left");
        }
        return n;
    }

    boolean bool(String what) throws IOException {
        long at = position();
        long v = uvarint(what);
        if (v > 1) {
            throw new BadInputException("heap dump: " + what + " at byte " + at + " is " + Long.toUnsignedString(v)
                    + ", not a boolean");
        }
        return v == 1;
    }

    /** A length-prefixed string of at most max bytes (names: function, type, wait reason). */
    String string(String what, int max) throws IOException {
        long at = position();
        long n = length(what);
        if (n > max) {
            throw new BadInputException("heap dump: " + what + " at byte " + at + " is " + n
                    + " bytes long, more than " + max);
        }
        byte[] b = new byte[(int) n];
        for (int i = 0; i < b.length; ) {
            if (!buf.hasRemaining() && !fill()) {
                throw truncated(what);
            }
            int k = Math.min(buf.remaining(), b.length - i);
            buf.get(b, i, k);
            i += k;
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Skips n bytes (n already checked against the file by {@link #length}). */
    void skip(long n) {
        if (n <= buf.remaining()) {
            buf.position(buf.position() + (int) n);
            return;
        }
        long target = position() + n;
        bufStart = target;
        buf.clear().limit(0);
    }

    BadInputException truncated(String what) {
        return new BadInputException("heap dump truncated at byte " + position() + " (inside " + what + ")");
    }

    private boolean fill() throws IOException {
        bufStart = position();
        buf.clear();
        while (buf.hasRemaining()) {
            int r = ch.read(buf, bufStart + buf.position());
            if (r < 0) {
                break;
            }
        }
        buf.flip();
        return buf.hasRemaining();
    }
}
