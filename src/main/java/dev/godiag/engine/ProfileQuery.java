package dev.godiag.engine;

import dev.godiag.analysis.profile.Filters;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.format.Source;
import dev.godiag.util.BadInputException;

import java.util.List;

/**
 * What to read and how to see it, shared by the profile reports (top, flame, diff, merge): pprof's
 * one configuration, whatever surface fills it (flags, URL parameters, a YAML file).
 *
 * @param sources     the profiles, merged (diff: exactly BASE and NEW)
 * @param bases       profiles to subtract (pprof's -base), or to compare with when {@code diffBase}
 * @param diffBase    the bases are pprof's -diff_base: percentages relative to them
 * @param normalize   scale the sources to the bases' total first (diff: NEW to BASE's)
 * @param sampleIndex the sample type to report ("alloc_space", "1"); empty: the profile's default
 * @param mean        values divided by the sample count (pprof's -mean)
 * @param filters     pprof's focus/ignore/hide/show/show_from/prune_from and tag filters
 * @param tagRoot     label keys whose values become root frames (pprof's -tagroot)
 * @param tagLeaf     label keys whose values become leaf frames (pprof's -tagleaf)
 * @param nodeOptions granularity, inlining, columns, trimmed paths
 * @param allFrames   keep the frames the profile says to drop (drop_frames, keep_frames)
 * @param addComment  a comment added to the profile's header (empty: none)
 */
public record ProfileQuery(List<Source> sources, List<Source> bases, boolean diffBase, boolean normalize,
                           String sampleIndex, boolean mean, Filters filters, List<String> tagRoot,
                           List<String> tagLeaf, NodeOptions nodeOptions, boolean allFrames, String addComment) {
    public ProfileQuery {
        if (sources == null || sources.isEmpty()) {
            throw new BadInputException("no profile given");
        }
        sources = List.copyOf(sources);
        bases = bases == null ? List.of() : List.copyOf(bases);
        sampleIndex = sampleIndex == null ? "" : sampleIndex;
        filters = filters == null ? Filters.NONE : filters;
        tagRoot = tagRoot == null ? List.of() : List.copyOf(tagRoot);
        tagLeaf = tagLeaf == null ? List.of() : List.copyOf(tagLeaf);
        nodeOptions = nodeOptions == null ? NodeOptions.DEFAULT : nodeOptions;
        addComment = addComment == null ? "" : addComment;
    }

    /** The sources with every option at pprof's default. */
    public static ProfileQuery of(List<Source> sources) {
        return new ProfileQuery(sources, List.of(), false, false, "", false, Filters.NONE, List.of(), List.of(),
                NodeOptions.DEFAULT, false, "");
    }

    public static ProfileQuery of(Source... sources) {
        return of(List.of(sources));
    }

    public ProfileQuery withBases(List<Source> b, boolean asDiffBase) {
        return new ProfileQuery(sources, b, asDiffBase, normalize, sampleIndex, mean, filters, tagRoot, tagLeaf,
                nodeOptions, allFrames, addComment);
    }

    public ProfileQuery withNormalize(boolean n) {
        return new ProfileQuery(sources, bases, diffBase, n, sampleIndex, mean, filters, tagRoot, tagLeaf,
                nodeOptions, allFrames, addComment);
    }

    public ProfileQuery withSampleIndex(String index, boolean asMean) {
        return new ProfileQuery(sources, bases, diffBase, normalize, index, asMean, filters, tagRoot, tagLeaf,
                nodeOptions, allFrames, addComment);
    }

    public ProfileQuery withFilters(Filters f) {
        return new ProfileQuery(sources, bases, diffBase, normalize, sampleIndex, mean, f, tagRoot, tagLeaf,
                nodeOptions, allFrames, addComment);
    }

    public ProfileQuery withLabelFrames(List<String> rootKeys, List<String> leafKeys) {
        return new ProfileQuery(sources, bases, diffBase, normalize, sampleIndex, mean, filters, rootKeys, leafKeys,
                nodeOptions, allFrames, addComment);
    }

    public ProfileQuery withNodeOptions(NodeOptions o) {
        return new ProfileQuery(sources, bases, diffBase, normalize, sampleIndex, mean, filters, tagRoot, tagLeaf, o,
                allFrames, addComment);
    }

    public ProfileQuery withAllFrames(boolean all) {
        return new ProfileQuery(sources, bases, diffBase, normalize, sampleIndex, mean, filters, tagRoot, tagLeaf,
                nodeOptions, all, addComment);
    }

    public ProfileQuery withComment(String comment) {
        return new ProfileQuery(sources, bases, diffBase, normalize, sampleIndex, mean, filters, tagRoot, tagLeaf,
                nodeOptions, allFrames, comment);
    }
}
