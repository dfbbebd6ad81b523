package dev.godiag.analysis.compiler;

import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile's flat weight by source line: each sample's value counted at its leaf frame's line
 * (the innermost inlined line, as pprof -lines counts flat), as a share of the profile's total.
 * For an allocs or heap profile a line with flat weight is an allocation site.
 */
public final class LineWeights {
    /** One line with flat weight: its file and function as the profile names them. */
    public record Site(String file, int line, String function, long value, double share) {
    }

    private final String name;
    private final String measure;
    private final long total;
    private final List<Site> sites;
    private final Map<Integer, List<Site>> byLine = new HashMap<>();

    private LineWeights(String name, String measure, long total, List<Site> sites) {
        this.name = name;
        this.measure = measure;
        this.total = total;
        this.sites = List.copyOf(sites);
        for (Site s : sites) {
            byLine.computeIfAbsent(s.line(), k -> new ArrayList<>()).add(s);
        }
    }

    public String name() {
        return name;
    }

    public String measure() {
        return measure;
    }

    public long total() {
        return total;
    }

    /** The lines with weight, heaviest first. */
    public List<Site> sites() {
        return sites;
    }

    /**
     * The weights of a profile's lines. For allocation sites ({@code allocationSites}) the runtime's
     * frames at the leaf are passed over: an interface conversion or append allocates inside
     * runtime.convT64 or runtime.growslice, and its site is the line that called it.
     */
    public static LineWeights of(Profile profile, int sampleIndex, String name, String measure,
                                 boolean allocationSites) {
        SampleTable samples = profile.samples();
        var locations = profile.locations();
        var functions = profile.functions();
        Map<String, long[]> byLine = new HashMap<>();
        Map<String, String[]> where = new HashMap<>();
        long total = 0;
        for (int s = 0; s < samples.size(); s++) {
            long v = Math.abs(samples.value(s, sampleIndex));
            total += v;
            if (samples.locStart[s] == samples.locStart[s + 1]) {
                continue;
            }
            int frame = leaf(profile, s, allocationSites);
            if (frame < 0) {
                continue;
            }
            int fn = locations.lineFunction[frame];
            String file = functions.filename[fn];
            if (file == null || file.isEmpty() || locations.lineNumber[frame] <= 0
                    || locations.lineNumber[frame] > Integer.MAX_VALUE) {
                continue;
            }
            String key = file + "\u0000" + locations.lineNumber[frame];
            byLine.computeIfAbsent(key, k -> new long[1])[0] += v;
            where.putIfAbsent(key, new String[]{file, Long.toString(locations.lineNumber[frame]), functions.name[fn]});
        }
        List<Site> sites = new ArrayList<>();
        long sum = total;
        byLine.forEach((key, value) -> {
            String[] w = where.get(key);
            sites.add(new Site(w[0], Integer.parseInt(w[1]), w[2] == null ? "" : w[2], value[0],
                    sum == 0 ? 0 : (double) value[0] / sum));
        });
        sites.sort(Comparator.comparingLong(Site::value).reversed().thenComparing(Site::file)
                .thenComparingInt(Site::line));
        return new LineWeights(name, measure, total, sites);
    }

    /** The sample's leaf line (an index into the location lines), past runtime frames when asked; -1: none. */
    private static int leaf(Profile profile, int sample, boolean pastRuntime) {
        SampleTable samples = profile.samples();
        var locations = profile.locations();
        var functions = profile.functions();
        for (int i = samples.locStart[sample]; i < samples.locStart[sample + 1]; i++) {
            int loc = samples.locations[i];
            for (int l = locations.lineStart[loc]; l < locations.lineStart[loc + 1]; l++) {
                int fn = locations.lineFunction[l];
                if (fn < 0) {
                    continue;
                }
                String n = functions.name[fn];
                if (!pastRuntime || n == null || !(n.startsWith("runtime.") || n.startsWith("internal/runtime/"))) {
                    return l;
                }
            }
            if (!pastRuntime) {
                return -1;
            }
        }
        return -1;
    }

    /** The flat weight at a line of a file the compiler names (0 when the profile has none there). */
    public long at(String compilerFile, int line) {
        long v = 0;
        for (Site s : byLine.getOrDefault(line, List.of())) {
            if (CompilerFiles.same(compilerFile, s.file())) {
                v += s.value();
            }
        }
        return v;
    }

    public double share(long value) {
        return total == 0 ? 0 : (double) value / total;
    }
}
