package dev.godiag.analysis.retention;

import dev.godiag.model.heap.GoTypes;
import dev.godiag.model.heap.HeapGraph;

/**
 * Each object's Go type, inferred from the binary's types (DWARF) along the pointers from the
 * typed globals: a global of type T holding a pointer at offset o gives the pointed-to object the
 * pointee type of T's pointer field at o; inside an object of type U, likewise. An object larger
 * than its type is an array of it (a slice's backing array, or a size class's slack); a slice's or
 * string's data pointer always leads to an array. Breadth first from the roots in order, the
 * first type an object is given stands.
 *
 * <p>An interface's data word leads to its dynamic type, when the dump names it (an empty
 * interface's type word; an interface's itab, through the dump's itab records) and the binary's
 * DWARF has a type with that runtime descriptor. A finalizer's object is typed likewise by the
 * pointer type the dump records for it (runtime.SetFinalizer's first argument).
 *
 * <p>Never a guess: an object smaller than its type, a pointee the DWARF does not say
 * (unsafe.Pointer, an interface whose dynamic type is not known), a pointer into the object that
 * is not at a whole element of the type (the address of a field), or an object holding a pointer
 * where its type has none leaves the object, and what only it leads to, untyped.
 *
 * <p>Go 1.24+ maps: a map's dirPtr points at a directory of tables, or for a small map at its one
 * group directly; the directory's first word is a table pointer, the group's is control bytes,
 * which tells them apart.
 *
 * <p>Go 1.22 and later put an 8-byte header (the type's address) before an object of a small
 * size class above 512 bytes that holds pointers; the dump's object and its field offsets start
 * at that header, so such an object's type starts 8 bytes in.
 */
final class ObjectTypes {
    private final GoTypes types;
    /** Per object its type (unresolved: a typedef keeps its name), or -1. */
    private final int[] type;
    private final boolean[] array;
    private final boolean mallocHeaders;
    /** Per type: 0 not yet known, 1 holds no pointer, 2 holds one. */
    private final byte[] pointers;

    private ObjectTypes(GoTypes types, int objects, String goVersion) {
        this.types = types;
        this.mallocHeaders = minor(goVersion) >= 22;
        this.pointers = new byte[types.count()];
        this.type = new int[objects];
        this.array = new boolean[objects];
        java.util.Arrays.fill(type, -1);
    }

    static ObjectTypes compute(HeapGraph g) {
        ObjectTypes t = new ObjectTypes(g.types(), g.objectCount(), g.info().goVersion());
        if (g.types().count() > 0) {
            t.propagate(g);
        }
        return t;
    }

    /** The object's type, -1 when unknown. */
    int type(int object) {
        return type[object];
    }

    /** The object's type as a frame shows it: "main.session", "[...]uint8" for an array; null when unknown. */
    String display(int object) {
        int t = type[object];
        if (t < 0) {
            return null;
        }
        String n = name(t);
        return array[object] ? "[...]" + n : n;
    }

    /**
     * A type's name as written in frames. Go's linker prefixes the map groups it makes with
     * "noalg." (dropped) and names the runtime's map structs "hash&lt;K,V&gt;", "table&lt;K,V&gt;": pprof
     * cuts a name at '&lt;' (C++ templates), so they are written "hash[K,V]".
     */
    String name(int t) {
        String n = types.name(t);
        if (n == null) {
            return "?";
        }
        n = n.replace("noalg.", "");
        java.util.regex.Matcher m = RUNTIME_GENERIC.matcher(n);
        return m.matches() ? m.group(1) + "[" + m.group(2) + "]" : n;
    }

    private static final java.util.regex.Pattern RUNTIME_GENERIC = java.util.regex.Pattern.compile("(\\*?\\w+)<(.*)>");

    /** The field path from a typed object to the pointer at byte offset off in it ("" when none is known). */
    String pathFrom(HeapGraph g, int object, long off) {
        int t = type[object];
        long es = t < 0 ? -1 : types.size(t);
        off -= header(g.size()[object], t);
        if (es <= 0 || off < 0) {
            return "";
        }
        String p = types.stepAt(t, off % es).path();
        return array[object] ? "[]" + p : p;
    }

    /** The bytes before the value in an object of this size holding type t: Go 1.22+'s malloc header. */
    private long header(long size, int t) {
        return mallocHeaders && size > 512 && size <= 32768 && hasPointers(t, 0) ? 8 : 0;
    }

    private boolean hasPointers(int t, int depth) {
        int r = types.resolve(t);
        if (r < 0 || depth > 32) {
            return true; // unknown: as if it had, which only makes typing refuse
        }
        if (pointers[r] == 0) {
            pointers[r] = 2; // while looking: damaged DWARF may nest a struct in itself
            boolean has = switch (types.kind(r)) {
                case GoTypes.POINTER -> true;
                case GoTypes.ARRAY -> types.arrayCount(r) != 0 && hasPointers(types.target(r), depth + 1);
                case GoTypes.STRUCT -> {
                    boolean any = false;
                    for (int i = 0; i < types.memberCount(r) && !any; i++) {
                        any = hasPointers(types.memberType(r, i), depth + 1);
                    }
                    yield any;
                }
                case GoTypes.BASE -> false;
                default -> true; // funcs, chans and the like are pointers
            };
            pointers[r] = (byte) (has ? 2 : 1);
        }
        return pointers[r] == 2;
    }

    /** 22 for "go1.22.3", -1 when not a go1.N version. */
    private static int minor(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^go1\\.(\\d+)").matcher(v == null ? "" : v);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The field path in a global of type t to its pointer at off. */
    String pathIn(int t, long off) {
        return t < 0 || off < 0 ? "" : types.stepAt(t, off).path();
    }

    private void propagate(HeapGraph g) {
        int n = g.objectCount();
        boolean[] tried = new boolean[n];
        int[] queue = new int[n];
        int tail = 0;
        for (int r = 0; r < g.roots().size(); r++) {
            int rt = g.roots().get(r).typeId();
            if (rt < 0) {
                // a finalizer's object is typed by the pointer type it was set on, as an interface's data
                for (int k = g.rootEdgeStart()[r]; k < g.rootEdgeStart()[r + 1]; k++) {
                    int dyn = g.roots().get(r).kind() == HeapGraph.RootKind.FINALIZER ? g.rootDynamic().at(k) : -1;
                    int child = g.rootEdgeTarget()[k];
                    if (dyn >= 0 && !tried[child] && assign(g, child, dynamicPointee(dyn), false,
                            g.rootInterior().at(k), tried)) {
                        queue[tail++] = child;
                    }
                }
                continue;
            }
            for (int k = g.rootEdgeStart()[r]; k < g.rootEdgeStart()[r + 1]; k++) {
                int off = g.rootEdgeOffset()[k];
                int child = g.rootEdgeTarget()[k];
                int p = off < 0 ? -1 : types.pointerAt(rt, off);
                int dyn = p >= 0 && types.interfaceDataAt(rt, off) ? g.rootDynamic().at(k) : -1;
                int pointee = p < 0 ? -1 : dyn >= 0 ? dynamicPointee(dyn) : types.target(p);
                if (p >= 0 && !tried[child] && assign(g, child, pointee, dyn < 0 && types.dataPointerAt(rt, off),
                        g.rootInterior().at(k), tried)) {
                    queue[tail++] = child;
                }
            }
        }
        for (int head = 0; head < tail; head++) {
            int o = queue[head];
            int u = type[o];
            long es = types.size(u);
            long base = header(g.size()[o], u);
            String un = types.name(types.resolve(u));
            boolean swissMap = un != null && un.startsWith("map<");
            for (int k = g.edgeStart()[o]; k < g.edgeStart()[o + 1]; k++) {
                int child = g.edgeTarget()[k];
                if (tried[child]) {
                    continue;
                }
                long off = (g.edgeOffset()[k] - base) % es;
                int p = types.pointerAt(u, off);
                if (p < 0) {
                    continue;
                }
                int dyn = types.interfaceDataAt(u, off) ? g.dynamic().at(k) : -1;
                int pointee = dyn >= 0 ? dynamicPointee(dyn) : types.target(p);
                if (swissMap && types.stepAt(u, off).path().equals(".dirPtr")
                        && !hasEdgeAt(g, child, directoryStart(g.size()[child]))) {
                    pointee = swissGroup(un);
                }
                if (assign(g, child, pointee, dyn < 0 && types.dataPointerAt(u, off), g.interior().at(k), tried)) {
                    queue[tail++] = child;
                }
            }
        }
    }

    /**
     * What an interface's data word points at, given its dynamic type t: a pointer-shaped t (one
     * pointer word: a pointer, a map, a struct of one pointer) is stored in the word itself, so
     * the word points at t's pointee; any other t is boxed, the word points at a t.
     */
    private int dynamicPointee(int t) {
        if (types.size(t) == 8) {
            int p = types.pointerAt(t, 0);
            if (p >= 0) {
                return types.target(p);
            }
        }
        return t;
    }

    /** The group type of the swiss map struct named "map<K,V>": its table's groups.data pointee. */
    private int swissGroup(String mapName) {
        int table = types.byName("table<" + mapName.substring(4));
        int groups = types.member(table, "groups");
        if (groups < 0) {
            return -1;
        }
        int ref = types.memberType(types.resolve(table), groups);
        int data = types.member(ref, "data");
        if (data < 0) {
            return -1;
        }
        int ptr = types.resolve(types.memberType(types.resolve(ref), data));
        return ptr >= 0 && types.kind(ptr) == GoTypes.POINTER ? types.target(ptr) : -1;
    }

    /** Where a swiss map directory's first table pointer lies: after the malloc header a large one has. */
    private int directoryStart(long size) {
        return mallocHeaders && size > 512 && size <= 32768 ? 8 : 0;
    }

    private static boolean hasEdgeAt(HeapGraph g, int object, int offset) {
        for (int k = g.edgeStart()[object]; k < g.edgeStart()[object + 1]; k++) {
            if (g.edgeOffset()[k] == offset) {
                return true;
            }
        }
        return false;
    }

    /**
     * Types object as u (an array of u when larger or data) if its size and every pointer in it
     * agree; inner: how far into the object the pointer points, which must be a whole number of u
     * (an element of an array of u), else the pointer is to a field of some other type.
     */
    private boolean assign(HeapGraph g, int object, int u, boolean data, int inner, boolean[] tried) {
        if (u < 0) {
            return false; // unsafe.Pointer, an interface's data: another referrer may know
        }
        long es = types.size(u);
        long base = header(g.size()[object], u);
        if (es <= 0 || inner < base || (inner - base) % es != 0) {
            return false; // into the middle of a value: another referrer may point at its start
        }
        tried[object] = true; // one try each: an object with many referrers is checked once
        long size = g.size()[object] - base;
        if (size < es) {
            return false;
        }
        long elements = size / es;
        for (int k = g.edgeStart()[object]; k < g.edgeStart()[object + 1]; k++) {
            long off = g.edgeOffset()[k] - base;
            if (off < 0 || off >= elements * es || types.pointerAt(u, off % es) < 0) {
                return false;
            }
        }
        type[object] = u;
        // a 16-byte block of pointer-free values under 16 bytes is the tiny allocator's, shared
        // by unrelated small values: one u, not an array of them, unless a slice points at it
        boolean tiny = size == 16 && es < 16 && !hasPointers(u, 0);
        array[object] = data || elements > 1 && !tiny;
        return true;
    }
}
