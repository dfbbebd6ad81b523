package dev.godiag.badinput;

import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.godiag.badinput.BadInput.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gzip bomb: 200 MiB of zeros in about 200 KB. With a low inflate limit the load stops at the
 * limit, holding less than the limit, with a message that names the limit and how to raise it.
 * (What a rejection costs is measured in allocated bytes, not time: see GzipTest too.)
 */
class DecompressionBombTest {
    private static final long BOMB_SIZE = 200L << 20;

    @TempDir
    static Path dir;
    static Path bomb;

    @BeforeAll
    static void buildBomb() throws IOException {
        bomb = dir.resolve("bomb.pprof");
        byte[] gz = BadInput.gzipOfZeros(BOMB_SIZE);
        assertTrue(gz.length < 1 << 20, "bomb of " + gz.length + " bytes");
        Files.write(bomb, gz);
    }

    @Test
    void maxInflateOptionStopsTheBombWithinTheLimit() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Peers.Result r = Godiag.run("top", "--max-inflate", "10m", bomb.toString());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertBadInput(r, bomb.toString(), "decompresses to more than the limit of 10 MiB", "--max-inflate",
                "GODIAG_MAX_INFLATE");
        // the file, and less than the limit besides: no output array grown toward it
        long fileSize = bomb.toFile().length();
        assertTrue(allocated < fileSize + (10L << 20), "allocated " + allocated + " bytes for a file of " + fileSize);
    }

    @Test
    void limitAppliesToBasesToo() throws IOException {
        Path good = dir.resolve("good.pprof");
        Files.write(good, Pb.validProfile().build());
        assertBadInput(Godiag.run("top", "--max-inflate=1m", good.toString(), "--base", bomb.toString()),
                bomb.toString(), "limit of 1 MiB");
    }

    @Test
    void invalidMaxInflateIsAUsageError() {
        for (String bad : new String[] {"", "k", "-5", "10x", "99999999999g"}) {
            Peers.Result r = Godiag.run("top", "--max-inflate=" + bad, bomb.toString());
            assertBadInput(r, "invalid size");
        }
    }

    @Test
    void withoutALimitTheBombIsStillJustNotAProfile() {
        // below the default limit of 1 GiB: inflated, then rejected as what it is
        assertBadInput(Godiag.run("info", bomb.toString()), bomb.toString(), "not a profile: binary data");
    }

    /** The environment variable, in a real process (it cannot be set in-process). */
    @Test
    void environmentVariableStopsTheBomb() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.godiag.cli.Main", "info", bomb.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("GODIAG_MAX_INFLATE", "10m");
        Path out = dir.resolve("env.out");
        Path err = dir.resolve("env.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out");
        Peers.Result r = new Peers.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        assertBadInput(r, bomb.toString(), "limit of 10 MiB");

        pb.environment().put("GODIAG_MAX_INFLATE", "lots");
        p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out");
        r = new Peers.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        assertBadInput(r, "GODIAG_MAX_INFLATE", "invalid size 'lots'");
    }
}
