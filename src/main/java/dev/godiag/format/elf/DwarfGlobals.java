package dev.godiag.format.elf;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The Go type of each global variable, from the binary's DWARF (.debug_info, DWARF 4 or 5, as
 * Go's linker writes it, zlib-compressed or not): "main.sessions" to "map[int]*main.session".
 * Streamed: only the top-level variables' type references and the named types' names are kept.
 * Types only add detail to a report, so DWARF that is absent, in a form not understood or
 * damaged gives no types rather than an error.
 */
final class DwarfGlobals {
    private static final int TAG_VARIABLE = 0x34;
    private static final int AT_NAME = 0x03;
    private static final int AT_TYPE = 0x49;
    private static final int FORM_IMPLICIT_CONST = 0x21;
    private static final long MAX_INFO = 1L << 30;
    private static final int MAX_ENTRIES = 1 << 22;
    private static final int SHF_COMPRESSED = 0x800;

    /** A section's place in the file. */
    record Section(long offset, long size, long flags) {
    }

    private DwarfGlobals() {
    }

    /** Variable name to type name; empty when the sections are missing, unsupported or damaged. */
    static Map<String, String> read(FileChannel ch, Section info, Section abbrev) {
        if (info == null || abbrev == null) {
            return Map.of();
        }
        try {
            byte[] abbrevBytes = section(ch, abbrev).readNBytes(1 << 20);
            return walk(new Reader(new BufferedInputStream(section(ch, info), 1 << 16)), abbrevBytes);
        } catch (IOException | Unsupported e) {
            return Map.of();
        }
    }

    private static InputStream section(FileChannel ch, Section s) throws IOException {
        if (s.offset < 0 || s.size < 0 || s.offset > ch.size() || s.size > ch.size() - s.offset) {
            throw new Unsupported();
        }
        InputStream raw = Channels.newInputStream(ch.position(s.offset));
        InputStream bounded = new java.io.FilterInputStream(raw) {
            private long left = s.size;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int r = super.read(b, off, (int) Math.min(len, left));
                if (r > 0) {
                    left -= r;
                }
                return r;
            }
        };
        if ((s.flags & SHF_COMPRESSED) == 0) {
            return bounded;
        }
        byte[] chdr = bounded.readNBytes(24); // Elf64_Chdr: type, reserved, size, alignment
        if (chdr.length < 24 || ByteBuffer.wrap(chdr).order(ByteOrder.LITTLE_ENDIAN).getInt(0) != 1) {
            throw new Unsupported(); // not zlib
        }
        return new InflaterInputStream(bounded, new Inflater(), 1 << 16);
    }

    private static Map<String, String> walk(Reader in, byte[] abbrevBytes) throws IOException {
        Map<Long, Map<Long, Abbrev>> abbrevTables = new HashMap<>(); // Go's units share one table
        Map<String, Long> variableType = new HashMap<>();
        Map<Long, String> typeName = new HashMap<>();
        while (in.pos < MAX_INFO) {
            long unitStart = in.pos;
            long length;
            try {
                length = in.u32();
            } catch (EOFException end) {
                break;
            }
            if (length >= 0xfffffff0L) {
                throw new Unsupported(); // 64-bit DWARF
            }
            long unitEnd = unitStart + 4 + length;
            int version = in.u16();
            long abbrevOffset;
            int addrSize;
            if (version == 5) {
                in.u8(); // unit type
                addrSize = in.u8();
                abbrevOffset = in.u32();
            } else if (version == 4 || version == 2 || version == 3) {
                abbrevOffset = in.u32();
                addrSize = in.u8();
            } else {
                throw new Unsupported();
            }
            Map<Long, Abbrev> abbrevs = abbrevTables.get(abbrevOffset);
            if (abbrevs == null) {
                abbrevs = Abbrev.table(abbrevBytes, abbrevOffset);
                abbrevTables.put(abbrevOffset, abbrevs);
            }
            int depth = 0;
            while (in.pos < unitEnd) {
                long dieOffset = in.pos;
                long code = in.uleb();
                if (code == 0) {
                    depth--;
                    continue;
                }
                Abbrev a = abbrevs.get(code);
                if (a == null) {
                    throw new Unsupported();
                }
                String name = null;
                long type = -1;
                for (int i = 0; i < a.attrs.length; i++) {
                    int form = a.forms[i];
                    if (a.attrs[i] == AT_NAME && form == 0x08) {
                        name = in.cString();
                    } else if (a.attrs[i] == AT_TYPE && form == 0x10) {
                        type = in.u32();
                    } else {
                        in.skipForm(form, addrSize);
                    }
                }
                if (depth == 1 && name != null) {
                    if (a.tag == TAG_VARIABLE) {
                        if (type >= 0) {
                            variableType.put(name, type);
                        }
                    } else if (isType(a.tag)) {
                        typeName.put(dieOffset, name);
                    }
                    if (variableType.size() + typeName.size() > MAX_ENTRIES) {
                        throw new Unsupported();
                    }
                }
                if (a.children) {
                    depth++;
                }
            }
            if (in.pos != unitEnd) {
                throw new Unsupported();
            }
        }
        Map<String, String> out = new HashMap<>();
        variableType.forEach((v, t) -> {
            String n = typeName.get(t);
            if (n != null) {
                out.put(v, n);
            }
        });
        return out;
    }

    private static boolean isType(int tag) {
        return switch (tag) {
            case 0x01, 0x0f, 0x13, 0x15, 0x16, 0x24, 0x3b -> true; // array, pointer, struct, func, typedef, base, unspecified
            default -> false;
        };
    }

    private record Abbrev(int tag, boolean children, int[] attrs, int[] forms) {
        /** The abbreviation table at offset: code to abbreviation. */
        static Map<Long, Abbrev> table(byte[] b, long offset) throws IOException {
            if (offset < 0 || offset >= b.length) {
                throw new Unsupported();
            }
            Reader r = new Reader(new java.io.ByteArrayInputStream(b, (int) offset, b.length - (int) offset));
            Map<Long, Abbrev> t = new HashMap<>();
            while (true) {
                long code = r.uleb();
                if (code == 0) {
                    return t;
                }
                int tag = (int) r.uleb();
                boolean children = r.u8() != 0;
                java.util.List<int[]> specs = new java.util.ArrayList<>();
                while (true) {
                    int attr = (int) r.uleb();
                    int form = (int) r.uleb();
                    if (attr == 0 && form == 0) {
                        break;
                    }
                    if (form == FORM_IMPLICIT_CONST) {
                        r.sleb(); // the value lives here, the entries hold nothing
                    }
                    specs.add(new int[]{attr, form});
                    if (specs.size() > 1000) {
                        throw new Unsupported();
                    }
                }
                int[] attrs = new int[specs.size()];
                int[] forms = new int[specs.size()];
                for (int i = 0; i < attrs.length; i++) {
                    attrs[i] = specs.get(i)[0];
                    forms[i] = specs.get(i)[1];
                }
                t.put(code, new Abbrev(tag, children, attrs, forms));
            }
        }
    }

    /** DWARF in this file is not what we read: give up on types. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** Little-endian primitives over a stream, counting the offset. */
    private static final class Reader {
        private final InputStream in;
        long pos;

        Reader(InputStream in) {
            this.in = in;
        }

        int u8() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            pos++;
            return b;
        }

        int u16() throws IOException {
            return u8() | u8() << 8;
        }

        long u32() throws IOException {
            return (long) u16() | (long) u16() << 16;
        }

        long uleb() throws IOException {
            long x = 0;
            for (int shift = 0; ; shift += 7) {
                int b = u8();
                if (shift < 64) {
                    x |= (long) (b & 0x7f) << shift;
                }
                if (b < 0x80) {
                    return x;
                }
                if (shift > 70) {
                    throw new Unsupported();
                }
            }
        }

        void sleb() throws IOException {
            uleb();
        }

        String cString() throws IOException {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            for (int c = u8(); c != 0; c = u8()) {
                if (b.size() > 1 << 16) {
                    throw new Unsupported();
                }
                b.write(c);
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        void skip(long n) throws IOException {
            if (n < 0 || n > MAX_INFO) {
                throw new Unsupported();
            }
            for (long i = 0; i < n; i++) {
                u8();
            }
        }

        /** Skips an attribute value of the given form (32-bit DWARF). */
        void skipForm(int form, int addrSize) throws IOException {
            switch (form) {
                case 0x01 -> skip(addrSize); // addr
                case 0x03 -> skip(u16()); // block2
                case 0x04 -> skip(u32()); // block4
                case 0x05 -> skip(2); // data2
                case 0x06, 0x17, 0x10, 0x0e, 0x13, 0x1f, 0x1d, 0x1c -> skip(4); // data4, sec_offset, ref_addr, strp, ref4, line_strp, strp_sup, ref_sup4
                case 0x07, 0x14, 0x20, 0x24 -> skip(8); // data8, ref8, ref_sig8, ref_sup8
                case 0x08 -> cString(); // string
                case 0x09, 0x18 -> skip(uleb()); // block, exprloc
                case 0x0a -> skip(u8()); // block1
                case 0x0b, 0x0c, 0x11, 0x25, 0x29 -> skip(1); // data1, flag, ref1, strx1, addrx1
                case 0x0d, 0x0f, 0x15, 0x1a, 0x1b, 0x22, 0x23 -> uleb(); // sdata, udata, ref_udata, strx, addrx, loclistx, rnglistx
                case 0x12, 0x26, 0x2a -> skip(2); // ref2, strx2, addrx2
                case 0x19, FORM_IMPLICIT_CONST -> {
                    // flag_present, implicit_const: no data
                }
                case 0x1e -> skip(16); // data16
                case 0x27, 0x2b -> skip(3); // strx3, addrx3
                case 0x28, 0x2c -> skip(4); // strx4, addrx4
                default -> throw new Unsupported();
            }
        }
    }
}
