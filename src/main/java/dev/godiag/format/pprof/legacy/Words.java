package dev.godiag.format.pprof.legacy;

/** Binary words of one width and byte order; reading past the end yields 0 and sets dead. */
final class Words {
    enum Order { LE32, BE32, LE64, BE64 } // pprof's order of trial

    private final byte[] data;
    private final int width;
    private final boolean little;
    private int pos;
    private boolean dead;

    Words(byte[] data, Order order) {
        this.data = data;
        this.width = order == Order.LE32 || order == Order.BE32 ? 4 : 8;
        this.little = order == Order.LE32 || order == Order.LE64;
    }

    long next() {
        if (dead || data.length - pos < width) {
            dead = true;
            return 0;
        }
        long v = 0;
        for (int i = 0; i < width; i++) {
            long b = data[pos + (little ? i : width - 1 - i)] & 0xffL;
            v |= b << (8 * i);
        }
        pos += width;
        return v;
    }

    boolean dead() {
        return dead;
    }

    /** Byte offset of the next word. */
    int position() {
        return pos;
    }

    /** Where whatever follows the words starts: the end of the data once a read ran past it. */
    int end() {
        return dead ? data.length : pos;
    }

    int remaining() {
        return dead ? 0 : data.length - pos;
    }
}
