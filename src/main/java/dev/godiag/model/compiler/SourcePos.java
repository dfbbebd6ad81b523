package dev.godiag.model.compiler;

/**
 * A place in Go source as the compiler names it: the file as printed ("./main.go",
 * "example.com/app/main.go" under -trimpath, or an absolute path), a 1-based line and column.
 */
public record SourcePos(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
