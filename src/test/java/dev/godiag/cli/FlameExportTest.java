package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.PprofTop;
import dev.godiag.testutil.PprofTop.Rows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "godiag flame" exports, judged by the real pprof: per-function flat and cum recomputed in this
 * test from the exported folded stacks and speedscope JSON (parsed here, not by godiag's readers)
 * equal the rows of {@code pprof -top}; and godiag reads its exports back with the same rows.
 */
class FlameExportTest {
    @TempDir
    Path dir;

    /** Adds one stack (root first) with its value: flat to the leaf, cum once per distinct frame. */
    private static void stack(Rows rows, List<String> frames, long value) {
        rows.add(frames.get(frames.size() - 1), value, 0);
        Set<String> seen = new HashSet<>();
        for (String f : frames) {
            if (seen.add(f)) {
                rows.add(f, 0, value);
            }
        }
    }

    private static Rows fromFolded(String text) {
        Rows rows = new Rows();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            stack(rows, List.of(line.substring(0, sp).split(";", -1)), Long.parseLong(line.substring(sp + 1)));
        }
        return rows;
    }

    private static JsonNode speedscopeProfile(JsonNode doc, String type) {
        for (JsonNode p : doc.get("profiles")) {
            if (p.get("name").asText().equals(type)) {
                return p;
            }
        }
        throw new AssertionError("no speedscope profile " + type);
    }

    private static Rows fromSpeedscope(JsonNode doc, String type) {
        JsonNode frames = doc.get("shared").get("frames");
        JsonNode p = speedscopeProfile(doc, type);
        assertThat(p.get("type").asText()).isEqualTo("sampled");
        JsonNode samples = p.get("samples");
        JsonNode weights = p.get("weights");
        assertThat(weights.size()).isEqualTo(samples.size());
        Rows rows = new Rows();
        long total = 0;
        for (int i = 0; i < samples.size(); i++) {
            List<String> names = new ArrayList<>();
            samples.get(i).forEach(ix -> names.add(frames.get(ix.asInt()).get("name").asText()));
            stack(rows, names, weights.get(i).asLong());
            total += weights.get(i).asLong();
        }
        assertThat(p.get("endValue").asLong() - p.get("startValue").asLong()).isEqualTo(total);
        return rows;
    }

    private static Rows pprofTop(Path file, String sampleIndex, String unit, String... more) {
        return PprofTop.run(file, sampleIndex, unit, more);
    }

    /** godiag top --format json rows: raw integers, by name (inline markers dropped). */
    private static Rows godiagTop(String file, String sampleIndex) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("top", "--format", "json", "-nodefraction=0"));
        if (!sampleIndex.isEmpty()) {
            cmd.add("-sample_index=" + sampleIndex);
        }
        cmd.add(file);
        Peers.Result r = Godiag.run(cmd);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Rows rows = new Rows();
        for (JsonNode row : new ObjectMapper().readTree(r.stdout()).get("rows")) {
            rows.add(row.get("name").asText().replaceAll(" \\((partial-)?inline\\)$", ""), row.get("flat").asLong(),
                    row.get("cum").asLong());
        }
        return rows;
    }

    private Peers.Result flame(String... args) {
        return Godiag.run(List.of(args));
    }

    @ParameterizedTest
    @CsvSource({
            "go1.27/cpuwork/cpu.pprof, '', ns, cpu",
            "go1.19/cpuwork/heap.pprof, alloc_space, B, alloc_space",
            "go1.27/leakysvc/goroutine.t3.pprof, '', '', goroutine",
            "upstream/pprof/internal_proftest__large.cpu, '', ns, cpu"})
    void exportsHoldPprofsFlatAndCum(String profile, String sampleIndex, String unit, String type) throws Exception {
        Path in = Corpus.file(profile);
        Map<String, List<Long>> want = pprofTop(in, sampleIndex, unit).nonZero();
        assertThat(want).isNotEmpty();
        String si = sampleIndex.isEmpty() ? "" : "-sample_index=" + sampleIndex;

        Path folded = dir.resolve("out.folded");
        Peers.Result r = si.isEmpty() ? flame("flame", "-o", folded.toString(), in.toString())
                : flame("flame", si, "-o", folded.toString(), in.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String text = Files.readString(folded);
        assertThat(fromFolded(text).nonZero()).isEqualTo(want);
        // deterministic: sorted lines, no equal stacks twice
        List<String> lines = List.of(text.split("\n"));
        assertThat(lines).isSorted().doesNotHaveDuplicates();

        Path json = dir.resolve("out.json");
        r = si.isEmpty() ? flame("flame", "-o", json.toString(), in.toString())
                : flame("flame", si, "-o", json.toString(), in.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.get("$schema").asText()).isEqualTo("https://www.speedscope.app/file-format-schema.json");
        assertThat(fromSpeedscope(doc, type).nonZero()).isEqualTo(want);
        JsonNode active = doc.get("profiles").get(doc.get("activeProfileIndex").asInt());
        assertThat(active.get("name").asText()).isEqualTo(type);
        assertThat(active.get("unit").asText()).isEqualTo(switch (unit) {
            case "ns" -> "nanoseconds";
            case "B" -> "bytes";
            default -> "none";
        });

        // round trip: godiag reads its exports back with the same rows
        Map<String, List<Long>> original = godiagTop(in.toString(), sampleIndex).nonZero();
        assertThat(original).isEqualTo(want);
        assertThat(godiagTop(folded.toString(), "").nonZero()).isEqualTo(want);
        assertThat(godiagTop(json.toString(), "").nonZero()).isEqualTo(want);
        assertThat(godiagTop(json.toString(), type).nonZero()).isEqualTo(want);
    }

    @Test
    void speedscopeHoldsEverySampleType() throws Exception {
        Path in = Corpus.file("go1.19/cpuwork/heap.pprof");
        Path json = dir.resolve("heap.json");
        Peers.Result r = flame("flame", "--format", "speedscope", "-o", json.toString(), in.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        List<String> names = new ArrayList<>();
        doc.get("profiles").forEach(p -> names.add(p.get("name").asText() + "/" + p.get("unit").asText()));
        assertThat(names).containsExactly("alloc_objects/none", "alloc_space/bytes", "inuse_objects/none",
                "inuse_space/bytes");
        for (String t : List.of("alloc_objects", "alloc_space", "inuse_objects", "inuse_space")) {
            assertThat(godiagTop(json.toString(), t).nonZero()).as(t)
                    .isEqualTo(godiagTop(in.toString(), t).nonZero());
        }
    }

    @Test
    void linesGranularityAndFormatsByExtension() throws Exception {
        String cpu = Corpus.file("go1.27/cpuwork/cpu.pprof").toString();
        Peers.Result r = flame("flame", "-lines", cpu);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        // "name file:line" frames; the value after the last space
        assertThat(r.stdout().lines().findFirst().orElseThrow()).matches("^\\S+ \\S+\\.go:\\d+(;\\S+ \\S+:\\d+)* \\d+$");
        assertThat(fromFolded(r.stdout()).nonZero()).isEqualTo(pprofTop(Path.of(cpu), "", "ns", "-lines").nonZero());

        Path pb = dir.resolve("cpu.pb.gz");
        r = flame("flame", "-o", pb.toString(), cpu);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readAllBytes(pb)[0]).isEqualTo((byte) 0x1f); // gzip
        assertThat(godiagTop(pb.toString(), "").nonZero()).isEqualTo(godiagTop(cpu, "").nonZero());

        r = flame("flame", "-o", dir.resolve("x.svg").toString(), cpu);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--format");
        r = flame("flame", "--format", "svg", cpu);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("html, folded, speedscope, pprof");
    }

    @Test
    void hostileNamesStayOnOneLineAndValidJson() throws Exception {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count");
        int main = b.addFunction(1, "main.main", "main.main", "main.go", 1);
        int bad = b.addFunction(2, "<script>;\nfoo", "", "x\"y.go", 1);
        b.addLine(bad, 3, 0);
        int l1 = b.endLocation(1, -1, 0x10, false);
        b.addLine(main, 7, 0);
        int l2 = b.endLocation(2, -1, 0x20, false);
        b.addSampleLocation(l1);
        b.addSampleLocation(l2);
        b.endSample(5);
        Profile p = b.build();
        Path file = dir.resolve("hostile.pb.gz");
        try (OutputStream os = Files.newOutputStream(file)) {
            ProtoProfileWriter.write(p, os);
        }
        Peers.Result r = flame("flame", file.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("main.main;<script>: foo 5\n");

        r = flame("flame", "--format", "speedscope", file.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.stdout());
        List<String> names = new ArrayList<>();
        doc.get("shared").get("frames").forEach(f -> names.add(f.get("name").asText()));
        assertThat(names).contains("<script>;\nfoo", "main.main");

        // and it reads back: the name intact from speedscope
        Path json = dir.resolve("hostile.json");
        Files.writeString(json, r.stdout());
        assertThat(godiagTop(json.toString(), "").keySet()).contains("<script>;\nfoo");
    }

    @Test
    void badExportsAreOneLineNamingTheFile() throws Exception {
        String cpu = Corpus.file("go1.27/cpuwork/cpu.pprof").toString();
        Path json = dir.resolve("cpu.json");
        assertThat(flame("flame", "-o", json.toString(), cpu).exitCode()).isZero();
        byte[] whole = Files.readAllBytes(json);
        Path truncated = dir.resolve("truncated.json");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        Peers.Result r = Godiag.run("top", truncated.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().lines().toList()).hasSize(1);
        assertThat(r.stderr()).startsWith("godiag: " + truncated + ": speedscope JSON:");

        Path folded = dir.resolve("bad.folded");
        Files.writeString(folded, "main.main;main.f 10\nmain.main;main.g abc\n", StandardCharsets.UTF_8);
        r = Godiag.run("top", folded.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().lines().toList()).hasSize(1);
        assertThat(r.stderr()).startsWith("godiag: " + folded + ": folded stacks: line 2: count 'abc'");
    }
}
