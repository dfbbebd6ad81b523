package dev.godiag.format.pprof.legacy;

import dev.godiag.util.BadInputException;
import dev.godiag.model.ValueType;

import java.util.List;

/**
 * The old binary CPU format: words 0, 3, 0, period (µs), 0 in one of four widths and byte
 * orders; then samples COUNT, DEPTH, DEPTH addresses; then a memory map as text. A third word 1
 * marks the Java agent's variant ({@link JavaProfileParser}).
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
                return JavaProfileParser.cpu(data, w, n4);
            }
        }
        return null;
    }

    private static DraftProfile read(byte[] data, Words w, long periodMicros) {
        DraftProfile d = draft("cpu-legacy", periodMicros);
        readSamples(w, d, d.period(), true);
        SignalFrames.drop(d);
        Lines mapLines = new LineIndex(data, w.end()).lines();
        mapLines.recognize("CPU profile memory map");
        MemoryMapSection.read(mapLines, d);
        LegacyStacks.dropDuplicateLeaves(d);
        return d;
    }

    /** A CPU profile with no samples yet: samples and cpu time, the period from microseconds. */
    static DraftProfile draft(String kind, long periodMicros) {
        if (periodMicros < 0 || periodMicros > Long.MAX_VALUE / 1000) {
            throw new BadInputException("CPU profile header: sampling period " + Long.toUnsignedString(periodMicros)
                    + " us is out of range");
        }
        ValueType cpu = new ValueType("cpu", "nanoseconds");
        return new DraftProfile(kind, cpu, periodMicros * 1000, List.of(new ValueType("samples", "count"), cpu));
    }

    /**
     * Samples are COUNT, DEPTH, DEPTH addresses; "0, 1, 0" ends them.
     *
     * @param interrupted whether the stacks are return addresses under an interrupted pc (Go's,
     *                    stepped back onto their calls) or plain frame keys (Java's)
     */
    static void readSamples(Words w, DraftProfile d, long period, boolean interrupted) {
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
            java.util.List<DraftLocation> stack;
            if (interrupted) {
                stack = LegacyStacks.interrupted(d, addrs);
            } else {
                stack = new java.util.ArrayList<>(addrs.length);
                for (long a : addrs) {
                    stack.add(d.location(a));
                }
            }
            d.samples.add(new DraftSample(new long[] {count, cpu}, stack));
        }
    }
}
