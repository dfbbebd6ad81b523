package dev.godiag.model.compiler;

/**
 * The inliner's word on one function, at its declaration: inlinable or not, its cost and the
 * budget when the compiler says them (-1 when not), and why not ("marked go:noinline",
 * "function too complex: cost 123 exceeds budget 80"). The JSON form does not name the function
 * ("" then): its declaration's place identifies it.
 */
public record InlineDecision(SourcePos pos, String function, boolean inlinable, int cost, int budget, String reason) {
}
