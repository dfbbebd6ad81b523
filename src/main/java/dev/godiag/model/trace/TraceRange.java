package dev.godiag.model.trace;

/**
 * A begin, an "already active at the generation's start" or an end of a runtime range, as Go's
 * reader names it: "stop-the-world (KIND)" and "GC mark assist" on a goroutine, "GC incremental
 * sweep" on a P, "GC concurrent mark phase" on the whole program (scope "None").
 *
 * @param edge    "RangeBegin", "RangeActive" or "RangeEnd" (Go's event kinds)
 * @param scope   "Goroutine", "Proc" or "None" (the whole program: Go's word)
 * @param scopeId the goroutine or P id; -1 for None
 */
public record TraceRange(long time, String edge, String name, String scope, long scopeId, TraceEvent event) {
}
