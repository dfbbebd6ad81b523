package dev.godiag.format;

import dev.godiag.format.pprof.ProtoProfileReader;
import dev.godiag.format.pprof.legacy.LegacyProfileReader;
import dev.godiag.model.Profile;

/**
 * Reads any profile Go writes: profile.proto (gzipped or raw) or a legacy form. The content
 * decides, never the file name.
 */
public final class ProfileReader {
    private ProfileReader() {
    }

    public static Profile read(byte[] data) {
        return read(data, Gzip.configuredLimit());
    }

    public static Profile read(byte[] data, long inflateLimit) {
        if (data.length == 0) {
            throw new BadInputException("empty file");
        }
        byte[] raw = Gzip.isGzip(data) ? Gzip.gunzip(data, inflateLimit) : data;
        if (raw.length == 0) {
            throw new BadInputException("empty profile (gzip stream holds no data)");
        }
        if (looksLikeText(raw)) {
            Profile legacy = LegacyProfileReader.parse(raw);
            if (legacy != null) {
                return legacy;
            }
            throw new BadInputException("not a profile: text in no format godiag knows (first line: "
                    + firstLine(raw) + ")");
        }
        try {
            return ProtoProfileReader.read(raw);
        } catch (BadInputException protoError) {
            Profile legacy = LegacyProfileReader.parse(raw);
            if (legacy != null) {
                return legacy;
            }
            throw protoError;
        }
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
        return Character.isLetter(c) || c == '-' || c == '#';
    }

    static String firstLine(byte[] raw) {
        int end = 0;
        while (end < raw.length && end < 80 && raw[end] != '\n' && raw[end] != '\r') {
            end++;
        }
        String s = new String(raw, 0, end, java.nio.charset.StandardCharsets.UTF_8);
        return "\"" + s + (end == 80 ? "...\"" : "\"");
    }
}
