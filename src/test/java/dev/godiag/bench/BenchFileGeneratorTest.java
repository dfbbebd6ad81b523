package dev.godiag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A generated benchmark file of 30,011 results (a multiple of nothing the store batches by) is
 * saved as a baseline twice over (the file given as two inputs) and gated against: every metric
 * the file has, counted here by matching its lines, is stored once with its values in order (the
 * first input's, then the second's), and the file gates against itself as a pass.
 */
class BenchFileGeneratorTest {
    private static final Pattern RESULT = Pattern.compile("^(Benchmark\\S+)\\s+\\d+\\s+(.*)$");
    private static final Pattern VALUE = Pattern.compile("(\\S+) (\\S+)");

    @TempDir
    Path dir;

    @Test
    void everyMetricOfTheFileIsStoredWithItsValuesInOrder() throws Exception {
        Path file = dir.resolve("bench.txt");
        BenchFileGenerator.Counts counts = BenchFileGenerator.write(file, 30_011, 3, 5);
        assertThat(counts.results()).isEqualTo(30_011);

        // metric (name and unit as benchfmt tidies them: ns/op is sec/op, MB/s is B/s) -> values in file order
        Map<String, List<Double>> expected = new LinkedHashMap<>();
        long results = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            Matcher m = RESULT.matcher(line);
            if (!m.matches()) {
                continue;
            }
            results++;
            Matcher v = VALUE.matcher(m.group(2));
            while (v.find()) {
                double value = Double.parseDouble(v.group(1));
                String unit = switch (v.group(2)) {
                    case "ns/op" -> "sec/op";
                    case "MB/s" -> "B/s";
                    default -> v.group(2);
                };
                value *= v.group(2).equals("ns/op") ? 1e-9 : v.group(2).equals("MB/s") ? 1e6 : 1;
                expected.computeIfAbsent(m.group(1) + " " + unit, k -> new ArrayList<>()).add(value);
            }
        }
        assertThat(results).isEqualTo(counts.results());
        assertThat(expected).hasSize((int) (counts.benchmarks() * 3 + counts.withThroughput()));

        String db = "sqlite:" + dir.resolve("godiag.db");
        Peers.Result save = Godiag.run("baseline", "save", "big", file.toString(), file.toString(), "--db", db);
        assertThat(save.stderr()).isEmpty();
        assertThat(save.stdout()).isEqualTo("saved run 1 of baseline big: 2 inputs, " + expected.size() + " metrics\n");

        JsonNode run = new ObjectMapper().readTree(Godiag.run("baseline", "show", "big", "--format", "json", "--db", db)
                .stdout()).get("runs").get(0);
        List<String> names = new ArrayList<>(expected.keySet());
        JsonNode metrics = run.get("metrics");
        assertThat(metrics).hasSize(expected.size());
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode m = metrics.get(i);
            String key = m.get("name").asText() + " " + m.get("unit").asText();
            assertThat(key).isEqualTo(names.get(i));
            List<Double> once = expected.get(key);
            assertThat(m.get("values")).hasSize(2 * once.size());
            for (int j = 0; j < 2 * once.size(); j++) {
                assertThat(m.get("values").get(j).asDouble()).as(key)
                        .isCloseTo(once.get(j % once.size()), within(Math.abs(once.get(j % once.size())) * 1e-12));
            }
        }

        Peers.Result gate = Godiag.run("gate", "--baseline", "big", "--candidate", file.toString(), "--db", db,
                "--format", "json");
        assertThat(gate.exitCode()).as(gate.stderr()).isZero();
        JsonNode g = new ObjectMapper().readTree(gate.stdout());
        assertThat(g.get("verdict").asText()).isEqualTo("pass");
        assertThat(g.get("metrics")).hasSize(expected.size());
    }
}
