package dev.godiag.format;

import dev.godiag.util.BadInputException;

import dev.godiag.format.folded.FoldedProfileReader;
import dev.godiag.format.pprof.ProtoProfileReader;
import dev.godiag.format.pprof.legacy.LegacyProfileReader;
import dev.godiag.format.speedscope.SpeedscopeProfileReader;
import dev.godiag.model.Profile;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads any profile Go writes: profile.proto (gzipped or raw) or a legacy form; and godiag's own
 * exports, speedscope JSON and folded stacks (tried after the legacy text forms). The content
 * decides, never the file name. Anything else is a {@link BadInputException} that says what the
 * data looks like (text, UTF-16 text, an execution trace, another compression format) rather
 * than where the profile.proto decoder first stumbled.
 */
public final class ProfileReader {
    private ProfileReader() {
    }

    public static Profile read(byte[] data, long inflateLimit) {
        try {
            return readChecked(data, inflateLimit);
        } catch (BadInputException e) {
            String m = e.getMessage();
            if (m.length() <= MAX_MESSAGE) {
                throw e;
            }
            // a message that quotes a huge piece of the input: keep its start and its end
            throw new BadInputException(m.substring(0, MAX_MESSAGE / 2) + "..."
                    + m.substring(m.length() - MAX_MESSAGE / 2), e);
        }
    }

    /** Messages longer than this are shortened in the middle. */
    static final int MAX_MESSAGE = 400;

    private static Profile readChecked(byte[] data, long inflateLimit) {
        if (data.length == 0) {
            throw new BadInputException("empty file");
        }
        boolean gzipped = Gzip.isGzip(data);
        byte[] raw = gzipped ? Gzip.gunzip(data, inflateLimit) : data;
        if (raw.length == 0) {
            throw new BadInputException("empty profile (gzip stream holds no data)");
        }
        if (gzipped && Gzip.isGzip(raw)) {
            throw new BadInputException("not a profile: gzip data inside gzip data (compressed twice?)");
        }
        if (traceMinor(raw) >= 0) {
            throw new BadInputException(TRACE_HINT); // the whole line says what to do instead
        }
        String other = otherFormat(raw);
        if (other != null) {
            throw new BadInputException("not a profile: " + other);
        }
        if (startsWithUtf8Bom(raw)) {
            raw = Arrays.copyOfRange(raw, 3, raw.length); // a text editor's mark, not part of the profile
        }
        if (isText(raw) && SpeedscopeProfileReader.looksLikeSpeedscope(raw)) {
            return SpeedscopeProfileReader.read(raw);
        }
        if (looksLikeText(raw)) {
            Profile legacy = LegacyProfileReader.parse(raw);
            if (legacy != null) {
                return legacy;
            }
            return foldedOrFail(raw);
        }
        try {
            return ProtoProfileReader.read(raw);
        } catch (BadInputException protoError) {
            Profile legacy = LegacyProfileReader.parse(raw);
            if (legacy != null) {
                return legacy;
            }
            if (isText(raw)) {
                return foldedOrFail(raw);
            }
            if (!ProtoProfileReader.looksLikeProfileProto(raw)) {
                throw new BadInputException("not a profile: binary data in no format godiag knows (first bytes: "
                        + hex(raw, 8) + ")");
            }
            throw protoError;
        }
    }

    /** Text no legacy reader took: folded stacks if its first line is "frames COUNT", else no profile. */
    private static Profile foldedOrFail(byte[] raw) {
        if (FoldedProfileReader.looksFolded(raw)) {
            return FoldedProfileReader.read(raw);
        }
        throw notAProfileText(raw);
    }

    private static BadInputException notAProfileText(byte[] raw) {
        return new BadInputException("not a profile: text in no format godiag knows (first line: "
                + firstLine(raw) + ")");
    }

    /** Text profiles start with printable ASCII; profile.proto starts with a field tag byte. */
    static boolean looksLikeText(byte[] raw) {
        int n = Math.min(raw.length, 64);
        for (int i = 0; i < n; i++) {
            int c = raw[i] & 0xff;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        int c = raw[0] & 0xff;
        return c < 0x80 && Character.isLetter(c) || c == '-' || c == '#';
    }

    /**
     * Whether the data (its first 1 KiB) is UTF-8 text without control characters other than
     * tab, line feed, form feed, carriage return and escape: then it is no profile.proto, whose tags and
     * lengths are mostly small bytes.
     */
    static boolean isText(byte[] raw) {
        int n = Math.min(raw.length, 1024);
        for (int i = 0; i < n; i++) {
            int c = raw[i] & 0xff;
            // ESC too: terminal output with colors is text
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b || c == 0x7f) {
                return false;
            }
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        var in = java.nio.ByteBuffer.wrap(raw, 0, n);
        var out = java.nio.CharBuffer.allocate(n);
        java.nio.charset.CoderResult r = decoder.decode(in, out, n == raw.length);
        // a multi-byte character cut at the 1 KiB mark is an underflow, not an error
        return !r.isError();
    }

    /** What a command that takes profiles says of an execution trace. */
    static final String TRACE_HINT = "an execution trace: use 'godiag trace', or 'godiag trace --pprof sync -o FILE'"
            + " for a profile of it";

    /**
     * The minor Go version of an execution trace's header ("go 1.N trace" and a zero byte, N from 11,
     * the first release of the header with two digits), or -1 when the data does not start with one.
     */
    static int traceMinor(byte[] raw) {
        if (!startsWith(raw, "go 1.")) {
            return -1;
        }
        int i = 5;
        int minor = 0;
        while (i < raw.length && i < 9 && raw[i] >= '0' && raw[i] <= '9') {
            minor = minor * 10 + raw[i] - '0';
            i++;
        }
        String rest = " trace\0";
        if (i == 5 || i == 9 || minor < 11 || raw.length < i + rest.length()) {
            return -1;
        }
        for (int k = 0; k < rest.length(); k++) {
            if (raw[i + k] != (byte) rest.charAt(k)) {
                return -1;
            }
        }
        return minor;
    }

    /** Data in a format that is recognizably something else, described for the user; or null. */
    static String otherFormat(byte[] raw) {
        if (raw.length >= 2 && ((raw[0] & 0xff) == 0xff && (raw[1] & 0xff) == 0xfe
                || (raw[0] & 0xff) == 0xfe && (raw[1] & 0xff) == 0xff)) {
            return "UTF-16 text (godiag reads Go's binary profile.proto and its UTF-8 text profiles; "
                    + "convert the file to UTF-8)";
        }
        if (looksLikeUtf16WithoutBom(raw)) {
            return "UTF-16 text without a byte order mark (convert the file to UTF-8)";
        }
        if (traceMinor(raw) >= 0) {
            return TRACE_HINT;
        }
        if (dev.godiag.format.heapdump.HeapDumpReader.looksLike(raw)) {
            return Inputs.HEAP_DUMP_HINT;
        }
        if (startsWith(raw, "\u007fELF")) {
            return "an ELF executable (the binary of a heap dump: give it with --binary, or upload it with the dump)";
        }
        if (startsWith(raw, "PK\u0003\u0004")) {
            return "a zip archive (extract the profile first)";
        }
        if (raw.length >= 4 && (raw[0] & 0xff) == 0x28 && (raw[1] & 0xff) == 0xb5 && (raw[2] & 0xff) == 0x2f
                && (raw[3] & 0xff) == 0xfd) {
            return "zstd-compressed data (decompress it first; godiag reads gzip itself)";
        }
        if (startsWith(raw, "BZh") && raw.length > 3 && raw[3] >= '1' && raw[3] <= '9') {
            return "bzip2-compressed data (decompress it first; godiag reads gzip itself)";
        }
        if (raw.length >= 6 && (raw[0] & 0xff) == 0xfd && startsWith(Arrays.copyOfRange(raw, 1, 6), "7zXZ\0")) {
            return "xz-compressed data (decompress it first; godiag reads gzip itself)";
        }
        return null;
    }

    /** ASCII text as UTF-16: in the first 64 bytes, every other byte is 0 and the rest printable. */
    private static boolean looksLikeUtf16WithoutBom(byte[] raw) {
        int n = Math.min(raw.length, 64) & ~1;
        if (n < 8) {
            return false;
        }
        for (int zeroAt : new int[] {0, 1}) {
            boolean ok = true;
            for (int i = 0; i < n && ok; i += 2) {
                int z = raw[i + zeroAt] & 0xff;
                int c = raw[i + 1 - zeroAt] & 0xff;
                ok = z == 0 && (c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' || c == '\t');
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithUtf8Bom(byte[] raw) {
        return raw.length >= 3 && (raw[0] & 0xff) == 0xef && (raw[1] & 0xff) == 0xbb && (raw[2] & 0xff) == 0xbf;
    }

    private static boolean startsWith(byte[] raw, String ascii) {
        if (raw.length < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (raw[i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] raw, String ascii, int within) {
        int n = Math.min(raw.length, within);
        outer:
        for (int i = 0; i + ascii.length() <= n; i++) {
            for (int k = 0; k < ascii.length(); k++) {
                if (raw[i + k] != (byte) ascii.charAt(k)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String hex(byte[] raw, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(raw.length, max); i++) {
            b.append(i > 0 ? " " : "").append(String.format("%02x", raw[i] & 0xff));
        }
        return b.toString();
    }

    /** The first line, quoted, cut at 80 bytes; {@link BadInputException} escapes what it holds. */
    static String firstLine(byte[] raw) {
        int end = 0;
        while (end < raw.length && end < 80 && raw[end] != '\n' && raw[end] != '\r') {
            end++;
        }
        String s = new String(raw, 0, end, StandardCharsets.UTF_8);
        return "\"" + s + (end == 80 ? "...\"" : "\"");
    }
}
