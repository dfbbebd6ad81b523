package dev.godiag.format.pprof.legacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first line of heap text: "heap profile: N: N [N: N] @ heap/RATE" (or heap_v2, heapz_v2,
 * heapprofile, growthz, fragmentationz), and what it says about the samples.
 *
 * @param period   the sampling period, Go's real rate
 * @param hasAlloc whether samples carry alloc columns besides the inuse ones
 * @param unsample whether values are to be un-sampled with the period
 */
record HeapHeader(long period, boolean hasAlloc, boolean unsample) {
    private static final Pattern HEAP = Pattern.compile(
            "heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] *@ *(heap[_a-z0-9]*)/?(\\d*)");
    private static final Pattern GROWTH = Pattern.compile(
            "heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] @ growthz?");
    private static final Pattern FRAGMENTATION = Pattern.compile(
            "heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] @ fragmentationz?");

    /** The header on the current line, or null when the line is no heap header. */
    static HeapHeader parse(Lines lines) {
        String header = lines.text();
        Matcher m = HEAP.matcher(header);
        if (m.find()) {
            lines.recognize("heap profile");
            // pprof compares the header totals as strings only, to decide whether the file has
            // alloc columns; it never parses them.
            boolean hasAlloc = !m.group(3).equals(m.group(1)) && !m.group(3).equals("0")
                    || !m.group(4).equals(m.group(2)) && !m.group(4).equals("0");
            long rate = 0;
            if (!m.group(6).isEmpty()) {
                rate = Numbers.decimal(lines, m.group(6), "sampling rate");
            }
            return switch (m.group(5)) {
                case "heapz_v2", "heap_v2" -> new HeapHeader(rate, hasAlloc, true);
                case "heapprofile" -> new HeapHeader(1, hasAlloc, false);
                // Go writes twice its MemProfileRate here, for old pprof versions.
                case "heap" -> new HeapHeader(rate / 2, hasAlloc, true);
                default -> throw lines.bad("unknown heap profile kind " + Quote.of(m.group(5)));
            };
        }
        if (GROWTH.matcher(header).find() || FRAGMENTATION.matcher(header).find()) {
            lines.recognize("heap profile");
            return new HeapHeader(1, false, false);
        }
        return null;
    }
}
