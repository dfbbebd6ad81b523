package dev.godiag.format.elf;

import dev.godiag.model.heap.GoTypes;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The symbol table (.symtab) of a 64-bit little-endian ELF executable, such as a Go binary for
 * linux/amd64 or arm64: data symbols by address (which global a word of the data or bss segment
 * belongs to), functions by address, and a few named markers (runtime.data, runtime.ebss). Every
 * offset and size read from the file is checked against the file before anything is read.
 */
public final class ElfSymbols {
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;
    private static final int SHT_SYMTAB = 2;
    /** Larger symbol or string tables than this are refused rather than read into memory. */
    private static final long MAX_TABLE = 512L << 20;

    private final Table objects;
    private final Table functions;
    private final Map<String, Long> markers;
    private final boolean positionIndependent;
    private final DwarfGlobals.Dwarf dwarf;

    private ElfSymbols(Table objects, Table functions, Map<String, Long> markers, boolean positionIndependent,
                       DwarfGlobals.Dwarf dwarf) {
        this.objects = objects;
        this.functions = functions;
        this.markers = markers;
        this.positionIndependent = positionIndependent;
        this.dwarf = dwarf;
    }

    /** Reads the binary's symbol table; one-line {@link BadInputException} if it is no such ELF file. */
    public static ElfSymbols read(Path binary) throws IOException {
        try (FileChannel ch = FileChannel.open(binary, StandardOpenOption.READ)) {
            return read(ch);
        }
    }

    private static ElfSymbols read(FileChannel ch) throws IOException {
        long fileSize = ch.size();
        ByteBuffer h = readAt(ch, 0, 64, fileSize, "ELF header");
        if (h.getInt(0) != 0x464c457f) {
            throw new BadInputException("not an ELF executable (no \\x7fELF magic)");
        }
        if (h.get(4) != 2 || h.get(5) != 1) {
            throw new BadInputException("not a 64-bit little-endian ELF executable (class " + h.get(4)
                    + ", data " + h.get(5) + ")");
        }
        boolean pie = h.getShort(0x10) == 3; // ET_DYN: loaded at an address of the loader's choosing
        long shoff = h.getLong(0x28);
        int shentsize = Short.toUnsignedInt(h.getShort(0x3a));
        int shnum = Short.toUnsignedInt(h.getShort(0x3c));
        if (shentsize < 64 || shnum == 0) {
            throw new BadInputException("ELF file has no section headers");
        }
        ByteBuffer sh = readAt(ch, shoff, (long) shentsize * shnum, fileSize, "section headers");
        int symtab = -1;
        for (int i = 0; i < shnum; i++) {
            if (sh.getInt(i * shentsize + 4) == SHT_SYMTAB) {
                symtab = i;
                break;
            }
        }
        if (symtab < 0) {
            throw new BadInputException("the binary has no symbol table (.symtab): built with -ldflags=-s?");
        }
        int base = symtab * shentsize;
        long symOff = sh.getLong(base + 0x18);
        long symSize = sh.getLong(base + 0x20);
        int link = sh.getInt(base + 0x28);
        if (link <= 0 || link >= shnum) {
            throw new BadInputException("the symbol table's string table index " + link + " is out of range");
        }
        long strOff = sh.getLong(link * shentsize + 0x18);
        long strSize = sh.getLong(link * shentsize + 0x20);
        ByteBuffer syms = readAt(ch, symOff, symSize, fileSize, "symbol table");
        ByteBuffer strs = readAt(ch, strOff, strSize, fileSize, "string table");
        byte[] strBytes = new byte[strs.remaining()];
        strs.get(strBytes);

        TableBuilder objects = new TableBuilder();
        TableBuilder functions = new TableBuilder();
        Map<String, Long> markers = new HashMap<>();
        int count = (int) (symSize / 24);
        for (int i = 1; i < count; i++) {
            int at = i * 24;
            int nameOff = syms.getInt(at);
            int type = syms.get(at + 4) & 0xf;
            long value = syms.getLong(at + 8);
            long size = syms.getLong(at + 16);
            String name = cString(strBytes, nameOff);
            if (name.isEmpty()) {
                continue;
            }
            if (name.startsWith("runtime.") && (name.equals("runtime.data") || name.equals("runtime.edata")
                    || name.equals("runtime.bss") || name.equals("runtime.ebss") || name.equals("runtime.types"))) {
                markers.put(name, value);
            } else if (type == STT_OBJECT) {
                objects.add(value, size, name);
            } else if (type == STT_FUNC) {
                functions.add(value, size, name);
            }
        }
        Map<String, DwarfGlobals.Section> sections = sectionsByName(ch, sh, shentsize, shnum,
                Short.toUnsignedInt(h.getShort(0x3e)), fileSize);
        DwarfGlobals.Dwarf dwarf = DwarfGlobals.read(ch, sections.get(".debug_info"), sections.get(".debug_abbrev"));
        return new ElfSymbols(objects.build(), functions.build(), markers, pie, dwarf);
    }

    /** The sections by name, when the section name table is readable; else none. */
    private static Map<String, DwarfGlobals.Section> sectionsByName(FileChannel ch, ByteBuffer sh, int shentsize,
                                                                    int shnum, int shstrndx, long fileSize)
            throws IOException {
        Map<String, DwarfGlobals.Section> out = new HashMap<>();
        if (shstrndx <= 0 || shstrndx >= shnum) {
            return out;
        }
        long off = sh.getLong(shstrndx * shentsize + 0x18);
        long size = sh.getLong(shstrndx * shentsize + 0x20);
        ByteBuffer names = readAt(ch, off, size, fileSize, "section name table");
        byte[] b = new byte[names.remaining()];
        names.get(b);
        for (int i = 0; i < shnum; i++) {
            int at = i * shentsize;
            out.put(cString(b, sh.getInt(at)), new DwarfGlobals.Section(sh.getLong(at + 0x18), sh.getLong(at + 0x20),
                    sh.getLong(at + 8)));
        }
        return out;
    }

    /** The data symbol whose bytes hold addr, or null. */
    public String objectAt(long addr) {
        return objects.at(addr);
    }

    /** The address at which the data symbol holding addr starts, or -1. */
    public long objectStart(long addr) {
        return objects.startAt(addr);
    }

    /** The Go type of a global variable ("map[int]*main.session") from the binary's DWARF, or null. */
    public String typeOf(String symbol) {
        return dwarf.globalTypes().get(symbol);
    }

    /** A global variable's type as a number in {@link #types()}, or -1. */
    public int typeIdOf(String symbol) {
        return dwarf.globalTypeIds().getOrDefault(symbol, -1);
    }

    /** The binary's types from its DWARF; empty when it has none the reader understood. */
    public GoTypes types() {
        return dwarf.types();
    }

    /** The function whose code holds pc, or null. */
    public String functionAt(long pc) {
        return functions.at(pc);
    }

    /** A position-independent executable (-buildmode=pie): its symbols are offsets from where it was loaded. */
    public boolean positionIndependent() {
        return positionIndependent;
    }

    /**
     * The address of runtime.data, runtime.edata, runtime.bss, runtime.ebss or runtime.types (the
     * type descriptors, which DWARF's runtime type offsets count from), or -1 if absent.
     */
    public long marker(String name) {
        return markers.getOrDefault(name, -1L);
    }

    private static ByteBuffer readAt(FileChannel ch, long off, long len, long fileSize, String what)
            throws IOException {
        if (off < 0 || len < 0 || len > MAX_TABLE || off > fileSize || len > fileSize - off) {
            throw new BadInputException("ELF " + what + " at offset " + Long.toUnsignedString(off) + " of "
                    + Long.toUnsignedString(len) + " bytes lies outside the " + fileSize + "-byte file");
        }
        ByteBuffer b = ByteBuffer.allocate((int) len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, off + b.position()) < 0) {
                throw new BadInputException("ELF file ends inside its " + what);
            }
        }
        return b.flip();
    }

    private static String cString(byte[] b, int off) {
        if (off < 0 || off >= b.length) {
            return "";
        }
        int end = off;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** Symbols sorted by address; a lookup finds the last symbol starting at or below an address. */
    private record Table(long[] start, long[] size, String[] name) {
        String at(long addr) {
            int j = indexAt(addr);
            return j < 0 ? null : name[j];
        }

        long startAt(long addr) {
            int j = indexAt(addr);
            return j < 0 ? -1 : start[j];
        }

        private int indexAt(long addr) {
            int i = Arrays.binarySearch(start, addr);
            if (i < 0) {
                i = -i - 2;
            }
            while (i >= 0 && i + 1 < start.length && start[i + 1] == start[i]) {
                i++; // binarySearch finds any of several equal starts: begin at the last
            }
            // symbols of size 0 only hold their own address; several may start at one address
            for (int j = i; j >= 0 && i >= 0 && start[j] == start[i]; j--) {
                if (addr - start[j] < Math.max(size[j], 1)) {
                    return j;
                }
            }
            return -1;
        }
    }

    private static final class TableBuilder {
        private long[] start = new long[1024];
        private long[] size = new long[1024];
        private String[] name = new String[1024];
        private int n;

        void add(long s, long sz, String nm) {
            if (n == start.length) {
                start = Arrays.copyOf(start, n * 2);
                size = Arrays.copyOf(size, n * 2);
                name = Arrays.copyOf(name, n * 2);
            }
            start[n] = s;
            size[n] = sz;
            name[n] = nm;
            n++;
        }

        Table build() {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(start[a], start[b]));
            long[] s = new long[n];
            long[] z = new long[n];
            String[] m = new String[n];
            for (int i = 0; i < n; i++) {
                s[i] = start[order[i]];
                z[i] = size[order[i]];
                m[i] = name[order[i]];
            }
            return new Table(s, z, m);
        }
    }
}
