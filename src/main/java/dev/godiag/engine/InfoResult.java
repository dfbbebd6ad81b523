package dev.godiag.engine;

import dev.godiag.analysis.profile.ProfileSummary;

import java.util.List;

/** Each profile's summary under its source's name, in the request's order. */
public record InfoResult(List<Entry> profiles, List<String> warnings) {
    public InfoResult {
        profiles = List.copyOf(profiles);
        warnings = List.copyOf(warnings);
    }

    public record Entry(String name, ProfileSummary summary) {
    }
}
