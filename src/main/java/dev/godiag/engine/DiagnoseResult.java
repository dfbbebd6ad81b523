package dev.godiag.engine;

import dev.godiag.report.DiagnosisRenderers;

import java.util.List;

/**
 * What a diagnosis gives the surface to lay out.
 *
 * @param report        the inputs and the findings shown, resolved (source lines, links, cards)
 * @param tabs          the joined page's tabs, when asked for
 * @param warnings      what the user should know that is no finding (a tab that could not be made)
 * @param failOnReached whether a finding reached the request's fail-on severity
 */
public record DiagnoseResult(DiagnosisRenderers.Report report, List<DiagnosisRenderers.Tab> tabs,
                             List<String> warnings, boolean failOnReached) {
    public DiagnoseResult {
        tabs = List.copyOf(tabs);
        warnings = List.copyOf(warnings);
    }
}
