package dev.godiag.badinput;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A tiny protobuf writer for hand-crafted profile.proto bytes: tags, varints, length-delimited
 * fields and raw bytes, so that each hostile case reads like the message it encodes.
 */
final class Pb {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Pb msg() {
        return new Pb();
    }

    /** The bytes of v as a (10-byte at most) varint; negative values take all 10 bytes. */
    static byte[] varint(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while ((v & ~0x7FL) != 0) {
            b.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b.write((int) v);
        return b.toByteArray();
    }

    /** A tag: field number and wire type. */
    Pb tag(long field, int wireType) {
        return raw(varint(field << 3 | wireType));
    }

    /** field = v as a varint. */
    Pb uint(long field, long v) {
        return tag(field, VARINT).raw(varint(v));
    }

    /** field = bytes (length-delimited). */
    Pb bytes(long field, byte[] b) {
        return tag(field, LEN).raw(varint(b.length)).raw(b);
    }

    Pb str(long field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Pb msg(long field, Pb m) {
        return bytes(field, m.build());
    }

    /** A packed repeated varint field. */
    Pb packed(long field, long... vs) {
        Pb p = msg();
        for (long v : vs) {
            p.raw(varint(v));
        }
        return bytes(field, p.build());
    }

    /** A length-delimited field whose declared length is len, followed by the given payload bytes. */
    Pb lying(long field, long len, byte... payload) {
        return tag(field, LEN).raw(varint(len)).raw(payload);
    }

    Pb raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    Pb raw(int... b) {
        for (int x : b) {
            out.write(x);
        }
        return this;
    }

    /** A copy to extend without changing this one. */
    Pb copy() {
        return msg().raw(build());
    }

    byte[] build() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    // ---- profile.proto pieces (field numbers of perftools.profiles.Profile) ----

    static Pb valueType(long type, long unit) {
        return msg().uint(1, type).uint(2, unit);
    }

    static Pb sample(long[] locationIds, long... values) {
        return msg().packed(1, locationIds).packed(2, values);
    }

    static Pb location(long id, long functionId, long line) {
        return msg().uint(1, id).msg(4, msg().uint(1, functionId).uint(2, line));
    }

    static Pb function(long id, long name, long filename) {
        return msg().uint(1, id).uint(2, name).uint(4, filename);
    }

    /** The strings of {@link #validProfile}: index 0 is the required empty string. */
    static final String[] STRINGS = {"", "samples", "count", "cpu", "nanoseconds", "main.work", "main.go",
        "main.main"};

    static Pb strings(Pb p, String... strings) {
        for (String s : strings) {
            p.str(6, s);
        }
        return p;
    }

    /**
     * The header of a small valid CPU-like profile: two sample types, period type, period, and
     * two functions and locations; add samples and the string table to finish it.
     */
    static Pb header() {
        return msg()
                .msg(1, valueType(1, 2))
                .msg(1, valueType(3, 4))
                .msg(11, valueType(3, 4))
                .uint(12, 10_000_000)
                .msg(4, location(1, 1, 12))
                .msg(4, location(2, 2, 30))
                .msg(5, function(1, 5, 6))
                .msg(5, function(2, 7, 6));
    }

    /** A small, valid profile: two samples over two locations. */
    static Pb validProfile() {
        Pb p = header()
                .msg(2, sample(new long[] {1, 2}, 3, 30_000_000))
                .msg(2, sample(new long[] {2}, 1, 10_000_000));
        return strings(p, STRINGS);
    }
}
