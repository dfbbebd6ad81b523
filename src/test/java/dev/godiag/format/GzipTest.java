package dev.godiag.format;

import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bounded decompression, measured by what it allocates (never by time): the output array is
 * allocated once at its size, and a bomb is refused holding no more than the limit.
 */
class GzipTest {
    /** Buffers of the gzip stream and the counting pass, and small objects. */
    private static final long SLACK = 1 << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The bytes the current thread allocates while running the supplier, and its result. */
    private record Measured<T>(T result, long allocated) {
        static <T> Measured<T> of(Supplier<T> run) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            T result = run.get();
            return new Measured<>(result, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
    }

    private static byte[] gzip(byte[]... members) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] m : members) {
            try (GZIPOutputStream z = new GZIPOutputStream(b) {
                @Override
                public void close() throws IOException {
                    finish(); // one member per call; the target stays open
                }
            }) {
                z.write(m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return b.toByteArray();
    }

    /** Text that compresses about 5:1, as logs and profiles do. */
    private static byte[] text(int size) {
        StringBuilder sb = new StringBuilder(size + 100);
        java.util.Random r = new java.util.Random(7);
        while (sb.length() < size) {
            sb.append("gc ").append(r.nextInt(100000)).append(" @").append(r.nextInt(1000)).append('.')
                    .append(r.nextInt(1000)).append("s ").append(r.nextInt(100)).append("%\n");
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    /** The gzip trailer's ISIZE field (the last four bytes) set to a claimed size. */
    private static byte[] withClaimedSize(byte[] gz, long claimed) {
        byte[] out = gz.clone();
        int n = out.length;
        for (int i = 0; i < 4; i++) {
            out[n - 4 + i] = (byte) (claimed >>> (8 * i));
        }
        return out;
    }

    @Test
    void plausibleTrailerSizeIsTheOnlyAllocation() {
        byte[] plain = text(8 << 20);
        byte[] gz = gzip(plain);
        assertThat((long) plain.length).isLessThan(30L * gz.length); // the trailer's size is used
        Measured<byte[]> m = Measured.of(() -> Gzip.gunzip(gz, 1L << 30));
        assertThat(m.result()).isEqualTo(plain);
        assertThat(m.allocated()).isLessThan(plain.length + SLACK);
    }

    @Test
    void highlyCompressedDataIsCountedThenInflatedIntoOneArray() {
        byte[] plain = new byte[16 << 20];
        plain[12345] = 42;
        byte[] gz = gzip(plain);
        assertThat((long) plain.length).isGreaterThan(30L * gz.length); // the trailer's size is not trusted
        Measured<byte[]> m = Measured.of(() -> Gzip.gunzip(gz, 1L << 30));
        assertThat(m.result()).isEqualTo(plain);
        assertThat(m.allocated()).isLessThan(plain.length + SLACK);
    }

    @Test
    void severalMembersAreReadWhole() {
        byte[] a = text(3 << 20);
        byte[] b = text(1 << 20);
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        // the trailer names the last member only: its array, then one of the whole size
        byte[] gz = gzip(a, b);
        Measured<byte[]> m = Measured.of(() -> Gzip.gunzip(gz, 1L << 30));
        assertThat(m.result()).isEqualTo(both);
        assertThat(m.allocated()).isLessThan(both.length + b.length + 2 * SLACK);
    }

    @Test
    void outputOfExactlyTheLimitIsReadAndOneByteMoreIsNot() {
        byte[] text = text(100_000);
        byte[] zeros = new byte[100_000];
        for (byte[] plain : new byte[][] {text, zeros}) {
            byte[] gz = gzip(plain);
            assertThat(Gzip.gunzip(gz, plain.length)).isEqualTo(plain);
            assertThatThrownBy(() -> Gzip.gunzip(gz, plain.length - 1)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("decompresses to more than the limit of 99999 bytes");
        }
        // several members, the whole just over the limit
        byte[] two = gzip(text, text);
        assertThat(Gzip.gunzip(two, 200_000)).hasSize(200_000);
        assertThatThrownBy(() -> Gzip.gunzip(two, 199_999)).hasMessageContaining("more than the limit");
        assertThatThrownBy(() -> Gzip.gunzip(two, 100_000)).hasMessageContaining("more than the limit");
    }

    @Test
    void bombIsRefusedHoldingLessThanTheLimit() {
        long limit = 8 << 20;
        byte[] bomb = gzip(new byte[64 << 20]);
        Measured<String> m = Measured.of(() -> refusal(bomb, limit));
        assertThat(m.result()).contains("decompresses to more than the limit of 8 MiB", "--max-inflate");
        assertThat(m.allocated()).isLessThan(SLACK);
    }

    @Test
    void bombWhoseTrailerClaimsAPlausibleSizeCostsThatSizeAtMost() {
        long limit = 8 << 20;
        byte[] bomb = gzip(new byte[64 << 20]);
        long claimed = 30L * bomb.length; // the largest claim taken as a hint
        assertThat(claimed).isLessThan(limit);
        Measured<String> m = Measured.of(() -> refusal(withClaimedSize(bomb, claimed), limit));
        assertThat(m.result()).contains("decompresses to more than the limit of 8 MiB");
        assertThat(m.allocated()).isBetween(claimed, claimed + SLACK);
        // a claim beyond the limit is no hint at all
        m = Measured.of(() -> refusal(withClaimedSize(bomb, limit + 1), limit));
        assertThat(m.result()).contains("more than the limit");
        assertThat(m.allocated()).isLessThan(SLACK);
    }

    @Test
    void lyingTrailerIsStillCorruptData() {
        byte[] plain = text(200_000);
        byte[] gz = gzip(plain);
        for (long claim : new long[] {plain.length - 1, plain.length + 1, 0, 20L * gz.length}) {
            assertThatThrownBy(() -> Gzip.gunzip(withClaimedSize(gz, claim), 1L << 30))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageContaining("the checksum or length in the gzip trailer does not match the data");
        }
    }

    @Test
    void emptyStreamIsEmpty() {
        assertThat(Gzip.gunzip(gzip(new byte[0]), 1 << 20)).isEmpty();
    }

    private static String refusal(byte[] gz, long limit) {
        try {
            Gzip.gunzip(gz, limit);
        } catch (BadInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("not refused");
    }
}
