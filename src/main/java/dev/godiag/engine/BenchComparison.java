package dev.godiag.engine;

import dev.godiag.analysis.bench.BenchTables;

import java.util.List;

/** benchstat's tables, and the readers' warnings (malformed lines, each "FILE:LINE: problem"), in file order. */
public record BenchComparison(List<BenchTables.Table> tables, List<String> warnings) {
    public BenchComparison {
        tables = List.copyOf(tables);
        warnings = List.copyOf(warnings);
    }
}
