package dev.godiag.model.compiler;

import java.util.List;

/**
 * One escape fact: where, what (the expression or variable as the compiler prints it), the
 * function when the compiler names it (Go 1.27's "in newBuffer"), the flow that forces it and the
 * reason read from that flow.
 */
public record Escape(SourcePos pos, EscapeKind kind, String what, String function, List<FlowStep> flow,
                     EscapeReason reason) {
    public Escape {
        flow = List.copyOf(flow);
    }
}
