package dev.godiag.engine;

import dev.godiag.analysis.profile.CallTree;
import dev.godiag.report.DiffView;
import dev.godiag.report.FlameHtmlRenderer;

import java.util.List;

/**
 * A diff to lay out: the gainers and losers, and the diff flame graph page when asked for (else
 * null).
 */
public record DiffResult(DiffView view, FlameGraph flameGraph, List<String> warnings) {
    public DiffResult {
        warnings = List.copyOf(warnings);
    }

    /** The page: NEW's tree with BASE as its second half of columns. */
    public record FlameGraph(CallTree tree, FlameHtmlRenderer.Page page, FlameHtmlRenderer.Diff diff) {
    }
}
