package dev.godiag.format.pprof.legacy;

import dev.godiag.util.BadInputException;
import dev.godiag.model.ValueType;

import java.util.List;

/**
 * The old binary CPU format: words 0, 3, 0, period (µs), 0 in one of four widths and byte
 * orders; then samples COUNT, DEPTH, DEPTH addresses; then a memory map as text.
 */
final class LegacyCpuParser {
    private LegacyCpuParser() {
    }

    /** The profile, or null when the data does not open with a Go CPU header. */
    static DraftProfile parse(byte[] data) {
        for (Words.Order order : Words.Order.values()) {
            Words w = new Words(data, order);
            long n1 = w.next();
            long n2 = w.next();
            long n3 = w.next();
            long n4 = w.next();
            long n5 = w.next();
            if (w.dead() || n1 != 0 || n2 != 3 || n4 == 0 || n5 != 0) {
                continue;
            }
            if (n3 == 0) {
                return read(data, w, n4);
            }
            if (n3 == 1) {
                return null; // a Java CPU profile
            }
        }
        return null;
    }

    private static DraftProfile read(byte[] data, Words w, long periodMicros) {
        if (periodMicros < 0 || periodMicros > Long.MAX_VALUE / 1000) {
            throw new BadInputException("CPU profile header: sampling period " + Long.toUnsignedString(periodMicros)
                    + " us is out of range");
        }
        ValueType cpu = new ValueType("cpu", "nanoseconds");
        long period = periodMicros * 1000;
        DraftProfile d = new DraftProfile("cpu-legacy", cpu, period, List.of(new ValueType("samples", "count"), cpu));
        readSamples(w, d, period);
        SignalFrames.drop(d);
        Lines mapLines = new LineIndex(data, w.end()).lines();
        mapLines.recognize("CPU profile memory map");
        MemoryMapSection.read(mapLines, d);
        LegacyStacks.dropDuplicateLeaves(d);
        return d;
    }

    /** Samples are COUNT, DEPTH, DEPTH addresses; "0, 1, 0" ends them. */
    private static void readSamples(Words w, DraftProfile d, long period) {
        while (w.remaining() > 0) {
            int at = w.position();
            long count = w.next();
            long depth = w.next();
            // pprof's bound: a stack may not have more entries than 4-byte words remain.
            if (w.dead() || Long.compareUnsigned(depth, w.remaining() / 4) > 0) {
                throw new BadInputException("CPU profile: truncated or corrupt sample at byte " + at);
            }
            long[] addrs = new long[(int) depth];
            for (int i = 0; i < addrs.length; i++) {
                addrs[i] = w.next();
            }
            if (count == 0 && depth == 1 && addrs[0] == 0) {
                break;
            }
            if (count < 0) {
                throw new BadInputException("CPU profile: sample count out of range at byte " + at);
            }
            long cpu;
            try {
                cpu = Math.multiplyExact(count, period);
            } catch (ArithmeticException e) {
                throw new BadInputException("CPU profile: sample count " + count + " overflows at byte " + at);
            }
            d.samples.add(new DraftSample(new long[] {count, cpu}, LegacyStacks.interrupted(d, addrs)));
        }
    }
}
