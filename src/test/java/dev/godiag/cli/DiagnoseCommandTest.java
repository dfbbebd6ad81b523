package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.engine.DiagnoseInputs;
import dev.godiag.engine.SourceLines;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** godiag diagnose over the corpus sets: what is read as what, series order, the JSON contract, exit codes. */
class DiagnoseCommandTest {
    static JsonNode json(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("diagnose", "--format", "json"));
        cmd.addAll(List.of(args));
        Peers.Result r = Godiag.run(cmd);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return new ObjectMapper().readTree(r.stdout());
    }

    /** File name -> kind as diagnose reported it. */
    static Map<String, String> kinds(JsonNode d) {
        Map<String, String> m = new TreeMap<>();
        for (JsonNode i : d.get("inputs")) {
            m.put(Path.of(i.get("name").asText()).getFileName().toString(), i.get("kind").asText());
        }
        return m;
    }

    /** The used inputs of a kind, in series order. */
    static List<String> series(JsonNode d, String kind) {
        Map<Integer, String> m = new TreeMap<>();
        for (JsonNode i : d.get("inputs")) {
            if (i.get("kind").asText().equals(kind) && i.get("used").asBoolean()) {
                m.put(i.get("order").asInt(), Path.of(i.get("name").asText()).getFileName().toString());
            }
        }
        return new ArrayList<>(m.values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void cpuworkDirectoryKinds(String go) throws Exception {
        JsonNode d = json(Corpus.file(go + "/cpuwork").toString());
        Map<String, String> k = kinds(d);
        assertThat(k).containsEntry("cpu.pprof", "cpu")
                .containsEntry("heap.pprof", "heap").containsEntry("heap.debug1.txt", "heap")
                .containsEntry("allocs.pprof", "allocs").containsEntry("allocs.debug1.txt", "allocs")
                .containsEntry("block.pprof", "block").containsEntry("block.debug1.txt", "block")
                .containsEntry("mutex.pprof", "mutex").containsEntry("mutex.debug1.txt", "mutex")
                .containsEntry("goroutine.pprof", "goroutines").containsEntry("goroutine.debug1.txt", "goroutines")
                .containsEntry("threadcreate.pprof", "threadcreate")
                .containsEntry("gctrace.log", "gctrace")
                // both traces are read: Go 1.19's in the format before Go 1.22
                .containsEntry("trace.out", "trace");
        // one form of each snapshot is used: the proto over the debug=1 text
        assertThat(series(d, "heap")).containsExactly("heap.pprof");
        assertThat(series(d, "mutex")).containsExactly("mutex.pprof");
        assertThat(series(d, "goroutines")).containsExactly("goroutine.pprof");
        for (JsonNode i : d.get("inputs")) {
            if (!i.get("used").asBoolean()) {
                assertThat(i.get("note").asText()).as(i.toString()).isNotEmpty();
            }
        }
        // cpu.hotspot on main.fib: 18 of 195 samples in go1.19 (pprof -top: 180ms of 1.95s flat)
        JsonNode fib = null;
        for (JsonNode f : d.get("findings")) {
            if (f.get("rule").asText().equals("cpu.hotspot") && f.get("location").get("function").asText()
                    .equals("main.fib")) {
                fib = f;
            }
        }
        assertThat(fib).as("cpu.hotspot on main.fib").isNotNull();
        assertThat(fib.get("location").get("file").asText()).isEqualTo("example.com/shop/cpuwork/main.go");
        assertThat(fib.get("evidence").get("flat").asLong()).isPositive();
        assertThat(fib.get("cards").get(0).get("id").asText()).isEqualTo("cpu.hotspot");
    }

    /** Block and mutex protos have the same sample and period types: without a name, the stacks tell. */
    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void blockAndMutexByContent(String go, @TempDir Path tmp) throws Exception {
        Files.copy(Corpus.file(go + "/leakysvc/block.pprof"), tmp.resolve("a.pprof"));
        Files.copy(Corpus.file(go + "/leakysvc/mutex.pprof"), tmp.resolve("b.pprof"));
        Files.copy(Corpus.file(go + "/cpuwork/heap.pprof"), tmp.resolve("c.pprof"));
        Files.copy(Corpus.file(go + "/cpuwork/allocs.pprof"), tmp.resolve("d.pprof"));
        Map<String, String> k = kinds(json(tmp.toString()));
        assertThat(k).containsEntry("a.pprof", "block").containsEntry("b.pprof", "mutex")
                .containsEntry("c.pprof", "heap").containsEntry("d.pprof", "allocs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void leakysvcDirectorySeries(String go) throws Exception {
        JsonNode d = json(Corpus.file(go + "/leakysvc").toString());
        Map<String, String> k = kinds(d);
        for (int t = 0; t <= 4; t++) {
            assertThat(k).containsEntry("goroutine.t" + t + ".debug1.txt", "goroutines")
                    .containsEntry("goroutine.t" + t + ".debug2.txt", "goroutines")
                    .containsEntry("goroutine.t" + t + ".pprof", "goroutines")
                    .containsEntry("heap.t" + t + ".pprof", "heap")
                    .containsEntry("vars.t" + t + ".json", "memstats");
            if (go.equals("go1.27")) {
                assertThat(k).containsEntry("goroutineleak.t" + t + ".pprof", "goroutines");
            }
        }
        assertThat(k).containsEntry("cpu.pprof", "cpu").containsEntry("allocs.pprof", "allocs")
                .containsEntry("block.pprof", "block").containsEntry("mutex.pprof", "mutex")
                .containsEntry("gctrace.log", "gctrace");
        // the full dumps (debug=2) are the goroutine series, t0..t4; heap and vars too
        assertThat(series(d, "goroutines")).containsExactly("goroutine.t0.debug2.txt", "goroutine.t1.debug2.txt",
                "goroutine.t2.debug2.txt", "goroutine.t3.debug2.txt", "goroutine.t4.debug2.txt");
        assertThat(series(d, "heap")).containsExactly("heap.t0.pprof", "heap.t1.pprof", "heap.t2.pprof",
                "heap.t3.pprof", "heap.t4.pprof");
        assertThat(series(d, "memstats")).containsExactly("vars.t0.json", "vars.t1.json", "vars.t2.json",
                "vars.t3.json", "vars.t4.json");
        contract(d);
    }

    /** The time inside the profiles orders the series, not the names; without a time, natural name order. */
    @Test
    void seriesOrderedByTimeThenNaturalName(@TempDir Path tmp) throws Exception {
        for (int t = 0; t <= 4; t++) {
            // names in the reverse of the time order
            Files.copy(Corpus.file("go1.27/leakysvc/heap.t" + t + ".pprof"), tmp.resolve("heap-" + (char) ('e' - t)
                    + ".pprof"));
        }
        // goroutine dumps hold no time: t2 before t10
        Files.copy(Corpus.file("go1.27/leakysvc/goroutine.t1.debug2.txt"), tmp.resolve("g.t10.txt"));
        Files.copy(Corpus.file("go1.27/leakysvc/goroutine.t0.debug2.txt"), tmp.resolve("g.t2.txt"));
        JsonNode d = json(tmp.toString());
        assertThat(series(d, "heap")).containsExactly("heap-e.pprof", "heap-d.pprof", "heap-c.pprof",
                "heap-b.pprof", "heap-a.pprof");
        assertThat(series(d, "goroutines")).containsExactly("g.t2.txt", "g.t10.txt");
    }

    static void contract(JsonNode d) {
        assertThat(d.get("summary").has("critical")).isTrue();
        for (JsonNode i : d.get("inputs")) {
            assertThat(i.has("name") && i.has("kind") && i.has("detail")).as(i.toString()).isTrue();
        }
        for (JsonNode f : d.get("findings")) {
            for (String field : List.of("rule", "severity", "score", "title", "summary", "location", "evidence",
                    "fix", "example", "cards", "explanation")) {
                assertThat(f.has(field)).as(field + " in " + f).isTrue();
            }
            assertThat(f.get("severity").asText()).isIn("info", "warning", "critical");
            assertThat(f.get("evidence").isObject()).isTrue();
            assertThat(f.get("evidence").size()).as("evidence of " + f.get("rule")).isPositive();
            if (!f.get("location").isNull()) {
                assertThat(f.get("location").has("function") && f.get("location").has("file")
                        && f.get("location").has("line")).isTrue();
            }
        }
    }

    @Test
    void jsonContractOnCpuwork() throws Exception {
        JsonNode d = json(Corpus.file("go1.27/cpuwork").toString());
        contract(d);
        assertThat(d.get("findings").size()).isPositive();
    }

    @Test
    void failOnExitCodes() throws Exception {
        String dir = Corpus.file("go1.19/cpuwork").toString();
        JsonNode d = json(dir);
        boolean critical = false;
        for (JsonNode f : d.get("findings")) {
            critical |= f.get("severity").asText().equals("critical");
        }
        assertThat(Godiag.run("diagnose", "--fail-on", "critical", dir).exitCode()).isEqualTo(critical ? 1 : 0);
        assertThat(Godiag.run("diagnose", "--fail-on", "info", dir).exitCode()).isEqualTo(1); // cpu.hotspot fires
        assertThat(Godiag.run("diagnose", "--fail-on", "none", dir).exitCode()).isZero();
        assertThat(Godiag.run("diagnose", dir).exitCode()).isZero();
        Peers.Result bad = Godiag.run("diagnose", "--fail-on", "sometimes", dir);
        assertThat(bad.exitCode()).isEqualTo(2);
    }

    @Test
    void badExplicitFileIsOneLineError(@TempDir Path tmp) throws Exception {
        Path junk = tmp.resolve("notes.txt");
        Files.writeString(junk, "just some words\nnothing a Go runtime writes\n");
        Peers.Result r = Godiag.run("diagnose", Corpus.file("go1.19/cpuwork/cpu.pprof").toString(), junk.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip().lines()).hasSize(1);
        assertThat(r.stderr()).startsWith("godiag: " + junk);
        Peers.Result missing = Godiag.run("diagnose", tmp.resolve("none.pprof").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr().strip().lines()).hasSize(1);
        // the same file inside a directory is skipped with a note
        Files.copy(Corpus.file("go1.19/cpuwork/cpu.pprof"), tmp.resolve("cpu.pprof"));
        JsonNode d = json(tmp.toString());
        assertThat(kinds(d)).containsEntry("notes.txt", "skipped").containsEntry("cpu.pprof", "cpu");
    }

    @Test
    void minSeverityFilters() throws Exception {
        String dir = Corpus.file("go1.19/cpuwork").toString();
        JsonNode all = json(dir);
        Map<String, Integer> bySeverity = new HashMap<>();
        for (JsonNode f : all.get("findings")) {
            bySeverity.merge(f.get("severity").asText(), 1, Integer::sum);
        }
        JsonNode warn = json("--min-severity", "warning", dir);
        int expected = bySeverity.getOrDefault("warning", 0) + bySeverity.getOrDefault("critical", 0);
        assertThat(warn.get("findings").size()).isEqualTo(expected);
        assertThat(warn.get("summary").get("hidden").asInt()).isEqualTo(bySeverity.getOrDefault("info", 0));
        for (JsonNode f : warn.get("findings")) {
            assertThat(f.get("severity").asText()).isIn("warning", "critical");
        }
        String text = Godiag.run("diagnose", "--min-severity", "critical", dir).stdout();
        assertThat(text).doesNotContain("[info ").doesNotContain("[warning ");
    }

    @Test
    void sourceUrlAndRoot(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("repo/cpuwork");
        Files.createDirectories(src);
        Files.writeString(src.resolve("main.go"), "package main\n\nfunc fib(n int) int {\n");
        String cpu = Corpus.file("go1.19/cpuwork/cpu.pprof").toString();
        JsonNode d = json("--source-url", "https://example.org/blob/main/{file}#L{line}", cpu);
        JsonNode loc = d.get("findings").get(0).get("location");
        assertThat(loc.get("url").asText())
                .startsWith("https://example.org/blob/main/example.com/shop/cpuwork/main.go#L");
        // under --source-root the file resolves by its longest existing suffix, and the URL uses that path
        d = json("--source-root", tmp.resolve("repo").toString(), "--source-url",
                "https://example.org/blob/main/{file}#L{line}", cpu);
        loc = d.get("findings").get(0).get("location");
        assertThat(loc.get("url").asText()).startsWith("https://example.org/blob/main/cpuwork/main.go#L");
        String text = Godiag.run("diagnose", "--source-url", "https://example.org/{file}#L{line}", cpu).stdout();
        assertThat(text).contains("https://example.org/example.com/shop/cpuwork/main.go#L");
        String md = Godiag.run("diagnose", "--format", "markdown", "--source-url", "https://example.org/{file}#L{line}",
                cpu).stdout();
        assertThat(md).contains("](https://example.org/example.com/shop/cpuwork/main.go#L").contains("### [");
    }

    @Test
    void sourceLinesBySuffix(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("shop/leakysvc");
        Files.createDirectories(src);
        Files.writeString(src.resolve("main.go"), "package main\n\nfunc a() {}\n");
        SourceLines s = new SourceLines(tmp);
        SourceLines.Resolved r = s.resolve("example.com/shop/leakysvc/main.go");
        assertThat(r).isNotNull();
        assertThat(r.relative()).isEqualTo("shop/leakysvc/main.go");
        assertThat(r.line(3)).isEqualTo("func a() {}");
        assertThat(r.line(9)).isNull();
        assertThat(s.resolve("example.com/other/util.go")).isNull();
    }

    /**
     * cpuwork: the report opens with the health of each area and the three things to fix; the
     * regexp compiled in main.validate and the allocation pressure it causes are one finding.
     */
    @Test
    void reportOpensWithHealthAndTopFixesAndMergesOnePlace() throws Exception {
        String dir = Corpus.file("go1.27/cpuwork").toString();
        String text = Godiag.run("diagnose", dir).stdout();
        int health = text.indexOf("\nHealth:\n");
        int top = text.indexOf("\nFix first:\n");
        int first = text.indexOf("\n[");
        assertThat(health).isPositive().isLessThan(top);
        assertThat(top).isLessThan(first);
        assertThat(text.substring(top, first).lines().filter(l -> l.matches("  \\d\\. .*"))).hasSize(3);
        assertThat(text.substring(top, first)).contains("1. [critical] Regexp compiled on every call in main.validate");
        // the allocation pressure through main.validate is evidence under the regexp, not its own finding
        assertThat(text).contains("also here: [info").doesNotContain("] Allocation pressure in main.validate\n");
        assertThat(text).containsOnlyOnce("] Regexp compiled on every call in main.validate\n");

        JsonNode d = json(dir);
        JsonNode lead = d.get("findings").get(0);
        assertThat(lead.get("id").asText()).isEqualTo("code.regex-compile-main.validate");
        assertThat(d.get("top").get(0).asText()).isEqualTo(lead.get("id").asText());
        assertThat(lead.get("related")).extracting(r -> r.get("location").get("function").asText())
                .containsOnly("main.validate");
        assertThat(d.get("health")).extracting(h -> h.get("area").asText())
                .containsExactly("goroutines", "heap", "gc", "contention", "cpu");
        // ids are anchors: unique on the page
        List<String> ids = new ArrayList<>();
        d.get("findings").forEach(f -> ids.add(f.get("id").asText()));
        assertThat(ids).doesNotHaveDuplicates();
        // markdown opens the same way
        String md = Godiag.run("diagnose", "--format", "markdown", dir).stdout();
        assertThat(md.indexOf("| area | health | measured |")).isLessThan(md.indexOf("**Fix first:**"));
        assertThat(md.indexOf("**Fix first:**")).isLessThan(md.indexOf("\n### ["));
        assertThat(md).contains("**Also here:** [info");
    }

    /** The source pane marks a finding's line, or with no line its function's declaration (not a closure's). */
    @Test
    void sourceWindowAroundALineOrADeclaration(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("shop");
        Files.createDirectories(src);
        Files.writeString(src.resolve("main.go"), String.join("\n", "package main", "", "type Server struct{}", "",
                "func (s *Server) handle(w int) {", "}", "", "func validate[T any](v T) bool {", "\treturn true",
                "}", "", "func main() {}", ""));
        SourceLines.Resolved r = new SourceLines(tmp).resolve("example.com/shop/main.go");
        assertThat(SourceLines.declaration(r.lines(), "example.com/shop.(*Server).handle")).isEqualTo(5);
        assertThat(SourceLines.declaration(r.lines(), "main.validate")).isEqualTo(8);
        assertThat(SourceLines.declaration(r.lines(), "main.main")).isEqualTo(12);
        assertThat(SourceLines.declaration(r.lines(), "main.main.func1")).isZero();
        assertThat(SourceLines.declaration(r.lines(), "main.missing")).isZero();
        SourceLines.Window w = SourceLines.window(r, 9, "main.validate");
        assertThat(w.mark()).isEqualTo(9);
        assertThat(w.first()).isEqualTo(3);
        assertThat(w.lines()).hasSize(10).contains("\treturn true");
        assertThat(SourceLines.window(r, 0, "main.validate").mark()).isEqualTo(8);
        assertThat(SourceLines.window(r, 0, "main.main.func1")).isNull();
    }

    @Test
    void naturalOrder() {
        List<String> names = new ArrayList<>(List.of("t10", "t2", "t1", "t02x"));
        names.sort(DiagnoseInputs::natural);
        assertThat(names).containsExactly("t1", "t2", "t02x", "t10");
        assertThat(DiagnoseInputs.snapshotKey("dir/goroutine.t3.debug2.txt")).isEqualTo("goroutine.t3");
        assertThat(DiagnoseInputs.snapshotKey("heap.pprof")).isEqualTo("heap");
    }

    @Test
    void markdownAndHtml(@TempDir Path tmp) throws Exception {
        String dir = Corpus.file("go1.27/cpuwork").toString();
        String md = Godiag.run("diagnose", "--format", "markdown", dir).stdout();
        assertThat(md).startsWith("## godiag diagnosis").contains("cpu.hotspot").contains("| evidence | value |");
        Path html = tmp.resolve("d.html");
        assertThat(Godiag.run("diagnose", "-o", html.toString(), dir).exitCode()).isZero();
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("\"rule\":\"cpu.hotspot\"")
                .doesNotContain("<script src");
    }

    /** A live service: a /debug/pprof/ base fetches every endpoint; /metrics missing is left out. */
    @Test
    void liveServiceBaseUrl() throws Exception {
        Map<String, Path> routes = Map.of(
                "/debug/pprof/goroutine", Corpus.file("go1.27/leakysvc/goroutine.t4.debug2.txt"),
                "/debug/pprof/heap", Corpus.file("go1.27/leakysvc/heap.t4.pprof"),
                "/debug/pprof/allocs", Corpus.file("go1.27/leakysvc/allocs.pprof"),
                "/debug/pprof/block", Corpus.file("go1.27/leakysvc/block.pprof"),
                "/debug/pprof/mutex", Corpus.file("go1.27/leakysvc/mutex.pprof"),
                "/debug/pprof/profile", Corpus.file("go1.27/leakysvc/cpu.pprof"),
                "/debug/vars", Corpus.file("go1.27/leakysvc/vars.t4.json"));
        List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            asked.add(ex.getRequestURI().toString());
            Path f = routes.get(ex.getRequestURI().getPath());
            byte[] body = f == null ? "404 page not found\n".getBytes() : Files.readAllBytes(f);
            ex.sendResponseHeaders(f == null ? 404 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/debug/pprof/";
            JsonNode d = json("--seconds", "1", base);
            Map<String, String> k = new TreeMap<>();
            for (JsonNode i : d.get("inputs")) {
                k.put(i.get("name").asText().substring(base.length() - "/debug/pprof/".length()),
                        i.get("kind").asText());
            }
            assertThat(k).containsEntry("/debug/pprof/goroutine", "goroutines")
                    .containsEntry("/debug/pprof/heap", "heap")
                    .containsEntry("/debug/pprof/allocs", "allocs").containsEntry("/debug/pprof/block", "block")
                    .containsEntry("/debug/pprof/mutex", "mutex").containsEntry("/debug/pprof/profile?seconds=1", "cpu")
                    .containsEntry("/debug/vars", "memstats").doesNotContainKey("/metrics");
            assertThat(asked).contains("/debug/pprof/goroutine?debug=2", "/debug/pprof/profile?seconds=1", "/metrics");
            assertThat(json("--no-cpu", base).get("inputs").toString()).doesNotContain("profile?seconds");
        } finally {
            server.stop(0);
        }
    }
}
