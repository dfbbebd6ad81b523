package dev.godiag.engine;

import dev.godiag.analysis.profile.NodeGraph;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.analysis.profile.TopTable;
import dev.godiag.model.Profile;
import dev.godiag.report.TopView;

import java.util.ArrayList;
import java.util.List;

/** top: the profile assembled, label frames added, filtered, as report nodes, pprof's table. */
final class TopPipeline {
    private final EngineContext context;

    TopPipeline(EngineContext context) {
        this.context = context;
    }

    TopResult run(TopRequest r) {
        ProfileQuery q = r.query();
        List<String> warnings = new ArrayList<>();
        Profile p = ProfileInputs.withLabelFrames(q, ProfileInputs.assemble(q, context.limits()), r.unit(), warnings);
        int si = ProfileInputs.about(q, () -> SampleIndex.resolve(p, q.sampleIndex()));
        // pprof's -mean: values over the sample count, which is the first value
        int divisor = q.mean() ? 0 : -1;
        Profile filtered = q.filters().apply(p, warnings);
        // pprof takes the total before the filters, unless percentages are to be relative to them
        long total = SampleIndex.total(r.relativePercentages() ? filtered : p, si, divisor);
        NodeGraph graph = NodeGraph.build(filtered, si, divisor, q.nodeOptions());
        TopTable.Options o = new TopTable.Options(r.nodeCount(), r.nodeFraction(), r.edgeFraction(), r.cum(),
                r.dropNegative(), r.unit(), 1 / r.divideBy());
        TopTable.Result result = TopTable.compute(graph, total, p.sampleTypes().get(si).unit(), o);
        TopView view = TopView.of(p, si, q.mean(), result, q.filters().active(), r.nodeFraction(), r.compactLabels(),
                warnings);
        return new TopResult(view, warnings);
    }
}
