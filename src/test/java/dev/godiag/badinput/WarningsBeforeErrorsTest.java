package dev.godiag.badinput;

import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.godiag.badinput.BadInput.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lines a reader skips are never dropped silently: every command that reads a gctrace log says
 * which lines it left out (absurd numbers included), and a file of thousands of bad lines gives a
 * few warnings and a count, not screens of them before the error.
 */
class WarningsBeforeErrorsTest {
    private static final String GOOD = "gc %d @%d.5s 2%%: 0.096+3.4+0.007 ms clock, 0.19+0.79/0.84/0.26+0.014 ms cpu,"
            + " %d->%d->%d MB, 8 MB goal, 0 MB stacks, 0 MB globals, 2 P";

    @TempDir
    static Path dir;
    static Path log;

    @BeforeAll
    static void writeLog() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            sb.append(String.format(GOOD, i, i, 3 + i, 4 + i, 2 + i)).append('\n');
        }
        sb.append(String.format(GOOD, 7, 7, 3, 4, 2).replace("2%", "250%")).append('\n');
        sb.append(String.format(GOOD, 8, 8, 3, 4, 2).replace("0.096+", "-0.096+")).append('\n');
        log = dir.resolve("app.log");
        Files.writeString(log, sb);
    }

    private static final String CPU = "line 7: GC CPU 250% is more than 100%";
    private static final String NEGATIVE = "line 8: negative sweep termination clock: -0.096";

    private static void warns(Peers.Result r, String... fragments) {
        for (String f : fragments) {
            assertTrue(r.stderr().contains(log + ": " + f), "no warning \"" + f + "\" in:\n" + r.stderr());
        }
    }

    @Test
    void everyCommandReadingGctraceWarnsAboutSkippedLines() {
        Peers.Result gc = Godiag.run("gc", "--format", "json", log.toString());
        assertEquals(0, gc.exitCode(), gc.stderr());
        warns(gc, CPU, NEGATIVE);

        Peers.Result memory = Godiag.run("memory", log.toString());
        assertEquals(0, memory.exitCode(), memory.stderr());
        warns(memory, CPU, NEGATIVE);

        Peers.Result diagnose = Godiag.run("diagnose", log.toString());
        assertEquals(0, diagnose.exitCode(), diagnose.stderr());
        warns(diagnose, CPU, NEGATIVE);

        String db = "sqlite:" + dir.resolve("baselines.db");
        Peers.Result save = Godiag.run("baseline", "save", "--db", db, "app", log.toString());
        assertEquals(0, save.exitCode(), save.stderr());
        warns(save, CPU, NEGATIVE);

        Peers.Result gate = Godiag.run("gate", "--db", db, "--baseline", "app", "--candidate", log.toString());
        assertEquals(0, gate.exitCode(), gate.stderr());
        warns(gate, CPU, NEGATIVE);
    }

    @Test
    void thousandsOfSkippedLinesAreTenAndACount() throws IOException {
        StringBuilder sb = new StringBuilder(Files.readString(log));
        String absurd = String.format(GOOD, 9, 9, 3, 4, 2).replace("2 P", "0 P") + "\n";
        sb.append(absurd.repeat(5000));
        Path big = dir.resolve("big.log");
        Files.writeString(big, sb);
        Peers.Result r = Godiag.run("memory", big.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        List<String> lines = r.stderr().lines().toList();
        assertEquals(11, lines.size(), r.stderr());
        assertEquals(big + ": and 4992 more lines skipped", lines.get(10));
    }

    @Test
    void benchmarkFileOfBadLinesGivesACountThenTheError() throws IOException {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "BenchmarkX 1 ten ns/op\n".repeat(1000));
        Peers.Result r = Godiag.run("bench", bad.toString());
        List<String> lines = r.stderr().lines().toList();
        assertEquals(22, lines.size(), r.stderr());
        assertEquals(bad + ":1: parsing measurement: invalid syntax in 'ten'", lines.get(0));
        assertEquals(bad + ": and 980 more malformed lines", lines.get(20));
        // the error itself is one line, the last
        assertBadInput(new Peers.Result(r.exitCode(), r.stdout(), lines.get(21) + "\n"), bad.toString(),
                "no benchmark results");
    }
}
