package dev.godiag.diagnosis.scan;

import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * godiag scan beside its peers on the checks they share: staticcheck's SA1015 (time.Tick leaks),
 * SA5003 and SA9001 (defer in endless loops and channel ranges), SA6000 (regexp matching in loops),
 * and go vet's copylocks and lostcancel. The fixture peer/peer.go marks each line where a tool
 * reports ({@code // peer: both}, {@code godiag}, {@code other}); the real tools are run on it, so
 * where the semantics agree the lines are the same, and each known difference stays the one
 * bench/RESULTS.md explains.
 */
class ScanPeerTest {
    private static final Pattern MARK = Pattern.compile("// peer: (both|godiag|other)$");
    private static final Pattern REPORT = Pattern.compile("^\\.?/?peer\\.go:(\\d+):\\d+: (.*)$", Pattern.MULTILINE);
    private static final Set<String> SHARED = Set.of("scan.ticker-not-stopped", "scan.regexp-compile-in-loop",
            "scan.defer-in-loop", "scan.lock-copy", "scan.context-cancel-dropped");

    @Test
    void godiagStaticcheckAndVetReportTheMarkedLines(@TempDir Path tmp) throws Exception {
        Path source = ScanFixtures.dir("peer").resolve("peer.go");
        Files.writeString(tmp.resolve("go.mod"), "module example.com/peer\n\ngo 1.19\n");
        Files.copy(source, tmp.resolve("peer.go"));
        Path go119 = Tools.go119();
        String staticcheck = run(tmp, go119, Tools.staticcheck().toString(), "-checks", "SA1015,SA5003,SA6000,SA9001", ".");
        String vet = run(tmp, go119, go119.toString(), "vet", "-copylocks", "-lostcancel", ".");

        Map<Integer, String> other = new TreeMap<>();
        for (String out : List.of(staticcheck, vet)) {
            Matcher m = REPORT.matcher(out);
            while (m.find()) {
                other.merge(Integer.parseInt(m.group(1)), m.group(2), (a, b) -> a + " / " + b);
            }
        }
        Map<Integer, String> ours = new TreeMap<>();
        for (String check : SHARED) {
            for (ScanFinding f : ScanFixtures.scan(check, "peer")) {
                ours.merge(f.line(), check, (a, b) -> a + " / " + b);
            }
        }

        Map<Integer, String> marks = new TreeMap<>();
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARK.matcher(lines.get(i));
            if (m.find()) {
                marks.put(i + 1, m.group(1));
            }
        }
        assertThat(marks.values()).as("the fixture has each kind of line").contains("both", "godiag", "other");
        Map<Integer, String> expectedOurs = new TreeMap<>();
        Map<Integer, String> expectedOther = new TreeMap<>();
        marks.forEach((line, who) -> {
            if (!who.equals("other")) {
                expectedOurs.put(line, who);
            }
            if (!who.equals("godiag")) {
                expectedOther.put(line, who);
            }
        });
        assertThat(ours.keySet()).as("godiag's lines: %s", ours).isEqualTo(expectedOurs.keySet());
        assertThat(other.keySet()).as("staticcheck's and vet's lines:%n%s%n%s", staticcheck, vet)
                .isEqualTo(expectedOther.keySet());
        // the same thing said on the shared lines, not merely a report on the same line
        assertThat(other.get(marks.entrySet().stream().filter(e -> e.getValue().equals("both")).findFirst()
                .orElseThrow().getKey())).contains("time.Tick");
        assertThat(vet).contains("passes lock by value", "copies lock value", "should be called, not discarded");
        assertThat(staticcheck).contains("(SA1015)", "(SA5003)", "(SA6000)", "(SA9001)");
    }

    /** Runs a tool with Go 1.19 first on PATH (staticcheck loads packages with the go command it finds). */
    private static String run(Path dir, Path go119, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        GoFixtures.goEnvironment(pb);
        pb.environment().put("PATH", go119.getParent() + File.pathSeparator + pb.environment().getOrDefault("PATH", ""));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished", cmd[0]).isTrue();
        assertThat(out).as("%s ran on the package", cmd[0]).doesNotContain("(compile)", "cannot find", "go.mod");
        return out;
    }
}
