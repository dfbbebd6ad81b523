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
        Path out = dir.resolve(name + ".txt");
        Path prof = dir.resolve(name + ".prof").toAbsolutePath();
        Path log = dir.resolve(name + ".log");
        Path binary = GoFixtures.testBinary(go, "benchfix");
        Process p = new ProcessBuilder(binary.toString(), "-test.run=^$", "-test.bench=.", "-test.count=10",
                "-test.benchtime=3000x", "-test.cpuprofile=" + prof)
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
}
