package dev.godiag.badinput;

import dev.godiag.format.trace.TraceReader;
import dev.godiag.format.trace.TraceStates;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.testutil.Corpus;
import dev.godiag.util.BadInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes {@link TraceReader} (and {@link TraceStates} over what it reads) with the corpus's Go 1.27 trace mutated (bytes flipped, huge
 * numbers written over varints, ranges cut, repeated or spliced in, the file cut short): every
 * read ends with generations and at most one one-line warning, or a one-line
 * {@link BadInputException}; nothing else is thrown, and no read hangs (a wall-clock guard). The
 * corpus's Go 1.19 trace (the old format, read whole) is fuzzed the same way.
 */
@AddLifecycleHook(FuzzTries.class)
class TraceReaderFuzzProperties {
    private static final byte[] TRACE = read("go1.27/cpuwork/trace.out");
    /** An old-format trace (Go 1.19), which the reader takes whole, as Go does. */
    private static final byte[] OLD_TRACE = read("go1.19/cpuwork/trace.out");
    private static final long HANG_GUARD_SECONDS = 120;
    private static final ExecutorService READER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "trace-fuzz-reader");
        t.setDaemon(true);
        return t;
    });

    @AfterContainer
    static void shutdown() {
        READER.shutdownNow();
    }

    @Property
    @FuzzTries.Share(percent = 10)
    void mutatedTracesGiveGenerationsOrOneLine(@ForAll long seed,
                                               @ForAll("mutationCounts") int mutations) throws Exception {
        Random r = new Random(seed);
        byte[] data = TRACE;
        List<String> applied = new java.util.ArrayList<>();
        for (int i = 0; i < mutations; i++) {
            int kind = r.nextInt(6);
            data = mutate(data, kind, r);
            applied.add(String.valueOf(kind));
        }
        readsOrRejects(data, "seed " + seed + " mutations " + applied);
    }

    /**
     * The old format: Go's reader fails on any damage, and so does godiag's (one line); a mutation
     * Go's checks let through gives events.
     */
    @Property
    @FuzzTries.Share(percent = 5)
    void mutatedOldTracesGiveEventsOrOneLine(@ForAll long seed, @ForAll("mutationCounts") int mutations)
            throws Exception {
        Random r = new Random(seed);
        byte[] data = OLD_TRACE;
        List<String> applied = new java.util.ArrayList<>();
        for (int i = 0; i < mutations; i++) {
            int kind = r.nextInt(6);
            data = mutate(data, kind, r);
            applied.add(String.valueOf(kind));
        }
        readsOrRejects(data, "old trace, seed " + seed + " mutations " + applied);
    }

    @Property
    @FuzzTries.Share(percent = 5)
    void oldTracesCutAnywhereGiveEventsOrOneLine(@ForAll long seed) throws Exception {
        int at = 16 + new Random(seed).nextInt(OLD_TRACE.length - 16);
        readsOrRejects(Arrays.copyOf(OLD_TRACE, at), "old trace cut at " + at);
    }

    @Provide
    Arbitrary<Integer> mutationCounts() {
        return Arbitraries.integers().between(1, 6);
    }

    private static byte[] mutate(byte[] d, int kind, Random r) {
        if (d.length < 2) {
            return d;
        }
        int at = r.nextInt(d.length);
        int len = 1 + r.nextInt(Math.min(4096, d.length - at));
        switch (kind) {
            case 0 -> { // flip a few bytes
                byte[] c = d.clone();
                for (int i = 0; i < 1 + r.nextInt(8); i++) {
                    c[r.nextInt(c.length)] ^= (byte) (1 + r.nextInt(255));
                }
                return c;
            }
            case 1 -> { // a huge or overlong varint over whatever was there
                byte[] c = d.clone();
                for (int i = at; i < Math.min(c.length, at + 1 + r.nextInt(11)); i++) {
                    c[i] = (byte) 0xff;
                }
                return c;
            }
            case 2 -> { // cut a range out
                byte[] c = new byte[d.length - len];
                System.arraycopy(d, 0, c, 0, at);
                System.arraycopy(d, at + len, c, at, d.length - at - len);
                return c;
            }
            case 3 -> { // repeat a range
                byte[] c = new byte[d.length + len];
                System.arraycopy(d, 0, c, 0, at + len);
                System.arraycopy(d, at, c, at + len, d.length - at);
                return c;
            }
            case 4 -> { // random bytes spliced in
                byte[] c = new byte[d.length + len];
                System.arraycopy(d, 0, c, 0, at);
                byte[] noise = new byte[len];
                r.nextBytes(noise);
                System.arraycopy(noise, 0, c, at, len);
                System.arraycopy(d, at, c, at + len, d.length - at);
                return c;
            }
            default -> {
                return Arrays.copyOf(d, at);
            }
        }
    }

    private static void readsOrRejects(byte[] data, String what) throws Exception {
        Future<TraceSummary> f = READER.submit(() -> {
            TraceStates states = new TraceStates();
            return new TraceReader().read(new ByteArrayInputStream(data), g -> {
                g.events().forEach(e -> g.stack(e.args().length > 0 ? e.args()[e.args().length - 1] : 0));
                states.apply(g);
            });
        });
        try {
            TraceSummary s = f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            s.warning().ifPresent(w -> assertFalse(w.contains("\n"), "a warning of several lines: " + what));
        } catch (TimeoutException e) {
            f.cancel(true);
            fail("no result within the hang guard: " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BadInputException b) {
                assertFalse(b.getMessage().contains("\n"), "a message of several lines: " + what);
                assertTrue(b.getMessage().length() < 300, "a long message: " + what);
                return;
            }
            throw new AssertionError("neither a result nor BadInputException: " + what, e.getCause());
        }
    }

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(Corpus.file(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
