package dev.godiag.format.pprof.legacy;

import java.util.List;

/**
 * pprof's remapMappingIDs: fixes up what legacy handlers got wrong about the main binary, then
 * gives each location the mapping holding its address, or a catch-all fake mapping (Go's legacy
 * handlers wrote no mappings at all). Locations at address 0 get none.
 */
final class MappingAssigner {
    private MappingAssigner() {
    }

    static void remap(DraftProfile d) {
        List<DraftMapping> ms = d.mappings;
        if (ms.size() > 1 && ms.get(0).file.startsWith("/anon_hugepage") && ms.get(0).limit == ms.get(1).start) {
            ms.remove(0);
        }
        if (!ms.isEmpty()) {
            DraftMapping m = ms.get(0);
            if (m.start - m.offset == 0x400000L) {
                m.start = 0x400000L;
                m.offset = 0;
            }
        }
        DraftMapping fake = null;
        for (DraftLocation l : d.locations()) {
            if (l.address == 0) {
                continue;
            }
            l.mapping = containing(ms, l.address);
            if (l.mapping == null) {
                if (fake == null) {
                    fake = new DraftMapping();
                    fake.limit = -1L;
                    ms.add(fake);
                }
                l.mapping = fake;
            }
        }
        for (int i = 0; i < ms.size(); i++) {
            ms.get(i).id = i + 1;
        }
    }

    private static DraftMapping containing(List<DraftMapping> ms, long a) {
        for (DraftMapping m : ms) {
            if (Long.compareUnsigned(m.start, a) <= 0 && Long.compareUnsigned(a, m.limit) < 0) {
                return m;
            }
        }
        // Legacy handlers dropped the first piece of a mapping split in two; its offset tells
        // where the mapping really starts.
        for (DraftMapping m : ms) {
            if (m.offset != 0 && Long.compareUnsigned(m.start - m.offset, a) <= 0
                    && Long.compareUnsigned(a, m.start) < 0) {
                m.start -= m.offset;
                m.offset = 0;
                return m;
            }
        }
        return null;
    }
}
