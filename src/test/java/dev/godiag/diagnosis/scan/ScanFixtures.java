package dev.godiag.diagnosis.scan;

import dev.godiag.format.gosyntax.GoParser;
import dev.godiag.model.gosyntax.GoFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Go fixtures of the source checks (test resources dev/godiag/diagnosis/scan/DIR/*.go, one
 * package per directory) and their expectations: a line that should have a finding carries
 * {@code // want "text" ["text" ...]}, one quoted part of the message per finding on that line, as
 * Go's analysistest does; every other line must have none.
 */
final class ScanFixtures {
    private static final Pattern WANT = Pattern.compile("// want ((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*)+)$");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private ScanFixtures() {
    }

    static Path dir(String name) {
        try {
            return Path.of(ScanFixtures.class.getResource("/dev/godiag/diagnosis/scan/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The findings of one check over a fixture directory's package. */
    static List<ScanFinding> scan(String check, String name) {
        Path dir = dir(name);
        List<GoFile> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".go")).sorted().toList()) {
                files.add(GoParser.parse(name + "/" + p.getFileName(), Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GoPackage pkg = GoPackage.of(name, files.get(0).packageName().name(), files);
        return SourceChecks.shipped().only(Set.of(check)).scan(pkg).findings();
    }

    /** "file:line" of each want comment, with the texts it wants, in order. */
    static Map<String, List<String>> wants(String name) {
        Map<String, List<String>> wants = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir(name))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".go")).sorted().toList()) {
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = WANT.matcher(lines.get(i));
                    if (m.find()) {
                        List<String> texts = new ArrayList<>();
                        Matcher q = QUOTED.matcher(m.group(1));
                        while (q.find()) {
                            texts.add(q.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
                        }
                        wants.put(name + "/" + p.getFileName() + ":" + (i + 1), texts);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return wants;
    }

    /**
     * Runs the check over the fixture and asserts that its findings are exactly the wanted ones:
     * the same lines, each message containing its wanted text. Returns the findings.
     */
    static List<ScanFinding> assertWants(String check, String name) {
        List<ScanFinding> findings = scan(check, name);
        Map<String, List<String>> found = new TreeMap<>();
        for (ScanFinding f : findings) {
            assertThat(f.check().id()).isEqualTo(check);
            found.computeIfAbsent(f.file() + ":" + f.line(), k -> new ArrayList<>()).add(f.message());
        }
        Map<String, List<String>> wants = wants(name);
        assertThat(found.keySet()).as("lines with findings (messages: %s)", found).isEqualTo(wants.keySet());
        for (var e : wants.entrySet()) {
            List<String> messages = found.get(e.getKey());
            assertThat(messages).as(e.getKey()).hasSameSizeAs(e.getValue());
            for (int i = 0; i < messages.size(); i++) {
                assertThat(messages.get(i)).as(e.getKey()).contains(e.getValue().get(i));
            }
        }
        return findings;
    }
}
