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
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small generated log (2 MiB) is read by {@code godiag gc} with exactly the cycles, forced cycles
 * and {@code GC forced} lines it holds, counted here by matching lines, and without warnings.
 */
class GcTraceLogGeneratorTest {
    private static final Pattern GC = Pattern.compile("gc \\d+ @\\d+\\.\\d{3}s \\d+%.* P( \\(forced\\))?");

    @Test
    void godiagFindsEveryCycleTheGeneratorWrote(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gctrace.log");
        GcTraceLogGenerator.Counts counts = GcTraceLogGenerator.write(file, 2L << 20, 7);
        assertThat(Files.size(file)).isEqualTo(counts.bytes()).isGreaterThanOrEqualTo(2L << 20);

        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        long gcLines = lines.stream().filter(l -> l.startsWith("gc ")).count();
        long gcCycles = lines.stream().filter(l -> GC.matcher(l).matches()).count();
        long forced = lines.stream().filter(l -> l.startsWith("gc ") && l.endsWith(" (forced)")).count();
        long gcForced = lines.stream().filter("GC forced"::equals).count();
        long scav = lines.stream().filter(l -> l.startsWith("scav ")).count();
        assertThat(lines).hasSize((int) counts.lines());
        assertThat(gcLines).isEqualTo(gcCycles).isEqualTo(counts.cycles());
        assertThat(forced).isEqualTo(counts.forcedCycles()).isPositive();
        assertThat(gcForced).isEqualTo(counts.gcForcedLines());
        assertThat(scav).isEqualTo(counts.scavLines()).isPositive();
        // about one line in 20 is a cycle
        assertThat((double) lines.size() / gcCycles).isBetween(15.0, 25.0);

        Peers.Result r = Godiag.run("gc", "--format", "json", file.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("warning");
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertThat(j.get("cycles").asLong()).isEqualTo(gcCycles);
        assertThat(j.get("forced").asLong()).isEqualTo(forced);
        assertThat(j.get("gcForcedLines").asLong()).isEqualTo(gcForced);
        assertThat(j.get("lines").asLong()).isEqualTo(lines.size());
        assertThat(j.get("scavenger")).hasSize((int) scav);
        assertThat(j.get("warnings")).isEmpty();

        // deterministic from the seed
        Path again = dir.resolve("again.log");
        GcTraceLogGenerator.write(again, 2L << 20, 7);
        assertThat(Files.mismatch(file, again)).isEqualTo(-1L);
    }
}
