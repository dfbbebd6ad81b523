package dev.godiag.format.pprof.legacy;

/**
 * The memory map that may end a legacy profile, and the passes pprof runs once it is read:
 * mappings massaged, location ids given, each location mapped.
 */
final class MemoryMapSection {
    private MemoryMapSection() {
    }

    static boolean isSentinel(String line) {
        return line.contains("--- Memory map: ---") || line.contains("MAPPED_LIBRARIES:");
    }

    /** Skips to a memory-map sentinel (unless on one already) and reads the mappings after it. */
    static void readAfterSentinel(Lines lines, DraftProfile d) {
        while (!isSentinel(lines.text()) && lines.scan()) {
            // skip unknown sections
        }
        read(lines, d);
    }

    /** Reads the remaining lines as mappings and finishes the draft's ids and mappings. */
    static void read(Lines lines, DraftProfile d) {
        d.mappings = MappingMerger.massage(MemoryMapParser.parse(lines));
        d.numberLocations();
        MappingAssigner.remap(d);
    }
}
