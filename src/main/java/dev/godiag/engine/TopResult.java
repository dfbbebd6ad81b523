package dev.godiag.engine;

import dev.godiag.report.TopView;

import java.util.List;

/** A top report to lay out, and what the surface should tell the user beside it (filters that matched nothing). */
public record TopResult(TopView view, List<String> warnings) {
    public TopResult {
        warnings = List.copyOf(warnings);
    }
}
