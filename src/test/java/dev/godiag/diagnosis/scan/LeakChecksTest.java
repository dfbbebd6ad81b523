package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.format.gosyntax.GoParser;
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

/**
 * The leak checks on small Go packages (src/test/resources/.../scan/leaks/CHECK/): each line
 * where a check must report carries a {@code // want} comment, and every other line is a near
 * miss it must leave alone. Each package is valid Go (go vet passes on all but the findings of
 * its own lostcancel and waitgroup analyzers, which two tests compare with ours).
 */
class LeakChecksTest {
    static final Path LEAKS = Path.of("src/test/resources/dev/godiag/diagnosis/scan/leaks");
    /** A trailing comment of markers only: {@code // want}, {@code // vet}, {@code // want vet}. */
    private static final Pattern MARKERS = Pattern.compile("//((?:\\s+(?:want|vet))+)\\s*$");

    @Test
    void tickerNotStopped() throws IOException {
        List<ScanFinding> found = scan(new TickerNotStoppedCheck(), "ticker");
        assertThat(lines(found)).isEqualTo(marked("ticker", "want"));
        assertThat(message(found, "ticker.go:14")).isEqualTo("the ticker t from time.NewTicker at line 14 is never "
                + "stopped, though the code that receives its ticks can end: it fires for as long as it is referenced, and before Go 1.23 (or for a go.mod go line "
                + "below 1.23) it is never freed; since then it is freed once unreferenced; add defer t.Stop()");
        assertThat(message(found, "ticker.go:27")).startsWith("the ticker t from time.NewTicker at line 27 is never "
                + "stopped and the loop over its ticks has no way out");
        assertThat(message(found, "ticker.go:46")).startsWith("time.Tick at line 46 makes a ticker that can never "
                + "be stopped, and the function can end (line 52)");
        assertThat(message(found, "ticker.go:73")).startsWith("time.Tick at line 73 runs in a loop");
    }

    @Test
    void rangeUnclosedChannel() throws IOException {
        List<ScanFinding> found = scan(new RangeUnclosedChannelCheck(), "rangeclose");
        assertThat(lines(found)).isEqualTo(marked("rangeclose", "want"));
        assertThat(message(found, "rangeclose.go:13")).isEqualTo("the goroutine started at line 12 ranges over jobs, "
                + "made at line 11, which is never closed: it waits forever once the senders are done; close jobs "
                + "after the last send");
        ScanFinding worker = found.stream().filter(f -> f.line() == 38).findFirst().orElseThrow();
        assertThat(worker.spanStart()).isEqualTo(38);
    }

    @Test
    void goroutineBlocksForever() throws IOException {
        List<ScanFinding> found = scan(new GoroutineBlocksForeverCheck(), "blocks");
        assertThat(lines(found)).isEqualTo(marked("blocks", "want"));
        assertThat(message(found, "blocks.go:17")).isEqualTo(
                "select {} at line 17 blocks the goroutine started at line 15 forever");
        assertThat(message(found, "blocks.go:64")).isEqualTo("the receive from done at line 64 in the goroutine "
                + "started at line 63 waits forever: nothing sends on done or closes it");
    }

    @Test
    void abandonedSend() throws IOException {
        List<ScanFinding> found = scan(new AbandonedSendCheck(), "abandoned");
        assertThat(lines(found)).isEqualTo(marked("abandoned", "want"));
        assertThat(message(found, "abandoned.go:21")).isEqualTo("the send on ch at line 21 blocks forever when the "
                + "select at line 23 returns on its case at line 26: ch is unbuffered and nothing else receives "
                + "from it; make it make(chan T, 1) so the send always completes");
        assertThat(message(found, "abandoned.go:48")).endsWith("returns on its default case: ch is unbuffered and "
                + "nothing else receives from it; let each send select on ctx.Done() too");
    }

    @Test
    void httpBodyNotClosed() throws IOException {
        List<ScanFinding> found = scan(new HttpBodyNotClosedCheck(), "httpbody");
        assertThat(lines(found)).isEqualTo(marked("httpbody", "want"));
        assertThat(message(found, "httpbody.go:16")).isEqualTo("the response of http.Get at line 16 is not closed "
                + "when the function returns at line 21: close it with defer resp.Body.Close() after the error check");
        assertThat(message(found, "httpbody.go:38")).isEqualTo(
                "the response of http.Head at line 38 is discarded, so its body is never closed");
        assertThat(message(found, "httpbody.go:62")).contains("the response of client.Post at line 62");
    }

    @Test
    void contextCancelDropped() throws IOException {
        List<ScanFinding> found = scan(new ContextCancelDroppedCheck(), "cancel");
        assertThat(lines(found)).isEqualTo(marked("cancel", "want"));
        assertThat(message(found, "cancel.go:22")).isEqualTo("the cancel function cancel of context.WithCancel at "
                + "line 22 is not called on the path that returns at line 24, so the context lives until its parent "
                + "is cancelled");
    }

    @Test
    void waitGroupAddInGoroutine() throws IOException {
        List<ScanFinding> found = scan(new WaitGroupAddInGoroutineCheck(), "waitgroup");
        assertThat(lines(found)).isEqualTo(marked("waitgroup", "want"));
        assertThat(message(found, "waitgroup.go:17")).isEqualTo("wg.Add at line 17 runs inside the goroutine it "
                + "counts, started at line 16, so wg.Wait() can return before the goroutine has run it; call wg.Add "
                + "before the go statement");
    }

    /** Our lines are go vet's lostcancel lines: the discarded cancels and the definitions it reports. */
    @Test
    void contextCancelDroppedAgreesWithGoVet(@TempDir Path tmp) throws Exception {
        Set<String> vet = goVet(tmp, "cancel", "-lostcancel", "should be called, not discarded|is not used on all paths");
        assertThat(vet).isNotEmpty();
        assertThat(lines(scan(new ContextCancelDroppedCheck(), "cancel"))).isEqualTo(vet);
    }

    /**
     * go vet's waitgroup analyzer reports an Add that is the goroutine's first statement; ours an Add
     * anywhere in a goroutine that is done with the same WaitGroup and starts no goroutine itself.
     * The lines marked {@code vet} are exactly vet's, and they differ from ours where the file says.
     */
    @Test
    void waitGroupComparedWithGoVet(@TempDir Path tmp) throws Exception {
        Set<String> vet = goVet(tmp, "waitgroup", "-waitgroup", "WaitGroup.Add called from inside new goroutine");
        assertThat(vet).isEqualTo(marked("waitgroup", "vet"));
        Set<String> ours = lines(scan(new WaitGroupAddInGoroutineCheck(), "waitgroup"));
        assertThat(diff(ours, vet)).containsExactly("waitgroup.go:31"); // Add after another statement
        assertThat(diff(vet, ours)).containsExactly("waitgroup.go:88"); // Add for the goroutines it starts
    }

    /** The Go sources are valid Go: go vet's full suite reports only what two tests above compare. */
    @Test
    void theGoSourcesAreValidGo(@TempDir Path tmp) throws Exception {
        Set<String> all = goVet(tmp, ".", null, ".");
        Set<String> expected = new TreeSet<>();
        for (String d : List.of("cancel", "waitgroup")) {
            goVet(tmp.resolve("by-" + d), d, "-" + (d.equals("cancel") ? "lostcancel" : "waitgroup"), ".")
                    .forEach(line -> expected.add(d + "/" + line));
        }
        assertThat(all).isEqualTo(expected);
    }

    @Test
    void everyShippedCheckHasItsCard() {
        KnowledgeBase kb = KnowledgeBase.shipped();
        for (CheckInfo info : SourceChecks.shipped().infos()) {
            assertThat(kb.card(info.card())).as(info.id() + " -> " + info.card()).isNotNull();
        }
        assertThat(SourceChecks.shipped().infos()).extracting(CheckInfo::id).contains("scan.ticker-not-stopped",
                "scan.range-unclosed-channel", "scan.goroutine-blocks-forever", "scan.abandoned-send",
                "scan.http-body-not-closed", "scan.context-cancel-dropped", "scan.waitgroup-add-in-goroutine");
    }

    // ---- helpers

    /** The check over each package of leaks/DIR (the directory and each subdirectory). */
    static List<ScanFinding> scan(SourceCheck check, String dir) throws IOException {
        Path root = LEAKS.resolve(dir);
        List<ScanFinding> out = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(root)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path d : dirs) {
            List<GoFile> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(d)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".go")).sorted().toList()) {
                    String name = root.relativize(f).toString().replace('\\', '/');
                    files.add(GoParser.parse(name, Files.readAllBytes(f)));
                }
            }
            if (!files.isEmpty()) {
                GoPackage pkg = GoPackage.of(root.relativize(d).toString(), files.get(0).packageName().name(), files);
                out.addAll(new SourceChecks(List.of(check)).scan(pkg).findings());
            }
        }
        return out;
    }

    static Set<String> lines(List<ScanFinding> findings) {
        return findings.stream().map(f -> f.file() + ":" + f.line()).collect(Collectors.toCollection(TreeSet::new));
    }

    static String message(List<ScanFinding> findings, String where) {
        return findings.stream().filter(f -> (f.file() + ":" + f.line()).equals(where)).map(ScanFinding::message)
                .findFirst().orElseThrow(() -> new AssertionError("no finding at " + where + " in " + findings));
    }

    /** file:line of each line of leaks/DIR whose trailing marker comment has the word. */
    static Set<String> marked(String dir, String word) throws IOException {
        Path root = LEAKS.resolve(dir);
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".go")).toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = MARKERS.matcher(lines.get(i));
                    if (m.find() && List.of(m.group(1).trim().split("\\s+")).contains(word)) {
                        out.add(root.relativize(f).toString().replace('\\', '/') + ":" + (i + 1));
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    /**
     * Runs {@code go vet -ANALYZER ./...} (Go 1.27; every analyzer when null) on a copy of leaks/DIR
     * made a module, and returns file:line (relative to DIR) of the diagnostics whose text matches.
     */
    private static Set<String> goVet(Path tmp, String dir, String analyzer, String matching) throws Exception {
        Path go = Tools.go127();
        Path root = LEAKS.resolve(dir);
        Path module = tmp.resolve(dir.equals(".") ? "all" : dir);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Path target = module.resolve(root.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.writeString(module.resolve("go.mod"), "module example.com/leaks\n\ngo 1.27\n");
        List<String> cmd = new ArrayList<>(List.of(go.toString(), "vet"));
        if (analyzer != null) {
            cmd.add(analyzer);
        }
        cmd.add("./...");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(module.toFile()).redirectErrorStream(true);
        GoFixtures.goEnvironment(pb);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Pattern diag = Pattern.compile("^(?:\\./)?(\\S+\\.go):(\\d+):\\d+: (.*)$", Pattern.MULTILINE);
        Pattern wanted = Pattern.compile(matching);
        Set<String> found = new TreeSet<>();
        Matcher m = diag.matcher(out);
        while (m.find()) {
            if (wanted.matcher(m.group(3)).find()) {
                found.add(m.group(1) + ":" + m.group(2));
            }
        }
        assertThat(out).as("go vet's output").doesNotContain("declared and not used").doesNotContain("undefined:");
        return found;
    }
}
