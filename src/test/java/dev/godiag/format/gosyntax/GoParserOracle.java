package dev.godiag.format.gosyntax;

import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs go/parser (testdata/gen/astdump, built with Go 1.27 unless told) and godiag's parser over the same
 * files and compares: both reject a file, or both accept it with the same tree dump.
 */
final class GoParserOracle {
    private GoParserOracle() {
    }

    /** What go/parser said of a file: its tree dump, or the line and column of its first error. */
    record Verdict(Path file, List<String> dump, int errorLine) {
        boolean rejected() {
            return errorLine > 0;
        }
    }

    record Comparison(int files, int rejectedByGo, List<String> mismatches) {
    }

    /** The Go 1.27 source tree (GOROOT/src). */
    static Path goSourceTree() throws IOException {
        return Tools.go127().toRealPath().getParent().getParent().resolve("src").toRealPath();
    }

    /** go/parser's verdict on each file, in order. */
    static List<Verdict> goParser(List<Path> files) throws IOException, InterruptedException {
        List<Verdict> verdicts = new ArrayList<>();
        compare(Tools.go127(), files, verdicts::add);
        return verdicts;
    }

    /** Compares godiag's parser with Go 1.27's go/parser on every file; at most 20 mismatches are described. */
    static Comparison compare(List<Path> files) throws IOException, InterruptedException {
        return compare(Tools.go127(), files);
    }

    /** The same with the go/parser of the given go command. */
    static Comparison compare(Path go, List<Path> files) throws IOException, InterruptedException {
        List<String> mismatches = new ArrayList<>();
        int[] rejected = {0};
        int[] count = {0};
        compare(go, files, verdict -> {
            count[0]++;
            if (verdict.rejected()) {
                rejected[0]++;
            }
            String problem = difference(verdict);
            if (problem != null && mismatches.size() < 20) {
                mismatches.add(problem);
            }
        });
        return new Comparison(count[0], rejected[0], mismatches);
    }

    private static String difference(Verdict go) {
        byte[] source;
        try {
            source = Files.readAllBytes(go.file());
        } catch (IOException e) {
            return go.file() + ": " + e;
        }
        List<String> ours;
        try {
            ours = TreeDump.of(GoParser.parse(go.file().toString(), source));
        } catch (GoSyntaxException e) {
            return go.rejected() ? null : go.file() + ": go/parser accepts it, godiag says " + e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            return go.file() + ": godiag's parser threw " + e;
        }
        if (go.rejected()) {
            return go.file() + ": go/parser rejects it at line " + go.errorLine() + ", godiag accepts it";
        }
        List<String> want = go.dump();
        int i = 0;
        while (i < want.size() && i < ours.size() && want.get(i).equals(ours.get(i))) {
            i++;
        }
        if (i == want.size() && i == ours.size()) {
            return null;
        }
        return go.file() + ": line " + (i + 1) + " of the dumps differs: go/parser "
                + (i < want.size() ? want.get(i) : "<end>") + ", godiag " + (i < ours.size() ? ours.get(i) : "<end>");
    }

    private static void compare(Path go, List<Path> files, Consumer<Verdict> each)
            throws IOException, InterruptedException {
        Path astdump = GoFixtures.build(go, "astdump");
        Path list = Files.createTempFile("astdump", ".list");
        try {
            Files.write(list, files.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(astdump.toString()).redirectInput(list.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int index = 0;
            // a lenient decoder: literals and comments may hold invalid UTF-8, decoded alike on both sides
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8),
                    1 << 16)) {
                String line = r.readLine();
                while (line != null) {
                    if (!line.startsWith("=== ")) {
                        throw new AssertionError("astdump: unexpected line " + line);
                    }
                    Path file = files.get(index++);
                    if (!line.substring(4).equals(file.toString())) {
                        throw new AssertionError("astdump: out of step at " + line);
                    }
                    List<String> dump = new ArrayList<>();
                    while ((line = r.readLine()) != null && !line.startsWith("=== ")) {
                        dump.add(line);
                    }
                    int errorLine = 0;
                    if (!dump.isEmpty() && dump.get(0).startsWith("ERROR ")) {
                        String at = dump.get(0).substring(6);
                        errorLine = Integer.parseInt(at.substring(0, at.indexOf(':')));
                    }
                    each.accept(new Verdict(file, dump, errorLine));
                }
            }
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("astdump hangs");
            }
            if (p.exitValue() != 0 || index != files.size()) {
                throw new AssertionError("astdump exited " + p.exitValue() + " after " + index + " of " + files.size());
            }
        } finally {
            Files.deleteIfExists(list);
        }
    }
}
