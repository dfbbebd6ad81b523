package dev.godiag.diagnosis.scan;

import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a profile says a stretch of source costs: the weight of the samples with a frame (inlined
 * frames included) in a file between two lines, each sample counted once, as a share of the
 * profile's total. This is pprof's cumulative weight of those lines: a loop's share holds what the
 * loop calls.
 *
 * @param name    the profile as the user named it ("cpu.pprof")
 * @param measure what the weight measures, in words ("CPU", "allocated bytes", "block delay")
 */
public final class ProfileWeights {
    private final String name;
    private final String measure;
    private final long[] values;
    private final long total;
    /** For each file name of the profile: {sample, line} pairs of its frames. */
    private final Map<String, long[]> framesByFile;

    public ProfileWeights(Profile profile, int sampleIndex, String name, String measure) {
        this.name = name;
        this.measure = measure;
        SampleTable samples = profile.samples();
        int n = samples.size();
        values = new long[n];
        long sum = 0;
        Map<String, List<long[]>> pairs = new HashMap<>();
        var locations = profile.locations();
        var functions = profile.functions();
        for (int s = 0; s < n; s++) {
            values[s] = Math.abs(samples.value(s, sampleIndex));
            sum += values[s];
            for (int i = samples.locStart[s]; i < samples.locStart[s + 1]; i++) {
                int loc = samples.locations[i];
                for (int l = locations.lineStart[loc]; l < locations.lineStart[loc + 1]; l++) {
                    int fn = locations.lineFunction[l];
                    if (fn < 0 || functions.filename[fn] == null || functions.filename[fn].isEmpty()) {
                        continue;
                    }
                    pairs.computeIfAbsent(functions.filename[fn], k -> new ArrayList<>())
                            .add(new long[]{s, locations.lineNumber[l]});
                }
            }
        }
        total = sum;
        framesByFile = new HashMap<>();
        pairs.forEach((file, list) -> {
            long[] flat = new long[list.size() * 2];
            for (int i = 0; i < list.size(); i++) {
                flat[2 * i] = list.get(i)[0];
                flat[2 * i + 1] = list.get(i)[1];
            }
            framesByFile.put(file, flat);
        });
    }

    public String name() {
        return name;
    }

    public String measure() {
        return measure;
    }

    /** What the lines cost in this profile. */
    public record Weight(ProfileWeights profile, long value, double share) {
    }

    /**
     * The weight of lines {@code from..to} of the file whose path ends with {@code fileKey} (a
     * path relative to the module or scan root: "internal/store/cache.go" matches
     * "example.com/shop/internal/store/cache.go" and "/build/shop/internal/store/cache.go").
     */
    public Weight weight(String fileKey, int from, int to) {
        BitSet seen = new BitSet(values.length);
        long sum = 0;
        for (Map.Entry<String, long[]> e : framesByFile.entrySet()) {
            if (!sameFile(e.getKey(), fileKey)) {
                continue;
            }
            long[] flat = e.getValue();
            for (int i = 0; i < flat.length; i += 2) {
                int s = (int) flat[i];
                long line = flat[i + 1];
                if (line >= from && line <= to && !seen.get(s)) {
                    seen.set(s);
                    sum += values[s];
                }
            }
        }
        return new Weight(this, sum, total == 0 ? 0 : (double) sum / total);
    }

    /** True when the profile's file name is the key or ends with "/" + key (or "\" + key). */
    public static boolean sameFile(String profileFile, String key) {
        String f = profileFile.replace('\\', '/');
        return f.equals(key) || (f.endsWith(key) && f.charAt(f.length() - key.length() - 1) == '/');
    }
}
