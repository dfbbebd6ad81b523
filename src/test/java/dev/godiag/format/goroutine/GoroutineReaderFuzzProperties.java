package dev.godiag.format.goroutine;

import dev.godiag.badinput.FuzzTries;
import dev.godiag.util.BadInputException;
import dev.godiag.model.GoroutineDump;
import dev.godiag.testutil.Corpus;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random mutations of real goroutine dumps, debug=1 texts and goroutine profiles never make the
 * readers throw anything but a one-line {@link BadInputException}.
 */
@AddLifecycleHook(FuzzTries.class)
class GoroutineReaderFuzzProperties {
    private static final String[] SEEDS = {"upstream/goleak/http.txt", "upstream/goleak/http.go1.20.txt",
            "upstream/goleak/http.tracebackancestors.txt", "go1.19/leakysvc/goroutine.t1.debug2.txt",
            "go1.27/leakysvc/goroutine.t2.debug2.txt", "go1.27/leakysvc/goroutine.t1.debug1.txt",
            "go1.27/leakysvc/goroutineleak.t2.debug1.txt", "go1.27/leakysvc/goroutine.t1.pprof"};
    private static List<byte[]> seeds;

    private static synchronized List<byte[]> seeds() {
        if (seeds == null) {
            List<byte[]> l = new ArrayList<>();
            for (String s : SEEDS) {
                try {
                    l.add(Files.readAllBytes(Corpus.file(s)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            seeds = l;
        }
        return seeds;
    }

    @Property
    void mutatedInputsReadOrFailWithOneLine(@ForAll @IntRange(min = 0, max = 7) int seed, @ForAll long randomSeed,
                                            @ForAll @IntRange(min = 1, max = 8) int mutations) {
        byte[] data = mutate(seeds().get(seed), new Random(randomSeed), mutations);
        try {
            GoroutineDump d = GoroutineSources.fromBytes(data, "fuzz", 1L << 26);
            assertTrue(d.warnings().size() <= 21);
            for (String w : d.warnings()) {
                assertTrue(w.indexOf('\n') < 0 && w.indexOf('\r') < 0, w);
            }
        } catch (BadInputException e) {
            assertTrue(e.getMessage().indexOf('\n') < 0, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            fail("seed " + SEEDS[seed] + " random " + randomSeed + ": " + e, e);
        }
    }

    static byte[] mutate(byte[] in, Random r, int mutations) {
        byte[] b = in.clone();
        for (int m = 0; m < mutations; m++) {
            if (b.length == 0) {
                return b;
            }
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b = Arrays.copyOf(b, at); // truncate
                case 2 -> { // delete a span
                    int len = Math.min(b.length - at, 1 + r.nextInt(200));
                    byte[] n = new byte[b.length - len];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, at + len, n, at, b.length - at - len);
                    b = n;
                }
                case 3 -> { // duplicate a span
                    int len = Math.min(b.length - at, 1 + r.nextInt(300));
                    byte[] n = new byte[b.length + len];
                    System.arraycopy(b, 0, n, 0, at + len);
                    System.arraycopy(b, at, n, at + len, b.length - at);
                    b = n;
                }
                case 4 -> { // insert runtime-looking text
                    String[] bits = {"\n", "\t", "goroutine ", " [", "]:", "(", ")", "created by ", " in goroutine ",
                            "...", " frames elided...", "[originating from goroutine ", "{", "}", "\"", ":", "\r\n",
                            " +0x", "labels:", ", 3 minutes", "# labels: ", "@ 0x1", "\\"};
                    byte[] ins = bits[r.nextInt(bits.length)].getBytes(StandardCharsets.UTF_8);
                    byte[] n = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(ins, 0, n, at, ins.length);
                    System.arraycopy(b, at, n, at + ins.length, b.length - at);
                    b = n;
                }
                case 5 -> { // swap two bytes
                    int other = r.nextInt(b.length);
                    byte t = b[at];
                    b[at] = b[other];
                    b[other] = t;
                }
                default -> b[at] = (byte) "\n\t ()[]{}:,\"0123456789".charAt(r.nextInt(22));
            }
        }
        return b;
    }
}
