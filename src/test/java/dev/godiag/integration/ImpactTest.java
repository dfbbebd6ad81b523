package dev.godiag.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * godiag impact on real data: testdata/gen/benchfix's benchmark and CPU profile from Go 1.19 and Go
 * 1.27, judged against godiag bench and godiag diff on the same files (themselves checked against
 * benchstat and pprof by their own tests).
 */
class ImpactTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Runs the fixture's benchmark (its test binary, built once per toolchain) with a CPU profile, as
     * go test -cpuprofile would; the results file starts with the toolchain's go: line.
     */
    private Path[] run(Path go, String name) throws Exception {
        return run(go, name, 3000);
    }

    private Path[] run(Path go, String name, int iterations) throws Exception {
        Path out = dir.resolve(name + ".txt");
        Path prof = dir.resolve(name + ".prof").toAbsolutePath();
        Path log = dir.resolve(name + ".log");
        Path binary = GoFixtures.testBinary(go, "benchfix");
        Process p = new ProcessBuilder(binary.toString(), "-test.run=^$", "-test.bench=.", "-test.count=10",
                "-test.benchtime=" + iterations + "x", "-test.cpuprofile=" + prof)
                .directory(GoFixtures.source("benchfix").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(Peers.HANG_GUARD_MINUTES, TimeUnit.MINUTES)).as("benchmark ended (hang guard)").isTrue();
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("BenchmarkChecksum");
        String version = GoFixtures.version(go);
        assertThat(version).startsWith("go1.");
        Files.writeString(out, "go: " + version + "\n" + text);
        assertThat(prof).isNotEmptyFile();
        return new Path[] {out, prof};
    }

    private static JsonNode json(Peers.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        return JSON.readTree(r.stdout());
    }

    /** A table's cells without their column names (which are file names in bench, versions in impact). */
    private static JsonNode withoutColumns(JsonNode tables) {
        JsonNode copy = tables.deepCopy();
        for (JsonNode t : copy) {
            ((ObjectNode) t).remove("columns");
            for (JsonNode row : t.get("rows")) {
                for (JsonNode cell : row.get("cells")) {
                    if (cell.isObject()) {
                        ((ObjectNode) cell).remove("column");
                    }
                }
            }
            if (t.has("geomean")) {
                for (JsonNode s : t.get("geomean")) {
                    if (s.isObject()) {
                        ((ObjectNode) s).remove("column");
                    }
                }
            }
        }
        return copy;
    }

    @Test
    void comparesGo119WithGo127() throws Exception {
        Path go119 = Tools.go119();
        Path go127 = Tools.go127();
        Path[] old = run(go119, "go119");
        Path[] neu = run(go127, "go127");
        String v119 = Files.readString(old[0]).lines().findFirst().orElseThrow().substring(4);
        String v127 = Files.readString(neu[0]).lines().findFirst().orElseThrow().substring(4);

        JsonNode impact = json(Godiag.run("impact", "--format", "json", "--nodecount", "0", old[0].toString(),
                old[1].toString(), "--", neu[0].toString(), neu[1].toString()));
        assertThat(impact.get("old").get("label").asText()).isEqualTo(v119);
        assertThat(impact.get("new").get("label").asText()).isEqualTo(v127);

        // benchmarks: the numbers of godiag bench on the same files
        JsonNode bench = json(Godiag.run("bench", "--format", "json", "--ignore", "go", old[0].toString(),
                neu[0].toString()));
        assertThat(impact.get("benchmarks").get("tables").size()).isPositive();
        assertThat(withoutColumns(impact.get("benchmarks").get("tables")))
                .isEqualTo(withoutColumns(bench.get("tables")));
        List<String> rowNames = new ArrayList<>();
        impact.get("benchmarks").get("tables").forEach(t -> t.get("rows").forEach(r -> rowNames.add(r.get("name")
                .asText())));
        assertThat(rowNames).anyMatch(n -> n.startsWith("Checksum"));
        assertThat(impact.get("benchmarks").get("tables").get(0).get("columns").toString()).contains(v119, v127);

        // profiles: the rows of godiag diff on the same profiles
        JsonNode diff = json(Godiag.run("diff", "--format", "json", "--nodecount", "0", old[1].toString(),
                neu[1].toString()));
        JsonNode profiles = impact.get("profiles");
        for (String f : List.of("sampleType", "unit", "normalized", "scale", "baseTotal", "newTotal", "newTotalRaw")) {
            assertThat(profiles.get(f)).as(f).isEqualTo(diff.get(f));
        }
        assertThat(profiles.get("normalized").asBoolean()).isFalse(); // absolute, as diff's default
        // diff's rows, with the functions renamed between the versions summed under their newer name
        java.util.Map<String, String> renamed = new java.util.HashMap<>();
        impact.get("renamed").fields().forEachRemaining(e -> renamed.put(e.getKey(), e.getValue().asText()));
        assertThat(renamed).allSatisfy((from, to) -> assertThat(dev.godiag.analysis.profile.GoRenames.newest(from))
                .isEqualTo(to));
        java.util.Map<String, long[]> want = new java.util.TreeMap<>();
        diff.get("rows").forEach(r -> {
            long[] v = want.computeIfAbsent(renamed.getOrDefault(r.get("name").asText(), r.get("name").asText()),
                    k -> new long[4]);
            v[0] += r.get("baseFlat").asLong();
            v[1] += r.get("newFlat").asLong();
            v[2] += r.get("baseCum").asLong();
            v[3] += r.get("newCum").asLong();
        });
        java.util.Map<String, long[]> got = new java.util.TreeMap<>();
        profiles.get("rows").forEach(r -> got.put(r.get("name").asText(), new long[]{r.get("baseFlat").asLong(),
                r.get("newFlat").asLong(), r.get("baseCum").asLong(), r.get("newCum").asLong()}));
        // a renamed pair whose values are now equal on both sides is no longer a changed row
        want.entrySet().removeIf(e -> e.getValue()[0] == e.getValue()[1] && e.getValue()[2] == e.getValue()[3]);
        assertThat(got).usingRecursiveComparison().isEqualTo(want);
        List<String> functions = new ArrayList<>();
        profiles.get("rows").forEach(r -> functions.add(r.get("name").asText()));
        // rows are the functions whose flat or cum changed
        assertThat(functions).isNotEmpty().allMatch(n -> n.contains("."));
        for (JsonNode o : impact.get("runtimeOneSide")) {
            JsonNode row = null;
            for (JsonNode r : diff.get("rows")) {
                String name = r.get("name").asText();
                if (renamed.getOrDefault(name, name).equals(o.get("function").asText())) {
                    row = r;
                }
            }
            assertThat(row).as(o.toString()).isNotNull();
            assertThat(row.get("onlyIn").asText()).isEqualTo(o.get("side").asText().equals("old") ? "base" : "new");
            assertThat(o.get("meaning").asText()).isNotBlank();
        }

        // the text report names both toolchains and a benchstat delta for the benchmark
        Peers.Result text = Godiag.run("impact", old[0].toString(), old[1].toString(), "--", neu[0].toString(),
                neu[1].toString());
        assertThat(text.exitCode()).as(text.stderr()).isZero();
        System.out.println(text.stdout());
        assertThat(text.stdout()).startsWith("impact: " + v119 + " -> " + v127)
                .containsPattern("Checksum\\S*\\s.*([+-]\\d+\\.\\d+%|~)")
                .contains("Runtime functions on one side only").contains(functions.get(0));
        String cell = impact.get("benchmarks").get("tables").get(0).get("rows").get(0).get("cells").get(1)
                .get("vsBase").get("delta").asText("");
        assertThat(cell).isNotEmpty();
        assertThat(text.stdout()).contains(cell);

        // without '--', the go: lines tell the sides apart (given in either order)
        JsonNode byKey = json(Godiag.run("impact", "--format", "json", neu[0].toString(), old[0].toString()));
        assertThat(byKey.get("old").get("label").asText()).isEqualTo(v119);
        assertThat(withoutColumns(byKey.get("benchmarks").get("tables"))).isEqualTo(withoutColumns(bench.get(
                "tables")));
        Peers.Result md = Godiag.run("impact", "--format", "markdown", old[0].toString(), old[1].toString(), "--",
                neu[0].toString(), neu[1].toString());
        assertThat(md.exitCode()).isZero();
        assertThat(md.stdout()).startsWith("## godiag impact: " + v119 + " → " + v127);

        // a profile without groups is an error on one line, exit 2
        Peers.Result bad = Godiag.run("impact", old[0].toString(), neu[0].toString(), old[1].toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr().strip().lines().count()).isEqualTo(1);
    }

    /**
     * Sides that did different amounts of work are compared per operation: Go 1.27's benchmark runs
     * twice the iterations of Go 1.19's, so its profile is halved before the comparison (CPU samples
     * are whole periods, so the halved values are exact). The operations are the iterations the
     * result lines print, summed by hand here.
     */
    @Test
    void sidesThatRanDifferentIterationsAreComparedPerOperation() throws Exception {
        Path[] old = run(Tools.go119(), "go119", 3000);
        Path[] neu = run(Tools.go127(), "go127", 6000);
        long oldOps = iterations(old[0]);
        long newOps = iterations(neu[0]);
        assertThat(oldOps).isEqualTo(30_000);
        assertThat(newOps).isEqualTo(60_000);

        JsonNode impact = json(Godiag.run("impact", "--format", "json", "--nodecount", "0", old[0].toString(),
                old[1].toString(), "--", neu[0].toString(), neu[1].toString()));
        JsonNode perOp = impact.get("perOp");
        assertThat(perOp.get("source").asText()).isEqualTo("benchmark iterations");
        assertThat(perOp.get("oldOps").asLong()).isEqualTo(oldOps);
        assertThat(perOp.get("newOps").asLong()).isEqualTo(newOps);
        assertThat(perOp.get("scale").asDouble()).isEqualTo(0.5);
        JsonNode diff = json(Godiag.run("diff", "--format", "json", "--nodecount", "0", old[1].toString(),
                neu[1].toString()));
        JsonNode profiles = impact.get("profiles");
        assertThat(profiles.get("baseTotal").asLong()).isEqualTo(diff.get("baseTotal").asLong());
        assertThat(profiles.get("newTotal").asLong() * 2).isEqualTo(diff.get("newTotalRaw").asLong());
        assertThat(perOp.get("oldPerOp").asDouble()).isEqualTo(diff.get("baseTotal").asDouble() / oldOps);
        assertThat(perOp.get("newPerOp").asDouble()).isEqualTo(diff.get("newTotalRaw").asDouble() / newOps);
        // a function on the new side only, not renamed: its flat is diff's, halved
        java.util.Map<String, Long> diffNew = new java.util.HashMap<>();
        diff.get("rows").forEach(r -> diffNew.put(r.get("name").asText(), r.get("newFlat").asLong()));
        int compared = 0;
        for (JsonNode r : profiles.get("rows")) {
            Long raw = diffNew.get(r.get("name").asText());
            if (raw != null && !impact.get("renamed").toString().contains(r.get("name").asText())) {
                assertThat(r.get("newFlat").asLong() * 2).as(r.get("name").asText()).isEqualTo(raw);
                compared++;
            }
        }
        assertThat(compared).isPositive();
        Peers.Result text = Godiag.run("impact", old[0].toString(), old[1].toString(), "--", neu[0].toString(),
                neu[1].toString());
        assertThat(text.stdout()).contains("per operation (benchmark iterations): old 30000, new 60000; new scaled"
                + " by 0.5000");
    }

    /**
     * Load-test summaries count the requests behind each side's profile (hey's 400, wrk's 3104 in
     * testdata/load); a side with a summary but no profile is an error on one line.
     */
    @Test
    void loadSummariesCountTheRequestsOfEachSide() throws Exception {
        Path oldProfile = dev.godiag.testutil.Corpus.file("go1.19/cpuwork").resolve("cpu.pprof");
        Path newProfile = dev.godiag.testutil.Corpus.file("go1.27/cpuwork").resolve("cpu.pprof");
        Path hey = Path.of("testdata/load/hey-flaky.txt");
        Path wrk = Path.of("testdata/load/wrk-flaky.txt");
        JsonNode impact = json(Godiag.run("impact", "--format", "json", hey.toString(), oldProfile.toString(), "--",
                wrk.toString(), newProfile.toString()));
        JsonNode perOp = impact.get("perOp");
        assertThat(perOp.get("source").asText()).isEqualTo("requests");
        assertThat(perOp.get("oldOps").asLong()).isEqualTo(400);
        assertThat(perOp.get("newOps").asLong()).isEqualTo(3104);
        assertThat(perOp.get("scale").asDouble()).isEqualTo(400.0 / 3104);
        assertThat(impact.get("old").get("loads").get(0).asText()).endsWith("hey-flaky.txt");
        JsonNode diff = json(Godiag.run("diff", "--format", "json", oldProfile.toString(), newProfile.toString()));
        // each sample scaled and rounded: the total within a nanosecond per sample of the scaled total
        long samples = Math.round(diff.get("newTotalRaw").asDouble() / 10_000_000.0);
        assertThat(impact.get("profiles").get("newTotal").asDouble())
                .isCloseTo(diff.get("newTotalRaw").asDouble() * 400 / 3104, org.assertj.core.data.Offset.offset(
                        (double) samples));
        Peers.Result bad = Godiag.run("impact", hey.toString(), "--", wrk.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr().strip()).doesNotContain("\n").contains("load summaries count the requests");
    }

    /** The iterations of a benchmark output's result lines, summed. */
    private static long iterations(Path results) throws Exception {
        long n = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^Benchmark\\S+\\s+(\\d+)\\s")
                .matcher(Files.readString(results));
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }
}
