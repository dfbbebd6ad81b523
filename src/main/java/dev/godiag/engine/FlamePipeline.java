package dev.godiag.engine;

import dev.godiag.analysis.profile.CallTree;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.analysis.profile.Stacks;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import dev.godiag.report.FlameHtmlRenderer;
import dev.godiag.report.ProfileLegend;
import dev.godiag.util.Units;

import java.util.ArrayList;
import java.util.List;

/**
 * flame: the profile assembled as top assembles it (label frames, filters), then its call tree
 * for the page or its distinct stacks for the exports. The one place a flame graph page is made,
 * for flame and for diagnose's CPU tab.
 */
final class FlamePipeline {
    private final EngineContext context;

    FlamePipeline(EngineContext context) {
        this.context = context;
    }

    FlameResult run(FlameRequest r) {
        ProfileQuery q = r.query();
        List<String> warnings = new ArrayList<>();
        Profile p = ProfileInputs.withLabelFrames(q, ProfileInputs.assemble(q, context.limits()), "minimum",
                warnings);
        int si = ProfileInputs.about(q, () -> SampleIndex.resolve(p, q.sampleIndex()));
        Profile filtered = q.filters().apply(p, warnings);
        String names = ProfileInputs.title(q.sources());
        return switch (r.format()) {
            case HTML -> graph(filtered, si, q.nodeOptions(), q.tagRoot().size(), q.mean(), r.maxNodes(),
                    r.minFraction(), r.title() != null ? r.title() : names, warnings);
            case PPROF -> new FlameResult.Pprof(filtered, warnings);
            case FOLDED -> new FlameResult.Folded(Stacks.of(filtered, q.nodeOptions()), si, q.mean(), warnings);
            case SPEEDSCOPE -> new FlameResult.Speedscope(Stacks.of(filtered, q.nodeOptions()),
                    filtered.sampleTypes(), si, names, q.mean(), context.version(), warnings);
        };
    }

    /** The page of a profile already read, with flame's defaults; titled by the inputs' names ("-": stdin). */
    FlameResult.Graph graph(Profile p, List<String> inputNames) {
        int si = SampleIndex.resolve(p, null);
        String title = String.join(" ", inputNames.stream()
                .map(n -> ProfileInputs.baseName(ProfileLoader.displayName(n))).toList());
        return graph(p, si, NodeOptions.DEFAULT, 0, false, FlameRequest.DEFAULT_MAX_NODES, 0, title, List.of());
    }

    private FlameResult.Graph graph(Profile p, int si, NodeOptions options, int tagLevels, boolean mean,
                                    int maxNodes, double minFraction, String title, List<String> warnings) {
        CallTree tree = CallTree.of(p, si, options, tagLevels).truncate(maxNodes, minFraction, si);
        return new FlameResult.Graph(tree, page(title, p, tree, si, mean, tagLevels, maxNodes, minFraction),
                warnings);
    }

    /** What a page says about its tree: the title, the legend of the profile it shows, the options. */
    FlameHtmlRenderer.Page page(String title, Profile p, CallTree tree, int si, boolean mean, int tagLevels,
                                int maxNodes, double minFraction) {
        var type = p.sampleTypes().get(si);
        List<String> legend = ProfileLegend.lines(p, type.type(), type.unit(), tree.total(0, si),
                v -> Units.label(v, type.unit()));
        return new FlameHtmlRenderer.Page(title, legend, context.version(), p.sampleTypes(), si, mean, tagLevels,
                maxNodes, minFraction);
    }
}
