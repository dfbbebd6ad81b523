package dev.godiag.format.pprof.legacy;

/**
 * The values of one heap sample, read pair by pair ("COUNT: BYTES") and un-sampled as pprof's
 * scaleHeapSample does: an allocation of average size S shows up with probability
 * 1-exp(-S/rate), so each value is divided by that.
 */
final class HeapSampleValues {
    private final long rate;
    private final boolean unsample;
    private final long[] values;
    private int next;
    private long blockSize;

    HeapSampleValues(HeapHeader header) {
        this.rate = header.period();
        this.unsample = header.unsample();
        this.values = new long[header.hasAlloc() ? 4 : 2];
    }

    /** Appends one count/size pair; label names it in errors ("allocation", "inuse"). */
    void add(Lines lines, String countText, String sizeText, String label) {
        long count = Numbers.decimal(lines, countText, label + " count");
        long size = Numbers.decimal(lines, sizeText, label + " bytes");
        if (count == 0 && size != 0) {
            throw lines.bad(label + " count was 0 but " + label + " bytes was " + size);
        }
        if (count != 0) {
            blockSize = size / count;
            if (unsample) {
                long[] scaled = scale(lines, count, size);
                count = scaled[0];
                size = scaled[1];
            }
        }
        values[next++] = count;
        values[next++] = size;
    }

    long[] values() {
        return values;
    }

    /** The "bytes" label: the average block size of the last non-empty pair (inuse if any). */
    long blockSize() {
        return blockSize;
    }

    private long[] scale(Lines lines, long count, long size) {
        if (size == 0) {
            return new long[] {0, 0};
        }
        if (rate <= 1) {
            return new long[] {count, size}; // everything was sampled, or the rate is unknown
        }
        double avgSize = (double) size / (double) count;
        double scale = 1 / (1 - GoExp.exp(-avgSize / (double) rate));
        return new long[] {Numbers.toLong(lines, (double) count * scale), Numbers.toLong(lines, (double) size * scale)};
    }
}
