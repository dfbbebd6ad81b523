package dev.godiag.format.pprof;

import dev.godiag.format.BadInputException;

/**
 * A bounds-checked cursor over protobuf wire-format bytes. Every read checks the limit of the
 * enclosing message, so a hostile length or a truncated buffer becomes a {@link BadInputException}
 * naming the byte offset, never an out-of-bounds access or a huge allocation.
 */
final class Wire {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    int pos;

    Wire(byte[] buf, int pos) {
        this.buf = buf;
        this.pos = pos;
    }

    long varint(int limit) {
        int p = pos;
        if (p >= limit) {
            throw corrupt("truncated varint", p);
        }
        byte b = buf[p++];
        if (b >= 0) {
            pos = p;
            return b;
        }
        long result = b & 0x7f;
        for (int shift = 7; shift < 64; shift += 7) {
            if (p >= limit) {
                throw corrupt("truncated varint", pos);
            }
            b = buf[p++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                pos = p;
                return result;
            }
        }
        throw corrupt("corrupt varint (more than 10 bytes)", pos);
    }

    /** Reads a length prefix and returns the end offset of the payload, checked against limit. */
    int lengthDelimitedEnd(int limit, String what) {
        int start = pos;
        long len = varint(limit);
        if (len < 0 || len > limit - pos) {
            throw corrupt("length " + len + " of " + what + " exceeds the " + (limit - pos)
                    + " bytes left in its message", start);
        }
        return pos + (int) len;
    }

    void skip(int wireType, int limit, int field) {
        switch (wireType) {
            case VARINT -> varint(limit);
            case FIXED64 -> advance(8, limit);
            case LEN -> pos = lengthDelimitedEnd(limit, "field " + field);
            case FIXED32 -> advance(4, limit);
            default -> throw corrupt("unsupported wire type " + wireType + " for field " + field, pos);
        }
    }

    private void advance(int n, int limit) {
        if (limit - pos < n) {
            throw corrupt("truncated fixed-width field", pos);
        }
        pos += n;
    }

    String string(int end) {
        String s = new String(buf, pos, end - pos, java.nio.charset.StandardCharsets.UTF_8);
        pos = end;
        return s;
    }

    static BadInputException corrupt(String what, int offset) {
        return new BadInputException("corrupt profile.proto: " + what + " at byte " + offset);
    }
}
