package dev.godiag.badinput;

import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.format.bench.BenchReader;
import dev.godiag.model.BenchFile;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A million benchmark lines (go test -count=10 over 100,000 benchmarks) are read and tabulated
 * completely, with memory in proportion: checked by counts and allocated bytes, never by the clock
 * ({@code -Dgodiag.badinput.print=true} prints the time taken, for bench/RESULTS.md).
 */
class LargeBenchmarkFileTest {
    private static final int BENCHMARKS = 100_000;
    private static final int COUNT = 10;

    private static String file(int benchmarks) {
        StringBuilder sb = new StringBuilder("goos: linux\ngoarch: amd64\npkg: example.com/big\n");
        for (int run = 0; run < COUNT; run++) {
            for (int i = 0; i < benchmarks; i++) {
                sb.append("BenchmarkF").append(i).append("/size=").append(i % 7).append("-8 \t 1000\t ")
                        .append(100 + (i * 31 + run * 7) % 50).append(".5 ns/op\t ").append(64 + run % 3)
                        .append(" B/op\n");
            }
        }
        return sb.append("PASS\n").toString();
    }

    private record Run(BenchFile file, List<BenchTables.Table> tables, long allocated, long millis) {
    }

    private static Run run(String text) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // every thread's: the tables are summarized side by side on the common pool
        long before = threads.getTotalThreadAllocatedBytes();
        long t0 = System.nanoTime();
        BenchFile f = BenchReader.read("big.txt", text);
        List<BenchTables.Table> tables = BenchTables.build(List.of(f), BenchTables.Options.defaults());
        return new Run(f, tables, threads.getTotalThreadAllocatedBytes() - before,
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void millionLinesAreReadAndTabulated() {
        Run small = run(file(BENCHMARKS / 10));
        Run big = run(file(BENCHMARKS));
        if (Boolean.getBoolean("godiag.badinput.print")) {
            System.out.printf("[bench] %d lines: %d ms, %d MB allocated; %d lines: %d ms, %d MB allocated%n",
                    small.file().results().size(), small.millis(), small.allocated() >> 20,
                    big.file().results().size(), big.millis(), big.allocated() >> 20);
        }
        assertEquals(BENCHMARKS * COUNT, big.file().results().size());
        assertEquals(List.of(), big.file().warnings());
        assertEquals(2, big.tables().size()); // sec/op and B/op
        for (BenchTables.Table t : big.tables()) {
            assertEquals(BENCHMARKS, t.rows().size());
            assertEquals(List.of("big.txt"), t.cols());
            for (int row : new int[] {0, BENCHMARKS / 2, BENCHMARKS - 1}) {
                assertEquals(COUNT, t.cell(row, 0).n(), t.rows().get(row));
            }
        }
        assertEquals("F0/size=0-8", big.tables().get(0).rows().get(0));
        assertEquals("F99999/size=4-8", big.tables().get(0).rows().get(BENCHMARKS - 1));
        // in proportion: ten times the lines, about ten times the allocation (not a hundred), and
        // a bounded cost per line
        double ratio = (double) big.allocated() / small.allocated();
        assertTrue(ratio < 13, "10x the lines allocated " + ratio + "x");
        long perLine = big.allocated() / big.file().results().size();
        assertTrue(perLine < 4096, perLine + " bytes allocated per line");
    }
}
