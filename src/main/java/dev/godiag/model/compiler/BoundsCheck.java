package dev.godiag.model.compiler;

/** A bounds check the compiler left in ({@code -d=ssa/check_bce/debug=1}): an index, or a slice expression. */
public record BoundsCheck(SourcePos pos, boolean slice) {
}
