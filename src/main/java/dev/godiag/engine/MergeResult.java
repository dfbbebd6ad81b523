package dev.godiag.engine;

import dev.godiag.model.Profile;

import java.util.List;

/** The merged profile, for a profile.proto writer, and notes for the user. */
public record MergeResult(Profile profile, List<String> warnings) {
    public MergeResult {
        warnings = List.copyOf(warnings);
    }
}
