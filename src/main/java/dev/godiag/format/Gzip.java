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
    /** Default cap on decompressed size (the CLI takes another from --max-inflate or GODIAG_MAX_INFLATE). */
    public static final long DEFAULT_LIMIT = 1L << 30;

    private Gzip() {
    }

    public static boolean isGzip(byte[] data) {
        return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
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

    /**
     * Decompresses gzip data (all members), refusing to produce more than {@code limit} bytes. Memory
     * stays within the output: the array is allocated once, at its exact size. When the trailer's
     * size (ISIZE) is plausible, the data is inflated straight into an array of that size (the common
     * case: one pass, no copy); otherwise, or when the data turns out longer, a first pass only counts
     * the output (in a small buffer, stopping at the limit) and a second fills an exact array. A
     * decompression bomb is refused after inflating to the limit, never holding more than the
     * trailer's plausible claim.
     */
    public static byte[] gunzip(byte[] data, long limit) {
        long cap = Math.min(limit, MAX_ARRAY);
        long hint = sizeHint(data);
        if (hint >= 0 && hint <= cap) {
            byte[] out = new byte[(int) hint];
            int n = 0;
            try (GZIPInputStream in = open(data)) {
                for (int r; n < out.length && (r = in.read(out, n, out.length - n)) >= 0; ) {
                    n += r;
                }
                if (n < out.length) {
                    return Arrays.copyOf(out, n); // shorter than the last member's trailer says: rare
                }
                if (in.read() < 0) {
                    return out;
                }
                if (hint == cap) {
                    throw tooLarge(limit);
                }
                // longer than the last member's trailer says (several members): count the rest, then
                // let the hinted array go before the exact one is allocated
                long total = hint + 1 + count(in, cap - hint - 1, limit, hint + 1, data.length);
                out = null;
                return exact(data, total);
            } catch (IOException e) {
                throw failure(e, data.length, n);
            }
        }
        long total;
        try (GZIPInputStream in = open(data)) {
            total = count(in, cap, limit, 0, data.length);
        } catch (IOException e) {
            throw new BadInputException("cannot decompress: " + e.getMessage());
        }
        return exact(data, total);
    }

    /** The largest array Java allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private static GZIPInputStream open(byte[] data) throws IOException {
        try {
            return new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16);
        } catch (EOFException e) {
            throw new BadInputException("truncated gzip data: the file ends (at byte " + data.length
                    + ") before the gzip stream does");
        } catch (ZipException e) {
            throw new BadInputException("corrupt gzip data: " + describe(e));
        }
    }

    /**
     * Inflates the rest of the stream into a small buffer, counting: the number of bytes, refusing
     * more than {@code cap} (the limit, or what is left of it). {@code before} is the output already
     * produced, for messages.
     */
    private static long count(GZIPInputStream in, long cap, long limit, long before, int inputLength) {
        byte[] scratch = new byte[1 << 16];
        long total = 0;
        try {
            for (int r; (r = in.read(scratch, 0, scratch.length)) >= 0; ) {
                total += r;
                if (total > cap) {
                    throw tooLarge(limit);
                }
            }
        } catch (IOException e) {
            throw failure(e, inputLength, before + total);
        }
        return total;
    }

    /** Inflates data whose output is known to be {@code size} bytes into an array of that size. */
    private static byte[] exact(byte[] data, long size) {
        byte[] out = new byte[(int) size];
        try (GZIPInputStream in = open(data)) {
            int n = in.readNBytes(out, 0, out.length);
            if (n != out.length || in.read() >= 0) {
                throw new IllegalStateException("gzip output changed between two passes");
            }
        } catch (IOException e) {
            throw failure(e, data.length, 0);
        }
        return out;
    }

    private static BadInputException tooLarge(long limit) {
        return new BadInputException("gzip data decompresses to more than the limit of " + describeSize(limit)
                + " (a decompression bomb? if the profile is real, raise the limit with --max-inflate or"
                + " GODIAG_MAX_INFLATE)");
    }

    private static BadInputException failure(IOException e, int inputLength, long produced) {
        String after = produced > 0 ? ", after " + describeSize(produced) + " of output" : "";
        if (e instanceof EOFException) {
            return new BadInputException("truncated gzip data: the file ends (at byte " + inputLength
                    + ") before the gzip stream does" + after);
        }
        if (e instanceof ZipException z) {
            return new BadInputException("corrupt gzip data: " + describe(z) + after);
        }
        return new BadInputException("cannot decompress: " + e.getMessage());
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

    /**
     * The ISIZE trailer: the uncompressed size mod 2^32 of the last member, or -1 when it is not a
     * plausible size of the whole output (a real profile or log rarely compresses better than 30:1).
     * A hint for the allocation, never trusted: the inflated data decides.
     */
    private static long sizeHint(byte[] data) {
        int n = data.length;
        if (n < 18) {
            return -1;
        }
        long isize = (data[n - 4] & 0xffL) | (data[n - 3] & 0xffL) << 8 | (data[n - 2] & 0xffL) << 16
                | (data[n - 1] & 0xffL) << 24;
        return isize <= (long) n * 30 ? isize : -1;
    }
}
