package dev.godiag.format;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** gzip detection and bounded decompression: a decompression bomb stops at the limit. */
public final class Gzip {
    /** Default cap on decompressed size; override with GODIAG_MAX_INFLATE (bytes, or with k/m/g suffix). */
    public static final long DEFAULT_LIMIT = 1L << 30;

    private Gzip() {
    }

    public static boolean isGzip(byte[] data) {
        return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    }

    public static long configuredLimit() {
        String s = System.getenv("GODIAG_MAX_INFLATE");
        if (s == null || s.isBlank()) {
            return DEFAULT_LIMIT;
        }
        return parseSize(s.trim());
    }

    /** Parses sizes such as 1048576, 512m, 2g. */
    public static long parseSize(String s) {
        String t = s.toLowerCase(java.util.Locale.ROOT);
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            mult = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BadInputException("invalid size '" + s + "' (use bytes or a number with k, m or g)");
        }
    }

    /** Decompresses gzip data (all members), refusing to produce more than {@code limit} bytes. */
    public static byte[] gunzip(byte[] data, long limit) {
        long cap = Math.min(limit, Integer.MAX_VALUE - 16);
        int guess = (int) Math.min(cap, Math.max(64 * 1024, sizeHint(data)));
        byte[] out = new byte[guess];
        int n = 0;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16)) {
            while (true) {
                if (n == out.length) {
                    if (n >= cap) {
                        if (in.read() < 0) {
                            break;
                        }
                        throw new BadInputException("decompressed size exceeds the limit of " + limit
                                + " bytes (a decompression bomb? raise GODIAG_MAX_INFLATE if the profile is real)");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(cap, (long) out.length * 2));
                }
                int r = in.read(out, n, out.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (EOFException e) {
            throw new BadInputException("truncated gzip data");
        } catch (ZipException e) {
            throw new BadInputException("corrupt gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException("cannot decompress: " + e.getMessage());
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The ISIZE trailer: the uncompressed size mod 2^32 of the last member. A hint, never trusted. */
    private static long sizeHint(byte[] data) {
        int n = data.length;
        if (n < 18) {
            return 0;
        }
        long isize = (data[n - 4] & 0xffL) | (data[n - 3] & 0xffL) << 8 | (data[n - 2] & 0xffL) << 16
                | (data[n - 1] & 0xffL) << 24;
        // a real profile rarely compresses better than 30:1; ignore hints beyond that
        return isize <= (long) n * 30 ? isize + 1 : (long) n * 4;
    }
}
