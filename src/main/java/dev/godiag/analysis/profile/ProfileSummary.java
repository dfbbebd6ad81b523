package dev.godiag.analysis.profile;

import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What a profile is: its kind, sample types with totals, sizes, time span and labels. */
public record ProfileSummary(String kind, List<TypeTotal> sampleTypes, String defaultSampleType, ValueType periodType,
                             long period, long timeNanos, long durationNanos, int samples, int locations,
                             int functions, int mappings, int maxDepth, String mainBinary, String buildId,
                             List<LabelKey> labels, List<String> comments, String dropFrames) {

    /** A sample type and the sum of its values over all samples. */
    public record TypeTotal(ValueType type, long total) {
    }

    /**
     * A label key: how many samples carry it and its distinct values (string labels) or unit
     * (numeric labels).
     */
    public record LabelKey(String key, boolean numeric, String unit, int samples, int distinctValues,
                           List<String> exampleValues) {
    }

    public static ProfileSummary of(Profile p) {
        SampleTable s = p.samples();
        long[] totals = new long[p.sampleTypes().size()];
        int maxDepth = 0;
        for (int i = 0; i < s.size(); i++) {
            for (int j = 0; j < totals.length; j++) {
                totals[j] += s.value(i, j);
            }
            maxDepth = Math.max(maxDepth, s.depth(i));
        }
        List<TypeTotal> types = new ArrayList<>();
        for (int j = 0; j < totals.length; j++) {
            types.add(new TypeTotal(p.sampleTypes().get(j), totals[j]));
        }
        // per label key: its distinct values, on how many samples it is, whether it is numeric
        Map<String, Set<String>> values = new TreeMap<>();
        Map<String, int[]> lastSample = new HashMap<>(); // {last sample seen, samples counted}
        Map<String, Boolean> numeric = new HashMap<>();
        for (int i = 0; i < s.size(); i++) {
            for (int l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
                String k = s.labelKey[l];
                boolean isNum = s.labelStr[l] == null;
                numeric.merge(k, isNum, Boolean::logicalAnd);
                values.computeIfAbsent(k, x -> new HashSet<>())
                        .add(isNum ? Long.toString(s.labelNum[l]) : s.labelStr[l]);
                int[] seen = lastSample.computeIfAbsent(k, x -> new int[] {-1, 0});
                if (seen[0] != i) {
                    seen[0] = i;
                    seen[1]++;
                }
            }
        }
        Map<String, String> units = SampleFilter.numLabelUnits(p);
        List<LabelKey> labels = new ArrayList<>();
        for (var e : values.entrySet()) {
            String k = e.getKey();
            boolean num = numeric.get(k);
            java.util.Comparator<String> order = num ? java.util.Comparator.comparingLong(Long::parseLong)
                    : java.util.Comparator.naturalOrder();
            List<String> examples = e.getValue().stream().sorted(order).limit(5).toList();
            labels.add(new LabelKey(k, num, num ? units.getOrDefault(k, "") : "", lastSample.get(k)[1],
                    e.getValue().size(), examples));
        }
        String main = p.mappings().isEmpty() ? "" : p.mappings().get(0).file();
        String buildId = p.mappings().isEmpty() ? "" : p.mappings().get(0).buildId();
        return new ProfileSummary(p.kind(), types, p.defaultSampleType(), p.periodType(), p.period(), p.timeNanos(),
                p.durationNanos(), s.size(), p.locations().size(), p.functions().size(), p.mappings().size(),
                maxDepth, main, buildId, labels, p.comments(), p.dropFrames());
    }
}
