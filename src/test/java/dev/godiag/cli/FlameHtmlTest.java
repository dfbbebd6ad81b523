package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flame graph page as a file: self-contained, its embedded tree holding pprof's numbers, and
 * names from profiles inert. What the page does with it is the browser tests' business.
 */
class FlameHtmlTest {
    @TempDir
    Path dir;

    static final String OPEN = "<script id=\"godiag-data\" type=\"application/json\">";

    /** The JSON embedded in a page, exactly as written (no unescaping beyond JSON's). */
    static String rawData(String html) {
        int from = html.indexOf(OPEN);
        assertThat(from).isPositive();
        from += OPEN.length();
        int to = html.indexOf("</script>", from);
        return html.substring(from, to);
    }

    static JsonNode data(Path page) throws Exception {
        return new ObjectMapper().readTree(rawData(Files.readString(page)));
    }

    /** Flat and cum per frame name from the page's tree, computed here as pprof defines them. */
    static Map<String, List<Long>> rows(JsonNode d, int type) {
        JsonNode nodes = d.get("nodes");
        JsonNode names = d.get("frames").get("name");
        int n = nodes.get("parent").size();
        int[] parent = new int[n];
        int[] frame = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = nodes.get("parent").get(i).asInt();
            frame[i] = nodes.get("frame").get(i).asInt();
        }
        Map<String, long[]> rows = new TreeMap<>();
        for (int i = 1; i < n; i++) {
            assertThat(frame[i]).as("no 'other' nodes in an untruncated tree").isNotNegative();
            String name = names.get(frame[i]).asText();
            long[] r = rows.computeIfAbsent(name, k -> new long[2]);
            r[0] += nodes.get("self").get(type).get(i).asLong();
            boolean outermost = true;
            for (int p = parent[i]; p > 0 && outermost; p = parent[p]) {
                outermost = !names.get(frame[p]).asText().equals(name);
            }
            if (outermost) {
                r[1] += nodes.get("total").get(type).get(i).asLong();
            }
        }
        Map<String, List<Long>> out = new TreeMap<>();
        rows.forEach((k, v) -> {
            if (v[0] != 0 || v[1] != 0) {
                out.put(k, List.of(v[0], v[1]));
            }
        });
        return out;
    }

    @Test
    void pageIsSelfContainedAndHoldsPprofsNumbers() throws Exception {
        Path in = Corpus.file("go1.27/cpuwork/cpu.pprof");
        Path page = dir.resolve("cpu.html");
        Peers.Result r = Godiag.run("flame", "-o", page.toString(), in.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>");
        // nothing to fetch: no external scripts, styles, images or fonts
        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*[\"']?(https?:)?//")
                .doesNotContainPattern("(?i)@import|url\\(\\s*[\"']?https?:");
        JsonNode d = data(page);
        assertThat(d.get("kind").asText()).isEqualTo("flame");
        assertThat(d.get("title").asText()).isEqualTo("cpu.pprof");
        assertThat(d.get("types").get(d.get("type").asInt()).get("name").asText()).isEqualTo("cpu");
        assertThat(d.get("truncation").isNull()).isTrue();
        assertThat(rows(d, 1)).isEqualTo(PprofTop.run(in, "", "ns").nonZero());
        assertThat(rows(d, 0)).isEqualTo(PprofTop.run(in, "samples", "").nonZero());
        // runtime frames say what they stand for; the service's own frames need no explaining
        JsonNode names = d.get("frames").get("name");
        JsonNode why = d.get("frames").get("why");
        for (int f = 0; f < names.size(); f++) {
            if (names.get(f).asText().equals("runtime.mallocgc")) {
                assertThat(why.get(f).asText()).containsIgnoringCase("alloc");
            }
            if (names.get(f).asText().startsWith("main.")) {
                assertThat(why.get(f).asText()).isEmpty();
            }
        }
        // the root's total is the profile's, as pprof -top's header says
        assertThat(d.get("nodes").get("total").get(1).get(0).asLong()).isEqualTo(800_000_000L);
    }

    @Test
    void truncatedPageSaysWhatItFolded() throws Exception {
        Path in = Corpus.file("upstream/pprof/internal_proftest__large.cpu");
        Path page = dir.resolve("large.html");
        Peers.Result r = Godiag.run("flame", "--max-nodes", "50", "-o", page.toString(), in.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode d = data(page);
        JsonNode nodes = d.get("nodes");
        int frames = 0;
        long otherTotal = 0;
        int otherCount = 0;
        for (int i = 1; i < nodes.get("frame").size(); i++) {
            if (nodes.get("frame").get(i).asInt() >= 0) {
                frames++;
            } else {
                otherTotal += nodes.get("total").get(1).get(i).asLong();
                otherCount += nodes.get("other").get(i).asInt();
                assertThat(d.get("folded").has(Integer.toString(i))).isTrue();
            }
        }
        assertThat(frames).isEqualTo(50);
        JsonNode t = d.get("truncation");
        assertThat(t.get("maxNodes").asInt()).isEqualTo(50);
        assertThat(t.get("foldedNodes").asInt()).isEqualTo(otherCount).isPositive();
        assertThat(t.get("foldedTotal").get(1).asLong()).isEqualTo(otherTotal).isPositive();
        // the root keeps the whole profile
        Path full = dir.resolve("full.html");
        assertThat(Godiag.run("flame", "-o", full.toString(), in.toString()).exitCode()).isZero();
        assertThat(nodes.get("total").get(1).get(0).asLong())
                .isEqualTo(data(full).get("nodes").get("total").get(1).get(0).asLong());
    }

    @Test
    void hostileNamesCannotEscapeTheScriptElement() throws Exception {
        String script = "</script><script>alert(1)</script>";
        String quotes = "main.\"quoted\" 'single' `back` &amp; <b>bold</b>";
        String separators = "main.sep\u2028line\u2029para\nnewline";
        String unicode = "main.ünïcödé.\u202eevil\u202c.日本語.🔥";
        String huge = "main." + "x".repeat(10_000);
        List<String> names = List.of(script, quotes, separators, unicode, huge, "<!--", "]]>");
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count");
        int main = b.addFunction(1, "main.main", "main.main", "main.go", 1);
        int id = 2;
        for (String name : names) {
            // no system name: a name chosen by the profiler is shown as it is (pprof would simplify
            // a name equal to its system name that looks like demangled C++, e.g. drop its "<...>")
            int f = b.addFunction(id, name, "", "<evil>.go", 1);
            b.addLine(f, 3, 0);
            int leaf = b.endLocation(id, -1, 0x10L * id, false);
            b.addLine(main, 7, 0);
            int root = b.endLocation(100 + id, -1, 0x1000L + id, false);
            b.addSampleLocation(leaf);
            b.addSampleLocation(root);
            b.endSample(id);
            id++;
        }
        Path in = dir.resolve("hostile.pb.gz");
        try (OutputStream os = Files.newOutputStream(in)) {
            ProtoProfileWriter.write(b.build(), os);
        }
        Path page = dir.resolve("hostile.html");
        Peers.Result r = Godiag.run("flame", "-o", page.toString(), in.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String raw = rawData(Files.readString(page));
        assertThat(raw).doesNotContain("<", ">", "&", "\u2028", "\u2029");
        JsonNode d = new ObjectMapper().readTree(raw);
        Map<String, Integer> found = new HashMap<>();
        d.get("frames").get("name").forEach(n -> found.put(n.asText(), 1));
        assertThat(found).containsKeys(names.toArray(String[]::new));
        assertThat(raw).containsIgnoringCase("\\u003Cevil\\u003E.go");
        d.get("frames").get("file").forEach(f -> assertThat(f.asText()).isIn("<evil>.go", "main.go"));
    }

    /** Like {@link #rows} for the base side of a diff page. */
    static Map<String, List<Long>> baseRows(JsonNode d, int type) throws Exception {
        ObjectMapper m = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode copy = d.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode nodes = (com.fasterxml.jackson.databind.node.ObjectNode) copy
                .get("nodes");
        nodes.set("self", d.get("diff").get("baseSelf"));
        nodes.set("total", d.get("diff").get("baseTotal"));
        return rows(m.readTree(copy.toString()), type);
    }

    @Test
    void diffPageHoldsBothSidesAsPprofSeesThem() throws Exception {
        Path base = Corpus.file("go1.19/cpuwork/cpu.pprof");
        Path neu = Corpus.file("go1.27/cpuwork/cpu.pprof");
        Path page = dir.resolve("diff.html");
        Peers.Result r = Godiag.run("diff", "--normalize", "-o", page.toString(), base.toString(), neu.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode d = data(page);
        assertThat(d.get("kind").asText()).isEqualTo("diff");
        // width is NEW as read; the base side is BASE as read, with the factor that scales it to NEW
        assertThat(rows(d, 1)).isEqualTo(PprofTop.run(neu, "", "ns").nonZero());
        assertThat(baseRows(d, 1)).isEqualTo(PprofTop.run(base, "", "ns").nonZero());
        long newTotal = d.get("nodes").get("total").get(1).get(0).asLong();
        long baseTotal = d.get("diff").get("baseTotal").get(1).get(0).asLong();
        assertThat(d.get("diff").get("normalize").asBoolean()).isTrue();
        assertThat(d.get("diff").get("scale").get(1).asDouble()).isCloseTo((double) newTotal / baseTotal,
                org.assertj.core.data.Offset.offset(1e-9));
        // the gainers and losers are godiag diff's own JSON
        Peers.Result json = Godiag.run("diff", "--normalize", "--format", "json", base.toString(), neu.toString());
        assertThat(d.get("diff").get("table")).isEqualTo(new ObjectMapper().readTree(json.stdout()));

        Path absolute = dir.resolve("abs.html");
        r = Godiag.run("diff", "--normalize=false", "-o", absolute.toString(), base.toString(), neu.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(data(absolute).get("diff").get("normalize").asBoolean()).isFalse();
        assertThat(data(absolute).get("diff").get("scale").get(1).asDouble()).isEqualTo(1.0);

        // -o's extension picks the format of the other outputs too
        Path md = dir.resolve("diff.md");
        r = Godiag.run("diff", "-o", md.toString(), base.toString(), neu.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readString(md)).isEqualTo(Godiag.run("diff", "--format", "markdown", base.toString(),
                neu.toString()).stdout());
    }

    @Test
    void badOptionsAreOneLine() {
        String cpu = Corpus.file("go1.27/cpuwork/cpu.pprof").toString();
        for (List<String> args : List.of(List.of("--max-nodes", "0"), List.of("--min-fraction", "1.5"),
                List.of("--min-fraction", "abc"))) {
            List<String> cmd = new java.util.ArrayList<>(List.of("flame", "--format", "html"));
            cmd.addAll(args);
            cmd.add(cpu);
            Peers.Result r = Godiag.run(cmd);
            assertThat(r.exitCode()).as(args.toString()).isEqualTo(2);
            assertThat(r.stderr().lines().toList()).as(args.toString()).hasSize(1);
        }
    }
}
