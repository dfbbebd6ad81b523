package dev.godiag.model;

/** A memory mapping of a profiled binary (profile.proto Mapping). Few per profile, so a record. */
public record Mapping(long id, long start, long limit, long offset, String file, String buildId,
                      boolean hasFunctions, boolean hasFilenames, boolean hasLineNumbers,
                      boolean hasInlineFrames) {
    public Mapping {
        file = file == null ? "" : file;
        buildId = buildId == null ? "" : buildId;
    }

    public Mapping withFile(String newFile) {
        return new Mapping(id, start, limit, offset, newFile, buildId, hasFunctions, hasFilenames,
                hasLineNumbers, hasInlineFrames);
    }
}
