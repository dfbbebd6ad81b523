package dev.godiag.engine;

import dev.godiag.analysis.trace.TraceAnalysis;

import java.util.List;

/** The analysis of one trace and the reader's warnings ("NAME: warning"). */
public record TraceResult(TraceAnalysis analysis, List<String> warnings) {
    public TraceResult {
        warnings = List.copyOf(warnings);
    }
}
