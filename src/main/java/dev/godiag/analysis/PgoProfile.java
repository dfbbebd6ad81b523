package dev.godiag.analysis;

import dev.godiag.format.BadInputException;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A profile made fit for Go's profile-guided optimization (go build -pgo=FILE, default.pgo): the
 * compiler wants CPU samples ("samples/count" or "cpu/nanoseconds") and reads only stacks and their
 * weights. So other sample types and all labels go, equal stacks are summed, and optionally only
 * the hottest stacks are kept.
 */
public final class PgoProfile {
    private PgoProfile() {
    }

    /**
     * @param keepPercent keep the hottest stacks holding this share of the CPU weight (100: all)
     */
    public static Profile prepare(Profile p, double keepPercent) {
        if (!(keepPercent > 0 && keepPercent <= 100)) {
            throw new BadInputException("--pgo-keep must be a percentage above 0 and at most 100, not " + keepPercent);
        }
        List<Integer> cpuTypes = new ArrayList<>();
        for (int i = 0; i < p.sampleTypes().size(); i++) {
            ValueType t = p.sampleTypes().get(i);
            if (t.type().equals("samples") && t.unit().equals("count")
                    || t.type().equals("cpu") && t.unit().equals("nanoseconds")) {
                cpuTypes.add(i);
            }
        }
        if (cpuTypes.isEmpty()) {
            throw new BadInputException("PGO needs a CPU profile (sample types samples/count or cpu/nanoseconds),"
                    + " not " + p.sampleTypes());
        }
        SampleTable s = p.samples();
        // weight by the last CPU type (cpu/nanoseconds when both are there, as pprof shows by default)
        int weight = cpuTypes.get(cpuTypes.size() - 1);
        Integer[] order = new Integer[s.size()];
        long total = 0;
        for (int i = 0; i < s.size(); i++) {
            order[i] = i;
            total += Math.max(0, s.value(i, weight));
        }
        Arrays.sort(order, (a, b) -> Long.compare(s.value(b, weight), s.value(a, weight)));
        boolean[] keep = new boolean[s.size()];
        long kept = 0;
        double limit = total * keepPercent / 100.0;
        for (int i : order) {
            if (kept >= limit && keepPercent < 100) {
                break;
            }
            if (s.value(i, weight) > 0) {
                keep[i] = true;
                kept += s.value(i, weight);
            }
        }
        int k = cpuTypes.size();
        SampleTableBuilder out = new SampleTableBuilder(k, s.size(), s.locations.length);
        long[] vals = new long[k];
        for (int i = 0; i < s.size(); i++) {
            if (!keep[i]) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                vals[j] = s.value(i, cpuTypes.get(j));
            }
            out.addLocations(s, s.locStart[i], s.locStart[i + 1]);
            out.endSample(vals); // no labels: the compiler does not read them
        }
        List<ValueType> types = cpuTypes.stream().map(i -> p.sampleTypes().get(i)).toList();
        Profile cpu = p.withHeader(types, "", out.build());
        return ProfileMerger.merge(List.of(cpu)); // equal stacks summed, unused functions and locations gone
    }
}
