package dev.godiag.format.pprof.legacy;

import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profile under construction, as mutable objects like pprof's, so that its id and mapping
 * passes can be followed step by step; {@link #build} turns it into the columnar model.
 */
final class DraftProfile {
    private final String kind;
    private final ValueType periodType;
    private final long period;
    private final List<ValueType> sampleTypes;
    long durationNanos;
    final List<String> comments = new ArrayList<>();
    final List<DraftSample> samples = new ArrayList<>();
    List<DraftMapping> mappings = new ArrayList<>();
    /** Whether locations keep their addresses (Java profiles drop them once frames are joined). */
    boolean keepAddresses = true;
    /** The locations some sample uses, in id order; set by {@link #numberLocations}. */
    private List<DraftLocation> locations = List.of();
    private final Map<Long, DraftLocation> byAddress = new HashMap<>();

    DraftProfile(String kind, ValueType periodType, long period, List<ValueType> sampleTypes) {
        this.kind = kind;
        this.periodType = periodType;
        this.period = period;
        this.sampleTypes = sampleTypes;
    }

    /** The one location per (adjusted) address. */
    DraftLocation location(long address) {
        return byAddress.computeIfAbsent(address, DraftLocation::new);
    }

    /** The location at this address if a sample made one, else null. */
    DraftLocation existingLocation(long address) {
        return byAddress.get(address);
    }

    long period() {
        return period;
    }

    /** Keeps only locations some sample uses, numbered 1.. in order of first use. */
    void numberLocations() {
        List<DraftLocation> used = new ArrayList<>();
        for (DraftSample s : samples) {
            for (DraftLocation l : s.locations) {
                if (l.id == 0) {
                    used.add(l);
                    l.id = used.size();
                }
            }
        }
        locations = used;
    }

    List<DraftLocation> locations() {
        return locations;
    }

    Profile build() {
        ProfileBuilder b = new ProfileBuilder(kind);
        b.sampleTypes(sampleTypes);
        b.period(periodType, period);
        b.duration(durationNanos);
        comments.forEach(b::comment);
        FrameRules.apply(sampleTypes, b);
        Map<DraftMapping, Integer> mapIndex = new IdentityHashMap<>();
        for (DraftMapping m : mappings) {
            mapIndex.put(m, b.addMapping(new Mapping(m.id, m.start, m.limit, m.offset, m.file, m.buildId,
                    false, false, false, false)));
        }
        // functions numbered in order of their first location, as pprof's remapFunctionIDs does
        Map<JavaProfileParser.JavaFunction, Integer> fnIndex = new IdentityHashMap<>();
        Map<DraftLocation, Integer> locIndex = new IdentityHashMap<>();
        for (DraftLocation l : locations) {
            int mi = l.mapping == null ? -1 : mapIndex.get(l.mapping);
            if (l.frame != null) {
                JavaProfileParser.JavaFunction f = l.frame.function();
                int fi = fnIndex.computeIfAbsent(f, k -> b.addFunction(b.functionCount() + 1, k.name(), k.name(),
                        k.file(), 0));
                b.addLine(fi, l.frame.line(), 0);
            }
            locIndex.put(l, b.endLocation(l.id, mi, keepAddresses ? l.address : 0, false));
        }
        for (DraftSample s : samples) {
            for (DraftLocation l : s.locations) {
                b.addSampleLocation(locIndex.get(l));
            }
            if (s.bytes != null) {
                b.addNumLabel("bytes", s.bytes, null);
            }
            b.endSample(s.values);
        }
        return b.build();
    }
}
