package dev.godiag.engine;

import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.analysis.trace.TraceAnalyzer;
import dev.godiag.format.trace.TraceSources;
import dev.godiag.model.trace.TraceSummary;

import java.util.List;

/** godiag trace: one pass over an execution trace, every analysis fed each generation in turn. */
public final class TracePipeline {
    private final EngineContext ctx;

    public TracePipeline(EngineContext ctx) {
        this.ctx = ctx;
    }

    public TraceResult run(TraceRequest r) {
        TraceAnalyzer analyzer = new TraceAnalyzer(r.source().name());
        TraceSummary summary = TraceSources.read(r.source(), ctx.limits(), analyzer::accept);
        TraceAnalysis analysis = analyzer.finish(summary.minor(), summary.warning());
        return new TraceResult(analysis, summary.warning().map(w -> r.source().name() + ": " + w).stream().toList());
    }
}
