package dev.godiag.model;

import java.util.List;

/**
 * A profile in profile.proto's terms, held columnar: primitive arrays and shared strings, never an
 * object per sample. Immutable by convention: transformations (filters, merges) build new
 * profiles that share whatever they do not change.
 *
 * @param kind where the profile came from: "pprof" for profile.proto, or the legacy text form
 */
public record Profile(
        String kind,
        List<ValueType> sampleTypes,
        ValueType periodType,
        long period,
        long timeNanos,
        long durationNanos,
        List<String> comments,
        String dropFrames,
        String keepFrames,
        String defaultSampleType,
        String docUrl,
        List<Mapping> mappings,
        FunctionTable functions,
        LocationTable locations,
        SampleTable samples) {

    public Profile {
        sampleTypes = List.copyOf(sampleTypes);
        comments = List.copyOf(comments);
        mappings = List.copyOf(mappings);
        periodType = periodType == null ? new ValueType("", "") : periodType;
        dropFrames = dropFrames == null ? "" : dropFrames;
        keepFrames = keepFrames == null ? "" : keepFrames;
        defaultSampleType = defaultSampleType == null ? "" : defaultSampleType;
        docUrl = docUrl == null ? "" : docUrl;
        if (samples.valueCount != sampleTypes.size() && samples.size() > 0) {
            throw new IllegalArgumentException("samples have " + samples.valueCount + " values but "
                    + sampleTypes.size() + " sample types");
        }
    }

    /** The index of the sample type named {@code type} ("cpu", "alloc_space"), or -1 when it has none. */
    public int sampleTypeIndex(String type) {
        for (int i = 0; i < sampleTypes.size(); i++) {
            if (type.equals(sampleTypes.get(i).type())) {
                return i;
            }
        }
        return -1;
    }

    public Profile withSamples(SampleTable newSamples) {
        return new Profile(kind, sampleTypes, periodType, period, timeNanos, durationNanos, comments,
                dropFrames, keepFrames, defaultSampleType, docUrl, mappings, functions, locations, newSamples);
    }

    public Profile withLocations(LocationTable newLocations, SampleTable newSamples) {
        return new Profile(kind, sampleTypes, periodType, period, timeNanos, durationNanos, comments,
                dropFrames, keepFrames, defaultSampleType, docUrl, mappings, functions, newLocations, newSamples);
    }

    public Profile withTables(FunctionTable newFunctions, LocationTable newLocations, SampleTable newSamples) {
        return new Profile(kind, sampleTypes, periodType, period, timeNanos, durationNanos, comments,
                dropFrames, keepFrames, defaultSampleType, docUrl, mappings, newFunctions, newLocations, newSamples);
    }

    public Profile withHeader(List<ValueType> newSampleTypes, String newDefaultSampleType, SampleTable newSamples) {
        return new Profile(kind, newSampleTypes, periodType, period, timeNanos, durationNanos, comments,
                dropFrames, keepFrames, newDefaultSampleType, docUrl, mappings, functions, locations, newSamples);
    }

    public Profile withComments(List<String> newComments) {
        return new Profile(kind, sampleTypes, periodType, period, timeNanos, durationNanos, newComments,
                dropFrames, keepFrames, defaultSampleType, docUrl, mappings, functions, locations, samples);
    }

    public Profile withMappings(List<Mapping> newMappings) {
        return new Profile(kind, sampleTypes, periodType, period, timeNanos, durationNanos, comments,
                dropFrames, keepFrames, defaultSampleType, docUrl, newMappings, functions, locations, samples);
    }
}
