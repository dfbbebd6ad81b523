package dev.godiag.cli;

import dev.godiag.analysis.NodeGraph;
import dev.godiag.analysis.SampleIndex;
import dev.godiag.analysis.TopTable;
import dev.godiag.model.Profile;
import dev.godiag.report.TopJsonRenderer;
import dev.godiag.report.TopTextRenderer;
import dev.godiag.report.TopView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "top", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"The hottest functions (or lines, files...) of a profile, as pprof's -top prints them.",
                "pprof's flag spellings work too: -focus=RX, -sample_index=alloc_space, -nodecount=40, -cum, -lines."})
final class TopCommand implements Callable<Integer> {
    @Mixin
    ProfileOptions profile;

    @Option(names = "--nodecount", paramLabel = "N", description = "Show at most N rows (default: all).")
    int nodeCount = 0;

    @Option(names = "--cum", description = "Sort by cumulative value.")
    boolean cum;

    @Option(names = "--flat", description = "Sort by flat value (the default).")
    boolean flat;

    @Option(names = "--nodefraction", paramLabel = "F", description = "Drop nodes below this share of the total (default 0.005).")
    double nodeFraction = 0.005;

    @Option(names = "--edgefraction", paramLabel = "F", description = "Drop edges below this share (default 0.001).")
    double edgeFraction = 0.001;

    @Option(names = "--drop-negative", description = "Leave out nodes with negative values (diffs).")
    boolean dropNegative;

    @Option(names = "--unit", paramLabel = "UNIT", description = "Show values in UNIT (e.g. ms, MB); default: chosen per report.")
    String unit = "minimum";

    @Option(names = "--format", paramLabel = "FMT", description = "text (default, pprof's layout) or json.")
    String format = "text";

    @Override
    public Integer call() {
        OutputFormat fmt = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
        Profile p = profile.load();
        int si = SampleIndex.resolve(p, profile.sampleIndex);
        long total = SampleIndex.total(p, si);
        List<String> warnings = new ArrayList<>();
        Profile filtered = profile.filters().apply(p, warnings);
        NodeGraph graph = NodeGraph.build(filtered, si, profile.nodeOptions());
        TopTable.Options o = new TopTable.Options(nodeCount, nodeFraction, edgeFraction, cum, dropNegative, unit);
        TopTable.Result result = TopTable.compute(graph, total, p.sampleTypes().get(si).unit(), o);
        TopView view = TopView.of(p, si, result, profile.filters().active(), nodeFraction, warnings);
        warnings.forEach(Main::warn);
        Main.out(fmt == OutputFormat.JSON ? TopJsonRenderer.render(view) : TopTextRenderer.render(view));
        return 0;
    }
}
