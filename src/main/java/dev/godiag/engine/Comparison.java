package dev.godiag.engine;

import dev.godiag.analysis.profile.Filters;
import dev.godiag.analysis.profile.NodeGraph;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.ProfileDiff;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.model.Profile;
import dev.godiag.report.DiffView;
import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * The one comparison of two profiles that diff and impact share: both sides brought to the same
 * units (NEW scaled to BASE's total when normalized), filtered, made report nodes and compared
 * node by node into the gainers and losers.
 */
final class Comparison {
    private Comparison() {
    }

    /**
     * How to compare.
     *
     * @param pair             names both sides in errors about them together ("a.pprof and b.pprof")
     * @param sampleIndexOwner names the side errors about the sample index are about; null: none
     */
    record Options(String pair, String sampleIndexOwner, boolean normalize, boolean allFrames, String sampleIndex,
                   Filters filters, NodeOptions nodeOptions, String baseName, String newName, int nodeCount,
                   String unit) {
    }

    /**
     * @param prepared     the sides as compared, and NEW as read
     * @param filteredBase BASE after the filters
     */
    record Compared(ProfileDiff.Prepared prepared, int sampleIndex, Profile filteredBase, ProfileDiff.Result result,
                    DiffView view) {
    }

    /** Compares; the filters' warnings (about BASE: one per filter is enough) go to warnings. */
    static Compared compare(Profile base, Profile neu, Options o, List<String> warnings) {
        ProfileDiff.Prepared p;
        try {
            p = ProfileDiff.prepare(base, neu, o.normalize(), o.allFrames());
        } catch (BadInputException e) {
            throw new BadInputException(o.pair() + ": " + e.getMessage(), e);
        }
        int si = o.sampleIndexOwner() == null ? SampleIndex.resolve(p.neu(), o.sampleIndex())
                : named(o.sampleIndexOwner(), () -> SampleIndex.resolve(p.neu(), o.sampleIndex()));
        Profile fb = o.filters().apply(p.base(), warnings);
        Profile fn = o.filters().apply(p.neu(), new ArrayList<>());
        NodeGraph gb = NodeGraph.build(fb, si, o.nodeOptions());
        NodeGraph gn = NodeGraph.build(fn, si, o.nodeOptions());
        var type = p.neu().sampleTypes().get(si);
        ProfileDiff.Result result = ProfileDiff.compare(gb, gn, type.type(), type.unit(), p.normalized(),
                p.scales()[si], SampleIndex.total(p.base(), si), SampleIndex.total(p.neu(), si),
                SampleIndex.total(p.newRaw(), si));
        DiffView view = DiffView.of(result, o.baseName(), o.newName(), o.nodeCount(), o.unit());
        return new Compared(p, si, fb, result, view);
    }

    /** Names the input in an error that is about it alone (unless the message does already). */
    static <T> T named(String name, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (BadInputException e) {
            String prefix = name + ": ";
            if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
                throw e;
            }
            throw new BadInputException(prefix + e.getMessage(), e);
        }
    }
}
