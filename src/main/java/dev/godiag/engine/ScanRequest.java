package dev.godiag.engine;

import dev.godiag.format.Source;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to scan of Go source.
 *
 * @param roots      directories (walked) and .go files (scanned as given)
 * @param diffBase   a git revision: only findings on lines changed since it (git diff REV, the
 *                   working tree included); null for all
 * @param profiles   profiles of the service (CPU, allocs/heap, block, mutex) that rank findings by
 *                   the weight of their code; empty for none
 * @param checks     the checks to run by id; empty for all
 * @param scope      which files a walk takes besides ordinary ones
 * @param sourceUrl  a link template for findings ({@code https://github.com/o/r/blob/main/{file}#L{line}},
 *                   {file} relative to the repository's top), or null
 */
public record ScanRequest(List<Path> roots, String diffBase, List<Source> profiles, Set<String> checks,
                          Scope scope, String sourceUrl) {

    /**
     * What a directory walk takes: generated files ({@code // Code generated ... DO NOT EDIT.}),
     * vendor/ and testdata/ directories are skipped by default, _test.go files taken. A file named
     * as a root is always taken.
     */
    public record Scope(boolean generated, boolean vendor, boolean testdata, boolean tests) {
        public static final Scope DEFAULT = new Scope(false, false, false, true);
    }

    public ScanRequest {
        if (roots == null || roots.isEmpty()) {
            throw new InvalidRequestException("scan needs a directory or a .go file");
        }
        roots = List.copyOf(roots);
        profiles = List.copyOf(profiles);
        checks = Set.copyOf(checks);
        Objects.requireNonNull(scope, "scope");
    }

    public static ScanRequest of(List<Path> roots) {
        return new ScanRequest(roots, null, List.of(), Set.of(), Scope.DEFAULT, null);
    }
}
