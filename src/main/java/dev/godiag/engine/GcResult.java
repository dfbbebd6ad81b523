package dev.godiag.engine;

import dev.godiag.report.GcRenderers;

import java.util.List;

/**
 * One GC report per input, and the readers' warnings ("NAME: warning", in input order), which the
 * text report shows itself and the other formats leave to the surface.
 */
public record GcResult(List<GcRenderers.Report> reports, List<String> warnings) {
    public GcResult {
        reports = List.copyOf(reports);
        warnings = List.copyOf(warnings);
    }
}
