package dev.godiag.analysis.profile;

import dev.godiag.util.Units;

import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * pprof's -tagroot and -tagleaf: each sample's label values become pseudo-frames at the root or the
 * leaf of its stack, one per key ("GET /orders" under frame file "endpoint"), so reports can be cut
 * by label. A sample without the key gets an empty frame for it, as in pprof.
 */
public final class LabelFrames {
    private LabelFrames() {
    }

    /** The profile with label frames, and whether any sample had a root key or a leaf key. */
    public record Result(Profile profile, boolean rootMatched, boolean leafMatched) {
    }

    /**
     * @param rootKeys   label keys whose values become root frames, outermost first
     * @param leafKeys   label keys whose values become leaf frames, outermost first
     * @param outputUnit how numeric label values are written ("minimum" scales them as pprof does)
     */
    public static Result add(Profile p, List<String> rootKeys, List<String> leafKeys, String outputUnit) {
        if (rootKeys.isEmpty() && leafKeys.isEmpty()) {
            return new Result(p, false, false);
        }
        FunctionTable fns = p.functions();
        LocationTable locs = p.locations();
        long nextFunctionId = Arrays.stream(fns.id).max().orElse(0) + 1;
        long nextLocationId = Arrays.stream(locs.id).max().orElse(0) + 1;
        List<String> names = new ArrayList<>();
        List<String> files = new ArrayList<>();
        Map<List<String>, Integer> frames = new HashMap<>(); // (name, key) -> new location index
        SampleTable s = p.samples();
        SampleTableBuilder out = new SampleTableBuilder(s.valueCount, s.size(), s.locations.length);
        boolean rootMatched = false;
        boolean leafMatched = false;
        int[] leaves = new int[leafKeys.size()];
        int[] roots = new int[rootKeys.size()];
        for (int i = 0; i < s.size(); i++) {
            leafMatched |= frames(s, i, leafKeys, outputUnit, frames, names, files, locs.size(), leaves);
            rootMatched |= frames(s, i, rootKeys, outputUnit, frames, names, files, locs.size(), roots);
            for (int l : leaves) {
                out.addLocation(l);
            }
            out.addLocations(s, s.locStart[i], s.locStart[i + 1]);
            for (int r : roots) {
                out.addLocation(r);
            }
            out.copyLabels(s, i, null);
            out.endSample(s, i);
        }
        return new Result(p.withTables(appendFunctions(fns, names, files, nextFunctionId),
                appendLocations(locs, fns.size(), names.size(), nextLocationId), out.build()), rootMatched, leafMatched);
    }

    /** Fills into the frames (leaf first) of the sample's values of keys; true if it had any of them. */
    private static boolean frames(SampleTable s, int sample, List<String> keys, String unit,
                                  Map<List<String>, Integer> frames, List<String> names, List<String> files,
                                  int firstNewLocation, int[] into) {
        boolean matched = false;
        for (int j = 0; j < keys.size(); j++) {
            String key = keys.get(keys.size() - 1 - j);
            List<String> values = values(s, sample, key, unit);
            matched |= !values.isEmpty();
            List<String> frame = List.of(String.join(",", values), key);
            Integer loc = frames.get(frame);
            if (loc == null) {
                loc = firstNewLocation + names.size();
                names.add(frame.get(0));
                files.add(key);
                frames.put(frame, loc);
            }
            into[j] = loc;
        }
        return matched;
    }

    /** The sample's values of a key as pprof writes them: strings, then numbers with their units. */
    private static List<String> values(SampleTable s, int sample, String key, String unit) {
        List<String> values = new ArrayList<>();
        boolean anyUnit = false;
        for (int l = s.labelStart[sample]; l < s.labelStart[sample + 1]; l++) {
            if (s.labelKey[l].equals(key)) {
                if (s.labelStr[l] != null) {
                    values.add(s.labelStr[l]);
                } else {
                    anyUnit |= s.labelUnit[l] != null;
                }
            }
        }
        for (int l = s.labelStart[sample]; l < s.labelStart[sample + 1]; l++) {
            if (s.labelKey[l].equals(key) && s.labelStr[l] == null) {
                String u = s.labelUnit[l] == null ? "" : s.labelUnit[l];
                values.add(anyUnit ? Units.scaledLabel(s.labelNum[l], u, unit) : Units.scaledLabel(s.labelNum[l], "", ""));
            }
        }
        return values;
    }

    private static FunctionTable appendFunctions(FunctionTable f, List<String> names, List<String> files, long firstId) {
        int n = f.size();
        int m = names.size();
        long[] id = Arrays.copyOf(f.id, n + m);
        String[] name = Arrays.copyOf(f.name, n + m);
        String[] system = Arrays.copyOf(f.systemName, n + m);
        String[] file = Arrays.copyOf(f.filename, n + m);
        long[] start = Arrays.copyOf(f.startLine, n + m);
        for (int i = 0; i < m; i++) {
            id[n + i] = firstId + i;
            name[n + i] = names.get(i);
            system[n + i] = "";
            file[n + i] = files.get(i);
        }
        return new FunctionTable(id, name, system, file, start);
    }

    /** One new location per new function, with no mapping and no address. */
    private static LocationTable appendLocations(LocationTable l, int firstFunction, int m, long firstId) {
        int n = l.size();
        LongList id = new LongList(n + m);
        IntList lineStart = new IntList(n + m + 1);
        for (int i = 0; i < n; i++) {
            id.add(l.id[i]);
            lineStart.add(l.lineStart[i]);
        }
        int lines = l.lineStart[n];
        int[] lineFunction = Arrays.copyOf(l.lineFunction, lines + m);
        for (int i = 0; i < m; i++) {
            id.add(firstId + i);
            lineStart.add(lines + i);
            lineFunction[lines + i] = firstFunction + i;
        }
        lineStart.add(lines + m);
        int[] mapping = Arrays.copyOf(l.mapping, n + m);
        Arrays.fill(mapping, n, n + m, -1);
        return new LocationTable(id.toArray(), mapping, Arrays.copyOf(l.address, n + m), Arrays.copyOf(l.folded, n + m),
                lineStart.toArray(), lineFunction, Arrays.copyOf(l.lineNumber, lines + m),
                Arrays.copyOf(l.lineColumn, lines + m));
    }
}
