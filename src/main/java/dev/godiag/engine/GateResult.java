package dev.godiag.engine;

import dev.godiag.analysis.bench.GateEvaluation;

import java.util.List;

/**
 * The gate's verdict per metric (and the memory trend), and the warnings of reading the inputs
 * ("godiag: warning: ...", candidate first).
 */
public record GateResult(GateEvaluation.Result evaluation, List<String> warnings) {
    public GateResult {
        warnings = List.copyOf(warnings);
    }

    public boolean pass() {
        return evaluation.pass();
    }
}
