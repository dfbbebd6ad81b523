package dev.godiag.model.compiler;

import java.util.ArrayList;
import java.util.List;

/**
 * What the Go compiler said of a build: escapes, inlining decisions, inlined calls and bounds
 * checks, each keyed by file:line:column, in the order read.
 */
public record CompilerDiagnostics(List<Escape> escapes, List<InlineDecision> inlining, List<InlinedCall> inlinedCalls,
                                  List<BoundsCheck> boundsChecks) {
    public CompilerDiagnostics {
        escapes = List.copyOf(escapes);
        inlining = List.copyOf(inlining);
        inlinedCalls = List.copyOf(inlinedCalls);
        boundsChecks = List.copyOf(boundsChecks);
    }

    public boolean isEmpty() {
        return escapes.isEmpty() && inlining.isEmpty() && inlinedCalls.isEmpty() && boundsChecks.isEmpty();
    }

    /** Several logs of one build (-m text, JSON files of its packages, a BCE log) as one. */
    public static CompilerDiagnostics merge(List<CompilerDiagnostics> parts) {
        List<Escape> e = new ArrayList<>();
        List<InlineDecision> i = new ArrayList<>();
        List<InlinedCall> c = new ArrayList<>();
        List<BoundsCheck> b = new ArrayList<>();
        for (CompilerDiagnostics p : parts) {
            e.addAll(p.escapes);
            i.addAll(p.inlining);
            c.addAll(p.inlinedCalls);
            b.addAll(p.boundsChecks);
        }
        return new CompilerDiagnostics(e, i, c, b);
    }
}
