package dev.godiag.testutil;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The shared corpus of real Go data (../shared/corpus from the repository root). */
public final class Corpus {
    private Corpus() {
    }

    public static Path root() {
        Path p = Path.of("../shared/corpus");
        if (!Files.isDirectory(p)) {
            if (Tools.inCi()) {
                throw new AssertionError("the corpus ../shared/corpus is missing in CI");
            }
            Assumptions.abort("corpus ../shared/corpus not present");
        }
        return p;
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }

    /** Files under the corpus whose path (relative, '/'-separated) matches the glob. */
    public static List<Path> glob(String glob) {
        Path root = root();
        var matcher = root.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(f -> matcher.matches(root.relativize(f))).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
