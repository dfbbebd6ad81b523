package dev.godiag.analysis.profile;

import dev.godiag.model.Profile;

import java.util.ArrayList;
import java.util.List;

/**
 * The profile a report is made from, assembled as pprof assembles it from its command line:
 * the sources merged, the bases merged and subtracted (-base) or compared (-diff_base), the
 * function names demangled and simplified, the profile's own uninteresting frames dropped, a
 * comment added.
 */
public final class ReportSource {
    private ReportSource() {
    }

    public static Profile assemble(List<Profile> sources, List<Profile> bases, boolean diffBase, boolean normalize,
                                   boolean allFrames, String comment) {
        return assemble(sources, bases, diffBase, normalize, allFrames, comment, true);
    }

    /**
     * @param pprofNames demangle and simplify function names as pprof does; false keeps them as
     *                   written, for a profile meant for Go's compiler (PGO), which matches the
     *                   names the runtime wrote ("main.Apply[go.shape.func(int) int]")
     */
    public static Profile assemble(List<Profile> sources, List<Profile> bases, boolean diffBase, boolean normalize,
                                   boolean allFrames, String comment, boolean pprofNames) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no source profiles");
        }
        if (normalize && bases.isEmpty()) {
            throw new dev.godiag.util.BadInputException("must have base profile to normalize by");
        }
        Profile p = ProfileMerger.combine(sources);
        if (!bases.isEmpty()) {
            p = ProfileMerger.withBase(p, ProfileMerger.combine(bases), diffBase, normalize);
        }
        if (pprofNames) {
            // pprof's symbolizer runs on the merged profile, before frames are dropped by name
            p = FunctionNames.simplify(p);
        }
        if (!allFrames) {
            p = FramePruner.removeUninteresting(p);
        }
        if (comment != null && !comment.isEmpty()) {
            List<String> comments = new ArrayList<>(p.comments());
            comments.add(comment);
            p = p.withComments(comments);
        }
        return p;
    }
}
