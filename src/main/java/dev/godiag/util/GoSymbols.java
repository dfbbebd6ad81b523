package dev.godiag.util;

import java.util.Set;

/** What a Go function name says about its code: the package, and whose code it is. */
public final class GoSymbols {
    /** Whose code a frame runs: the runtime, the standard library, the program's own (or its modules). */
    public enum Kind {
        OWN, STDLIB, RUNTIME
    }

    /** First elements of the standard library's import paths (Go 1.19 to 1.27). */
    private static final Set<String> STD_ROOTS = Set.of("archive", "arena", "bufio", "bytes", "cmp", "compress",
            "container", "context", "crypto", "database", "debug", "embed", "encoding", "errors", "expvar", "flag",
            "fmt", "go", "hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math", "mime",
            "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort", "strconv", "strings",
            "structs", "sync", "syscall", "testing", "text", "time", "unicode", "unique", "unsafe", "vendor", "weak");

    private GoSymbols() {
    }

    /**
     * The import path of a Go function's package: "net/http" for "net/http.(*conn).serve",
     * "github.com/a/b" for "github.com/a/b.F[go.shape.int]"; "" when the name has none.
     */
    public static String packageOf(String function) {
        int bracket = function.indexOf('[');
        int end = bracket >= 0 ? bracket : function.length();
        int slash = function.lastIndexOf('/', end - 1);
        int dot = function.indexOf('.', slash + 1);
        if (dot < 0 || dot >= end) {
            return "";
        }
        return function.substring(0, dot);
    }

    /** The kind of code of a package path. */
    public static Kind kindOf(String pkg) {
        if (pkg.equals("runtime") || pkg.startsWith("runtime/") || pkg.startsWith("internal/runtime/")) {
            return Kind.RUNTIME;
        }
        int slash = pkg.indexOf('/');
        String root = slash < 0 ? pkg : pkg.substring(0, slash);
        return STD_ROOTS.contains(root) ? Kind.STDLIB : Kind.OWN;
    }
}
