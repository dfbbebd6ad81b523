package dev.godiag.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes {@code go test -bench} output of a large repository, for timing {@code godiag bench},
 * {@code baseline save} and {@code gate} at scale: deterministic from a seed, a given number of
 * result lines. Each package section starts with the configuration lines {@code go test} prints
 * ({@code goos}, {@code goarch}, {@code pkg}, {@code cpu}) and ends with {@code PASS} and
 * {@code ok}; each benchmark (a name unique in the file, with sub-benchmark parts and the {@code -8}
 * procs suffix) appears
 * {@code count} times in a row, as with {@code -count}, with ns/op, B/op and allocs/op, and one
 * benchmark in ten also with MB/s (a {@code b.SetBytes} benchmark).
 * <p>
 * Usage: {@code BenchFileGenerator OUT [RESULTS (default 1000000)] [COUNT (default 1)] [SEED (default 1)]}
 */
public final class BenchFileGenerator {
    private static final int BENCHMARKS_PER_PACKAGE = 500;
    private static final String[] VERBS = {"Encode", "Decode", "Parse", "Marshal", "Hash", "Sort", "Lookup", "Insert"};
    private static final String[] SIZES = {"small", "medium", "large", "huge"};

    /** What was written: result lines, distinct benchmarks, packages, and the benchmarks with MB/s. */
    public record Counts(long results, long benchmarks, long packages, long withThroughput) {
    }

    private BenchFileGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 4) {
            System.err.println("usage: BenchFileGenerator OUT [RESULTS (default 1000000)] [COUNT (default 1)]"
                    + " [SEED (default 1)]");
            System.exit(2);
        }
        long results = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        Counts c = write(Path.of(args[0]), results, count, seed);
        System.err.printf("wrote %s: %d results, %d benchmarks in %d packages, %d with MB/s%n", args[0],
                c.results(), c.benchmarks(), c.packages(), c.withThroughput());
    }

    /** Writes {@code results} result lines, each benchmark {@code count} times in a row. */
    public static Counts write(Path out, long results, int count, long seed) throws IOException {
        if (results < 1 || count < 1) {
            throw new IllegalArgumentException("results and count must be positive");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        long written = 0;
        long benchmarks = 0;
        long packages = 0;
        long throughput = 0;
        StringBuilder sb = new StringBuilder(256);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            while (written < results) {
                packages++;
                String pkg = "example.com/monorepo/svc" + packages + "/internal/codec";
                os.write(("goos: linux\ngoarch: amd64\npkg: " + pkg
                        + "\ncpu: AMD EPYC 7B13\n").getBytes(StandardCharsets.US_ASCII));
                for (int b = 0; b < BENCHMARKS_PER_PACKAGE && written < results; b++) {
                    benchmarks++;
                    String name = "Benchmark" + VERBS[b % VERBS.length] + (b / VERBS.length) + "/svc=" + packages
                            + "/size=" + SIZES[rnd.nextInt(SIZES.length)] + "-8";
                    double ns = 50 + rnd.nextDouble() * 50_000;
                    long bytes = rnd.nextInt(64) * 16L;
                    long allocs = bytes / 48;
                    boolean setBytes = b % 10 == 0;
                    for (int i = 0; i < count && written < results; i++) {
                        double v = ns * (0.97 + rnd.nextDouble() * 0.06);
                        long n = Math.max(1, (long) (1e9 / v));
                        sb.setLength(0);
                        sb.append(name).append(" \t").append(n).append('\t')
                                .append(String.format(java.util.Locale.ROOT, "%.1f", v)).append(" ns/op");
                        if (setBytes) {
                            sb.append('\t').append(String.format(java.util.Locale.ROOT, "%.2f", 4096e3 / v))
                                    .append(" MB/s");
                        }
                        sb.append('\t').append(bytes).append(" B/op\t").append(allocs).append(" allocs/op\n");
                        os.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
                        written++;
                    }
                    if (setBytes) {
                        throughput++;
                    }
                }
                os.write(("PASS\nok  \t" + pkg + "\t12.345s\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        return new Counts(written, benchmarks, packages, throughput);
    }
}
