package dev.godiag.analysis.compiler;

/**
 * Whether a file the compiler names and a file a profile names are one file. The compiler prints
 * "./main.go" (relative to where go build ran), "example.com/app/main.go" (-trimpath, Go 1.27) or
 * an absolute path (its JSON files); a profile names "example.com/app/main.go" (-trimpath) or an
 * absolute path. They are one file when one path is a suffix of the other by whole components, or
 * when at least their directory and file name agree (an absolute path and a module path). A bare
 * "./main.go" names a file of the user's package, never one of the standard library's
 * ("./server.go" is not net/http/server.go): a profile path whose first element has no dot and
 * that is not absolute is the standard library's.
 */
public final class CompilerFiles {
    private CompilerFiles() {
    }

    public static boolean same(String compilerFile, String profileFile) {
        String[] a = components(compilerFile);
        String[] b = components(profileFile);
        int common = 0;
        while (common < a.length && common < b.length
                && a[a.length - 1 - common].equals(b[b.length - 1 - common])) {
            common++;
        }
        if (common == 1 && a.length == 1 && isStandardLibrary(profileFile)) {
            return false;
        }
        return common > 0 && (common == Math.min(a.length, b.length) || common >= 2);
    }

    private static boolean isStandardLibrary(String path) {
        String p = path.replace('\\', '/');
        int slash = p.indexOf('/');
        return slash > 0 && !p.startsWith("/") && p.indexOf(':') < 0 && p.substring(0, slash).indexOf('.') < 0;
    }

    private static String[] components(String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() ? new String[0] : p.split("/+");
    }
}
