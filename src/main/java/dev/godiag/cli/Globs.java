package dev.godiag.cli;

import dev.godiag.util.BadInputException;
import dev.godiag.format.InputSource;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands file name patterns ('profiles/cpu-*.pprof') the shell left alone (quoted, or on a
 * platform without globbing). Patterns match file names in one directory, sorted; a pattern that
 * matches nothing is an error. Existing files, URLs and '-' are taken as they are.
 */
final class Globs {
    private Globs() {
    }

    static List<String> expand(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (a.equals("-") || InputSource.isUrl(a) || !isPattern(a) || Files.exists(Path.of(a))) {
                out.add(a);
                continue;
            }
            Path p = Path.of(a);
            Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
            if (isPattern(dir.toString())) {
                throw new BadInputException(a + ": patterns may only be in the file name, not the directory");
            }
            List<String> matches = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p.getFileName().toString())) {
                for (Path m : ds) {
                    if (Files.isRegularFile(m)) {
                        matches.add(p.getParent() == null ? m.getFileName().toString() : m.toString());
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new BadInputException(a + ": cannot expand the pattern: " + e.getMessage());
            }
            if (matches.isEmpty()) {
                throw new BadInputException(a + ": no file matches");
            }
            matches.sort(null);
            out.addAll(matches);
        }
        return out;
    }

    private static boolean isPattern(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }
}
