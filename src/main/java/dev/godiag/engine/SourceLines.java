package dev.godiag.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Source files found under a source root by the longest suffix of a finding's file path
 * (example.com/shop/leakysvc/main.go under a checkout of shop/: shop/leakysvc/main.go). One per
 * diagnosis: it caches what it read.
 */
public final class SourceLines {
    /** A file found: where, its path relative to the root, and its lines. */
    public record Resolved(Path file, String relative, List<String> lines) {
        /** Line n (from 1), or null when the file has no such line. */
        public String line(long n) {
            return n >= 1 && n <= lines.size() ? lines.get((int) n - 1) : null;
        }
    }

    /** Lines shown on each side of a finding's line in the source pane. */
    static final int CONTEXT = 6;

    /**
     * The lines around {@code line} of a resolved file, or, with no line, around the declaration of
     * {@code function} (a named function or method; closures have none to find); null when neither.
     *
     * @return {first line number, marked line number, the lines}
     */
    public static Window window(Resolved r, long line, String function) {
        long mark = line >= 1 && line <= r.lines().size() ? line : declaration(r.lines(), function);
        if (mark < 1) {
            return null;
        }
        int from = (int) Math.max(1, mark - CONTEXT);
        int to = (int) Math.min(r.lines().size(), mark + CONTEXT);
        return new Window(from, mark, r.lines().subList(from - 1, to));
    }

    /** Lines of a file around a marked line. */
    public record Window(long first, long mark, List<String> lines) {
    }

    /** The line declaring a Go function or method by its profile name (pkg.Name, pkg.(*T).Name, pkg.T.Name), or 0. */
    public static long declaration(List<String> lines, String function) {
        if (function == null) {
            return 0;
        }
        String name = function.substring(function.lastIndexOf('/') + 1);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^[^.]+\\.(?:\\(?\\*?([A-Za-z_][A-Za-z0-9_]*)(?:\\[[^\\]]*\\])?\\)?\\.)?([A-Za-z_][A-Za-z0-9_]*)$")
                .matcher(name);
        if (!m.matches()) {
            return 0; // a closure (func1), a generic instance or no Go name
        }
        String receiver = m.group(1);
        String method = m.group(2);
        if (method.matches("func\\d+")) {
            return 0; // a closure of the function before it
        }
        java.util.regex.Pattern decl = receiver == null
                ? java.util.regex.Pattern.compile("^func\\s+" + method + "\\s*[\\[(]")
                : java.util.regex.Pattern.compile("^func\\s*\\([^)]*\\b" + receiver + "\\b[^)]*\\)\\s*" + method
                + "\\s*[\\[(]");
        for (int i = 0; i < lines.size(); i++) {
            if (decl.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return 0;
    }

    private final Path root;
    private final Map<String, Resolved> cache = new HashMap<>();

    /** A null root resolves nothing. */
    public SourceLines(Path root) {
        this.root = root;
    }

    /** The file under the root that a profile's file path names, or null. */
    public Resolved resolve(String file) {
        if (root == null) {
            return null;
        }
        return cache.computeIfAbsent(file, this::find);
    }

    private Resolved find(String file) {
        String[] parts = file.replace('\\', '/').split("/");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            String suffix = String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
            try {
                Path p = root.resolve(suffix).normalize();
                if (p.startsWith(root.normalize()) && Files.isRegularFile(p)) {
                    return new Resolved(p, suffix, Files.readAllLines(p, StandardCharsets.UTF_8));
                }
            } catch (IOException | RuntimeException e) {
                // not this one: try a shorter suffix
            }
        }
        return null;
    }
}
