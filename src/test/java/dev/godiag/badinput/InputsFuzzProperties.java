package dev.godiag.badinput;

import dev.godiag.format.Gzip;
import dev.godiag.format.Input;
import dev.godiag.format.Inputs;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.testutil.Peers;
import dev.godiag.util.BadInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes the recognizer, {@link Inputs#read} over bytes: every kind of input the corpus has (and
 * the kinds it lacks, built here), mutated, gzipped and mutated, and random bytes. The only allowed
 * outcomes are an {@link Input} or a {@link BadInputException} with one short line naming the
 * input. Work is bounded by the input: at most {@value #ALLOC_PER_BYTE} bytes allocated per
 * (inflated) input byte over a floor; a read that never ends is caught by a hang guard of
 * {@value #HANG_SECONDS} s, far beyond any real read of these inputs (milliseconds).
 */
@AddLifecycleHook(FuzzTries.class)
class InputsFuzzProperties {
    static final long ALLOC_PER_BYTE = 64;
    static final long ALLOC_FLOOR = 64L << 20;
    static final long HANG_SECONDS = 60;
    private static final ReadLimits LIMITS = new ReadLimits(64L << 20, 16L << 20);

    private static ExecutorService reader = newReader();

    private static ExecutorService newReader() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-inputs");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterContainer
    static void shutdown() {
        reader.shutdownNow();
    }

    @Property
    void mutatedInputsOfEveryKind(@ForAll("seeds") ProfileReaderFuzzProperties.Seed seed,
                                  @ForAll("mutationLists") List<ProfileReaderFuzzProperties.Mutation> mutations) {
        byte[] data = seed.data();
        for (ProfileReaderFuzzProperties.Mutation m : mutations) {
            data = m.apply(data, SEEDS);
        }
        readsOrRejects(data, seed + " " + mutations);
    }

    @Property
    @FuzzTries.Share(percent = 20)
    void gzippedMutations(@ForAll("seeds") ProfileReaderFuzzProperties.Seed seed,
                          @ForAll("mutationLists") List<ProfileReaderFuzzProperties.Mutation> mutations) {
        byte[] data = BadInput.gzip(seed.data());
        for (ProfileReaderFuzzProperties.Mutation m : mutations) {
            data = m.apply(data, SEEDS);
        }
        readsOrRejects(data, "gzipped " + seed + " " + mutations);
    }

    @Property
    @FuzzTries.Share(percent = 20)
    void randomBytes(@ForAll long seed, @ForAll @IntRange(min = 0, max = 70_000) int length) {
        byte[] data = new byte[length];
        Random r = new Random(seed);
        r.nextBytes(data);
        if (r.nextBoolean()) { // printable: what the text sniffers see
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (r.nextInt(10) == 0 ? '\n' : 0x20 + Math.floorMod(data[i], 0x5f));
            }
        }
        readsOrRejects(data, "random bytes, seed " + seed + ", length " + length);
    }

    /**
     * Landmarks followed by a megabyte of blank lines: patterns that may span lines backtrack over
     * every blank line from every line start (hours for this input), patterns kept within a line do not.
     */
    @net.jqwik.api.Example
    void blankLinesAfterLandmarks() {
        String blank = "\n".repeat(1 << 20);
        for (String landmark : List.of("  1 requests in 1.00s, 2KB read\n", "Summary:\n", "Requests      [total, rate]\n",
                "goroutine 1 [running]:\n", "gc 1 @0.1s 1%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 4->4->0 MB, 4 MB goal, 8 P\n")) {
            readsOrRejects((landmark + blank + landmark).getBytes(StandardCharsets.UTF_8), "blank lines after "
                    + landmark.strip());
            readsOrRejects((landmark + "\t \n".repeat(1 << 18) + landmark).getBytes(StandardCharsets.UTF_8),
                    "white lines after " + landmark.strip());
        }
    }

    /** Reads in a worker thread; fails on any outcome but an input or a clean one-line rejection. */
    private static void readsOrRejects(byte[] data, String what) {
        Future<Object> f = reader.submit(() -> BoundedRead.attempt(() -> Inputs.read(new Source.Bytes("fuzz", data), LIMITS),
                ALLOC_FLOOR + ALLOC_PER_BYTE * inflatedSize(data), data.length, "the recognizer"));
        Object r;
        try {
            r = f.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            reader.shutdownNow();
            reader = newReader();
            throw new AssertionError("no answer within " + HANG_SECONDS + " s on " + what);
        } catch (ExecutionException | InterruptedException e) {
            throw new AssertionError(e);
        }
        if (r instanceof AssertionError e) {
            fail(e.getMessage() + " on " + what, e.getCause());
        }
        if (r instanceof BadInputException e) {
            String m = e.getMessage();
            if (m == null || !m.startsWith("fuzz: ") || m.length() > 500 || m.chars().anyMatch(c -> c < 0x20)) {
                fail("bad message on " + what + ": " + m);
            }
        } else if (r instanceof Input.Unrecognised u && (u.reason().isBlank() || u.reason().indexOf('\n') >= 0)) {
            fail("bad reason on " + what + ": " + u.reason());
        }
    }

    private static long inflatedSize(byte[] data) {
        if (!Gzip.isGzip(data)) {
            return data.length;
        }
        try {
            return Gzip.gunzip(data, LIMITS.maxInflate()).length;
        } catch (BadInputException e) {
            return data.length;
        }
    }

    // ---- inputs

    static final List<ProfileReaderFuzzProperties.Seed> SEEDS = loadSeeds();

    /** Every corpus file up to 128 KiB (un-gzipped), and the kinds the corpus lacks. */
    private static List<ProfileReaderFuzzProperties.Seed> loadSeeds() {
        List<ProfileReaderFuzzProperties.Seed> out = new ArrayList<>();
        Path root = Path.of("..", "shared", "corpus");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    byte[] b = Files.readAllBytes(p);
                    if (Gzip.isGzip(b)) {
                        b = Gzip.gunzip(b, 64L << 20);
                    }
                    if (b.length <= 128 * 1024) {
                        out.add(new ProfileReaderFuzzProperties.Seed(root.relativize(p).toString(), b));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (Peers.inCi()) {
            throw new AssertionError("the corpus ../shared/corpus is missing in CI");
        }
        Path load = Path.of("testdata", "load");
        if (Files.isDirectory(load)) {
            try (Stream<Path> s = Files.list(load)) {
                for (Path p : s.sorted().toList()) {
                    out.add(new ProfileReaderFuzzProperties.Seed("testdata/load/" + p.getFileName(),
                            Files.readAllBytes(p)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String[] built : new String[][] {
                {"built:prometheus", "# HELP go_goroutines Number of goroutines.\n# TYPE go_goroutines gauge\n"
                        + "go_goroutines 12\ngo_memstats_heap_alloc_bytes{a=\"b\"} 1.5e+06 1700000000000\n"},
                {"built:metrics", "{\"metrics\":[{\"name\":\"latency.p95\",\"unit\":\"ms\",\"values\":[12.5,13]}]}"},
                {"built:folded", "main.main;main.work 10\nmain.main;runtime.mallocgc 3\n"},
                {"built:speedscope", "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\","
                        + "\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\","
                        + "\"name\":\"p\",\"unit\":\"none\",\"startValue\":0,\"endValue\":1,\"samples\":[[0]],"
                        + "\"weights\":[1]}]}"}}) {
            out.add(new ProfileReaderFuzzProperties.Seed(built[0], built[1].getBytes(StandardCharsets.UTF_8)));
        }
        return List.copyOf(out);
    }

    @Provide
    Arbitrary<ProfileReaderFuzzProperties.Seed> seeds() {
        return Arbitraries.of(SEEDS);
    }

    @Provide
    Arbitrary<List<ProfileReaderFuzzProperties.Mutation>> mutationLists() {
        return ProfileReaderFuzzProperties.mutation().list().ofMinSize(1).ofMaxSize(6);
    }
}
