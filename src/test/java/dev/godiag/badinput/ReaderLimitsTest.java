package dev.godiag.badinput;

import dev.godiag.util.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.ProfileReader;
import dev.godiag.model.Profile;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile shapes that are cheap to write and must stay cheap to read: millions of tiny messages,
 * huge packed lists, one huge string. Work must stay proportional to the input, measured by what
 * the reader allocates (under 64 bytes per input byte, plus 64 MiB), never by the clock: a busy
 * machine must not fail the test. {@code -Dgodiag.badinput.print=true} prints the time taken.
 */
class ReaderLimitsTest {
    private static final int MILLION = 1_000_000;

    /** Repeats a message n times after the given prefix. */
    private static byte[] repeated(Pb prefix, byte[] message, int n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(prefix.size() + message.length * n);
        b.writeBytes(prefix.build());
        for (int i = 0; i < n; i++) {
            b.write(message, 0, message.length);
        }
        return b.toByteArray();
    }

    private static <T> T bounded(byte[] input, Supplier<T> read) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        T result = read.get();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        if (Boolean.getBoolean("godiag.badinput.print")) {
            System.out.printf("[limits] %d bytes in, %d ms, %.1f bytes allocated per input byte%n", input.length,
                    millis, (double) allocated / input.length);
        }
        assertTrue(allocated < 64L * input.length + (64L << 20),
                "allocated " + allocated + " bytes for " + input.length + " bytes of input");
        return result;
    }

    private static BadInputException rejected(byte[] input) {
        return bounded(input, () -> assertThrows(BadInputException.class, () -> ProfileReader.read(input, Gzip.DEFAULT_LIMIT)));
    }

    @Test
    void millionsOfEmptyLocationsFailAtTheFirst() {
        byte[] input = repeated(Pb.header(), Pb.msg().bytes(4, new byte[0]).build(), 5 * MILLION);
        String m = rejected(input).getMessage();
        assertTrue(m.contains("location without an id"), m);
    }

    @Test
    void millionsOfEmptySamples() {
        Pb prefix = Pb.strings(Pb.header(), Pb.STRINGS);
        byte[] input = repeated(prefix, Pb.msg().bytes(2, new byte[0]).build(), 5 * MILLION);
        String m = rejected(input).getMessage();
        assertTrue(m.contains("sample 0 (at byte " + prefix.size() + ") has 0 values but there are 2 sample types"), m);
    }

    @Test
    void millionsOfEmptyLabels() {
        Pb sample = Pb.msg().packed(2, 1, 2);
        for (int i = 0; i < MILLION; i++) {
            sample.bytes(3, new byte[0]);
        }
        byte[] input = Pb.strings(Pb.header().msg(2, sample), Pb.STRINGS).build();
        Profile p = bounded(input, () -> ProfileReader.read(input, Gzip.DEFAULT_LIMIT));
        assertEquals(1, p.samples().size());
        assertEquals(0, p.samples().labelKey.length, "labels without value are dropped, as by pprof");
    }

    @Test
    void millionsOfDistinctLocations() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(Pb.header().build());
        for (int i = 3; i < 2 * MILLION; i++) {
            b.writeBytes(Pb.msg().msg(4, Pb.msg().uint(1, i)).build());
        }
        b.writeBytes(Pb.strings(Pb.msg().msg(2, Pb.sample(new long[] {1, 1_999_999}, 1, 2)), Pb.STRINGS).build());
        byte[] input = b.toByteArray();
        Profile p = bounded(input, () -> ProfileReader.read(input, Gzip.DEFAULT_LIMIT));
        assertEquals(2 * MILLION - 1, p.locations().size());
    }

    @Test
    void hugePackedListOfDanglingIds() {
        long[] ids = new long[4 * MILLION];
        java.util.Arrays.fill(ids, 1L << 40);
        byte[] input = Pb.strings(Pb.header().msg(2, Pb.sample(ids, 1, 2)), Pb.STRINGS).build();
        String m = rejected(input).getMessage();
        assertTrue(m.contains("refers to location 1099511627776, which does not exist"), m);
    }

    @Test
    void millionsOfDistinctHugeIds() {
        long[] ids = new long[MILLION];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (1L << 40) + i; // beyond int range: each needs the map of big ids
        }
        byte[] input = Pb.strings(Pb.header().msg(2, Pb.sample(ids, 1, 2)), Pb.STRINGS).build();
        String m = rejected(input).getMessage();
        assertTrue(m.contains("which does not exist"), m);
    }

    @Test
    void millionsOfEmptyStrings() {
        byte[] input = repeated(Pb.validProfile(), Pb.msg().str(6, "").build(), 5 * MILLION);
        Profile p = bounded(input, () -> ProfileReader.read(input, Gzip.DEFAULT_LIMIT));
        assertEquals(2, p.samples().size());
    }

    @Test
    void oneHugeString() {
        byte[] big = new byte[64 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        byte[] input = Pb.validProfile().bytes(6, big).build();
        Profile p = bounded(input, () -> ProfileReader.read(input, Gzip.DEFAULT_LIMIT));
        assertEquals(2, p.samples().size());
    }
}
