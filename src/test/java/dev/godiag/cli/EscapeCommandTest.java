package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.EscapesFixture;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * godiag escape as a user runs it: on the escapes fixture's real -m=2 log and profiles (Go 1.27),
 * in each format; bad inputs give one line naming the input, exit 2.
 */
class EscapeCommandTest {
    private static Path log(Path dir) throws IOException {
        Path f = dir.resolve("m2.log");
        Files.writeString(f, EscapesFixture.compilerOutput("1.27", "-m=2"));
        return f;
    }

    @Test
    void jsonRanksTheEscapesByTheAllocsProfileAndNamesTheirReason(@TempDir Path dir) throws IOException {
        Path run = EscapesFixture.profiles("1.27");
        Peers.Result r = Godiag.run("escape", "--format", "json", "--profile", run.resolve("allocs.pprof").toString(),
                "--profile", run.resolve("cpu.pprof").toString(), log(dir).toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        JsonNode first = j.get("escapes").get(0);
        assertThat(first.get("line").asInt()).isEqualTo(EscapesFixture.markedLine("returned"));
        assertThat(first.get("reason").asText()).isEqualTo("returned");
        assertThat(first.get("card").asText()).isEqualTo("escape.returned");
        assertThat(first.get("weights").get(0).get("share").asDouble()).isGreaterThan(0.5);
        // every marked line is an allocation site with its reason
        List<String> sites = new ArrayList<>();
        j.get("allocationSites").forEach(s -> s.get("escapes").forEach(e -> sites.add(s.get("line").asInt() + " "
                + e.get("reason").asText())));
        EscapesFixture.markers().forEach((line, reason) -> assertThat(sites).contains(line + " " + reason));
        List<String> hot = new ArrayList<>();
        j.get("hotFunctions").forEach(h -> hot.add(h.get("function").asText() + " "
                + (h.has("inlining") ? h.get("inlining").get("inlinable").asBoolean() : "?")));
        assertThat(hot).contains("main.checksum false");

        // checksum's callees: rotl, inlined, with the CPU pprof -top gives "main.rotl (inline)" as cum
        // (checksum is its only caller; a short run may have too few samples in it to list: then neither
        // lists it); the signal-injected runtime.asyncPreempt is no callee
        Peers.Result top = Peers.run(List.of(Peers.pprof127().toString(), "-top", "-unit=ns", "-nodecount=1000",
                run.resolve("cpu.pprof").toString()), null);
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("of (\\d+)ns total").matcher(top.stdout());
        assertThat(total.find()).as(top.stdout()).isTrue();
        java.util.regex.Matcher rotl = java.util.regex.Pattern.compile("(?m)^\\s*\\d+ns +[\\d.]+% +[\\d.]+% +(\\d+)ns .*main\\.rotl \\(inline\\)$")
                .matcher(top.stdout());
        long rotlNanos = rotl.find() ? Long.parseLong(rotl.group(1)) : 0;
        JsonNode checksum = null;
        for (JsonNode h : j.get("hotFunctions")) {
            checksum = h.get("function").asText().equals("main.checksum") ? h : checksum;
        }
        assertThat(checksum).isNotNull();
        List<String> callees = new ArrayList<>();
        checksum.get("hotCallees").forEach(c -> callees.add(c.get("function").asText() + " " + c.get("value").asLong()
                + " " + c.get("inlined").asBoolean()));
        if (rotlNanos >= 0.01 * Long.parseLong(total.group(1))) {
            assertThat(callees).contains("main.rotl " + rotlNanos + " true");
        } else {
            assertThat(callees).noneMatch(c -> c.startsWith("main.rotl "));
        }
        assertThat(callees).noneMatch(c -> c.startsWith("runtime.asyncPreempt "));
    }

    /** The DIR of -json=0,file://DIR as the operand: the same escapes at the marked lines, with their reason. */
    @Test
    void aJsonDirectoryIsReadWhole(@TempDir Path dir) throws Exception {
        EscapesFixture.compilerJson("1.19", dir);
        // Go 1.19 writes the JSON's file names absolute, its -trimpath profile module paths: they still join
        Peers.Result r = Godiag.run("escape", "--format", "json", "--profile",
                EscapesFixture.profiles("1.19").resolve("allocs.pprof").toString(), dir.resolve("json").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertThat(j.get("logs").size()).isPositive();
        List<String> found = new ArrayList<>();
        j.get("escapes").forEach(e -> found.add(e.get("line").asInt() + " " + e.get("reason").asText()));
        EscapesFixture.markers().forEach((line, reason) -> assertThat(found).contains(line + " " + reason));
        assertThat(found.getFirst()).isEqualTo(EscapesFixture.markedLine("returned") + " returned");
        assertThat(j.get("escapes").get(0).get("weights").get(0).get("share").asDouble()).isGreaterThan(0.5);
        Peers.Result empty = Godiag.run("escape", Files.createDirectories(dir.resolve("empty")).toString());
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.stderr()).contains("without .json files");
    }

    @Test
    void textShowsEachEscapeWithPlaceWhyFlowWeightAndTheFix(@TempDir Path dir) throws IOException {
        Path run = EscapesFixture.profiles("1.27");
        Peers.Result r = Godiag.run("escape", "--profile", run.resolve("allocs.pprof").toString(), log(dir).toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        int line = EscapesFixture.markedLine("closure");
        assertThat(r.stdout()).contains("main.go:" + line + ":2  moved to heap: total")
                .contains("why: captured by a closure that outlives the function")
                .contains("from total (captured by a closure) at ")
                .contains("of allocated bytes in ")
                .contains("(escape.closure)");
        Peers.Result md = Godiag.run("escape", "--format", "markdown", log(dir).toString());
        assertThat(md.exitCode()).isZero();
        assertThat(md.stdout()).startsWith("### godiag escape").contains("| place | what | why | weight |");
    }

    /**
     * diagnose with the compiler log among its inputs: the heaviest allocation site (the "returned"
     * marker's line) is a memory.escapes finding whose fix is the reason's card, and the checksum
     * hotspot says it was not inlined, with the cost against the budget the log gives.
     */
    @Test
    void diagnoseAttachesTheEscapeReasonAndTheInlining(@TempDir Path dir) throws IOException {
        Path run = EscapesFixture.profiles("1.27");
        Peers.Result r = Godiag.run("diagnose", "--format", "json", run.resolve("allocs.pprof").toString(),
                run.resolve("cpu.pprof").toString(), log(dir).toString());
        assertThat(r.exitCode()).as(r.stderr()).isIn(0, 1);
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        List<JsonNode> findings = new ArrayList<>();
        j.get("findings").forEach(findings::add);
        assertThat(findings).filteredOn(f -> f.get("rule").asText().equals("memory.escapes")).singleElement()
                .satisfies(f -> {
                    assertThat(f.get("location").get("line").asInt()).isEqualTo(EscapesFixture.markedLine("returned"));
                    assertThat(f.get("evidence").get("reason").asText()).isEqualTo("returned");
                    assertThat(f.get("cards").get(0).get("id").asText()).isEqualTo("escape.returned");
                });
        String log = EscapesFixture.compilerOutput("1.27", "-m=2");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cannot inline checksum: function too complex: cost"
                + " (\\d+) exceeds budget (\\d+)").matcher(log);
        assertThat(m.find()).isTrue();
        assertThat(findings).filteredOn(f -> f.get("rule").asText().equals("cpu.hotspot")
                && f.get("location").get("function").asText().equals("main.checksum")).singleElement().satisfies(f -> {
                    assertThat(f.get("evidence").get("inlined").asBoolean()).isFalse();
                    assertThat(f.get("evidence").get("inlineCost").asInt()).isEqualTo(Integer.parseInt(m.group(1)));
                    assertThat(f.get("evidence").get("inlineBudget").asInt()).isEqualTo(Integer.parseInt(m.group(2)));
                    List<String> cards = new ArrayList<>();
                    f.get("cards").forEach(c -> cards.add(c.get("id").asText()));
                    assertThat(cards).contains("compiler.not-inlined");
                    assertThat(f.get("evidence").get("inlinedCallees").get(0).asText()).isEqualTo("rotl");
                    // the callees with CPU under it, as godiag escape lists them: rotl when sampled, inlined
                    if (f.get("evidence").has("hotCallees")) {
                        f.get("evidence").get("hotCallees").forEach(c -> assertThat(c.asText())
                                .matches("main\\.rotl \\d+\\.\\d% inlined"));
                    }
                });
        // a heap profile's alloc_space stands in for the allocs profile
        Peers.Result heap = Godiag.run("diagnose", "--format", "json", run.resolve("heap.pprof").toString(),
                log(dir).toString());
        JsonNode hj = new ObjectMapper().readTree(heap.stdout());
        List<String> kinds = new ArrayList<>();
        hj.get("inputs").forEach(i -> kinds.add(i.get("kind").asText()));
        assertThat(kinds).containsExactly("heap", "compiler");
        List<String> escapes = new ArrayList<>();
        hj.get("findings").forEach(f -> {
            if (f.get("rule").asText().equals("memory.escapes")) {
                escapes.add(f.get("location").get("line").asInt() + " " + f.get("evidence").get("reason").asText());
            }
        });
        assertThat(escapes).containsExactly(EscapesFixture.markedLine("returned") + " returned");
        // without the log, neither: the facts come from the compiler, not from the profiles
        Peers.Result plain = Godiag.run("diagnose", "--format", "json", run.resolve("allocs.pprof").toString(),
                run.resolve("cpu.pprof").toString());
        assertThat(plain.stdout()).doesNotContain("memory.escapes").doesNotContain("inlineCost");
    }

    @Test
    void badInputsAreOneLineNamingTheInputExit2(@TempDir Path dir) throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.txt"), "hello\nworld\n");
        Path binary = Files.write(dir.resolve("binary.log"), new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0});
        Path truncated = Files.writeString(dir.resolve("truncated.json"), "{\"version\":0,\"package\":\"main\","
                + "\"goos\":\"linux\",\"goarch\":\"amd64\",\"gc_version\":\"go1.27.3\",\"file\":\"a.go\"}\n{\"range\":{\"st");
        Path profile = EscapesFixture.profiles("1.27").resolve("cpu.pprof");
        byte[] gz;
        try (var bytes = new java.io.ByteArrayOutputStream(); var z = new java.util.zip.GZIPOutputStream(bytes)) {
            z.write(Files.readAllBytes(log(dir)));
            z.finish();
            gz = bytes.toByteArray();
        }
        Path cutGzip = Files.write(dir.resolve("cut.log.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        for (List<String> args : List.of(List.of(garbage.toString()), List.of(binary.toString()),
                List.of(truncated.toString()), List.of(profile.toString()), List.of(cutGzip.toString()),
                List.of("--profile", garbage.toString(), log(dir).toString()))) {
            List<String> all = new ArrayList<>(List.of("escape"));
            all.addAll(args);
            Peers.Result r = Godiag.run(all);
            assertThat(r.exitCode()).as(all + ": " + r.stderr()).isEqualTo(2);
            assertThat(r.stderr().strip().lines()).as(all.toString()).hasSize(1);
            String named = all.get(all.size() - (all.contains("--profile") ? 2 : 1));
            assertThat(r.stderr()).contains(named).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
