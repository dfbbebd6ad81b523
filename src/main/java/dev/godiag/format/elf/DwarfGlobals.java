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
import dev.godiag.model.heap.GoTypes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The Go type of each global variable, from the binary's DWARF (.debug_info, DWARF 4 or 5, as
 * Go's linker writes it, zlib-compressed or not): "main.sessions" to "map[int]*main.session".
 * Also the type table ({@link GoTypes}): each type's name, size, kind, referred type, a struct's
 * members and an array's count, which types the objects of a heap dump. Streamed: only the
 * top-level variables' type references and the types' entries are kept, at most
 * {@value #MAX_TYPE_ENTRIES} types and members (a Go binary has some 10-100 thousand).
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
    private static final int MAX_TYPE_ENTRIES = 1 << 21;
    private static final int TAG_MEMBER = 0x0d, TAG_SUBRANGE = 0x21, TAG_STRUCT = 0x13, TAG_POINTER = 0x0f,
            TAG_ARRAY = 0x01, TAG_TYPEDEF = 0x16, TAG_BASE = 0x24;
    private static final int AT_BYTE_SIZE = 0x0b, AT_MEMBER_LOCATION = 0x38, AT_COUNT = 0x37, AT_UPPER_BOUND = 0x2f,
            AT_GO_KIND = 0x2900, AT_GO_RUNTIME_TYPE = 0x2904;

    /** The globals' type names, their type numbers in types, and the type table. */
    record Dwarf(Map<String, String> globalTypes, Map<String, Integer> globalTypeIds, GoTypes types) {
        static final Dwarf NONE = new Dwarf(Map.of(), Map.of(), GoTypes.EMPTY);
    }

    /** A section's place in the file. */
    record Section(long offset, long size, long flags) {
    }

    private DwarfGlobals() {
    }

    /** Variable name to type, and the types; none when the sections are missing, unsupported or damaged. */
    static Dwarf read(FileChannel ch, Section info, Section abbrev) {
        if (info == null || abbrev == null) {
            return Dwarf.NONE;
        }
        try {
            byte[] abbrevBytes = section(ch, abbrev).readNBytes(1 << 20);
            return walk(new Reader(new BufferedInputStream(section(ch, info), 1 << 16)), abbrevBytes);
        } catch (IOException | Unsupported | ArithmeticException e) {
            return Dwarf.NONE;
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

    private static Dwarf walk(Reader in, byte[] abbrevBytes) throws IOException {
        Map<Long, Map<Long, Abbrev>> abbrevTables = new HashMap<>(); // Go's units share one table
        Map<String, Long> variableType = new HashMap<>();
        Map<Long, String> typeName = new HashMap<>();
        TypeCollector types = new TypeCollector();
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
                long byteSize = -1;
                long location = -1;
                long count = -1;
                long runtimeType = 0;
                int goKind = 0;
                for (int i = 0; i < a.attrs.length; i++) {
                    int form = a.forms[i];
                    int attr = a.attrs[i];
                    if (attr == AT_NAME && form == 0x08) {
                        name = in.cString();
                    } else if (attr == AT_TYPE && form == 0x10) {
                        type = in.u32();
                    } else if (attr == AT_BYTE_SIZE || attr == AT_MEMBER_LOCATION || attr == AT_COUNT
                            || attr == AT_UPPER_BOUND || attr == AT_GO_KIND || attr == AT_GO_RUNTIME_TYPE) {
                        long v = in.constant(form, a.consts[i], addrSize);
                        switch (attr) {
                            case AT_BYTE_SIZE -> byteSize = v;
                            case AT_MEMBER_LOCATION -> location = v;
                            case AT_COUNT -> count = v;
                            case AT_UPPER_BOUND -> count = v < 0 ? -1 : Math.addExact(v, 1);
                            case AT_GO_RUNTIME_TYPE -> runtimeType = v;
                            default -> goKind = (int) v;
                        }
                    } else {
                        in.skipForm(form, addrSize);
                    }
                }
                if (depth == 1 && isType(a.tag)) {
                    types.type(dieOffset, a.tag, name, byteSize, goKind, type, runtimeType, a.children);
                } else if (depth == 2) {
                    types.child(a.tag, name, location, type, count);
                } else if (depth < 2) {
                    types.noParent();
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
        Map<String, Integer> ids = new HashMap<>();
        GoTypes table = types.build();
        if (table.count() > 0) {
            variableType.forEach((v, t) -> {
                Integer id = types.index.get(t);
                if (id != null) {
                    ids.put(v, id);
                }
            });
        }
        return new Dwarf(out, ids, table);
    }

    /**
     * The type entries as the walk meets them, references kept as .debug_info offsets until the
     * end; past {@value #MAX_TYPE_ENTRIES} entries it gives up on types (not on the globals' names).
     */
    private static final class TypeCollector {
        final Map<Long, Integer> index = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        private final List<long[]> facts = new ArrayList<>(); // size, kind, goKind, ref, count, runtime type
        private final List<List<Object[]>> members = new ArrayList<>(); // name, offset, ref
        private int parent = -1;
        private int entries;
        private boolean overflow;

        void type(long offset, int tag, String name, long size, int goKind, long ref, long runtimeType,
                  boolean children) {
            parent = -1;
            if (overflow || ++entries > MAX_TYPE_ENTRIES) {
                overflow = true;
                return;
            }
            byte kind = switch (tag) {
                case TAG_STRUCT -> GoTypes.STRUCT;
                case TAG_POINTER -> GoTypes.POINTER;
                case TAG_ARRAY -> GoTypes.ARRAY;
                case TAG_TYPEDEF -> GoTypes.TYPEDEF;
                case TAG_BASE -> GoTypes.BASE;
                default -> GoTypes.OTHER;
            };
            index.put(offset, names.size());
            names.add(name);
            facts.add(new long[]{size, kind, goKind, ref, -1, runtimeType});
            members.add(null);
            if (children && (kind == GoTypes.STRUCT || kind == GoTypes.ARRAY)) {
                parent = names.size() - 1;
            }
        }

        void child(int tag, String name, long location, long ref, long count) {
            if (parent < 0 || overflow) {
                return;
            }
            long[] f = facts.get(parent);
            if (tag == TAG_MEMBER && f[1] == GoTypes.STRUCT && name != null && location >= 0) {
                if (++entries > MAX_TYPE_ENTRIES) {
                    overflow = true;
                    return;
                }
                if (members.get(parent) == null) {
                    members.set(parent, new ArrayList<>());
                }
                members.get(parent).add(new Object[]{name, location, ref});
            } else if (tag == TAG_SUBRANGE && f[1] == GoTypes.ARRAY) {
                f[4] = count;
            }
        }

        void noParent() {
            parent = -1;
        }

        GoTypes build() {
            if (overflow) {
                return GoTypes.EMPTY;
            }
            int n = names.size();
            long[] size = new long[n];
            byte[] kind = new byte[n];
            byte[] goKind = new byte[n];
            int[] target = new int[n];
            long[] count = new long[n];
            long[] runtimeType = new long[n];
            int[] memberStart = new int[n + 1];
            List<String> mName = new ArrayList<>();
            LongArray mOffset = new LongArray();
            List<Integer> mType = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                long[] f = facts.get(t);
                size[t] = f[0];
                kind[t] = (byte) f[1];
                goKind[t] = (byte) f[2];
                target[t] = f[3] < 0 ? -1 : index.getOrDefault(f[3], -1);
                count[t] = f[4];
                runtimeType[t] = f[5];
                memberStart[t] = mName.size();
                List<Object[]> ms = members.get(t);
                if (ms != null) {
                    ms.sort((x, y) -> Long.compare((Long) x[1], (Long) y[1]));
                    for (Object[] m : ms) {
                        mName.add((String) m[0]);
                        mOffset.add((Long) m[1]);
                        long ref = (Long) m[2];
                        mType.add(ref < 0 ? -1 : index.getOrDefault(ref, -1));
                    }
                }
            }
            memberStart[n] = mName.size();
            int[] mt = new int[mType.size()];
            for (int i = 0; i < mt.length; i++) {
                mt[i] = mType.get(i);
            }
            return new GoTypes(names.toArray(new String[0]), size, kind, goKind, target, count, runtimeType, memberStart,
                    mName.toArray(new String[0]), mOffset.toArray(), mt);
        }
    }

    private static final class LongArray {
        private long[] a = new long[1024];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    private static boolean isType(int tag) {
        return switch (tag) {
            case 0x01, 0x0f, 0x13, 0x15, 0x16, 0x24, 0x3b -> true; // array, pointer, struct, func, typedef, base, unspecified
            default -> false;
        };
    }

    private record Abbrev(int tag, boolean children, int[] attrs, int[] forms, long[] consts) {
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
                java.util.List<Long> values = new java.util.ArrayList<>();
                while (true) {
                    int attr = (int) r.uleb();
                    int form = (int) r.uleb();
                    if (attr == 0 && form == 0) {
                        break;
                    }
                    long value = 0;
                    if (form == FORM_IMPLICIT_CONST) {
                        value = r.sleb(); // the value lives here, the entries hold nothing
                    }
                    specs.add(new int[]{attr, form});
                    values.add(value);
                    if (specs.size() > 1000) {
                        throw new Unsupported();
                    }
                }
                int[] attrs = new int[specs.size()];
                int[] forms = new int[specs.size()];
                long[] consts = new long[specs.size()];
                for (int i = 0; i < attrs.length; i++) {
                    attrs[i] = specs.get(i)[0];
                    forms[i] = specs.get(i)[1];
                    consts[i] = values.get(i);
                }
                t.put(code, new Abbrev(tag, children, attrs, forms, consts));
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

        long sleb() throws IOException {
            long x = 0;
            int shift = 0;
            int b;
            do {
                b = u8();
                if (shift < 64) {
                    x |= (long) (b & 0x7f) << shift;
                }
                shift += 7;
                if (shift > 70) {
                    throw new Unsupported();
                }
            } while (b >= 0x80);
            if (shift < 64 && (b & 0x40) != 0) {
                x |= -1L << shift;
            }
            return x;
        }

        long u64() throws IOException {
            return u32() | u32() << 32;
        }

        /** A constant attribute's value; any other form is skipped and reads as -1. */
        long constant(int form, long implicit, int addrSize) throws IOException {
            return switch (form) {
                case 0x0b -> u8(); // data1
                case 0x05 -> u16(); // data2
                case 0x06 -> u32(); // data4
                case 0x07 -> u64(); // data8
                case 0x0f -> uleb(); // udata
                case 0x0d -> sleb(); // sdata
                case 0x01 -> { // addr: Go's runtime type offsets
                    if (addrSize == 8) {
                        yield u64();
                    }
                    skipForm(form, addrSize);
                    yield -1;
                }
                case FORM_IMPLICIT_CONST -> implicit;
                default -> {
                    skipForm(form, addrSize);
                    yield -1;
                }
            };
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
