package dev.godiag.model;

/**
 * What a runtime-statistics input turned out to be: a gctrace/schedtrace log ({@link GcTrace}), an
 * expvar {@code /debug/vars} snapshot ({@link ExpvarSnapshot}) or a Prometheus text exposition
 * ({@link PromMetrics}).
 */
public sealed interface RuntimeInput permits GcTrace, ExpvarSnapshot, PromMetrics {
    /** The name of the source (file, {@code -} or URL) as shown to the user. */
    String source();
}
