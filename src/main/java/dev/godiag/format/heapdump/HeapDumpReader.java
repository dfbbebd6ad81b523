package dev.godiag.format.heapdump;

import dev.godiag.format.elf.ElfSymbols;
import dev.godiag.model.heap.HeapGraph;
import dev.godiag.model.heap.HeapGraph.Root;
import dev.godiag.model.heap.HeapGraph.RootKind;
import dev.godiag.util.BadInputException;
import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what {@code runtime/debug.WriteHeapDump} writes (the "go1.7 heap dump" format, unchanged
 * from Go 1.7 to 1.27; see runtime/heapdump.go) into a {@link HeapGraph}, in one streamed pass.
 * Object contents are never kept: each object's pointer fields are read from the file, pointers
 * into the heap arena spilled to a temporary file, and resolved once every object's address is
 * known (objects come in span order, not address order). Memory is proportional to the number of
 * objects and pointers, not to the heap's bytes.
 *
 * <p>Global roots are named from the binary's symbol table; the dump's data and bss segments
 * must lie exactly where the binary's runtime.data..runtime.edata and runtime.bss..runtime.ebss
 * say (for a position-independent binary: both moved by one page-aligned load offset), or the
 * binary is not the one that wrote the dump.
 */
public final class HeapDumpReader {
    private static final byte[] HEADER = "go1.7 heap dump\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_NAME = 1 << 20;

    private static final int TAG_EOF = 0, TAG_OBJECT = 1, TAG_OTHER_ROOT = 2, TAG_TYPE = 3, TAG_GOROUTINE = 4,
            TAG_STACK_FRAME = 5, TAG_PARAMS = 6, TAG_FINALIZER = 7, TAG_ITAB = 8, TAG_OS_THREAD = 9,
            TAG_MEM_STATS = 10, TAG_QUEUED_FINALIZER = 11, TAG_DATA = 12, TAG_BSS = 13, TAG_DEFER = 14,
            TAG_PANIC = 15, TAG_MEM_PROF = 16, TAG_ALLOC_SAMPLE = 17;
    private static final int FIELD_EOL = 0, FIELD_PTR = 1, FIELD_IFACE = 2, FIELD_EFACE = 3;

    private final DumpCursor in;
    private final WordReader words;
    private final ElfSymbols binary;
    private final Spill spill;

    private boolean haveParams;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private int ptrSize;
    private long arenaStart;
    private long arenaEnd;
    private String goVersion = "";
    private String arch = "";
    private long heapAlloc = -1;
    private long heapObjects = -1;
    private long goid = -1;
    /** Where the binary was loaded minus where its symbols say: 0 but for a PIE; known from the data segment on. */
    private long slide;
    private boolean slideKnown;

    private final LongList objAddr = new LongList();
    private final LongList objSize = new LongList();
    private final IntList objPointers = new IntList();
    private final List<Root> roots = new ArrayList<>();
    private final Map<String, Integer> rootIndex = new HashMap<>();
    private final IntList rootOf = new IntList();
    private final LongList rootPtr = new LongList();
    private final IntList rootOff = new IntList();
    /** Maybe interfaces' data words: which spilled pointer (or root pointer), and its type or itab word. */
    private final IntList ifaceSpill = new IntList();
    private final LongList ifaceWord = new LongList();
    private final IntList rootIfaceAt = new IntList();
    private final LongList rootIfaceWord = new LongList();
    private final Map<Long, Long> itabType = new HashMap<>();
    private final LongList sampleObj = new LongList();
    private final LongList sampleBucket = new LongList();
    private final Map<Long, String> bucketSite = new HashMap<>();

    private HeapDumpReader(FileChannel ch, ElfSymbols binary, Spill spill) throws IOException {
        this.in = new DumpCursor(ch, 1 << 20);
        this.words = new WordReader(ch, 1 << 16);
        this.binary = binary;
        this.spill = spill;
    }

    /** Whether data starts as a heap dump does (its header). */
    public static boolean looksLike(byte[] head) {
        return head.length >= HEADER.length && Arrays.equals(head, 0, HEADER.length, HEADER, 0, HEADER.length);
    }

    /** Reads the dump at path, naming global roots from binary's symbols. */
    public static HeapGraph read(Path dump, ElfSymbols binary) throws IOException {
        try (FileChannel ch = FileChannel.open(dump, StandardOpenOption.READ); Spill spill = new Spill()) {
            HeapDumpReader r = new HeapDumpReader(ch, binary, spill);
            r.records();
            return r.build();
        }
    }

    private void records() throws IOException {
        for (byte b : HEADER) {
            if (in.atEnd() || in.readByte("header") != (b & 0xff)) {
                throw new BadInputException("not a Go heap dump (no \"go1.7 heap dump\" header)");
            }
        }
        while (true) {
            long at = in.position();
            long tag = in.uvarint("record tag");
            if (tag != TAG_PARAMS && tag != TAG_EOF && !haveParams) {
                throw new BadInputException("heap dump: record " + tag + " at byte " + at
                        + " before the dump's parameters");
            }
            switch ((int) Math.min(tag, Integer.MAX_VALUE)) {
                case TAG_EOF -> {
                    return;
                }
                case TAG_OBJECT -> object();
                case TAG_OTHER_ROOT -> {
                    String description = in.string("root description", MAX_NAME);
                    rootEdge(root("runtime root: " + description, RootKind.OTHER), in.uvarint("root pointer"), -1);
                }
                case TAG_TYPE -> {
                    in.uvarint("type address");
                    in.uvarint("type size");
                    in.string("type name", MAX_NAME);
                    in.bool("type indirect flag");
                }
                case TAG_GOROUTINE -> goroutine();
                case TAG_STACK_FRAME -> frame();
                case TAG_PARAMS -> params();
                case TAG_FINALIZER, TAG_QUEUED_FINALIZER -> finalizer(tag == TAG_QUEUED_FINALIZER);
                case TAG_ITAB -> {
                    long itab = in.uvarint("itab address");
                    long type = in.uvarint("itab type");
                    if (itabType.size() < 1 << 20) {
                        itabType.put(itab, type);
                    }
                }
                case TAG_OS_THREAD -> skipInts(3, "OS thread");
                case TAG_MEM_STATS -> memStats();
                case TAG_DATA -> segment("data", "runtime.data", "runtime.edata");
                case TAG_BSS -> segment("bss", "runtime.bss", "runtime.ebss");
                case TAG_DEFER -> skipInts(7, "defer record");
                case TAG_PANIC -> skipInts(6, "panic record");
                case TAG_MEM_PROF -> memProf();
                case TAG_ALLOC_SAMPLE -> {
                    sampleObj.add(in.uvarint("sampled object"));
                    sampleBucket.add(in.uvarint("sample bucket"));
                }
                default -> throw new BadInputException("heap dump: unknown record tag " + Long.toUnsignedString(tag)
                        + " at byte " + at);
            }
            if (in.atEnd()) {
                throw new BadInputException("heap dump truncated at byte " + in.position()
                        + " (no end-of-dump record)");
            }
        }
    }

    private void params() throws IOException {
        order = in.bool("endianness") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long at = in.position();
        long p = in.uvarint("pointer size");
        if (p != 4 && p != 8) {
            throw new BadInputException("heap dump: pointer size " + Long.toUnsignedString(p) + " at byte " + at);
        }
        ptrSize = (int) p;
        arenaStart = in.uvarint("arena start");
        arenaEnd = in.uvarint("arena end");
        arch = in.string("GOARCH", MAX_NAME);
        goVersion = in.string("Go version", MAX_NAME);
        in.uvarint("CPU count");
        haveParams = true;
    }

    private void object() throws IOException {
        long at = in.position();
        long addr = in.uvarint("object address");
        long len = in.length("object contents");
        if (addr < 0 || Long.compareUnsigned(addr, arenaStart) < 0 || Long.compareUnsigned(addr, arenaEnd) >= 0
                || Long.compareUnsigned(len, arenaEnd - addr) > 0) {
            throw new BadInputException("heap dump: object at byte " + at + " (0x" + Long.toHexString(addr) + ", "
                    + len + " bytes) lies outside the heap arena");
        }
        long contents = in.position();
        in.skip(len);
        int before = spill.count();
        fields(contents, len, "object", (off, ptr, typeWord) -> {
            spill.add(ptr, off);
            if (typeWord != 0) {
                ifaceSpill.add(spill.count() - 1);
                ifaceWord.add(typeWord);
            }
        });
        objAddr.add(addr);
        objSize.add(len);
        objPointers.add(spill.count() - before);
        if (objAddr.size() == Integer.MAX_VALUE - 8) {
            throw new BadInputException("heap dump: more than 2^31 objects");
        }
    }

    private void goroutine() throws IOException {
        in.uvarint("goroutine address");
        in.uvarint("goroutine stack pointer");
        goid = in.uvarint("goroutine id");
        skipInts(5, "goroutine");
        in.string("goroutine wait reason", MAX_NAME);
        skipInts(4, "goroutine");
    }

    private void frame() throws IOException {
        skipInts(3, "stack frame");
        long len = in.length("stack frame contents");
        long contents = in.position();
        in.skip(len);
        skipInts(3, "stack frame");
        String function = in.string("frame function", MAX_NAME);
        int root = root((goid >= 0 ? "goroutine " + Long.toUnsignedString(goid) + " stack: " : "stack: ") + function,
                RootKind.STACK);
        fields(contents, len, "stack frame", (off, ptr, typeWord) -> rootEdge(root, ptr, -1));
    }

    private void finalizer(boolean queued) throws IOException {
        long obj = in.uvarint("finalizer object");
        in.uvarint("finalizer closure");
        long fn = in.uvarint("finalizer function");
        in.uvarint("finalizer argument type");
        // the type of the pointer the finalizer was set on (*T): it types the object as an
        // interface's type word types its data
        long pointerType = in.uvarint("finalizer object type");
        String name = binary.functionAt(fn - slide);
        String root = (queued ? "queued finalizer " : "finalizer ") + (name != null ? name : "0x" + Long.toHexString(fn));
        if (inArena(obj) && pointerType != 0) {
            rootIfaceAt.add(rootOf.size());
            rootIfaceWord.add(pointerType);
        }
        rootEdge(root(root, RootKind.FINALIZER), obj, -1);
    }

    private void segment(String what, String startSymbol, String endSymbol) throws IOException {
        long addr = in.uvarint(what + " segment address");
        long len = in.length(what + " segment contents");
        long start = binary.marker(startSymbol);
        long end = binary.marker(endSymbol);
        if (start < 0 || end < 0) {
            throw new BadInputException("the binary has no " + startSymbol + " symbol: not a Go program's binary");
        }
        long shift = addr - start;
        if (end - start != len || shift != 0 && !binary.positionIndependent() || shift % 4096 != 0
                || slideKnown && shift != slide) {
            throw new BadInputException("the dump's " + what + " segment (0x" + Long.toHexString(addr) + ", " + len
                    + " bytes) is not the binary's (0x" + Long.toHexString(start) + ", " + (end - start)
                    + " bytes" + (binary.positionIndependent() ? ", position-independent" : "")
                    + "): the dump was written by another binary");
        }
        slide = shift;
        slideKnown = true;
        long contents = in.position();
        in.skip(len);
        fields(contents, len, what + " segment", (off, ptr, typeWord) -> {
            if (typeWord != 0) {
                rootIfaceAt.add(rootOf.size());
                rootIfaceWord.add(typeWord);
            }
            long at = addr - slide + off;
            String name = binary.objectAt(at);
            // the word's offset in its global: where in the global's type the pointer sits
            long inSymbol = name != null ? at - binary.objectStart(at) : -1;
            rootEdge(root(name != null ? name : what + "+0x" + Long.toHexString(off), RootKind.GLOBAL), ptr,
                    inSymbol >= 0 && inSymbol < Integer.MAX_VALUE ? (int) inSymbol : -1);
        });
    }

    private void memStats() throws IOException {
        long[] v = new long[12];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.uvarint("memstats");
        }
        heapAlloc = v[6];
        heapObjects = v[11];
        skipInts(24 - 12 + 256 + 1, "memstats");
    }

    private void memProf() throws IOException {
        long bucket = in.uvarint("memprof bucket");
        in.uvarint("memprof size");
        long n = in.uvarint("memprof stack depth");
        String site = null;
        for (long i = 0; i < n; i++) {
            String fn = in.string("memprof function", MAX_NAME);
            in.string("memprof file", MAX_NAME);
            in.uvarint("memprof line");
            if (site == null && !fn.startsWith("runtime.") && !fn.equals("?")) {
                site = fn;
            }
            if (in.atEnd()) {
                throw in.truncated("memprof record");
            }
        }
        skipInts(2, "memprof");
        if (site != null) {
            bucketSite.put(bucket, site);
        }
    }

    private interface PointerSink {
        /** typeWord: the word before, if it may be an interface's itab or type word; else 0. */
        void pointer(long offset, long value, long typeWord) throws IOException;
    }

    /** The field list after a memory range: each pointer word that points into the heap arena goes to sink. */
    private void fields(long contents, long len, String what, PointerSink sink) throws IOException {
        // Go writes every pointer word as FIELD_PTR, and an interface's itab or type word is no
        // pointer to the collector: the word right before a heap pointer, when not itself a pointer
        // field, is kept as the pointer's candidate type word if it is an itab the dump lists or a
        // type descriptor the binary's DWARF names (the binary's types say later whether the
        // pointer is an interface's data)
        long prevWord = -1;
        while (true) {
            long at = in.position();
            long kind = in.uvarint(what + " field kind");
            if (kind == FIELD_EOL) {
                return;
            }
            if (kind != FIELD_PTR && kind != FIELD_IFACE && kind != FIELD_EFACE) {
                throw new BadInputException("heap dump: unknown field kind " + Long.toUnsignedString(kind) + " at byte "
                        + at + " (" + what + ")");
            }
            long off = in.uvarint(what + " field offset");
            long word = kind == FIELD_PTR ? off : off + ptrSize; // an interface's data word follows its type word
            if (off < 0 || word < 0 || word > len - ptrSize) {
                throw new BadInputException("heap dump: field offset " + Long.toUnsignedString(off) + " at byte " + at
                        + " lies outside its " + len + "-byte " + what);
            }
            long ptr = words.word(contents + word, ptrSize, order);
            if (inArena(ptr)) {
                long typeWord = 0;
                if (kind != FIELD_PTR) {
                    typeWord = words.word(contents + off, ptrSize, order);
                } else if (word >= ptrSize && prevWord != word - ptrSize) {
                    long w = words.word(contents + word - ptrSize, ptrSize, order);
                    typeWord = typeWordLike(w) ? w : 0;
                }
                sink.pointer(word, ptr, typeWord);
            }
            prevWord = word;
        }
    }

    /**
     * An itab of the dump's or a type descriptor of the binary's DWARF types; a position-independent
     * binary's load offset is known only from the data segment on, which comes after the objects,
     * so for it every word outside the heap stands until the graph is built.
     */
    private boolean typeWordLike(long w) {
        if (w == 0 || inArena(w)) {
            return false;
        }
        if (itabType.containsKey(w)) {
            return true;
        }
        long base = binary.marker("runtime.types");
        if (base < 0 || binary.types().count() == 0) {
            return false;
        }
        return binary.positionIndependent() && !slideKnown || binary.types().byRuntimeType(w - slide - base) >= 0;
    }

    private boolean inArena(long ptr) {
        return ptr != 0 && Long.compareUnsigned(ptr, arenaStart) >= 0 && Long.compareUnsigned(ptr, arenaEnd) < 0;
    }

    private int root(String name, RootKind kind) {
        Integer i = rootIndex.get(name);
        if (i == null) {
            i = roots.size();
            boolean global = kind == RootKind.GLOBAL;
            roots.add(new Root(name, kind, global ? binary.typeOf(name) : null, global ? binary.typeIdOf(name) : -1));
            rootIndex.put(name, i);
        }
        return i;
    }

    private void rootEdge(int root, long ptr, int offset) {
        if (inArena(ptr)) {
            rootOf.add(root);
            rootPtr.add(ptr);
            rootOff.add(offset);
        }
    }

    private void skipInts(int n, String what) throws IOException {
        for (int i = 0; i < n; i++) {
            in.uvarint(what);
        }
    }

    private HeapGraph build() throws IOException {
        int n = objAddr.size();
        long[] addr = objAddr.toArray();
        long[] size = objSize.toArray();
        AddressIndex index = new AddressIndex(addr, size);

        int[] edgeStart = new int[n + 1];
        int[] target = new int[spill.count()];
        int[] offset = new int[spill.count()];
        long dangling = 0;
        int e = 0;
        IntList innerEdge = new IntList();
        IntList innerOffset = new IntList();
        IntList dynEdge = new IntList();
        IntList dynType = new IntList();
        int spilled = 0;
        int nextIface = 0;
        Spill.Reader r = spill.reader();
        for (int i = 0; i < n; i++) {
            edgeStart[i] = e;
            for (int k = objPointers.get(i); k > 0; k--) {
                long ptr = r.nextPointer();
                long off = r.nextOffset();
                int t = index.find(ptr);
                boolean iface = nextIface < ifaceSpill.size() && ifaceSpill.get(nextIface) == spilled;
                spilled++;
                int dyn = -1;
                if (iface) {
                    dyn = dynamicType(ifaceWord.get(nextIface));
                    nextIface++;
                }
                if (t < 0) {
                    dangling++;
                    continue;
                }
                if (dyn >= 0) {
                    dynEdge.add(e);
                    dynType.add(dyn);
                }
                target[e] = t;
                offset[e] = (int) Math.min(off, Integer.MAX_VALUE);
                if (ptr != addr[t]) {
                    innerEdge.add(e);
                    innerOffset.add((int) Math.min(ptr - addr[t], Integer.MAX_VALUE));
                }
                e++;
            }
        }
        edgeStart[n] = e;
        if (e < target.length) {
            target = Arrays.copyOf(target, e);
            offset = Arrays.copyOf(offset, e);
        }

        int[] rootEdgeStart = new int[roots.size() + 1];
        int[] resolved = new int[rootOf.size()];
        for (int i = 0; i < rootOf.size(); i++) {
            resolved[i] = index.find(rootPtr.get(i));
            if (resolved[i] >= 0) {
                rootEdgeStart[rootOf.get(i) + 1]++;
            } else {
                dangling++;
            }
        }
        for (int i = 0; i < roots.size(); i++) {
            rootEdgeStart[i + 1] += rootEdgeStart[i];
        }
        int[] rootTarget = new int[rootEdgeStart[roots.size()]];
        int[] rootOffset = new int[rootTarget.length];
        int[] rootInner = new int[rootTarget.length];
        int[] fill = Arrays.copyOf(rootEdgeStart, roots.size());
        for (int i = 0; i < rootOf.size(); i++) {
            if (resolved[i] >= 0) {
                int k = fill[rootOf.get(i)]++;
                rootOffset[k] = rootOff.get(i);
                rootTarget[k] = resolved[i];
                rootInner[k] = (int) Math.min(rootPtr.get(i) - addr[resolved[i]], Integer.MAX_VALUE);
            }
        }
        IntList rootInnerEdge = new IntList();
        IntList rootInnerOffset = new IntList();
        IntList rootDynEdge = new IntList();
        IntList rootDynType = new IntList();
        int[] rootEdgeOf = new int[rootOf.size()]; // a root pointer's edge, or -1
        Arrays.fill(rootEdgeOf, -1);
        int[] fill2 = Arrays.copyOf(rootEdgeStart, roots.size());
        for (int i = 0; i < rootOf.size(); i++) {
            if (resolved[i] >= 0) {
                rootEdgeOf[i] = fill2[rootOf.get(i)]++;
            }
        }
        for (int j = 0; j < rootIfaceAt.size(); j++) {
            int k = rootEdgeOf[rootIfaceAt.get(j)];
            int dyn = k < 0 ? -1 : dynamicType(rootIfaceWord.get(j));
            if (dyn >= 0) {
                rootDynEdge.add(k);
                rootDynType.add(dyn);
            }
        }
        sortByEdge(rootDynEdge, rootDynType);
        for (int k = 0; k < rootInner.length; k++) {
            if (rootInner[k] != 0) {
                rootInnerEdge.add(k);
                rootInnerOffset.add(rootInner[k]);
            }
        }

        int[] site = new int[n];
        Arrays.fill(site, -1);
        List<String> sites = new ArrayList<>();
        Map<String, Integer> siteIndex = new HashMap<>();
        for (int i = 0; i < sampleObj.size(); i++) {
            int o = index.find(sampleObj.get(i));
            String s = bucketSite.get(sampleBucket.get(i));
            if (o >= 0 && s != null) {
                site[o] = siteIndex.computeIfAbsent(s, k -> {
                    sites.add(k);
                    return sites.size() - 1;
                });
            }
        }
        return new HeapGraph(addr, size, edgeStart, target, offset, site, List.copyOf(sites), List.copyOf(roots),
                rootEdgeStart, rootTarget, rootOffset,
                new HeapGraph.Interior(innerEdge.toArray(), innerOffset.toArray()),
                new HeapGraph.Interior(rootInnerEdge.toArray(), rootInnerOffset.toArray()),
                new HeapGraph.EdgeTypes(dynEdge.toArray(), dynType.toArray()),
                new HeapGraph.EdgeTypes(rootDynEdge.toArray(), rootDynType.toArray()), binary.types(),
                new HeapGraph.Info(goVersion, arch, heapAlloc, heapObjects, dangling));
    }

    /**
     * An interface's dynamic type from its itab (the dump's itab records give the itab's type) or
     * its type word (an empty interface), through the DWARF type whose runtime descriptor is
     * there; -1 when unknown. Itabs and type descriptors never share an address.
     */
    private int dynamicType(long word) {
        long type = itabType.getOrDefault(word, word);
        long types = binary.marker("runtime.types");
        if (type == 0 || types < 0 || binary.types().count() == 0) {
            return -1;
        }
        return binary.types().byRuntimeType(type - slide - types);
    }

    /** Sorts the pairs by edge (root edges are numbered per root, not in the dump's order). */
    private static void sortByEdge(IntList edge, IntList value) {
        int n = edge.size();
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = (long) edge.get(i) << 32 | (value.get(i) & 0xffffffffL);
        }
        Arrays.sort(packed);
        for (int i = 0; i < n; i++) {
            edge.set(i, (int) (packed[i] >>> 32));
            value.set(i, (int) packed[i]);
        }
    }

    /** Address to object: a sorted copy of the addresses and, per rank, the object's number. */
    private static final class AddressIndex {
        private final long[] sorted;
        private final int[] object;
        private final long[] addr;
        private final long[] size;

        AddressIndex(long[] addr, long[] size) {
            this.addr = addr;
            this.size = size;
            sorted = addr.clone();
            Arrays.sort(sorted);
            object = new int[addr.length];
            for (int i = 0; i < addr.length; i++) {
                object[Arrays.binarySearch(sorted, addr[i])] = i;
            }
            for (int i = 1; i < sorted.length; i++) {
                int prev = object[i - 1];
                if (sorted[i] == sorted[i - 1] || size[prev] > sorted[i] - sorted[i - 1]) {
                    throw new BadInputException("heap dump: objects at 0x" + Long.toHexString(sorted[i - 1]) + " and 0x"
                            + Long.toHexString(sorted[i]) + " overlap");
                }
            }
        }

        /** The object holding address p, or -1. */
        int find(long p) {
            int i = Arrays.binarySearch(sorted, p);
            if (i < 0) {
                i = -i - 2;
                if (i < 0) {
                    return -1;
                }
            }
            int o = object[i];
            return p - addr[o] < size[o] ? o : -1;
        }
    }

    /** Pointers and their offsets, spilled to a temporary file as the objects stream by. */
    private static final class Spill implements AutoCloseable {
        private final Path file;
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private int count;

        Spill() throws IOException {
            file = Files.createTempFile("godiag-heapdump", ".edges");
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        }

        void add(long ptr, long offset) throws IOException {
            if (count == Integer.MAX_VALUE - 8) {
                throw new BadInputException("heap dump: more than 2^31 pointers");
            }
            if (buf.remaining() < 16) {
                flush();
            }
            buf.putLong(ptr).putLong(offset);
            count++;
        }

        int count() {
            return count;
        }

        private void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        Reader reader() throws IOException {
            flush();
            ch.position(0);
            buf.limit(0);
            return new Reader();
        }

        final class Reader {
            long nextPointer() throws IOException {
                ensure();
                return buf.getLong();
            }

            long nextOffset() throws IOException {
                ensure();
                return buf.getLong();
            }

            private void ensure() throws IOException {
                if (buf.remaining() >= 8) {
                    return;
                }
                buf.compact();
                while (buf.position() < 8) {
                    if (ch.read(buf) < 0) {
                        throw new IOException("edge spill file ended early");
                    }
                }
                buf.flip();
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
            Files.deleteIfExists(file);
        }
    }
}
