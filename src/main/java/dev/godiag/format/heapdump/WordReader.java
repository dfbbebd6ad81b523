package dev.godiag.format.heapdump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads pointer words at absolute file offsets, through a window of its own: a record's pointer
 * fields come after its contents and in ascending order, so the contents are skipped by the main
 * cursor and only the words the field list names are read here, mostly sequentially.
 */
final class WordReader {
    private final FileChannel ch;
    private final ByteBuffer buf;
    private long start = -1;

    WordReader(FileChannel ch, int windowSize) {
        this.ch = ch;
        this.buf = ByteBuffer.allocate(windowSize);
    }

    /** The word of ptrSize bytes at file offset at (the caller checked it lies in the file). */
    long word(long at, int ptrSize, ByteOrder order) throws IOException {
        if (start < 0 || at < start || at + ptrSize > start + buf.limit()) {
            buf.clear();
            start = at;
            while (buf.hasRemaining()) {
                if (ch.read(buf, start + buf.position()) < 0) {
                    break;
                }
            }
            buf.flip();
            if (buf.limit() < ptrSize) {
                throw new IOException("heap dump shrank while being read");
            }
        }
        int off = (int) (at - start);
        buf.order(order);
        return ptrSize == 8 ? buf.getLong(off) : Integer.toUnsignedLong(buf.getInt(off));
    }
}
