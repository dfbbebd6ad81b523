package dev.godiag.analysis.profile;

import dev.godiag.util.Units;

import dev.godiag.util.BadInputException;
import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Combines profiles as pprof does when given several sources: sample types reduced to the common
 * ones, units scaled to the finest, then functions, locations and mappings deduplicated and
 * samples concatenated. Also the base-profile arithmetic (scale, normalize, label).
 */
public final class ProfileMerger {
    /** The label pprof puts on samples that come from a --diff-base profile. */
    public static final String DIFF_BASE_LABEL = "pprof::base";

    private ProfileMerger() {
    }

    /**
     * Subtracts base from p as pprof's -base and -diff_base do: base samples are negated (after
     * scaling base to p's totals when normalize) and merged in; with diff, they are also labelled
     * so that percentages are taken relative to the base.
     */
    public static Profile withBase(Profile p, Profile base, boolean diff, boolean normalize) {
        Profile b = diff ? setLabel(base, DIFF_BASE_LABEL, "true") : base;
        Profile src = normalize ? normalize(p, b) : p;
        double[] minusOne = new double[b.sampleTypes().size()];
        java.util.Arrays.fill(minusOne, -1);
        return combine(List.of(src, scale(b, minusOne)));
    }

    /** pprof's combineProfiles: compatible sample types, common units, one merged profile. */
    public static Profile combine(List<Profile> profiles) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("no profiles to combine");
        }
        List<Profile> ps = compatibilizeSampleTypes(profiles);
        ps = scaleToCommonUnits(ps);
        if (ps.size() == 1) {
            return ps.get(0);
        }
        return merge(ps);
    }

    static List<Profile> compatibilizeSampleTypes(List<Profile> ps) {
        Map<String, Integer> count = new HashMap<>();
        for (Profile p : ps) {
            for (ValueType t : p.sampleTypes()) {
                count.merge(t.type(), 1, Integer::sum);
            }
        }
        List<String> common = new ArrayList<>();
        for (ValueType t : ps.get(0).sampleTypes()) {
            if (count.get(t.type()) == ps.size()) {
                common.add(t.type());
            }
        }
        if (common.isEmpty()) {
            throw new BadInputException("profiles have no sample type in common");
        }
        List<Profile> out = new ArrayList<>(ps.size());
        for (Profile p : ps) {
            out.add(compatibilize(p, common));
        }
        return out;
    }

    private static Profile compatibilize(Profile p, List<String> types) {
        String defaultType = types.get(0);
        int[] remap = new int[types.size()];
        boolean modify = false;
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).equals(p.defaultSampleType())) {
                defaultType = p.defaultSampleType();
            }
            int idx = -1;
            for (int j = 0; j < p.sampleTypes().size(); j++) {
                if (p.sampleTypes().get(j).type().equals(types.get(i))) {
                    idx = j;
                    break;
                }
            }
            remap[i] = idx;
            modify |= idx != i;
        }
        if (!modify && types.size() == p.sampleTypes().size()) {
            return p;
        }
        List<ValueType> newTypes = new ArrayList<>();
        for (int idx : remap) {
            newTypes.add(p.sampleTypes().get(idx));
        }
        SampleTable s = p.samples();
        int k = types.size();
        long[] values = new long[s.size() * k];
        for (int i = 0; i < s.size(); i++) {
            for (int j = 0; j < k; j++) {
                values[i * k + j] = s.values[i * s.valueCount + remap[j]];
            }
        }
        SampleTable ns = new SampleTable(k, values, s.locStart, s.locations, s.labelStart, s.labelKey, s.labelStr,
                s.labelNum, s.labelUnit);
        return p.withHeader(newTypes, defaultType, ns);
    }

    /** pprof's ScaleProfiles: every sample type (and the period) in the finest unit any profile uses. */
    static List<Profile> scaleToCommonUnits(List<Profile> ps) {
        if (ps.size() <= 1) {
            return ps;
        }
        List<ValueType> periodTypes = new ArrayList<>();
        for (Profile p : ps) {
            periodTypes.add(p.periodType());
        }
        ValueType periodType = commonValueType(periodTypes, "period type");
        int n = ps.get(0).sampleTypes().size();
        for (Profile p : ps) {
            if (p.sampleTypes().size() != n) {
                throw new BadInputException("inconsistent samples type count: " + n + " != " + p.sampleTypes().size());
            }
        }
        ValueType[] common = new ValueType[n];
        for (int i = 0; i < n; i++) {
            List<ValueType> ts = new ArrayList<>();
            for (Profile p : ps) {
                ts.add(p.sampleTypes().get(i));
            }
            common[i] = commonValueType(ts, "sample types");
        }
        List<Profile> out = new ArrayList<>();
        for (Profile p : ps) {
            long period = p.period();
            ValueType pt = p.periodType();
            if (periodType != null) {
                period = (long) Units.scale(p.period(), pt.unit(), periodType.unit()).value();
                pt = new ValueType(pt.type(), periodType.unit());
            }
            double[] ratios = new double[n];
            List<ValueType> types = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ValueType st = p.sampleTypes().get(i);
                if (common[i] == null) {
                    ratios[i] = 1;
                    types.add(st);
                } else {
                    ratios[i] = Units.scale(1, st.unit(), common[i].unit()).value();
                    types.add(new ValueType(st.type(), common[i].unit()));
                }
            }
            Profile scaled = scale(p, ratios);
            out.add(new Profile(scaled.kind(), types, pt, period, scaled.timeNanos(), scaled.durationNanos(),
                    scaled.comments(), scaled.dropFrames(), scaled.keepFrames(), scaled.defaultSampleType(),
                    scaled.docUrl(), scaled.mappings(), scaled.functions(), scaled.locations(), scaled.samples()));
        }
        return out;
    }

    private static ValueType commonValueType(List<ValueType> ts, String what) {
        if (ts.size() <= 1) {
            return null;
        }
        ValueType min = ts.get(0);
        for (ValueType t : ts.subList(1, ts.size())) {
            if (!compatible(min, t)) {
                throw new BadInputException(what + ": incompatible types: " + min + " and " + t);
            }
            if (Units.scale(1, t.unit(), min.unit()).value() < 1) {
                min = t;
            }
        }
        return min;
    }

    private static boolean compatible(ValueType a, ValueType b) {
        String t1 = a.type().endsWith("s") ? a.type().substring(0, a.type().length() - 1) : a.type();
        String t2 = b.type().endsWith("s") ? b.type().substring(0, b.type().length() - 1) : b.type();
        if (!t1.equals(t2)) {
            return false;
        }
        return a.unit().equals(b.unit()) || Units.sameFamily(a.unit(), b.unit());
    }

    /**
     * Multiplies each sample value by its type's ratio, rounding half away from zero, and drops
     * samples whose scaled values all became zero (pprof's ScaleN).
     */
    public static Profile scale(Profile p, double[] ratios) {
        boolean allOnes = true;
        for (double r : ratios) {
            allOnes &= r == 1;
        }
        if (allOnes) {
            return p;
        }
        SampleTable s = p.samples();
        int k = s.valueCount;
        SampleTableBuilder out = new SampleTableBuilder(k, s.size(), s.locations.length);
        long[] vals = new long[k];
        for (int i = 0; i < s.size(); i++) {
            boolean keep = false;
            for (int j = 0; j < k; j++) {
                long v = s.values[i * k + j];
                if (ratios[j] != 1) {
                    v = roundHalfAwayFromZero(v * ratios[j]);
                    keep |= v != 0;
                }
                vals[j] = v;
            }
            if (keep) {
                out.addLocations(s, s.locStart[i], s.locStart[i + 1]);
                out.copyLabels(s, i, null);
                out.endSample(vals);
            }
        }
        return p.withSamples(out.build());
    }

    static long roundHalfAwayFromZero(double x) {
        double a = Math.abs(x);
        double t = Math.floor(a);
        if (a - t >= 0.5) {
            t += 1;
        }
        return (long) Math.copySign(t, x);
    }

    /** pprof's Normalize: scales p so each sample type totals what the base totals. */
    public static Profile normalize(Profile p, Profile base) {
        checkCompatible(p, base);
        return scale(p, normalizationRatios(p, base));
    }

    /** Per sample type, base's sum over p's (0 where p's is 0): the factors pprof's Normalize applies. */
    static double[] normalizationRatios(Profile p, Profile base) {
        int k = p.sampleTypes().size();
        long[] baseVals = totals(base, k);
        long[] srcVals = totals(p, k);
        double[] ratios = new double[k];
        for (int i = 0; i < k; i++) {
            ratios[i] = srcVals[i] == 0 ? 0.0 : (double) baseVals[i] / (double) srcVals[i];
        }
        return ratios;
    }

    private static long[] totals(Profile p, int k) {
        long[] t = new long[k];
        SampleTable s = p.samples();
        for (int i = 0; i < s.size(); i++) {
            for (int j = 0; j < k && j < s.valueCount; j++) {
                t[j] += s.values[i * s.valueCount + j];
            }
        }
        return t;
    }

    /** pprof's SetLabel: every sample gets key=[value], replacing its values for key. */
    public static Profile setLabel(Profile p, String key, String value) {
        SampleTable s = p.samples();
        SampleTableBuilder out = new SampleTableBuilder(s.valueCount, s.size(), s.locations.length);
        for (int i = 0; i < s.size(); i++) {
            out.addLocations(s, s.locStart[i], s.locStart[i + 1]);
            out.copyLabels(s, i, key);
            out.addLabel(key, value);
            out.endSample(s, i);
        }
        return p.withSamples(out.build());
    }

    /** pprof's RemoveLabel: drops the string label key from every sample. */
    public static Profile removeLabel(Profile p, String key) {
        SampleTable s = p.samples();
        boolean present = false;
        for (int i = 0; i < s.labelKey.length && !present; i++) {
            present = s.labelStr[i] != null && s.labelKey[i].equals(key);
        }
        if (!present) {
            return p;
        }
        SampleTableBuilder out = new SampleTableBuilder(s.valueCount, s.size(), s.locations.length);
        for (int i = 0; i < s.size(); i++) {
            out.addLocations(s, s.locStart[i], s.locStart[i + 1]);
            out.copyLabels(s, i, key);
            out.endSample(s, i);
        }
        return p.withSamples(out.build());
    }

    private static void checkCompatible(Profile a, Profile b) {
        if (!a.periodType().equals(b.periodType())) {
            throw new BadInputException("incompatible period types " + a.periodType() + " and " + b.periodType());
        }
        if (!a.sampleTypes().equals(b.sampleTypes())) {
            throw new BadInputException("incompatible sample types " + a.sampleTypes() + " and " + b.sampleTypes());
        }
    }

    private record FunctionKey(long startLine, String name, String systemName, String filename) {
    }

    private record MappingKey(long size, long offset, String buildIdOrFile) {
    }

    private record LocationKey(long addr, long mappingId, String lines, boolean folded) {
    }

    /** pprof's Merge: combined header, deduplicated tables, samples concatenated (all-zero ones skipped). */
    static Profile merge(List<Profile> srcs) {
        Profile first = srcs.get(0);
        for (Profile s : srcs.subList(1, srcs.size())) {
            checkCompatible(first, s);
        }
        long timeNanos = 0;
        long durationNanos = 0;
        long period = 0;
        Set<String> seenComments = new HashSet<>();
        List<String> comments = new ArrayList<>();
        String defaultSampleType = "";
        String docUrl = "";
        for (Profile s : srcs) {
            if (timeNanos == 0 || s.timeNanos() < timeNanos) {
                timeNanos = s.timeNanos();
            }
            durationNanos += s.durationNanos();
            if (period == 0 || period < s.period()) {
                period = s.period();
            }
            for (String c : s.comments()) {
                if (seenComments.add(c)) {
                    comments.add(c);
                }
            }
            if (defaultSampleType.isEmpty()) {
                defaultSampleType = s.defaultSampleType();
            }
            if (docUrl.isEmpty()) {
                docUrl = s.docUrl();
            }
        }
        ProfileBuilder b = new ProfileBuilder(first.kind());
        b.sampleTypes(first.sampleTypes()).period(first.periodType(), period).time(timeNanos)
                .duration(durationNanos).dropFrames(first.dropFrames()).keepFrames(first.keepFrames())
                .defaultSampleType(defaultSampleType).docUrl(docUrl);
        comments.forEach(b::comment);

        Map<MappingKey, Integer> mappings = new HashMap<>();
        List<Mapping> merged = new ArrayList<>();
        Map<FunctionKey, Integer> functions = new HashMap<>();
        Map<LocationKey, Integer> locations = new LinkedHashMap<>();
        Map<SampleKey, Integer> samples = new HashMap<>();
        for (Profile src : srcs) {
            int[] mapIndex = new int[src.mappings().size()];
            long[] mapOffset = new long[src.mappings().size()];
            Arrays.fill(mapIndex, -1);
            if (merged.isEmpty() && !src.mappings().isEmpty()) {
                mapMapping(src, 0, mappings, merged, b, mapIndex, mapOffset);
            }
            int[] fnIndex = new int[src.functions().size()];
            Arrays.fill(fnIndex, -1);
            int[] locIndex = new int[src.locations().size()];
            Arrays.fill(locIndex, -1);
            SampleTable s = src.samples();
            int k = s.valueCount;
            for (int i = 0; i < s.size(); i++) {
                long[] v = Arrays.copyOfRange(s.values, i * k, (i + 1) * k);
                if (isZero(v)) {
                    continue;
                }
                int[] locs = new int[s.locStart[i + 1] - s.locStart[i]];
                for (int li = s.locStart[i], j = 0; li < s.locStart[i + 1]; li++, j++) {
                    int loc = s.locations[li];
                    if (locIndex[loc] < 0) {
                        locIndex[loc] = mapLocation(src, loc, mappings, merged, b, mapIndex, mapOffset, functions,
                                fnIndex, locations);
                    }
                    locs[j] = locIndex[loc];
                }
                SampleKey key = new SampleKey(locs, labelKey(s, i));
                Integer existing = samples.get(key);
                if (existing != null) {
                    b.addToSample(existing, v);
                    continue;
                }
                samples.put(key, b.sampleCount());
                for (int loc : locs) {
                    b.addSampleLocation(loc);
                }
                for (int l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
                    if (s.labelStr[l] != null) {
                        b.addLabel(s.labelKey[l], s.labelStr[l]);
                    } else {
                        b.addNumLabel(s.labelKey[l], s.labelNum[l], s.labelUnit[l]);
                    }
                }
                b.endSample(v);
            }
        }
        Profile p = b.build();
        return hasZeroSample(p) ? dropZeroSamples(p) : p;
    }

    private static boolean isZero(long[] v) {
        for (long x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasZeroSample(Profile p) {
        SampleTable s = p.samples();
        for (int i = 0; i < s.size(); i++) {
            if (isZero(Arrays.copyOfRange(s.values, i * s.valueCount, (i + 1) * s.valueCount))) {
                return true;
            }
        }
        return false;
    }

    private static Profile dropZeroSamples(Profile p) {
        SampleTable s = p.samples();
        SampleTableBuilder out = new SampleTableBuilder(s.valueCount, s.size(), s.locations.length);
        for (int i = 0; i < s.size(); i++) {
            if (!isZero(Arrays.copyOfRange(s.values, i * s.valueCount, (i + 1) * s.valueCount))) {
                out.copy(s, i);
            }
        }
        return p.withSamples(out.build());
    }

    /** Samples merge when their stacks and labels are equal: pprof keys labels by sorted key. */
    private record SampleKey(int[] locations, String labels) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SampleKey k && Arrays.equals(locations, k.locations) && labels.equals(k.labels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(locations) * 31 + labels.hashCode();
        }
    }

    private static String labelKey(SampleTable s, int i) {
        int from = s.labelStart[i];
        int to = s.labelStart[i + 1];
        if (from == to) {
            return "";
        }
        Integer[] order = new Integer[to - from];
        for (int l = from; l < to; l++) {
            order[l - from] = l;
        }
        // string labels first, then numeric; by key; stable, so values keep their order
        Arrays.sort(order, (x, y) -> {
            boolean nx = s.labelStr[x] == null;
            boolean ny = s.labelStr[y] == null;
            if (nx != ny) {
                return nx ? 1 : -1;
            }
            return s.labelKey[x].compareTo(s.labelKey[y]);
        });
        StringBuilder sb = new StringBuilder();
        for (int l : order) {
            sb.append(s.labelStr[l] == null ? '#' : '=').append(s.labelKey[l].length()).append(':')
                    .append(s.labelKey[l]).append('\u0000');
            if (s.labelStr[l] != null) {
                sb.append(s.labelStr[l]);
            } else {
                sb.append(s.labelNum[l]).append('\u0000').append(s.labelUnit[l] == null ? "" : s.labelUnit[l]);
            }
            sb.append('\u0001');
        }
        return sb.toString();
    }

    private static int mapMapping(Profile src, int m, Map<MappingKey, Integer> mappings, List<Mapping> merged,
                                  ProfileBuilder b, int[] mapIndex, long[] mapOffset) {
        if (mapIndex[m] >= 0) {
            return mapIndex[m];
        }
        Mapping sm = src.mappings().get(m);
        long size = sm.limit() - sm.start();
        size = size + 0x1000 - 1;
        size = size - Long.remainderUnsigned(size, 0x1000);
        String id = !sm.buildId().isEmpty() ? sm.buildId() : sm.file();
        MappingKey key = new MappingKey(size, sm.offset(), id);
        Integer existing = mappings.get(key);
        if (existing != null) {
            mapIndex[m] = existing;
            mapOffset[m] = merged.get(existing).start() - sm.start();
            return existing;
        }
        Mapping nm = new Mapping(merged.size() + 1, sm.start(), sm.limit(), sm.offset(), sm.file(), sm.buildId(),
                sm.hasFunctions(), sm.hasFilenames(), sm.hasLineNumbers(), sm.hasInlineFrames());
        merged.add(nm);
        int idx = b.addMapping(nm);
        mappings.put(key, idx);
        mapIndex[m] = idx;
        mapOffset[m] = 0;
        return idx;
    }

    private static int mapLocation(Profile src, int loc, Map<MappingKey, Integer> mappings, List<Mapping> merged,
                                   ProfileBuilder b, int[] mapIndex, long[] mapOffset,
                                   Map<FunctionKey, Integer> functions, int[] fnIndex,
                                   Map<LocationKey, Integer> locations) {
        LocationTable lt = src.locations();
        int m = lt.mapping[loc];
        int newMapping = -1;
        long offset = 0;
        if (m >= 0) {
            newMapping = mapMapping(src, m, mappings, merged, b, mapIndex, mapOffset);
            offset = mapOffset[m];
        }
        long address = lt.address[loc] + offset;
        int first = lt.lineStart[loc];
        int count = lt.lineStart[loc + 1] - first;
        int[] fns = new int[count];
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int f = lt.lineFunction[first + i];
            fns[i] = f < 0 ? -1 : mapFunction(src.functions(), f, functions, fnIndex, b);
            lines.append(fns[i]).append('|').append(lt.lineNumber[first + i]).append('|')
                    .append(lt.lineColumn[first + i]).append('|');
        }
        long keyAddr = address;
        long mappingId = 0;
        if (newMapping >= 0) {
            Mapping nm = merged.get(newMapping);
            keyAddr -= nm.start();
            mappingId = nm.id();
        }
        LocationKey key = new LocationKey(keyAddr, mappingId, lines.toString(), lt.folded[loc]);
        Integer existing = locations.get(key);
        if (existing != null) {
            return existing;
        }
        for (int i = 0; i < count; i++) {
            b.addLine(fns[i], lt.lineNumber[first + i], lt.lineColumn[first + i]);
        }
        int idx = b.endLocation(b.locationCount() + 1, newMapping, address, lt.folded[loc]);
        locations.put(key, idx);
        return idx;
    }

    private static int mapFunction(FunctionTable ft, int f, Map<FunctionKey, Integer> functions, int[] fnIndex,
                                   ProfileBuilder b) {
        if (fnIndex[f] >= 0) {
            return fnIndex[f];
        }
        FunctionKey key = new FunctionKey(ft.startLine[f], ft.name[f], ft.systemName[f], ft.filename[f]);
        Integer existing = functions.get(key);
        if (existing == null) {
            existing = b.addFunction(b.functionCount() + 1, ft.name[f], ft.systemName[f], ft.filename[f],
                    ft.startLine[f]);
            functions.put(key, existing);
        }
        fnIndex[f] = existing;
        return existing;
    }
}
