package dev.godiag.format.pprof.legacy;

import dev.godiag.util.LongList;

import java.util.ArrayList;
import java.util.List;

/** Stack addresses as pprof reads them, turned into the draft's locations. */
final class LegacyStacks {
    private LegacyStacks() {
    }

    /** pprof's parseHexAddresses: every {@code 0x[0-9a-f]+} in the text, as 64-bit numbers. */
    static long[] hexAddresses(Lines lines, String s) {
        LongList out = new LongList();
        int i = 0;
        while ((i = s.indexOf("0x", i)) >= 0) {
            int h = CharRuns.lowerHex(s, i + 2);
            if (h == 0) {
                i++;
                continue;
            }
            out.add(Numbers.hex(lines, s.substring(i + 2, i + 2 + h)));
            i += 2 + h;
        }
        return out.toArray();
    }

    /** A stack of return addresses, each stepped back by one onto its call instruction. */
    static List<DraftLocation> callers(DraftProfile d, long[] addrs) {
        List<DraftLocation> stack = new ArrayList<>(addrs.length);
        for (long a : addrs) {
            stack.add(d.location(a - 1));
        }
        return stack;
    }

    /** A sampled stack: the leaf is the interrupted pc itself, the others are return addresses. */
    static List<DraftLocation> interrupted(DraftProfile d, long[] addrs) {
        List<DraftLocation> stack = new ArrayList<>(addrs.length);
        for (int i = 0; i < addrs.length; i++) {
            stack.add(d.location(i > 0 ? addrs[i] - 1 : addrs[i]));
        }
        return stack;
    }

    /**
     * The leaf of a sampled stack may appear twice, from the signal context and from unwinding
     * (the latter adjusted by -1): drop the copy. Runs after ids are assigned, so the dropped
     * location keeps its id and stays listed, as in pprof.
     */
    static void dropDuplicateLeaves(DraftProfile d) {
        for (DraftSample s : d.samples) {
            if (s.locations.size() > 1 && s.locations.get(0).address == s.locations.get(1).address + 1) {
                s.locations.remove(1);
            }
        }
    }
}
