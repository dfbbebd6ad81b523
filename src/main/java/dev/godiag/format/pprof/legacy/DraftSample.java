package dev.godiag.format.pprof.legacy;

import java.util.List;

/** A sample of the draft; its stack is mutable so that pprof's frame clean-ups can edit it. */
final class DraftSample {
    final long[] values;
    final List<DraftLocation> locations;
    /** The heap's "bytes" label (the average block size), or null. */
    final Long bytes;

    DraftSample(long[] values, List<DraftLocation> locations) {
        this(values, locations, null);
    }

    DraftSample(long[] values, List<DraftLocation> locations, Long bytes) {
        this.values = values;
        this.locations = locations;
        this.bytes = bytes;
    }
}
