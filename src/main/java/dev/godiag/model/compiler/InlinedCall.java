package dev.godiag.model.compiler;

/** "inlining call to strconv.Itoa": a call site the compiler inlined. */
public record InlinedCall(SourcePos pos, String callee) {
}
