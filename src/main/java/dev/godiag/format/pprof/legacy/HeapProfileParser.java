package dev.godiag.format.pprof.legacy;

import dev.godiag.model.ValueType;

import java.util.List;

/**
 * heap text: "heap profile: N: N [N: N] @ heap/RATE", then "N: N [N: N] @ 0xADDR ..." lines,
 * then Go's "# runtime.MemStats" trailer, which is kept in the comments (pprof drops it, but its
 * report legend skips comments starting with '#', so reports stay identical).
 */
final class HeapProfileParser {
    private HeapProfileParser() {
    }

    /** alloc first, so that pprof's default (the last type) is inuse_space. */
    private static final List<ValueType> ALLOC_AND_INUSE = List.of(
            new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes"),
            new ValueType("inuse_objects", "count"), new ValueType("inuse_space", "bytes"));
    private static final List<ValueType> INUSE = List.of(
            new ValueType("objects", "count"), new ValueType("space", "bytes"));

    static DraftProfile parse(Lines lines) {
        if (!lines.scan()) {
            return null;
        }
        HeapHeader header = HeapHeader.parse(lines);
        if (header == null) {
            return null;
        }
        DraftProfile d = new DraftProfile("heap-text", new ValueType("space", "bytes"), header.period(),
                header.hasAlloc() ? ALLOC_AND_INUSE : INUSE);
        boolean inMemStats = false;
        while (lines.scan()) {
            String line = GoStrings.trimSpace(lines.text());
            if (GoStrings.isSpaceOrComment(line)) {
                inMemStats |= line.equals("# runtime.MemStats");
                if (inMemStats && !line.isEmpty()) {
                    d.comments.add(lines.text());
                }
                continue;
            }
            if (MemoryMapSection.isSentinel(line)) {
                break;
            }
            readSample(lines, line, d, header);
        }
        MemoryMapSection.readAfterSentinel(lines, d);
        return d;
    }

    private static void readSample(Lines lines, String line, DraftProfile d, HeapHeader header) {
        String[] g = HeapSampleLine.match(line);
        if (g == null) {
            throw lines.bad("expected \"INUSE: BYTES [ALLOC: BYTES] @ 0xADDR ...\", got " + Quote.of(line));
        }
        HeapSampleValues values = new HeapSampleValues(header);
        if (header.hasAlloc()) {
            values.add(lines, g[2], g[3], "allocation");
        }
        values.add(lines, g[0], g[1], "inuse");
        long[] addrs = LegacyStacks.hexAddresses(lines, g[4]);
        d.samples.add(new DraftSample(values.values(), LegacyStacks.callers(d, addrs), values.blockSize()));
    }
}
