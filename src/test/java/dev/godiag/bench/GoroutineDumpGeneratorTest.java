package dev.godiag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.bench.GoroutineDumpGenerator.Kind;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated dump is read by {@code godiag goroutines} with exactly the counts the generator's
 * documented mix gives: 2 fixed goroutines, then blocks of 100 with 13 of each leak shape, 4 idle
 * connections, 2 background reads and 3 request handlers; a partial last block takes the first
 * entries in that order.
 */
class GoroutineDumpGeneratorTest {
    private static final int COUNT = 10_000;
    private static final String MAIN_GO = "example.com/shop/leakysvc/main.go";

    /** The documented mix, computed here from the proportions (not by the generator). */
    private static Map<Kind, Long> expected(int count) {
        int[] perBlock = {13, 13, 13, 13, 13, 13, 13, 4, 2, 3};
        Kind[] kinds = Kind.values();
        assertThat(kinds).hasSize(perBlock.length);
        int others = count - 2;
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        int rest = others % 100;
        for (int i = 0; i < kinds.length; i++) {
            long n = (long) (others / 100) * perBlock[i];
            int take = Math.min(perBlock[i], rest);
            rest -= take;
            m.put(kinds[i], n + take);
        }
        return m;
    }

    @Test
    void godiagReadsTheDumpWithTheIntendedCounts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dump.txt");
        GoroutineDumpGenerator.main(new String[] {file.toString(), Integer.toString(COUNT), "3"});
        Map<Kind, Long> want = expected(COUNT);
        // the generator's own arithmetic agrees with the documented mix
        for (Kind k : Kind.values()) {
            assertThat(GoroutineDumpGenerator.expectedCount(k, COUNT)).as("%s", k).isEqualTo(want.get(k));
        }
        assertThat(want.get(Kind.LEAK_RANGE)).isEqualTo(99 * 13 + 13);
        assertThat(want.get(Kind.HANDLER)).isEqualTo(99 * 3 + 1); // the partial block of 98: 91 leaks, 4, 2, 1

        // the text itself, counted without godiag
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        long headers = text.lines().filter(l -> l.startsWith("goroutine ")).count();
        assertThat(headers).isEqualTo(COUNT);
        for (Kind k : Kind.values()) {
            if (k.leak()) {
                long frames = text.lines().filter(l -> l.equals(k.function + "()")).count();
                assertThat(frames).as("%s frames in the text", k).isEqualTo(want.get(k));
            }
        }
        double perGoroutine = (double) Files.size(file) / COUNT;
        assertThat(perGoroutine).as("bytes per goroutine (~300 MB for a million)").isBetween(250.0, 350.0);

        Peers.Result r = Godiag.run("goroutines", "--format", "json", file.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).as("no warnings").isEmpty();
        JsonNode d = new ObjectMapper().readTree(r.stdout());
        assertThat(d.get("total").asLong()).isEqualTo(COUNT);
        assertThat(d.get("snapshots").get(0).get("warnings")).isEmpty();

        Map<String, List<JsonNode>> byLeaf = new java.util.HashMap<>();
        long sum = 0;
        long handlers = 0;
        long idle = 0;
        long background = 0;
        for (JsonNode b : d.get("buckets")) {
            sum += b.get("count").asLong();
            List<String> fns = new ArrayList<>();
            b.get("frames").forEach(f -> fns.add(f.get("function").asText()));
            // a leak's goroutine function is its outermost frame
            byLeaf.computeIfAbsent(fns.getLast(), k -> new ArrayList<>()).add(b);
            if (fns.contains("main.queryDB")) {
                handlers += b.get("count").asLong();
            } else if (fns.contains("bufio.(*Reader).Peek")) {
                idle += b.get("count").asLong();
            } else if (fns.contains("net/http.(*connReader).backgroundRead")) {
                background += b.get("count").asLong();
            }
        }
        assertThat(sum).isEqualTo(COUNT);
        for (Kind k : Kind.values()) {
            if (!k.leak()) {
                continue;
            }
            List<JsonNode> buckets = byLeaf.get(k.function);
            assertThat(buckets).as("one bucket for %s", k.function).hasSize(1);
            JsonNode b = buckets.getFirst();
            assertThat(b.get("count").asLong()).as("%s", k.function).isEqualTo(want.get(k));
            assertThat(b.get("verdict").asText()).as("%s", k.function).isIn("definite-leak", "likely-leak");
            assertThat(b.get("blockedAt").get("file").asText()).isEqualTo(MAIN_GO);
            assertThat(b.get("blockedAt").get("line").asInt()).as("%s", k.function).isEqualTo(k.line);
        }
        assertThat(handlers).isEqualTo(want.get(Kind.HANDLER));
        assertThat(idle).isEqualTo(want.get(Kind.CONN_IDLE));
        assertThat(background).isEqualTo(want.get(Kind.BACKGROUND_READ));
        JsonNode main = byLeaf.get("main.main").getFirst();
        assertThat(main.get("count").asLong()).isEqualTo(1);
        assertThat(main.get("verdict").asText()).isEqualTo("benign");

        // arguments vary per goroutine (so argument similarity has something to tell apart)
        long distinctWaitGroups = text.lines().filter(l -> l.startsWith("sync.(*WaitGroup).Wait(0x")).distinct().count();
        assertThat(distinctWaitGroups).isGreaterThan(want.get(Kind.LEAK_WG) * 9 / 10);
    }

    @Test
    void partialBlocksAndSmallCountsFollowTheDocumentedOrder() {
        for (int count : new int[] {2, 3, 15, 102, 150, 1_000, 1_099}) {
            Map<Kind, Long> want = expected(count);
            String text = GoroutineDumpGenerator.generate(count, 5);
            assertThat(text.lines().filter(l -> l.startsWith("goroutine ")).count()).isEqualTo(count);
            for (Kind k : Kind.values()) {
                assertThat(GoroutineDumpGenerator.expectedCount(k, count)).as("%s at %d", k, count)
                        .isEqualTo(want.get(k));
                if (k.leak()) {
                    assertThat(text.lines().filter(l -> l.equals(k.function + "()")).count())
                            .as("%s at %d", k, count).isEqualTo(want.get(k));
                }
            }
        }
    }

    @Test
    void deterministicFromTheSeed() {
        assertThat(GoroutineDumpGenerator.generate(1_000, 7)).isEqualTo(GoroutineDumpGenerator.generate(1_000, 7));
        assertThat(GoroutineDumpGenerator.generate(1_000, 7)).isNotEqualTo(GoroutineDumpGenerator.generate(1_000, 8));
    }
}
