package dev.godiag.badinput;

import dev.godiag.util.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.ProfileReader;
import dev.godiag.model.Profile;
import dev.godiag.testutil.Peers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes {@link ProfileReader#read(byte[])}: mutated real profiles (the corpus's profile.proto
 * files, un-gzipped, and its legacy text and binary profiles) and random small protobufs built
 * from scratch. The only allowed outcomes are a {@link Profile} or a {@link BadInputException}
 * with a one-line message; no other exception, no OutOfMemoryError, a bounded allocation per
 * input, and no hang: an input that keeps the reader busy for {@value #HANG_CPU_MILLIS} ms of its
 * own CPU time fails (CPU time, not the clock: a busy machine slows the clock, not the work).
 *
 * <p>Tries per property: {@code -Dgodiag.fuzz.tries=N} (default {@value FuzzTries#DEFAULT}; some
 * properties run a share of that). {@code -Dgodiag.fuzz.stats=true} prints what became of the
 * inputs. Failing inputs are saved under {@code target/fuzz-failures/}.
 */
@AddLifecycleHook(FuzzTries.class)
class ProfileReaderFuzzProperties {
    /** CPU time of the reading thread on one input that counts as a hang (reads take milliseconds). */
    static final long HANG_CPU_MILLIS = 20_000;
    /** No input may make the reader allocate more than this many bytes per input byte (plus a floor). */
    static final long ALLOC_PER_BYTE = 64;
    static final long ALLOC_FLOOR = 64L << 20;
    /** With -Dgodiag.fuzz.stats=true, each property reports how its inputs were read or rejected. */
    static final boolean STATS = Boolean.getBoolean("godiag.fuzz.stats");

    /** The thread inputs are read in; replaced when one of them hangs. */
    private static ExecutorService reader = newReader();

    private static ExecutorService newReader() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-reader");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterContainer
    static void shutdown() {
        reader.shutdownNow();
    }

    // ---- properties ----

    @Property
    void mutatedCorpusProfiles(@ForAll("seeds") Seed seed, @ForAll("mutationLists") List<Mutation> mutations) {
        byte[] data = seed.data();
        for (Mutation m : mutations) {
            data = m.apply(data, seeds);
        }
        readsOrRejects(data, seed + " " + mutations);
    }

    @Property
    @FuzzTries.Share(percent = 50)
    void validRandomProfilesAreRead(@ForAll("randomSeeds") long seed) {
        RandomProfiles.Generated g = RandomProfiles.valid(new Random(seed));
        Profile p = readsOrRejects(g.bytes(), "valid random profile, seed " + seed);
        if (p == null) {
            fail("a valid random profile was rejected (seed " + seed + "): " + lastMessage);
        }
        assertEquals(g.samples(), p.samples().size(), "samples");
        assertEquals(g.valueSum(), Arrays.stream(p.samples().values).sum(), "sum of values");
    }

    @Property
    @FuzzTries.Share(percent = 50)
    void plausibleRandomProfiles(@ForAll("randomSeeds") long seed) {
        RandomProfiles.Generated g = RandomProfiles.plausible(new Random(seed));
        Profile p = readsOrRejects(g.bytes(), "plausible random profile, seed " + seed);
        if (g.valid() && p == null) {
            fail("a valid random profile was rejected (seed " + seed + "): " + lastMessage);
        }
    }

    @Property
    @FuzzTries.Share(percent = 50)
    void mutatedRandomProfiles(@ForAll("randomSeeds") long seed, @ForAll("mutationLists") List<Mutation> mutations) {
        byte[] data = RandomProfiles.plausible(new Random(seed)).bytes();
        for (Mutation m : mutations) {
            data = m.apply(data, seeds);
        }
        readsOrRejects(data, "random profile, seed " + seed + " " + mutations);
    }

    @Property
    @FuzzTries.Share(percent = 10)
    void gzippedMutations(@ForAll("seeds") Seed seed, @ForAll("mutationLists") List<Mutation> mutations) {
        // mutate the compressed bytes: the gzip layer must fail cleanly too
        byte[] data = BadInput.gzip(seed.data());
        for (Mutation m : mutations) {
            data = m.apply(data, seeds);
        }
        readsOrRejects(data, "gzipped " + seed + " " + mutations);
    }

    // ---- the oracle ----

    private String lastMessage;

    /** Reads data in a worker thread: returns the profile, or null for a clean rejection; fails otherwise. */
    Profile readsOrRejects(byte[] data, String what) {
        long[] started = {-1, -1}; // the reading thread's id and CPU time when it starts on this input
        Future<Object> f = reader.submit(() -> {
            var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            synchronized (started) {
                started[0] = Thread.currentThread().threadId();
                started[1] = mx.getCurrentThreadCpuTime();
            }
            return BoundedRead.attempt(() -> ProfileReader.read(data, 256L << 20),
                    ALLOC_FLOOR + ALLOC_PER_BYTE * inflatedSize(data), data.length, "reader");
        });
        Object r;
        try {
            r = awaitUnlessHung(f, started);
        } catch (TimeoutException e) {
            reader.shutdownNow(); // the stuck thread may never stop: read the next inputs in a new one
            reader = newReader();
            throw failure(data, what, new AssertionError("hung: more than " + HANG_CPU_MILLIS
                    + " ms of CPU time on one input"));
        } catch (ExecutionException | InterruptedException e) {
            throw failure(data, what, new AssertionError(e));
        }
        if (r instanceof AssertionError e) {
            throw failure(data, what, e);
        }
        if (r instanceof BadInputException e) {
            String m = e.getMessage();
            lastMessage = m;
            if (STATS) {
                Statistics.label("outcome").collect(category(m));
            }
            if (m == null || m.isBlank() || m.length() > 410 || m.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw failure(data, what, new AssertionError("bad message: " + m));
            }
            return null;
        }
        if (STATS) {
            Statistics.label("outcome").collect("read");
        }
        return (Profile) r;
    }

    /**
     * The task's result; TimeoutException once its thread has spent {@link #HANG_CPU_MILLIS} of CPU
     * time on it. Waiting itself is not limited: a starved thread is slow, not hung.
     */
    private static Object awaitUnlessHung(Future<Object> f, long[] started)
            throws ExecutionException, InterruptedException, TimeoutException {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        while (true) {
            try {
                return f.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                long cpuNanos;
                synchronized (started) {
                    cpuNanos = started[0] < 0 ? 0 : mx.getThreadCpuTime(started[0]) - started[1];
                }
                if (cpuNanos > HANG_CPU_MILLIS * 1_000_000) {
                    throw e;
                }
            }
        }
    }

    /** A message without its numbers and quotes, for the statistics of outcomes. */
    private static String category(String m) {
        String c = m.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("[0-9a-f]{2}( [0-9a-f]{2})+", "XX")
                .replaceAll("\\d+", "N");
        int cut = c.indexOf(" at byte");
        c = cut > 0 ? c.substring(0, cut) : c;
        return c.length() > 90 ? c.substring(0, 90) : c;
    }

    private static long inflatedSize(byte[] data) {
        if (!Gzip.isGzip(data)) {
            return data.length;
        }
        try {
            return Gzip.gunzip(data, 256L << 20).length;
        } catch (BadInputException e) {
            return data.length;
        }
    }

    private static AssertionError failure(byte[] data, String what, AssertionError e) {
        Path dir = Path.of("target", "fuzz-failures");
        String name = Integer.toHexString(Arrays.hashCode(data)) + ".bin";
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name), data);
        } catch (IOException ignored) {
            // the failure itself matters more
        }
        String head = HexFormat.of().formatHex(data, 0, Math.min(data.length, 64));
        AssertionError a = new AssertionError(e.getMessage() + " on " + what + " (" + data.length
                + " bytes, saved as target/fuzz-failures/" + name + "; starts " + head + ")", e.getCause());
        return a;
    }

    // ---- inputs ----

    /** A starting input: a corpus file's raw bytes (gunzipped if it was gzip). */
    record Seed(String name, byte[] data) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Seed> seeds = loadSeeds();

    private static List<Seed> loadSeeds() {
        List<Seed> out = new ArrayList<>();
        Path root = Path.of("..", "shared", "corpus");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    String rel = root.relativize(p).toString().replace('\\', '/');
                    boolean proto = rel.endsWith(".pprof");
                    boolean text = rel.endsWith(".debug1.txt");
                    boolean upstream = rel.startsWith("upstream/pprof/") && !rel.endsWith(".string")
                            && !rel.endsWith("LICENSE") && !rel.contains("large");
                    if (!proto && !text && !upstream) {
                        continue;
                    }
                    byte[] b = Files.readAllBytes(p);
                    if (Gzip.isGzip(b)) {
                        b = Gzip.gunzip(b, 64L << 20);
                    }
                    if (b.length <= 128 * 1024) {
                        out.add(new Seed(rel, b));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (Peers.inCi()) {
            throw new AssertionError("the corpus ../shared/corpus is missing in CI");
        }
        // without the corpus, or in addition to it: profiles built here
        out.add(new Seed("built:valid", Pb.validProfile().build()));
        for (int i = 0; i < 4; i++) {
            out.add(new Seed("built:random" + i, RandomProfiles.valid(new Random(i)).bytes()));
        }
        return List.copyOf(out);
    }

    @Provide
    Arbitrary<Seed> seeds() {
        return Arbitraries.of(seeds);
    }

    @Provide
    Arbitrary<Long> randomSeeds() {
        return Arbitraries.longs().withoutEdgeCases();
    }

    @Provide
    Arbitrary<List<Mutation>> mutationLists() {
        return mutation().list().ofMinSize(1).ofMaxSize(6);
    }

    static Arbitrary<Mutation> mutation() {
        Arbitrary<Long> values = Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, 2L, 127L, 128L, 255L, 300L, (1L << 31) - 1, 1L << 31, 1L << 32, 1L << 62,
                        -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x0aL, 0x12L, 0x1aL, 0x22L, 0x2aL, 0x32L),
                Arbitraries.longs().between(0, 400),
                Arbitraries.longs());
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(1, 64), values).as(Mutation::new);
    }

    enum Kind { FLIP_BIT, SET_BYTE, INSERT_BYTES, DELETE_RANGE, TRUNCATE, SPLICE, VARINT_OVERWRITE, VARINT_INSERT,
        DUPLICATE_RANGE }

    /** One edit of the input: where (pos, taken modulo the length), how much (len) and with what (value). */
    record Mutation(Kind kind, int pos, int len, long value) {
        byte[] apply(byte[] d, List<Seed> others) {
            int n = d.length;
            int at = Math.floorMod(pos, n + 1);
            return switch (kind) {
                case FLIP_BIT -> {
                    if (n == 0) {
                        yield d;
                    }
                    byte[] c = d.clone();
                    c[at % n] ^= (byte) (1 << (int) Math.floorMod(value, 8L));
                    yield c;
                }
                case SET_BYTE -> {
                    if (n == 0) {
                        yield d;
                    }
                    byte[] c = d.clone();
                    c[at % n] = (byte) value;
                    yield c;
                }
                case INSERT_BYTES -> {
                    byte[] ins = new byte[len];
                    new Random(value).nextBytes(ins);
                    yield insert(d, at, ins);
                }
                case DELETE_RANGE -> {
                    int k = Math.min(len, n - at);
                    byte[] c = new byte[n - k];
                    System.arraycopy(d, 0, c, 0, at);
                    System.arraycopy(d, at + k, c, at, n - at - k);
                    yield c;
                }
                case TRUNCATE -> Arrays.copyOf(d, at);
                case SPLICE -> {
                    byte[] o = others.get(Math.floorMod(len + (int) value, others.size())).data();
                    int from = (int) Math.floorMod(value, o.length + 1L);
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    b.write(d, 0, at);
                    b.write(o, from, o.length - from);
                    yield b.toByteArray();
                }
                case VARINT_OVERWRITE -> {
                    byte[] v = Pb.varint(value);
                    byte[] c = Arrays.copyOf(d, Math.max(n, at + v.length));
                    System.arraycopy(v, 0, c, at, v.length);
                    yield c;
                }
                case VARINT_INSERT -> insert(d, at, Pb.varint(value));
                case DUPLICATE_RANGE -> {
                    int k = Math.min(len * 8, n - at);
                    byte[] chunk = Arrays.copyOfRange(d, at, at + k);
                    yield insert(d, (int) Math.floorMod(value, n + 1L), chunk);
                }
            };
        }

        private static byte[] insert(byte[] d, int at, byte[] ins) {
            byte[] c = new byte[d.length + ins.length];
            System.arraycopy(d, 0, c, 0, at);
            System.arraycopy(ins, 0, c, at, ins.length);
            System.arraycopy(d, at, c, at + ins.length, d.length - at);
            return c;
        }
    }

    // keep the seeds honest: each one is read as it is
    /** Keeps the seeds honest: each profile.proto seed is read as it is; legacy ones are read or rejected. */
    @Example
    void everySeedIsReadUnmutated() {
        for (Seed s : seeds) {
            Profile p = readsOrRejects(s.data(), s.name());
            if (!s.name().endsWith(".txt") && !s.name().startsWith("upstream/")) {
                assertTrue(p != null, s.name() + ": " + lastMessage);
            }
        }
    }
}
