package dev.godiag.format.pprof.legacy;

import java.util.HashMap;
import java.util.Map;

/**
 * When nearly all CPU samples share the frame above the leaf, it is the signal handler's frame,
 * not the program's: pprof removes it, up to twice.
 */
final class SignalFrames {
    private SignalFrames() {
    }

    static void drop(DraftProfile d) {
        int n = d.samples.size();
        int margin = n / 32; // tolerate one odd sample per 32
        for (int iter = 0; iter < 2; iter++) {
            Map<Long, Integer> secondFrames = new HashMap<>();
            for (DraftSample s : d.samples) {
                if (s.locations.size() > 1) {
                    secondFrames.merge(s.locations.get(1).address, 1, Integer::sum);
                }
            }
            // At most one address can reach the threshold, so map order does not matter.
            for (Map.Entry<Long, Integer> e : secondFrames.entrySet()) {
                if (e.getValue() >= n - margin) {
                    long addr = e.getKey();
                    for (DraftSample s : d.samples) {
                        if (s.locations.size() > 1 && s.locations.get(1).address == addr) {
                            s.locations.remove(1);
                        }
                    }
                    break;
                }
            }
        }
    }
}
