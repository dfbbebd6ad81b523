package dev.godiag.analysis.trace;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The MMU computation against Go's own tests (src/internal/trace/gc_test.go): TestMMU's hand-made
 * series with its expected values, and TestMMUTrace's "obviously correct" reference (mmuSlow: every
 * window starting or ending at a change, each mean summed piece by piece) on random series.
 */
class MmuCurveTest {
    private static final long S = 1_000_000_000L;

    @Test
    void goTestMmuCases() {
        // Go's picture: 1.0 from 0-1 s, 0 from 1-2 s, 1.0 from 2-3 s, 0 from 3-4 s, 1.0 from 4-5 s, end 0 at 5 s
        MmuCurve c = new MmuCurve(new long[] {0, S, 2 * S, 3 * S, 4 * S, 5 * S}, new double[] {1, 0, 1, 0, 1, 0}, 6);
        assertThat(c.mmu(0)).isEqualTo(0);
        assertThat(c.mmu(1_000_000L)).isEqualTo(0);
        assertThat(c.mmu(S)).isEqualTo(0);
        assertThat(c.mmu(2 * S)).isCloseTo(0.5, within(1e-9));
        assertThat(c.mmu(3 * S)).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(c.mmu(4 * S)).isCloseTo(0.5, within(1e-9));
        assertThat(c.mmu(5 * S)).isCloseTo(3 / 5.0, within(1e-9));
        assertThat(c.mmu(6 * S)).as("a window longer than the series is cut to it").isCloseTo(3 / 5.0, within(1e-9));
    }

    @Test
    void equalsGosSlowReferenceOnRandomSeries() {
        Random r = new Random(15);
        for (int round = 0; round < 200; round++) {
            int n = 2 + r.nextInt(40);
            long[] t = new long[n];
            double[] u = new double[n];
            long now = r.nextInt(1000);
            for (int i = 0; i < n; i++) {
                t[i] = now;
                now += 1 + r.nextInt(r.nextBoolean() ? 10 : 5000);
                u[i] = r.nextInt(5) / 4.0;
            }
            u[n - 1] = 0; // Go's series end with 0
            MmuCurve c = new MmuCurve(t, u, n);
            for (long w = 1; w < 100_000; w *= 3) {
                double want = mmuSlow(t, u, w);
                assertThat(c.mmu(w)).as("round %d window %d", round, w).isCloseTo(want, within(1e-9));
            }
        }
    }

    /** Go's mmuSlow: left-aligned windows, then the same on the reversed series (right-aligned ones). */
    static double mmuSlow(long[] t, double[] u, long window) {
        int n = t.length;
        long w = Math.min(window, t[n - 1] - t[0]);
        double mmu = 1.0;
        mmu = Math.min(mmu, leftAligned(t, u, w));
        long[] rt = new long[n];
        double[] ru = new double[n];
        for (int i = 0; i < n; i++) {
            rt[n - 1 - i] = -t[i];
            ru[n - 1 - i] = i == 0 ? 0 : u[i - 1];
        }
        return Math.min(mmu, leftAligned(rt, ru, w));
    }

    private static double leftAligned(long[] t, double[] u, long w) {
        double mmu = 1.0;
        int n = t.length;
        for (int i = 0; i < n; i++) {
            long end = t[i] + w;
            if (end > t[n - 1]) {
                break;
            }
            double total = 0;
            long prevT = t[i];
            double prevU = 0;
            for (int j = i; j < n; j++) {
                if (t[j] > end) {
                    total += prevU * (end - prevT);
                    break;
                }
                total += prevU * (t[j] - prevT);
                prevT = t[j];
                prevU = u[j];
            }
            mmu = Math.min(mmu, total / (end - t[i]));
        }
        return mmu;
    }
}
