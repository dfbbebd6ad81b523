package dev.godiag.engine;

import dev.godiag.analysis.profile.CallTree;
import dev.godiag.analysis.profile.ProfileMerger;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.Source;
import dev.godiag.model.Profile;
import dev.godiag.report.DiffRenderers;
import dev.godiag.report.FlameHtmlRenderer;

import java.util.ArrayList;
import java.util.List;

/** diff: BASE and NEW read, compared ({@link Comparison}), and drawn as a diff flame graph when asked. */
final class DiffPipeline {
    private final EngineContext context;

    DiffPipeline(EngineContext context) {
        this.context = context;
    }

    DiffResult run(DiffRequest r) {
        ProfileQuery q = r.query();
        Source baseSource = q.sources().get(0);
        Source newSource = q.sources().get(1);
        String baseName = baseSource.name();
        String newName = newSource.name();
        Profile base = read(baseSource);
        Profile neu = read(newSource);
        List<String> warnings = new ArrayList<>();
        Comparison.Compared c = Comparison.compare(base, neu, new Comparison.Options(baseName + " and " + newName,
                newName, q.normalize(), q.allFrames(), q.sampleIndex(), q.filters(), q.nodeOptions(), baseName,
                newName, r.nodeCount(), r.unit()), warnings);
        DiffResult.FlameGraph page = r.flameGraph() ? flameGraph(r, c, baseName, newName) : null;
        return new DiffResult(c.view(), page, warnings);
    }

    private Profile read(Source s) {
        return Comparison.named(s.name(), () -> ProfileMerger.combine(List.of(ProfileLoader.load(s,
                context.limits()))));
    }

    private DiffResult.FlameGraph flameGraph(DiffRequest r, Comparison.Compared c, String baseName, String newName) {
        var p = c.prepared();
        int si = c.sampleIndex();
        // width is NEW as read, so the base side is scaled to NEW's total (not NEW to BASE's)
        Profile rawNew = r.query().filters().apply(p.newRaw(), new ArrayList<>());
        CallTree tree = CallTree.of(List.of(rawNew, c.filteredBase()), si, r.query().nodeOptions(), 0)
                .truncate(r.maxNodes(), 0, si);
        int k = p.neu().sampleTypes().size();
        double[] scale = new double[k];
        for (int t = 0; t < k; t++) {
            scale[t] = p.scales()[t] == 0 ? 1 : 1 / p.scales()[t];
        }
        String title = r.title() != null ? r.title() : baseName + " → " + newName;
        // the page says itself which base and how it was scaled
        FlameHtmlRenderer.Page page = new FlamePipeline(context).page(title, rawNew, tree, si, false, 0,
                r.maxNodes(), 0);
        var diff = new FlameHtmlRenderer.Diff(baseName, p.normalized(), scale, DiffRenderers.json(c.view()));
        return new DiffResult.FlameGraph(tree, page, diff);
    }
}
