package dev.godiag.badinput;

import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole command on fuzzed files: whatever the reader accepts, {@code godiag top} and
 * {@code godiag info} must report on it (exit 0) or reject it as bad input (exit 2, one line
 * naming the file); an internal error (exit 3) or a stack trace is a bug.
 */
@AddLifecycleHook(FuzzTries.class)
class CliFuzzProperties {
    private static final List<ProfileReaderFuzzProperties.Seed> SEEDS = ProfileReaderFuzzProperties.seeds;

    @Property
    @FuzzTries.Share(percent = 5)
    void topAndInfoOnMutatedProfiles(@ForAll("seeds") ProfileReaderFuzzProperties.Seed seed,
                                     @ForAll("mutationLists") List<ProfileReaderFuzzProperties.Mutation> mutations,
                                     @ForAll("commands") List<String> command) throws IOException {
        byte[] data = seed.data();
        for (ProfileReaderFuzzProperties.Mutation m : mutations) {
            data = m.apply(data, SEEDS);
        }
        check(data, command, seed + " " + mutations);
    }

    @Property
    @FuzzTries.Share(percent = 5)
    void topAndInfoOnPlausibleRandomProfiles(@ForAll("randomSeeds") long seed, @ForAll("commands") List<String> command)
            throws IOException {
        check(RandomProfiles.plausible(new Random(seed)).bytes(), command, "random profile, seed " + seed);
    }

    private static void check(byte[] data, List<String> command, String what) throws IOException {
        Path f = Files.createTempFile("godiag-fuzz", ".pprof");
        try {
            Files.write(f, data);
            List<String> args = new java.util.ArrayList<>(command);
            args.add(f.toString());
            Peers.Result r = Godiag.run(args);
            String context = args + " on " + what + ": exit " + r.exitCode() + ", stderr: " + r.stderr();
            if (r.exitCode() == 0) {
                return;
            }
            if (r.exitCode() != 2) {
                Path dir = Path.of("target", "fuzz-failures");
                Files.createDirectories(dir);
                Path saved = dir.resolve("cli-" + Integer.toHexString(java.util.Arrays.hashCode(data)) + ".bin");
                Files.write(saved, data);
                fail(context + " (input saved as " + saved + ")");
            }
            String line = r.stderr().endsWith("\n") ? r.stderr().substring(0, r.stderr().length() - 1) : r.stderr();
            assertTrue(!line.contains("\n") && line.startsWith("godiag: "), context);
            assertTrue(line.contains(f.toString()), "does not name the file: " + context);
            assertEquals("", r.stdout(), context);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Provide
    Arbitrary<ProfileReaderFuzzProperties.Seed> seeds() {
        return Arbitraries.of(SEEDS);
    }

    @Provide
    Arbitrary<Long> randomSeeds() {
        return Arbitraries.longs().withoutEdgeCases();
    }

    @Provide
    Arbitrary<List<ProfileReaderFuzzProperties.Mutation>> mutationLists() {
        return ProfileReaderFuzzProperties.mutation().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<String>> commands() {
        return Arbitraries.of(
                List.of("top"),
                List.of("info"),
                List.of("info", "--format", "json"),
                List.of("top", "--format", "json"),
                List.of("top", "--cum", "--nodecount", "5"),
                List.of("top", "--granularity", "lines"),
                List.of("top", "--granularity", "addresses"),
                List.of("top", "--sample-index", "0"),
                List.of("top", "--focus", "main"),
                List.of("top", "--tagfocus", "bytes=1:"));
    }
}
