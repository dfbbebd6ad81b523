package dev.godiag.format;

import dev.godiag.util.BadInputException;

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
        try {
            return parseSize(s.trim());
        } catch (BadInputException e) {
            throw new BadInputException("GODIAG_MAX_INFLATE: " + e.getMessage());
        }
    }

    /** Parses sizes such as 1048576, 512m, 2g (also 512M, 512mb, 2GiB). */
    public static long parseSize(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
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

    /** A size for messages: "1 GiB", "10 MiB", "1500 bytes". */
    public static String describeSize(long n) {
        if (n >= 1L << 30 && n % (1L << 30) == 0) {
            return (n >> 30) + " GiB";
        }
        if (n >= 1L << 20 && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1L << 10 && n % (1L << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        return n == 1 ? "1 byte" : n + " bytes";
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
                        throw new BadInputException("gzip data decompresses to more than the limit of "
                                + describeSize(limit) + " (a decompression bomb? if the profile is real, raise the"
                                + " limit with --max-inflate or GODIAG_MAX_INFLATE)");
                    }
                    // grow by half, not double: near the limit, doubling would reserve far more than is used
                    long next = Math.max((long) out.length + (out.length >> 1), out.length + 64 * 1024L);
                    out = Arrays.copyOf(out, (int) Math.min(cap, next));
                }
                int r = in.read(out, n, out.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (EOFException e) {
            throw new BadInputException("truncated gzip data: the file ends (at byte " + data.length
                    + ") before the gzip stream does" + (n > 0 ? ", after " + describeSize(n) + " of output" : ""));
        } catch (ZipException e) {
            throw new BadInputException("corrupt gzip data: " + describe(e)
                    + (n > 0 ? ", after " + describeSize(n) + " of output" : ""));
        } catch (IOException e) {
            throw new BadInputException("cannot decompress: " + e.getMessage());
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The JDK's message for corrupt gzip data, in words a user can act on. */
    private static String describe(ZipException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return switch (m) {
            case "Not in GZIP format" -> "bad gzip header";
            case "Unsupported compression method" -> "unsupported compression method in the gzip header";
            case "Corrupt GZIP header" -> "bad gzip header";
            case "Corrupt GZIP trailer" -> "the checksum or length in the gzip trailer does not match the data";
            case "" -> "damaged deflate data";
            default -> m.toLowerCase(java.util.Locale.ROOT).startsWith("invalid") ? "damaged deflate data (" + m + ")"
                    : m;
        };
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
