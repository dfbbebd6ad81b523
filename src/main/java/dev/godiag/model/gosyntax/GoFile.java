package dev.godiag.model.gosyntax;

import java.util.Arrays;
import java.util.List;

/**
 * One parsed Go source file.
 *
 * @param path       the file's path as the scan names it (relative to the scanned root, '/'-separated)
 * @param packageName the package clause's name
 * @param imports    every import spec of the file, in order
 * @param decls      the top-level declarations in order (import GenDecls included)
 * @param comments   every comment in order of position
 * @param generated  true when a {@code // Code generated ... DO NOT EDIT.} line comes before the
 *                   package clause, as Go's rule for generated files says
 * @param lineStarts byte offset of the start of each line; line 1 starts at 0
 */
public record GoFile(String path, Expr.Ident packageName, List<Decl.ImportSpec> imports, List<Decl> decls,
                     List<Comment> comments, boolean generated, int[] lineStarts) {

    public GoFile {
        imports = List.copyOf(imports);
        decls = List.copyOf(decls);
        comments = List.copyOf(comments);
    }

    /**
     * A comment: {@code text} as written, with its {@code //} or {@code /* *}{@code /}.
     */
    public record Comment(int pos, String text) {
    }

    /** The 1-based line of a byte offset. */
    public int line(int pos) {
        int i = Arrays.binarySearch(lineStarts, pos);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The 1-based byte column of a byte offset, as Go counts columns. */
    public int column(int pos) {
        return pos - lineStarts[line(pos) - 1] + 1;
    }

    /** The number of lines. */
    public int lineCount() {
        return lineStarts.length;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "GoFile[" + path + "]";
    }
}
