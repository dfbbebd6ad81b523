package dev.godiag.engine;

import dev.godiag.report.ImpactReport;

import java.util.List;

/** The upgrade report to lay out, and the benchmark files' malformed lines as warnings. */
public record ImpactResult(ImpactReport report, List<String> warnings) {
    public ImpactResult {
        warnings = List.copyOf(warnings);
    }
}
