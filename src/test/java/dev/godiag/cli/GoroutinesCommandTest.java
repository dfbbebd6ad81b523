package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * godiag goroutines on the leaking service of the corpus, judged by its ground truth (the corpus
 * README): seven leaks, each 0, 60, 120, 180, 185 goroutines in t0..t4, blocking at a known line;
 * the main goroutine and the connection serving the dump are not leaks.
 */
class GoroutinesCommandTest {
    /** Goroutine function -> the line of example.com/shop/leakysvc/main.go where it blocks. */
    static final Map<String, Integer> LEAKS = Map.of(
            "main.leakRange.func1", 30,
            "main.leakSend.func1", 43,
            "main.leakSelect.func1", 55,
            "main.leakNil.func1", 63,
            "main.leakCtx.func1", 73,
            "main.leakMutex.func1", 83,
            "main.leakWG.func2", 94);
    static final long[] COUNTS = {0, 60, 120, 180, 185};
    static final String FILE = "example.com/shop/leakysvc/main.go";

    static JsonNode json(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("goroutines", "--format", "json"));
        cmd.addAll(List.of(args));
        Peers.Result r = Godiag.run(cmd);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return new ObjectMapper().readTree(r.stdout());
    }

    static List<String> snapshots(String version, String form) {
        List<String> files = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            files.add(Corpus.file(version + "/leakysvc/" + form.replace("N", Integer.toString(t))).toString());
        }
        return files;
    }

    /** The goroutine function of a bucket: its outermost frame that is not runtime.goexit/main. */
    static String function(JsonNode bucket) {
        JsonNode frames = bucket.get("frames");
        for (int i = frames.size() - 1; i >= 0; i--) {
            String f = frames.get(i).get("function").asText();
            if (!f.equals("runtime.goexit") && !f.equals("runtime.main")) {
                return f;
            }
        }
        return "";
    }

    @ParameterizedTest
    @CsvSource({
            "go1.19, goroutine.tN.debug2.txt",
            "go1.19, goroutine.tN.debug1.txt",
            "go1.19, goroutine.tN.pprof",
            "go1.27, goroutine.tN.debug2.txt",
            "go1.27, goroutine.tN.debug1.txt",
            "go1.27, goroutine.tN.pprof"})
    void sevenLeaksGrowInEverySnapshotForm(String version, String form) throws Exception {
        JsonNode d = json(snapshots(version, form).toArray(String[]::new));
        assertThat(d.get("snapshots")).hasSize(5);
        Map<String, JsonNode> leaks = new HashMap<>();
        for (JsonNode b : d.get("buckets")) {
            String fn = function(b);
            if (LEAKS.containsKey(fn)) {
                assertThat(leaks.put(fn, b)).as("one bucket per leak: %s", fn).isNull();
            } else {
                assertThat(b.get("verdict").asText()).as("%s is not a leak", fn).isIn("benign", "unknown");
            }
        }
        assertThat(leaks.keySet()).containsExactlyInAnyOrderElementsOf(LEAKS.keySet());
        for (var e : leaks.entrySet()) {
            JsonNode b = e.getValue();
            List<Long> counts = new ArrayList<>();
            b.get("counts").forEach(c -> counts.add(c.asLong()));
            assertThat(counts).as(e.getKey()).containsExactly(0L, 60L, 120L, 180L, 185L);
            assertThat(b.get("count").asLong()).isEqualTo(185);
            assertThat(b.get("change").asText()).isEqualTo("only grows");
            assertThat(b.get("verdict").asText()).as(e.getKey()).isIn("definite-leak", "likely-leak");
            assertThat(b.get("blockedAt").get("file").asText()).isEqualTo(FILE);
            assertThat(b.get("blockedAt").get("line").asInt()).as(e.getKey()).isEqualTo(LEAKS.get(e.getKey()));
            assertThat(b.get("reason").asText()).contains(FILE + ":" + LEAKS.get(e.getKey()));
        }
        // the totals per snapshot are the dumps' own ("goroutine profile: total N" in the debug=1 files)
        List<Long> totals = new ArrayList<>();
        d.get("snapshots").forEach(s -> totals.add(s.get("total").asLong()));
        List<Long> expected = new ArrayList<>();
        for (String f : snapshots(version, "goroutine.tN.debug1.txt")) {
            String first = java.nio.file.Files.readAllLines(java.nio.file.Path.of(f)).get(0);
            expected.add(Long.parseLong(first.substring(first.lastIndexOf(' ') + 1)));
        }
        assertThat(totals).isEqualTo(expected);
        assertThat(d.get("total").asLong()).isEqualTo(expected.get(4));
    }

    @ParameterizedTest
    @CsvSource({"go1.19", "go1.27"})
    void oneDumpIsEnoughToFindTheLeaks(String version) throws Exception {
        JsonNode d = json(Corpus.file(version + "/leakysvc/goroutine.t4.debug2.txt").toString());
        Map<String, String> verdicts = new HashMap<>();
        for (JsonNode b : d.get("buckets")) {
            verdicts.merge(function(b), b.get("verdict").asText(), (x, y) -> x + "," + y);
            assertThat(b.has("counts")).isFalse();
            if (LEAKS.containsKey(function(b))) {
                assertThat(b.get("count").asLong()).isEqualTo(185);
                assertThat(b.get("blockedAt").get("line").asInt()).isEqualTo(LEAKS.get(function(b)));
                assertThat(b.get("createdBy").get("file").asText()).isEqualTo(FILE);
            }
        }
        for (String leak : LEAKS.keySet()) {
            assertThat(verdicts.get(leak)).as(leak).isIn("definite-leak", "likely-leak");
        }
        // a receive from a nil channel and an empty select can never end, whatever the Go version
        assertThat(verdicts.get("main.leakNil.func1")).isEqualTo("definite-leak");
        assertThat(verdicts.get("main.leakSelect.func1")).isEqualTo("definite-leak");
        assertThat(verdicts.get("main.main")).isEqualTo("benign");
        assertThat(verdicts.get("net/http.(*conn).serve")).isEqualTo("benign");
    }

    @Test
    void jsonContractHasTheDocumentedFields() throws Exception {
        JsonNode d = json(Corpus.file("go1.19/leakysvc/goroutine.t4.debug2.txt").toString());
        assertThat(d.get("total").asLong()).isEqualTo(1298);
        JsonNode b = d.get("buckets").get(0);
        assertThat(b.get("count").isNumber()).isTrue();
        assertThat(b.get("state").isTextual()).isTrue();
        assertThat(b.get("waitMinutes").has("min")).isTrue();
        assertThat(b.get("waitMinutes").has("max")).isTrue();
        assertThat(b.get("verdict").asText()).isIn("definite-leak", "likely-leak", "benign", "unknown");
        assertThat(b.get("reason").asText()).isNotEmpty();
        JsonNode leaf = b.get("frames").get(0);
        assertThat(leaf.get("function").isTextual() && leaf.get("file").isTextual() && leaf.get("line").isInt())
                .isTrue();
        assertThat(b.get("createdBy").get("function").isTextual()).isTrue();
        // go1.19's t4 dump was taken minutes after the leaks started: "N minutes" in the headers
        long waited = 0;
        for (JsonNode x : d.get("buckets")) {
            if (x.get("waitMinutes").get("max").asInt() > 0) {
                waited++;
            }
        }
        assertThat(waited).isPositive();
    }

    @Test
    void filtersNarrowTheReport() throws Exception {
        String t4 = Corpus.file("go1.27/leakysvc/goroutine.t4.debug2.txt").toString();
        JsonNode d = json("--verdict", "leaks", t4);
        assertThat(d.get("buckets")).hasSize(7);
        assertThat(json("--state", "^chan send", t4).get("buckets")).hasSize(1);
        assertThat(json("--filter", "leakMutex", t4).get("buckets")).hasSize(1);
        assertThat(json("--min-count", "2", t4).get("buckets")).hasSize(7);
        for (List<String> bad : List.of(List.of("--state", "("), List.of("--verdict", "sad"),
                List.of("--similarity", "fuzzy"), List.of("--min-count", "-1"))) {
            List<String> cmd = new ArrayList<>(List.of("goroutines"));
            cmd.addAll(bad);
            cmd.add(t4);
            Peers.Result r = Godiag.run(cmd);
            assertThat(r.exitCode()).as(bad.toString()).isEqualTo(2);
            assertThat(r.stderr().lines().toList()).as(bad.toString()).hasSize(1);
        }
    }

    @Test
    void textAndMarkdownNameTheLeaks() {
        String t4 = Corpus.file("go1.27/leakysvc/goroutine.t4.debug2.txt").toString();
        Peers.Result r = Godiag.run("goroutines", t4);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("Goroutines: 1298 in ").contains("definite-leak", FILE + ":63",
                "main.leakNil.func1", "created by main.leakNil");
        r = Godiag.run("goroutines", "--format", "markdown", t4);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("| verdict | count |", "<details>", "`" + FILE + ":94`");
    }
}
