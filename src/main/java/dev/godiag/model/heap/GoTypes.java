package dev.godiag.model.heap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A Go binary's types as its DWARF describes them, in flat arrays: each type's name, byte size,
 * kind, the type it refers to (a pointer's pointee, an array's element, a typedef's underlying
 * type; -1 for none, e.g. unsafe.Pointer) and a struct's members. Types are numbered 0..count-1;
 * {@link #EMPTY} when the binary has no DWARF the reader understood.
 */
public final class GoTypes {
    public static final byte OTHER = 0, STRUCT = 1, POINTER = 2, ARRAY = 3, TYPEDEF = 4, BASE = 5;
    /** Go's kind (DW_AT_go_kind) of a slice and a string: their pointer field is the data they hold. */
    public static final int GO_KIND_SLICE = 23, GO_KIND_STRING = 24;
    /** Go's kind of an interface: its data word is the value, or points at it. */
    public static final int GO_KIND_INTERFACE = 20;

    public static final GoTypes EMPTY = new GoTypes(new String[0], new long[0], new byte[0], new byte[0], new int[0],
            new long[0], new long[0], new int[]{0}, new String[0], new long[0], new int[0]);

    private final String[] name;
    private final long[] size;
    private final byte[] kind;
    private final byte[] goKind;
    private final int[] target;
    private final long[] count;
    private final int[] memberStart;
    private final String[] memberName;
    private final long[] memberOffset;
    private final int[] memberType;
    private final Map<String, Integer> byName = new HashMap<>();
    private final Map<Long, Integer> byRuntimeType = new HashMap<>();

    /**
     * @param runtimeType each type's descriptor as an offset from runtime.types (DWARF's
     *                    DW_AT_go_runtime_type), 0 when it has none
     * @param memberStart CSR offsets into the member arrays, length count + 1; members in offset order
     */
    public GoTypes(String[] name, long[] size, byte[] kind, byte[] goKind, int[] target, long[] count,
                   long[] runtimeType, int[] memberStart, String[] memberName, long[] memberOffset,
                   int[] memberType) {
        this.name = name;
        this.size = size;
        this.kind = kind;
        this.goKind = goKind;
        this.target = target;
        this.count = count;
        this.memberStart = memberStart;
        this.memberName = memberName;
        this.memberOffset = memberOffset;
        this.memberType = memberType;
        for (int t = name.length - 1; t >= 0; t--) {
            if (name[t] != null) {
                byName.put(name[t], t); // the first of equal names: Go writes a struct, then its typedef
            }
            if (runtimeType[t] > 0) {
                byRuntimeType.put(runtimeType[t], t);
            }
        }
    }

    public int count() {
        return name.length;
    }

    public String name(int t) {
        return name[t];
    }

    public byte kind(int t) {
        return kind[t];
    }

    public int goKind(int t) {
        return goKind[t];
    }

    /** A pointer's pointee, an array's element, a typedef's type; -1 when none or unknown. */
    public int target(int t) {
        return target[t];
    }

    /** An array's element count (-1 unknown). */
    public long arrayCount(int t) {
        return count[t];
    }

    /** The type named so, or -1. */
    public int byName(String n) {
        Integer t = byName.get(n);
        return t == null ? -1 : t;
    }

    /** The type whose runtime descriptor is at this offset from runtime.types, or -1. */
    public int byRuntimeType(long offset) {
        Integer t = byRuntimeType.get(offset);
        return t == null ? -1 : t;
    }

    /** t with typedefs followed (at most a few levels; a cycle gives -1). */
    public int resolve(int t) {
        for (int i = 0; i < 16 && t >= 0; i++) {
            if (kind[t] != TYPEDEF) {
                return t;
            }
            t = target[t];
        }
        return -1;
    }

    /** Whether t or a typedef on the way to its underlying type is of Go's interface kind. */
    private boolean isInterface(int t) {
        for (int i = 0; i < 16 && t >= 0; i++) {
            if (goKind[t] == GO_KIND_INTERFACE) {
                return true;
            }
            if (kind[t] != TYPEDEF) {
                return false;
            }
            t = target[t];
        }
        return false;
    }

    /** Byte size of t (typedefs followed), or -1 unknown. */
    public long size(int t) {
        int r = resolve(t);
        if (r < 0) {
            return -1;
        }
        if (size[r] >= 0) {
            return size[r];
        }
        if (kind[r] == POINTER) {
            return 8;
        }
        return -1;
    }

    public int memberCount(int t) {
        return memberStart[t + 1] - memberStart[t];
    }

    public String memberName(int t, int i) {
        return memberName[memberStart[t] + i];
    }

    public long memberOffset(int t, int i) {
        return memberOffset[memberStart[t] + i];
    }

    public int memberType(int t, int i) {
        return memberType[memberStart[t] + i];
    }

    /** The member of struct t (typedefs followed) named so, or -1. */
    public int member(int t, String n) {
        int r = resolve(t);
        if (r < 0 || kind[r] != STRUCT) {
            return -1;
        }
        for (int i = 0; i < memberCount(r); i++) {
            if (n.equals(memberName(r, i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What lies at byte offset off inside a value of type t: the field path to it (".data",
     * "[].elem"; array indices collapse to "[]", a slice's, string's or interface's data pointer
     * adds nothing, since the object it points at is the data) and the pointer type found there, or -1 when the
     * word there is no pointer the types know of.
     */
    public Step stepAt(int t, long off) {
        StringBuilder path = new StringBuilder();
        long found = walk(t, off, path);
        return new Step(path.toString(), (int) found, found >= 0 && (found & 1L << 32) != 0);
    }

    /** The pointer type at byte offset off in a value of type t, or -1: {@link #stepAt} without the path. */
    public int pointerAt(int t, long off) {
        long found = walk(t, off, null);
        return found < 0 ? -1 : (int) found;
    }

    /** Whether the pointer at off in t is a slice's or string's data pointer (its pointee: an array). */
    public boolean dataPointerAt(int t, long off) {
        long found = walk(t, off, null);
        return found >= 0 && (found & 1L << 32) != 0;
    }

    /** Whether the pointer at off in t is an interface's data word (its pointee: the dynamic type's). */
    public boolean interfaceDataAt(int t, long off) {
        long found = walk(t, off, null);
        return found >= 0 && (found & 1L << 33) != 0;
    }

    /**
     * The pointer type at off, with bit 32 set when a slice's or string's data word, bit 33 when
     * an interface's; -1 none.
     */
    private long walk(int t, long off, StringBuilder path) {
        boolean data = false;
        boolean value = false;
        for (int depth = 0; depth < 64; depth++) {
            boolean iface = isInterface(t);
            int r = resolve(t);
            if (r < 0 || off < 0) {
                return -1;
            }
            switch (kind[r]) {
                case POINTER -> {
                    return off == 0 ? (data ? 1L << 32 : 0) | (value ? 1L << 33 : 0) | r : -1;
                }
                case ARRAY -> {
                    long es = size(target[r]);
                    if (es <= 0 || count[r] >= 0 && off >= es * count[r]) {
                        return -1;
                    }
                    if (path != null) {
                        path.append("[]");
                    }
                    t = target[r];
                    off %= es;
                    data = false;
                    value = false;
                }
                case STRUCT -> {
                    int m = memberHolding(r, off);
                    if (m < 0) {
                        return -1;
                    }
                    // a slice's or string's data word leads to its array; an interface's, to its value
                    data = (goKind[r] == GO_KIND_SLICE || goKind[r] == GO_KIND_STRING) && memberOffset(r, m) == 0;
                    value = (iface || goKind[r] == GO_KIND_INTERFACE) && memberOffset(r, m) > 0;
                    if (!data && !value && path != null) {
                        path.append('.').append(memberName(r, m));
                    }
                    off -= memberOffset(r, m);
                    t = memberType(r, m);
                }
                default -> {
                    return -1;
                }
            }
        }
        return -1;
    }

    private int memberHolding(int r, long off) {
        int best = -1;
        for (int i = 0; i < memberCount(r); i++) {
            long mo = memberOffset(r, i);
            long ms = size(memberType(r, i));
            if (mo <= off && ms > 0 && off < mo + ms) {
                best = i;
            }
        }
        return best;
    }

    /**
     * A field path and the pointer type at its end (-1: none); data when that pointer is a slice's
     * or string's data word, whose pointee is an array of elements however many the object holds.
     */
    public record Step(String path, int pointer, boolean data) {
    }

    @Override
    public String toString() {
        return "GoTypes[" + name.length + " types, " + memberName.length + " members]";
    }

    /** For tests and debugging: the member names of t in order. */
    public String[] memberNames(int t) {
        int r = resolve(t);
        return r < 0 ? new String[0] : Arrays.copyOfRange(memberName, memberStart[r], memberStart[r + 1]);
    }
}
