package dev.godiag.format.pprof;

import dev.godiag.util.BadInputException;

/**
 * A bounds-checked cursor over protobuf wire-format bytes. Every read checks the limit of the
 * enclosing message, so a hostile length or a truncated buffer becomes a {@link BadInputException}
 * naming the byte offset, never an out-of-bounds access or a huge allocation. Lengths are checked
 * against the bytes that remain before anything is allocated, and offsets never overflow: a
 * length is compared with {@code limit - pos}, never added first.
 */
final class Wire {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;
    /** The largest field number protobuf allows (2^29 - 1). */
    static final long MAX_FIELD = (1L << 29) - 1;

    private final byte[] buf;
    int pos;

    /** Where the last tag read by {@link #nextTag} starts, and its field number and wire type. */
    int tagPos;
    int field;
    int type;

    Wire(byte[] buf, int pos) {
        this.buf = buf;
        this.pos = pos;
    }

    /** The names of a message's fields, for messages that say which field is wrong. */
    record Message(String name, String... fields) {
        String field(int number) {
            String f = number > 0 && number < fields.length ? fields[number] : null;
            return f == null ? name + " field " + number : name + "." + f + " (field " + number + ")";
        }
    }

    /**
     * Reads the next tag of a message ending at {@code end} into {@link #field} and
     * {@link #type}; false at the end of the message.
     */
    boolean nextTag(int end, Message m) {
        if (pos >= end) {
            return false;
        }
        tagPos = pos;
        long key = varint(end);
        long f = key >>> 3;
        if (f == 0 || f > MAX_FIELD) {
            throw corrupt("invalid field number " + f + " in " + m.name(), tagPos);
        }
        field = (int) f;
        type = (int) (key & 7);
        return true;
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
        throw corrupt("varint longer than 10 bytes", pos);
    }

    /**
     * Reads the length prefix of the field whose tag was just read (a field of m) and returns the
     * end offset of its payload, checked against {@code limit}, the end of the enclosing message.
     */
    int lengthDelimitedEnd(int limit, Message m) {
        long len = varint(limit);
        int left = limit - pos;
        if (len < 0 || len > left) {
            boolean top = limit == buf.length;
            throw new BadInputException("corrupt profile.proto: " + m.field(field) + " at byte " + tagPos
                    + " has length " + Long.toUnsignedString(len) + ", but only " + bytes(left)
                    + (left == 1 ? " is" : " are") + " left in "
                    + (top ? "the data (truncated?)" : "its enclosing message"));
        }
        return pos + (int) len;
    }

    /** Skips the payload of an unknown field whose tag was just read. */
    void skip(int limit, Message m) {
        switch (type) {
            case VARINT -> varint(limit);
            case FIXED64 -> advance(8, limit, m);
            case LEN -> pos = lengthDelimitedEnd(limit, m);
            case FIXED32 -> advance(4, limit, m);
            default -> throw corrupt("invalid wire type " + type + " (" + typeName(type) + ") for " + m.field(field),
                    tagPos);
        }
    }

    private void advance(int n, int limit, Message m) {
        if (limit - pos < n) {
            throw corrupt("truncated " + typeName(type) + " " + m.field(field), tagPos);
        }
        pos += n;
    }

    /** The error for a known field sent with the wrong wire type. */
    BadInputException wrongType(Message m) {
        return corrupt("wrong wire type " + type + " (" + typeName(type) + ") for " + m.field(field), tagPos);
    }

    /** A string; bytes that are not valid UTF-8 are kept (Go's strings are bytes, pprof prints them). */
    String string(int end) {
        String s = dev.godiag.util.RawUtf8.decode(buf, pos, end - pos);
        pos = end;
        return s;
    }

    static String typeName(int wireType) {
        return switch (wireType) {
            case VARINT -> "varint";
            case FIXED64 -> "fixed64";
            case LEN -> "length-delimited";
            case 3 -> "start group";
            case 4 -> "end group";
            case FIXED32 -> "fixed32";
            default -> "undefined";
        };
    }

    static String bytes(long n) {
        return n == 1 ? "1 byte" : n + " bytes";
    }

    static BadInputException corrupt(String what, int offset) {
        return new BadInputException("corrupt profile.proto: " + what + " at byte " + offset);
    }
}
