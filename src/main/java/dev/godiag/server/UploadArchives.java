package dev.godiag.server;

import dev.godiag.format.Gzip;
import dev.godiag.util.BadInputException;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Safe unpacking of an uploaded capture: a .zip, .tar or .tar.gz (recognised by its content) becomes
 * its regular files; anything else stays one file. Nothing is written to disk and nothing is
 * followed: links, devices and directories are skipped, paths that would leave the archive refuse
 * the whole upload, and inflation is counted as it happens, so a bomb stops at the limit whatever
 * its headers claim.
 */
public final class UploadArchives {
    /** One file of an upload, after unpacking: its path inside the upload (forward slashes, no '..', no leading '/') and bytes. */
    public record UploadFile(String name, byte[] data) {
    }

    /** Limits: total bytes after unpacking, entries, bytes of one entry. */
    public record Limits(long maxTotalBytes, int maxEntries, long maxEntryBytes) {
        public Limits {
            if (maxTotalBytes <= 0 || maxEntries <= 0 || maxEntryBytes <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        public static Limits defaults() {
            return new Limits(1L << 30, 10_000, 512L << 20);
        }
    }

    /** Longest path kept (as in PATH_MAX); a longer one is hostile or broken. */
    private static final int MAX_PATH_CHARS = 4096;
    /** The largest array Java allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;
    /** Largest GNU long-name or pax header read (as Go's archive/tar). */
    private static final int MAX_TAR_META_BYTES = 1 << 20;
    private static final int BLOCK = 512;

    private UploadArchives() {
    }

    /**
     * The files of one uploaded part named {@code name}: a .zip, .tar, .tar.gz/.tgz (detected by CONTENT,
     * magic bytes, not only the name) expands to its regular files; anything else (including a plain
     * gzip of one profile, which the readers decompress themselves) is one file as it is.
     * Throws dev.godiag.util.BadInputException with one line naming the upload part and the problem.
     */
    /** Whether {@link #unpack} expands these bytes (a zip, tar or tar.gz), rather than keeping them as one file. */
    public static boolean expands(byte[] data) {
        Kind kind = detect(data);
        return kind == Kind.ZIP || kind == Kind.TAR || kind == Kind.TAR_GZ;
    }

    public static List<UploadFile> unpack(String name, byte[] data, Limits limits) {
        Kind kind = detect(data);
        Kind claimed = Kind.claimedBy(name);
        List<UploadFile> files;
        if (kind == Kind.ZIP) {
            files = new ZipReader(name, data, limits).read();
        } else if (kind == Kind.TAR) {
            files = new TarReader(name, "tar", new ByteArrayInputStream(data), limits).read();
        } else if (kind == Kind.TAR_GZ) {
            files = readTarGz(name, data, limits);
        } else if (claimed != null) {
            throw new BadInputException(name + ": not a valid " + claimed.label + ": " + whyNot(claimed, data));
        } else {
            return List.of(single(name, data, limits));
        }
        if (files.isEmpty()) {
            throw new BadInputException(name + ": the archive holds no files to analyse (directories, links,"
                    + " hidden files and __MACOSX entries are skipped)");
        }
        return files;
    }

    private enum Kind {
        ZIP("zip"), TAR("tar"), TAR_GZ("tar.gz"), OTHER("file");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The archive kind the name promises, or null. */
        static Kind claimedBy(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.endsWith(".zip")) {
                return ZIP;
            }
            if (n.endsWith(".tar")) {
                return TAR;
            }
            return n.endsWith(".tar.gz") || n.endsWith(".tgz") ? TAR_GZ : null;
        }
    }

    private static Kind detect(byte[] data) {
        if (data.length >= 4 && data[0] == 'P' && data[1] == 'K'
                && (data[2] == 3 && data[3] == 4 || data[2] == 5 && data[3] == 6)) {
            return Kind.ZIP;
        }
        if (data.length >= BLOCK && isTarHeader(Arrays.copyOf(data, BLOCK))) {
            return Kind.TAR;
        }
        if (Gzip.isGzip(data)) {
            byte[] first = gunzipPrefix(data);
            if (first != null && isTarHeader(first)) {
                return Kind.TAR_GZ;
            }
        }
        return Kind.OTHER;
    }

    /** The first block of gzip data, or null when it is shorter or unreadable. */
    private static byte[] gunzipPrefix(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            byte[] block = in.readNBytes(BLOCK);
            return block.length == BLOCK ? block : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Why data whose name promises an archive is not one. */
    private static String whyNot(Kind claimed, byte[] data) {
        if (claimed == Kind.ZIP) {
            return "it does not start with a zip signature";
        }
        if (claimed == Kind.TAR) {
            return "it does not start with a tar header";
        }
        if (!Gzip.isGzip(data)) {
            return "it is not gzip data";
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            in.readNBytes(BLOCK);
        } catch (IOException e) {
            return gzipProblem(e);
        }
        return "the gzip data does not start with a tar header";
    }

    private static String gzipProblem(IOException e) {
        if (e instanceof EOFException) {
            return "truncated: the gzip data ends early";
        }
        String m = e.getMessage() == null ? "damaged deflate data" : e.getMessage();
        return "corrupt gzip data (" + m + ")";
    }

    private static UploadFile single(String name, byte[] data, Limits limits) {
        // a browser may send a client path (C:\Users\me\cpu.pprof): keep its last segment only
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (base.isEmpty() || base.equals(".") || base.equals("..") || base.indexOf('\0') >= 0) {
            throw new BadInputException(name + ": not a usable file name");
        }
        long limit = Math.min(limits.maxEntryBytes(), limits.maxTotalBytes());
        if (data.length > limit) {
            throw new BadInputException(name + ": larger than the limit of " + Gzip.describeSize(limit));
        }
        return new UploadFile(base, data);
    }

    private static List<UploadFile> readTarGz(String name, byte[] data, Limits limits) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16)) {
            return new TarReader(name, "tar.gz", gz, limits).read();
        } catch (IOException e) {
            throw new BadInputException(name + ": not a valid tar.gz: " + gzipProblem(e));
        }
    }

    /** The running totals and the path rules shared by both archive readers. */
    private abstract static class ArchiveReader {
        final String upload;
        final String format;
        final Limits limits;
        final List<UploadFile> files = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        long total;
        int entries;

        ArchiveReader(String upload, String format, Limits limits) {
            this.upload = upload;
            this.format = format;
            this.limits = limits;
        }

        BadInputException invalid(String problem) {
            return new BadInputException(upload + ": not a valid " + format + ": " + problem);
        }

        BadInputException refused(String problem) {
            return new BadInputException(upload + ": " + problem);
        }

        void countEntry() {
            if (++entries > limits.maxEntries()) {
                throw refused("more than " + limits.maxEntries() + " entries (the limit)");
            }
        }

        /** What one more entry may still produce: the smaller of the per-file and the remaining total limit. */
        long budget() {
            return Math.min(Math.min(limits.maxEntryBytes(), limits.maxTotalBytes() - total), MAX_ARRAY);
        }

        BadInputException beyond(String entry) {
            return limits.maxTotalBytes() - total < limits.maxEntryBytes()
                    ? refused("expands beyond " + Gzip.describeSize(limits.maxTotalBytes()) + " in total (the limit;"
                    + " a decompression bomb?)")
                    : refused("entry " + entry + " expands beyond " + Gzip.describeSize(limits.maxEntryBytes())
                    + " (the limit for one file; a decompression bomb?)");
        }

        /**
         * The path kept for an entry, or null when the entry is skipped (macOS metadata, hidden files).
         * A path that could leave the archive refuses the upload.
         */
        String keptPath(String raw) {
            if (raw.indexOf('\0') >= 0) {
                throw refused("entry " + raw + ": path holds a NUL byte");
            }
            if (raw.length() > MAX_PATH_CHARS) {
                throw refused("entry " + raw.substring(0, 60) + "...: path longer than " + MAX_PATH_CHARS + " characters");
            }
            // archives made on Windows separate with backslashes; a name with one is never a plain file name
            String path = raw.replace('\\', '/');
            if (path.startsWith("/") || path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
                throw refused("entry " + raw + ": absolute path");
            }
            List<String> kept = new ArrayList<>();
            int depth = 0;
            boolean up = false, leaves = false;
            for (String segment : path.split("/")) {
                if (segment.equals("..")) {
                    up = true;
                    leaves |= --depth < 0;
                } else if (!segment.isEmpty() && !segment.equals(".")) {
                    depth++;
                    kept.add(segment);
                }
            }
            if (up) {
                throw refused("entry " + raw + ": path " + (leaves ? "leaves the archive" : "has a '..' segment"));
            }
            for (String segment : kept) {
                if (segment.startsWith(".") || segment.equals("__MACOSX")) {
                    return null;
                }
            }
            if (kept.isEmpty()) {
                throw refused("entry '" + raw + "': empty path");
            }
            return String.join("/", kept);
        }

        void keep(String path, byte[] data) {
            if (!names.add(path)) {
                throw refused("entry " + path + " appears twice");
            }
            files.add(new UploadFile(path, data));
        }
    }

    /**
     * Reads a zip through its central directory (what unzip trusts; unlike ZipInputStream it sees the
     * Unix file type of each entry, so symlinks are recognised, and stored entries with data
     * descriptors read fine). Each deflated entry is inflated twice: once counting into a small buffer,
     * refusing at the limit, then into an array of the size counted.
     */
    private static final class ZipReader extends ArchiveReader {
        private static final int EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50,
                CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
        private static final int UNIX_TYPE_MASK = 0170000, UNIX_REGULAR = 0100000;
        private final byte[] data;
        private final byte[] scratch = new byte[1 << 16];

        ZipReader(String upload, byte[] data, Limits limits) {
            super(upload, "zip", limits);
            this.data = data;
        }

        List<UploadFile> read() {
            int eocd = findEndOfCentralDirectory();
            if (u16(eocd + 4) != 0 || u16(eocd + 6) != 0) {
                throw invalid("split (multi-disk) archives are not supported");
            }
            long count = u16(eocd + 10);
            long cdSize = u32(eocd + 12);
            long cdOffset = u32(eocd + 16);
            if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
                int locator = eocd - 20;
                if (locator < 0 || u32(locator) != ZIP64_LOCATOR) {
                    throw invalid("zip64 end record missing");
                }
                long at = u64(locator + 8);
                if (at < 0 || at > locator - 56 || u32((int) at) != ZIP64_EOCD) {
                    throw invalid("zip64 end record damaged");
                }
                count = u64((int) at + 32);
                cdSize = u64((int) at + 40);
                cdOffset = u64((int) at + 48);
            }
            if (count < 0 || count > limits.maxEntries()) {
                throw refused("more than " + limits.maxEntries() + " entries (the limit)");
            }
            if (cdOffset < 0 || cdSize < 0 || cdOffset > eocd || cdSize > eocd - cdOffset) {
                throw invalid("the central directory lies outside the file (truncated?)");
            }
            int at = (int) cdOffset;
            for (long i = 0; i < count; i++) {
                at = entry(at, (int) (cdOffset + cdSize));
            }
            return files;
        }

        /** The end-of-central-directory record: the last one whose comment fits in the file. */
        private int findEndOfCentralDirectory() {
            for (int at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
                if (u32(at) == EOCD && at + 22 + u16(at + 20) <= data.length) {
                    return at;
                }
            }
            throw invalid("no end of central directory (truncated?)");
        }

        /** Reads the central directory entry at {@code at}; returns where the next one starts. */
        private int entry(int at, int end) {
            if (at + 46 > end || u32(at) != CENTRAL) {
                throw invalid("damaged central directory at byte " + at);
            }
            countEntry();
            int madeBy = u16(at + 4) >>> 8;
            int flags = u16(at + 8);
            int method = u16(at + 10);
            long crc = u32(at + 16);
            long compressed = u32(at + 20);
            long uncompressed = u32(at + 24);
            int nameLength = u16(at + 28), extraLength = u16(at + 30), commentLength = u16(at + 32);
            long external = u32(at + 38);
            long localOffset = u32(at + 42);
            int next = at + 46 + nameLength + extraLength + commentLength;
            if (next > end) {
                throw invalid("damaged central directory at byte " + at);
            }
            String raw = decodeName(at + 46, nameLength, (flags & 0x800) != 0);
            // zip64: the real sizes and offset are in extra field 1, in this order, for those saturated
            for (int x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
                int id = u16(x), size = u16(x + 2);
                int p = x + 4;
                x = p + size;
                if (id != 1 || x > at + 46 + nameLength + extraLength) {
                    continue;
                }
                if (uncompressed == 0xffffffffL && p + 8 <= x) {
                    uncompressed = u64(p);
                    p += 8;
                }
                if (compressed == 0xffffffffL && p + 8 <= x) {
                    compressed = u64(p);
                    p += 8;
                }
                if (localOffset == 0xffffffffL && p + 8 <= x) {
                    localOffset = u64(p);
                }
            }
            boolean unix = madeBy == 3 || madeBy == 19;
            long unixType = (external >>> 16) & UNIX_TYPE_MASK;
            boolean directory = raw.endsWith("/") || raw.endsWith("\\") || (external & 0x10) != 0 && !unix;
            if (directory || unix && unixType != 0 && unixType != UNIX_REGULAR) {
                return next; // directories, symlinks, devices: nothing to read, nothing to follow
            }
            String path = keptPath(raw);
            if (path == null) {
                return next;
            }
            if ((flags & 1) != 0) {
                throw refused("entry " + path + " is encrypted");
            }
            if (method != 0 && method != 8) {
                throw refused("entry " + path + " uses compression method " + method
                        + " (only stored and deflate are supported)");
            }
            int start = dataStart(path, localOffset, end);
            if (compressed < 0 || compressed > data.length - start) {
                throw invalid("entry " + path + ": its data runs past the end of the file (truncated?)");
            }
            byte[] content = method == 0 ? stored(path, start, (int) compressed)
                    : inflate(path, start, (int) compressed);
            CRC32 check = new CRC32();
            check.update(content);
            if (check.getValue() != crc) {
                throw invalid("entry " + path + ": checksum mismatch (damaged data)");
            }
            total += content.length;
            keep(path, content);
            return next;
        }

        private int dataStart(String path, long localOffset, int end) {
            if (localOffset < 0 || localOffset > end - 30 || u32((int) localOffset) != LOCAL) {
                throw invalid("entry " + path + ": no local header where the directory says");
            }
            int at = (int) localOffset;
            long start = (long) at + 30 + u16(at + 26) + u16(at + 28);
            if (start > data.length) {
                throw invalid("entry " + path + ": its data runs past the end of the file (truncated?)");
            }
            return (int) start;
        }

        private byte[] stored(String path, int start, int length) {
            if (length > budget()) {
                throw beyond(path);
            }
            return Arrays.copyOfRange(data, start, start + length);
        }

        private byte[] inflate(String path, int start, int length) {
            byte[] out = new byte[(int) inflatedSize(path, start, length)];
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(data, start, length);
                for (int n = 0; n < out.length; ) {
                    n += inflater.inflate(out, n, out.length - n);
                }
                return out;
            } catch (DataFormatException e) {
                throw new IllegalStateException("deflate data read once, damaged the second time", e);
            } finally {
                inflater.end();
            }
        }

        /** Inflates the entry into a small buffer, counting, refusing beyond the budget. */
        private long inflatedSize(String path, int start, int length) {
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(data, start, length);
                long budget = budget();
                long produced = 0;
                while (!inflater.finished()) {
                    int n = inflater.inflate(scratch);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw invalid("entry " + path + ": its deflate data ends early (truncated?)");
                    }
                    produced += n;
                    if (produced > budget) {
                        throw beyond(path);
                    }
                }
                return produced;
            } catch (DataFormatException e) {
                throw invalid("entry " + path + ": damaged deflate data");
            } finally {
                inflater.end();
            }
        }

        private String decodeName(int at, int length, boolean utf8Flag) {
            ByteBuffer bytes = ByteBuffer.wrap(data, at, length);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            } catch (CharacterCodingException e) {
                if (utf8Flag) {
                    throw invalid("an entry name is not valid UTF-8");
                }
                return new String(data, at, length, StandardCharsets.ISO_8859_1); // old DOS names: readable enough
            }
        }

        private int u16(int at) {
            return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8;
        }

        private long u32(int at) {
            return u16(at) | (long) u16(at + 2) << 16;
        }

        /** An unsigned 64-bit field; beyond Long.MAX_VALUE it is negative, which callers refuse. */
        private long u64(int at) {
            if (at < 0 || at + 8 > data.length) {
                throw invalid("damaged zip64 record");
            }
            return u32(at) | u32(at + 4) << 32;
        }
    }

    /**
     * Reads a tar stream (ustar, GNU long names, pax path and size records) block by block. Each
     * entry's size comes from its header, but memory grows only as its bytes actually arrive, and
     * the bytes of skipped entries count towards the total too, so the decompressor never runs
     * beyond the limit.
     */
    private static final class TarReader extends ArchiveReader {
        private final InputStream in;
        private long offset;

        TarReader(String upload, String format, InputStream in, Limits limits) {
            super(upload, format, limits);
            this.in = in;
        }

        List<UploadFile> read() {
            String longName = null;
            String paxPath = null;
            long paxSize = -1;
            boolean sparse = false;
            byte[] header = new byte[BLOCK];
            while (true) {
                long headerAt = offset;
                if (!readBlock(header, true)) {
                    throw invalid("truncated: the archive ends without its end-of-archive blocks");
                }
                if (isZeroBlock(header)) {
                    return files; // end of archive: whatever follows (GNU padding) is not read
                }
                if (!isTarHeader(header)) {
                    throw invalid("damaged header at byte " + headerAt + " (checksum mismatch)");
                }
                // headers count towards the total, so that a stream of empty records cannot run on unbounded
                if ((total += BLOCK) > limits.maxTotalBytes()) {
                    throw beyond("header");
                }
                byte type = header[156];
                long size = number(header, 124, 12, headerAt);
                if (type == 'L' || type == 'x' || type == 'g' || type == 'K') {
                    if (size > MAX_TAR_META_BYTES) {
                        throw invalid("extended header at byte " + headerAt + " larger than 1 MiB");
                    }
                    byte[] meta = content("extended header", size);
                    if (type == 'L') {
                        longName = cString(meta, 0, meta.length);
                    } else if (type == 'x') {
                        for (String[] record : paxRecords(meta, headerAt)) {
                            if (record[0].equals("path")) {
                                paxPath = record[1];
                            } else if (record[0].equals("size")) {
                                paxSize = paxNumber(record[1], headerAt);
                            } else if (record[0].startsWith("GNU.sparse.")) {
                                sparse = true; // the data is a sparse map and fragments, not the file
                            }
                        }
                    }
                    continue; // 'g' (global pax) and 'K' (long link name) say nothing about a regular file
                }
                // a real entry: the extended records that came before it are its own, and end with it
                countEntry();
                String raw = paxPath != null ? paxPath : longName != null ? longName : headerName(header);
                size = paxSize >= 0 ? paxSize : size;
                boolean regular = (type == '0' || type == 0 || type == '7') && !sparse;
                longName = null;
                paxPath = null;
                paxSize = -1;
                sparse = false;
                if (type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6') {
                    continue; // links, devices, directories, fifos: no data follows (POSIX), nothing followed
                }
                String path = regular ? keptPath(raw) : null;
                if (path == null) {
                    skip(raw, size);
                } else {
                    keep(path, content(path, size));
                }
            }
        }

        /** Reads an entry's data (padded to whole blocks), growing the array only as bytes arrive. */
        private byte[] content(String entry, long size) {
            if (size > budget()) {
                throw beyond(entry);
            }
            byte[] out = new byte[(int) Math.min(size, 1 << 20)];
            int filled = 0;
            try {
                while (filled < size) {
                    if (filled == out.length) {
                        out = Arrays.copyOf(out, (int) Math.min(size, 2L * out.length));
                    }
                    int n = in.read(out, filled, out.length - filled);
                    if (n < 0) {
                        throw invalid("truncated: the archive ends inside " + entry);
                    }
                    filled += n;
                }
            } catch (IOException e) {
                throw streamProblem(e);
            }
            offset += size;
            total += size;
            skipPadding(size);
            return out;
        }

        private void skip(String entry, long size) {
            if (size > budget()) {
                throw beyond(entry);
            }
            try {
                long left = size;
                byte[] scratch = new byte[1 << 16];
                while (left > 0) {
                    int n = in.read(scratch, 0, (int) Math.min(left, scratch.length));
                    if (n < 0) {
                        throw invalid("truncated: the archive ends inside " + entry);
                    }
                    left -= n;
                }
            } catch (IOException e) {
                throw streamProblem(e);
            }
            offset += size;
            total += size;
            skipPadding(size);
        }

        private void skipPadding(long size) {
            int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
            if (padding > 0 && !readBlock(new byte[padding], false)) {
                throw invalid("truncated: the archive ends inside an entry's padding");
            }
        }

        /** Fills the buffer; false at a clean end of stream when {@code endAllowed}, or a short read. */
        private boolean readBlock(byte[] buffer, boolean endAllowed) {
            try {
                int n = in.readNBytes(buffer, 0, buffer.length);
                offset += n;
                if (n == 0 && endAllowed || n < buffer.length) {
                    return false;
                }
                return true;
            } catch (IOException e) {
                throw streamProblem(e);
            }
        }

        private BadInputException streamProblem(IOException e) {
            return invalid(e instanceof ZipException || e instanceof EOFException ? gzipProblem(e)
                    : "cannot read: " + e.getMessage());
        }

        private String headerName(byte[] header) {
            String name = cString(header, 0, 100);
            boolean posixUstar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                    && header[261] == 'r' && header[262] == 0;
            String prefix = posixUstar ? cString(header, 345, 155) : "";
            return prefix.isEmpty() ? name : prefix + "/" + name;
        }

        /** A header's number: octal (NUL- or space-terminated), or GNU base-256 for large values. */
        private long number(byte[] header, int at, int length, long headerAt) {
            if ((header[at] & 0x80) != 0) {
                if ((header[at] & 0x40) != 0) {
                    throw invalid("negative size in the header at byte " + headerAt);
                }
                long v = header[at] & 0x3f;
                for (int i = 1; i < length; i++) {
                    if (v > Long.MAX_VALUE >>> 8) {
                        return Long.MAX_VALUE; // beyond any limit: refused as too large
                    }
                    v = v << 8 | (header[at + i] & 0xff);
                }
                return v;
            }
            long v = 0;
            int i = at;
            while (i < at + length && header[i] == ' ') {
                i++;
            }
            for (; i < at + length && header[i] != 0 && header[i] != ' '; i++) {
                if (header[i] < '0' || header[i] > '7') {
                    throw invalid("bad number in the header at byte " + headerAt);
                }
                v = v * 8 + (header[i] - '0');
            }
            return v;
        }

        private long paxNumber(String s, long headerAt) {
            if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid("bad pax size record at byte " + headerAt);
            }
            return Long.parseLong(s);
        }

        /** "LEN key=value\n" records, LEN counting the whole record. */
        private List<String[]> paxRecords(byte[] meta, long headerAt) {
            List<String[]> records = new ArrayList<>();
            int at = 0;
            while (at < meta.length) {
                if (meta[at] == 0) {
                    break; // some writers pad with NULs
                }
                int space = at;
                long length = 0;
                while (space < meta.length && meta[space] >= '0' && meta[space] <= '9' && length < meta.length) {
                    length = length * 10 + (meta[space++] - '0');
                }
                if (space == at || space >= meta.length || meta[space] != ' ' || length <= space - at + 1
                        || at + length > meta.length || meta[(int) (at + length - 1)] != '\n') {
                    throw invalid("bad pax record in the header at byte " + headerAt);
                }
                String record = new String(meta, space + 1, (int) (at + length - space - 2), StandardCharsets.UTF_8);
                int equals = record.indexOf('=');
                if (equals <= 0) {
                    throw invalid("bad pax record in the header at byte " + headerAt);
                }
                records.add(new String[]{record.substring(0, equals), record.substring(equals + 1)});
                at += (int) length;
            }
            return records;
        }
    }

    /** A header block whose checksum (the unsigned or, as some old tars wrote it, signed sum) holds. */
    private static boolean isTarHeader(byte[] block) {
        if (isZeroBlock(block)) {
            return false;
        }
        long stored = 0;
        int i = 148;
        while (i < 156 && block[i] == ' ') {
            i++;
        }
        int digits = 0;
        for (; i < 156 && block[i] != 0 && block[i] != ' '; i++, digits++) {
            if (block[i] < '0' || block[i] > '7') {
                return false;
            }
            stored = stored * 8 + (block[i] - '0');
        }
        if (digits == 0) {
            return false;
        }
        long unsigned = 0, signed = 0;
        for (int j = 0; j < BLOCK; j++) {
            boolean inChecksum = j >= 148 && j < 156;
            unsigned += inChecksum ? ' ' : block[j] & 0xff;
            signed += inChecksum ? ' ' : block[j];
        }
        return stored == unsigned || stored == signed;
    }

    private static boolean isZeroBlock(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int at, int length) {
        int end = at;
        while (end < at + length && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }
}
