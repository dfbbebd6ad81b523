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
