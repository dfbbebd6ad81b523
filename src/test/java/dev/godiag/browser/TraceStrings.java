package dev.godiag.browser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rewrites entries of the string tables of a Go 1.22+ execution trace (the wire format Go's
 * internal/trace/batch.go reads: a 16-byte header, then batches of EventBatch, generation, M,
 * time, size and size bytes; a strings batch is EvStrings followed by EvString id, length, bytes).
 * Function and file names of stack frames are ids into those tables, so renaming an entry renames
 * the function everywhere the trace uses it. The batch sizes are rewritten to match.
 */
final class TraceStrings {
    private static final int EV_EVENT_BATCH = 1;
    private static final int EV_STRINGS = 4;
    private static final int EV_STRING = 5;
    private static final int EV_EXPERIMENTAL_BATCH = 49;
    private static final int EV_END_OF_GENERATION = 52;
    /** Go's tracev2.MaxBatchSize. */
    private static final int MAX_BATCH = 64 << 10;

    private TraceStrings() {
    }

    /** The trace with every string-table entry equal to a key replaced by its value; fails when none was. */
    static byte[] rename(byte[] trace, Map<String, String> renames) {
        assertThat(new String(trace, 0, 11, StandardCharsets.ISO_8859_1)).as("a Go 1.2x trace header")
                .startsWith("go 1.2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(trace, 0, 16);
        int[] at = {16};
        int renamed = 0;
        while (at[0] < trace.length) {
            int type = trace[at[0]++] & 0xff;
            out.write(type);
            if (type == EV_END_OF_GENERATION) {
                continue;
            }
            assertThat(type).as("batch byte at %d", at[0] - 1).isIn(EV_EVENT_BATCH, EV_EXPERIMENTAL_BATCH);
            boolean experimental = type == EV_EXPERIMENTAL_BATCH;
            if (experimental) {
                out.write(trace[at[0]++]);
            }
            for (int k = 0; k < 3; k++) { // generation, M, time
                uvarint(out, uvarint(trace, at));
            }
            int size = (int) uvarint(trace, at);
            byte[] data = Arrays.copyOfRange(trace, at[0], at[0] + size);
            at[0] += size;
            if (!experimental && size > 0 && (data[0] & 0xff) == EV_STRINGS) {
                ByteArrayOutputStream strings = new ByteArrayOutputStream();
                strings.write(EV_STRINGS);
                int[] p = {1};
                while (p[0] < data.length) {
                    assertThat(data[p[0]++] & 0xff).as("EvString").isEqualTo(EV_STRING);
                    long id = uvarint(data, p);
                    int len = (int) uvarint(data, p);
                    String s = new String(data, p[0], len, StandardCharsets.UTF_8);
                    p[0] += len;
                    String now = renames.getOrDefault(s, s);
                    renamed += now.equals(s) ? 0 : 1;
                    byte[] bytes = now.getBytes(StandardCharsets.UTF_8);
                    strings.write(EV_STRING);
                    uvarint(strings, id);
                    uvarint(strings, bytes.length);
                    strings.writeBytes(bytes);
                }
                data = strings.toByteArray();
                assertThat(data.length).as("a strings batch within Go's limit").isLessThanOrEqualTo(MAX_BATCH);
            }
            uvarint(out, data.length);
            out.writeBytes(data);
        }
        assertThat(renamed).as("string-table entries renamed").isPositive();
        return out.toByteArray();
    }

    private static long uvarint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[at[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if (x < 0x80) {
                return v;
            }
        }
    }

    private static void uvarint(ByteArrayOutputStream out, long v) {
        while (Long.compareUnsigned(v, 0x80) >= 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
