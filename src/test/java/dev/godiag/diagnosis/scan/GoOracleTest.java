package dev.godiag.diagnosis.scan;

import dev.godiag.format.gosyntax.GoParser;
import dev.godiag.model.gosyntax.Expr;
import dev.godiag.model.gosyntax.GoFile;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Where Go's own tools can say the same thing, they do: go vet's copylocks, and unsafe.Sizeof. */
class GoOracleTest {
    private static final Pattern VET_LINE = Pattern.compile("^\\.?/?([\\w./-]+\\.go):(\\d+):\\d+: ", Pattern.MULTILINE);

    @Test
    void lockCopiesAreTheLinesGoVetCopylocksReports(@TempDir Path tmp) throws Exception {
        Path dir = copyFixture("lockcopy", tmp, null);
        String vet = run(dir, Tools.go127().toString(), "vet", "-copylocks", ".");
        Set<String> vetLines = new TreeSet<>();
        Matcher m = VET_LINE.matcher(vet);
        while (m.find()) {
            vetLines.add("lockcopy/" + Path.of(m.group(1)).getFileName() + ":" + m.group(2));
        }
        Set<String> ours = ScanFixtures.scan("scan.lock-copy", "lockcopy").stream()
                .map(f -> f.file() + ":" + f.line()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(vetLines).as(vet).hasSize(8);
        assertThat(ours).isEqualTo(vetLines);
    }

    @Test
    void structSizesAreWhatUnsafeSizeofSays(@TempDir Path tmp) throws Exception {
        List<String> types = List.of("header", "request", "block", "small", "justUnder", "withUnknown");
        Path dir = copyFixture("rangecopy", tmp, "main");
        StringBuilder main = new StringBuilder("package main\n\nimport (\n\t\"fmt\"\n\t\"unsafe\"\n)\n\nfunc main() {\n");
        for (String t : types) {
            main.append("\tfmt.Println(unsafe.Sizeof(").append(t).append("{}))\n");
        }
        main.append("}\n");
        Files.writeString(dir.resolve("sizes_main.go"), main.toString());
        List<Long> real = run(dir, Tools.go127().toString(), "run", ".").lines().map(String::trim).map(Long::parseLong)
                .toList();

        List<GoFile> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(ScanFixtures.dir("rangecopy"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".go")).sorted().toList()) {
                files.add(GoParser.parse(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        GoPackage pkg = GoPackage.of("rangecopy", "rangecopy", files);
        FileScan scan = new FileScan(files.get(0), pkg, new Suppressions(files.get(0), Set.of()), f -> { });
        for (int i = 0; i < types.size(); i++) {
            LocalTypes.Size size = LocalTypes.sizeOf(scan, new Expr.Ident(0, types.get(i)));
            if (size.exact()) {
                assertThat(size.bytes()).as(types.get(i)).isEqualTo(real.get(i));
            } else {
                assertThat(size.bytes()).as(types.get(i) + " (a lower bound)").isLessThanOrEqualTo(real.get(i));
            }
        }
        assertThat(LocalTypes.sizeOf(scan, new Expr.Ident(0, "withUnknown")).exact()).isFalse();
        assertThat(LocalTypes.sizeOf(scan, new Expr.Ident(0, "request")).exact()).isTrue();
    }

    /** The fixture's files in a module of their own (with the package renamed when asked). */
    private static Path copyFixture(String name, Path tmp, String packageName) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("go.mod"), "module example.com/" + name + "\n\ngo 1.22\n");
        try (Stream<Path> s = Files.list(ScanFixtures.dir(name))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".go")).toList()) {
                String src = Files.readString(p);
                if (packageName != null) {
                    src = src.replaceFirst("(?m)^package \\w+", "package " + packageName);
                }
                Files.writeString(dir.resolve(p.getFileName()), src);
            }
        }
        return dir;
    }

    /** Runs a go command in the directory; its combined output (vet reports on stderr and exits 1). */
    private static String run(Path dir, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        GoFixtures.goEnvironment(pb);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("go finished").isTrue();
        return out;
    }
}
